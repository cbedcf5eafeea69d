"""Kernels started ahead of need: each notebook gets a fresh kernel process that is already up, imports done.

The build knows which notebooks it will run and in what order. The pool starts the kernel for the next ones while
earlier notebooks execute (and while the tables are validated), so kernel start and imports overlap with other work
instead of sitting at the head of every notebook. A kernel is made for one notebook and used once:

- it is forked by the build's kernel server (``zygote``), which imported ipykernel and the notebooks' modules once;
  if the server is not there (it failed to start, or died), the kernel starts the plain way, ``python -m
  ipykernel_launcher``, and imports the same modules itself before the first cell;
- its environment (where figures are staged, where reads are logged) and working directory are that notebook's;
- ``$HELPERS_PRELOAD`` lists the modules the notebook's import statements name, and ``kernel.prepare`` imports them
  into ``sys.modules`` before the first cell without binding any name (``kernel`` explains why that keeps the
  notebook honest);
- after its notebook ran, it is shut down in the background (``retire``), off the worker's path.

jupyter_client's ``KernelManager`` starts and stops each kernel. Kernels talk over IPC (Unix sockets, with the
connection file, in a private temp folder): kernels started in parallel cannot race for a TCP port and nothing listens
on the network. The sockets go to the temp dir, not the staging folder, because a Unix socket's path is limited to
about 100 bytes and a project can live deep in the file system. ``--cold`` builds use neither the server nor any
preloading.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from .hashing import imported_modules
from .kernel import PRELOAD_ENV, STARTUP

SOCKETS_PREFIX = "helpers-kernel-"  # + the build's pid: kernel sockets and connection files in the temp dir


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_dead_kernel_dirs() -> None:
    """Kernel socket folders left in the temp dir by a build that was killed (its pid is gone)."""
    for d in Path(tempfile.gettempdir()).glob(f"{SOCKETS_PREFIX}*"):
        pid = d.name[len(SOCKETS_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(d, ignore_errors=True)


INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # what ipykernel sets when MPLBACKEND is unset


class Zygote:
    """The build's kernel server (``zygote``), started with the modules ``modules`` to import once."""

    def __init__(self, root: Path, modules: list[str], ready_timeout: float = 120):
        self.folder = Path(tempfile.mkdtemp(prefix=f"{SOCKETS_PREFIX}{os.getpid()}-"))
        self.socket = str(self.folder / "zygote")
        env = dict(os.environ, **{paths.ROOT_ENV: str(root), PRELOAD_ENV: " ".join(modules)})
        # matplotlib reads MPLBACKEND when imported, here before ipykernel would set it: set it as ipykernel would
        env.setdefault("MPLBACKEND", INLINE_BACKEND)
        # debugpy (imported ahead for the kernels' debugger) warns about frozen modules on import unless told not to
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        # the server forks: it must have one thread, so numpy's OpenBLAS starts no worker (see zygote)
        env["OPENBLAS_NUM_THREADS"] = "1"
        self.proc = subprocess.Popen([sys.executable, "-m", "helpers.builder.zygote", self.socket], cwd=root, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True)  # fmt: skip
        self._ready = threading.Event()
        self.ok = self._said = False
        self._deadline = ready_timeout
        threading.Thread(target=self._wait_ready, daemon=True, name="zygote-ready").start()

    def _wait_ready(self) -> None:
        self.ok = self.proc.stdout.readline().strip() == b"ready"
        self._ready.set()

    def ready(self) -> bool:
        """True once the server accepts requests; False if it failed to start (the pool then starts kernels plainly)."""
        self._ready.wait(self._deadline)
        ok = self.ok and self.proc.poll() is None
        if not ok and not self._said:
            self._said = True
            print("build: the kernel server did not start (its error is above); each kernel starts on its own instead",
                  file=sys.stderr, flush=True)  # fmt: skip
        return ok

    def close(self) -> None:
        """Closing its stdin tells the server the build is done: it kills any kernel left and exits."""
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


def _forked_manager_class():
    from jupyter_client.manager import KernelManager
    from traitlets import Unicode

    class ForkedKernelManager(KernelManager):
        """A KernelManager whose kernel is forked by the build's server: it starts the launcher instead of
        ``python -m ipykernel_launcher``, with the same kernel arguments."""

        zygote_socket = Unicode("")

        def format_kernel_cmd(self, extra_arguments=None):
            cmd = super().format_kernel_cmd(extra_arguments)
            at = cmd.index("ipykernel_launcher") + 1 if "ipykernel_launcher" in cmd else cmd.index("-f")
            from .zygote import LAUNCHER

            return [sys.executable, "-I", "-S", LAUNCHER, self.zygote_socket, *cmd[at:]]

    return ForkedKernelManager


@dataclass
class Warm:
    """A started kernel waiting for its notebook."""

    nb_path: Path
    km: object  # jupyter_client.manager.KernelManager
    kc: object  # its BlockingKernelClient, channels open and the kernel answering (None if it did not start)
    sockets: Path
    stage: Path  # this notebook's staging folder: figures/ and reads.log
    started: float  # seconds the kernel took to start and import, off the notebook's path
    error: str = ""

    @property
    def figures(self) -> Path:
        return self.stage / "figures"

    @property
    def read_log(self) -> Path:
        return self.stage / "reads.log"


def start_kernel(root: Path, nb_path: Path, staging: Path, validated: str, preload: bool = True,
                 startup_timeout: int = 60, zygote: Zygote | None = None) -> Warm:  # fmt: skip
    """Start one notebook's kernel and wait until it answers (its imports are then done). Without ``preload`` the
    kernel imports nothing ahead (a cold kernel, as nbconvert would start; ``build --cold``)."""
    t0 = time.perf_counter()
    stage = staging / f"{nb_path.stem}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    (stage / "figures").mkdir(parents=True)
    env = dict(os.environ, **{paths.READ_LOG_ENV: str(stage / "reads.log"), paths.FIGURES_ENV: str(stage / "figures"),
                              paths.ROOT_ENV: str(root), paths.VALIDATED_ENV: validated,
                              PRELOAD_ENV: " ".join(imported_modules(nb_path)) if preload else ""})  # fmt: skip
    forked = zygote is not None and zygote.ready()
    warm = _launch(nb_path, stage, env, startup_timeout, zygote.socket if forked else "")
    if warm.error and forked:  # the server failed this kernel (it died?): a plain kernel rather than a failed notebook
        retire(warm)
        warm = _launch(nb_path, stage, env, startup_timeout, "")
    warm.started = time.perf_counter() - t0
    return warm


def _launch(nb_path: Path, stage: Path, env: dict, startup_timeout: int, zygote_socket: str) -> Warm:
    """Start the kernel (forked by the server at ``zygote_socket``, or a plain one) and wait until it answers."""
    from jupyter_client.manager import KernelManager

    sockets = Path(tempfile.mkdtemp(prefix=f"{SOCKETS_PREFIX}{os.getpid()}-"))
    where = {"kernel_name": "python3", "transport": "ipc", "ip": str(sockets / "k"),
             "connection_file": str(sockets / "kernel.json")}  # fmt: skip
    km = _forked_manager_class()(zygote_socket=zygote_socket, **where) if zygote_socket else KernelManager(**where)
    warm = Warm(nb_path, km, None, sockets, stage, 0.0)
    try:
        # the same arguments nbclient gives a kernel it starts itself (history in memory), plus the startup line
        km.start_kernel(extra_arguments=[f"--IPKernelApp.exec_lines={STARTUP}", "--HistoryManager.hist_file=:memory:"],
                        env=env, cwd=str(nb_path.parent))  # fmt: skip
        kc = km.client()
        kc.start_channels()
        try:
            # the kernel answers once its startup line has run; waiting also drains its start-up messages (a 0.2 s
            # quiet period on IOPub), here rather than on the notebook's path. The open client goes to nbclient.
            kc.wait_for_ready(timeout=startup_timeout)
        except BaseException:
            kc.stop_channels()
            raise
        kc.allow_stdin = False  # as nbclient sets it: input() in a notebook fails instead of waiting
        warm.kc = kc
    except Exception as err:  # noqa: BLE001 - reported as the notebook's failure, with the reason
        warm.error = f"the kernel did not start: {type(err).__name__}: {err}"
    return warm


def retire(warm: Warm) -> None:
    """Stop a used kernel and remove its socket folder (the staging folder is the build's to clean)."""
    try:
        if warm.kc is not None:
            warm.kc.stop_channels()
        if warm.km.has_kernel:
            warm.km.shutdown_kernel(now=False)
    except Exception:  # noqa: BLE001 - a kernel that is already gone
        pass
    finally:
        shutil.rmtree(warm.sockets, ignore_errors=True)


class KernelPool:
    """Start kernels for ``nbs`` in order, ``ahead`` at a time beyond those in use; ``take`` blocks until ready.
    ``cold``: start no kernel ahead and preload nothing (each kernel starts when its notebook is taken)."""

    def __init__(self, root: Path, nbs: list[Path], staging: Path, validated: str, ahead: int, cold: bool = False,
                 fork: bool = True):  # fmt: skip
        self.root, self.staging, self.validated, self.preload = root, staging, validated, not cold
        ahead = 0 if cold else ahead
        self.zygote = None
        if fork and not cold and hasattr(os, "fork"):
            modules = list(dict.fromkeys(m for nb in nbs for m in imported_modules(nb)))
            self.zygote = Zygote(root, modules)
        self._order = list(nbs)
        self._next = 0
        self._lock = threading.Lock()
        self._futures: dict[Path, Future] = {}
        self._starter = ThreadPoolExecutor(max_workers=max(1, ahead), thread_name_prefix="kernel-start")
        self._retirer = ThreadPoolExecutor(max_workers=2, thread_name_prefix="kernel-stop")
        self._retiring: list[Future] = []
        for _ in range(ahead):
            self._start_next()

    def _start_next(self) -> None:
        with self._lock:
            if self._next >= len(self._order):
                return
            nb = self._order[self._next]
            self._next += 1
            self._futures[nb] = self._starter.submit(start_kernel, self.root, nb, self.staging, self.validated,
                                                     self.preload, zygote=self.zygote)  # fmt: skip

    def take(self, nb_path: Path) -> Warm:
        """The kernel started for ``nb_path`` (started now if it was not scheduled), and start the next one."""
        with self._lock:
            fut = self._futures.pop(nb_path, None)
            if fut is None and nb_path in self._order[self._next :]:  # not started yet: start it here, not again later
                self._order.remove(nb_path)
        if self.preload:
            self._start_next()
        if fut is None:
            return start_kernel(self.root, nb_path, self.staging, self.validated, self.preload, zygote=self.zygote)
        return fut.result()

    def give_back(self, warm: Warm) -> None:
        self._retiring.append(self._retirer.submit(retire, warm))

    def close(self) -> None:
        """Stop every kernel: those used, and those started for notebooks that never ran (a failed validation)."""
        with self._lock:
            self._next = len(self._order)
            pending = list(self._futures.values())
            self._futures.clear()
        for fut in pending:
            self.give_back(fut.result())
        self._starter.shutdown(wait=True)
        self._retirer.shutdown(wait=True)
        if self.zygote is not None:
            self.zygote.close()
