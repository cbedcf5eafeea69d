"""A fork server for kernels: import the heavy modules once per build, then fork a fresh kernel process per notebook.

Starting a kernel costs about half a second of CPU (Python, IPython, ipykernel) and a notebook's imports (pandas,
matplotlib, geopandas, the kit) about as much again, for each notebook: on two cores that was a
quarter of a forced build. This process pays both once: it imports ipykernel and the union of the modules the
build's notebooks import (``$HELPERS_PRELOAD``), draws once in each export format (``kernel.warm_matplotlib``) and
then waits. For each kernel it forks a child that becomes a new IPython kernel (``IPKernelApp``, as
``ipykernel_launcher`` starts one) with the environment, working directory and arguments of the request: a process of
its own, with its own namespace, in which nothing has run but imports.

jupyter_client's ``KernelManager`` needs a process it started to manage. The build's ``ForkedKernelManager`` starts
``_launch.py`` (plain Python, standard library only, ~20 ms) with the usual kernel command line; the launcher asks this
server for a kernel, forwards signals to it and exits with its exit code. If the launcher is killed, its connection
closes and the server kills its kernel; if the build dies, the server's stdin closes and it kills every kernel and
exits; a kernel whose server died exits too (ipykernel's parent poller).

Forking a process that has threads copies only the forking thread, and the child can deadlock on a lock another thread
held (Python 3.12 and later warn about it). This server starts no thread of its own, and OpenBLAS, which numpy loads,
is told to start none either (``OPENBLAS_NUM_THREADS=1``, set by the pool for this process only). Before each fork the
server counts its threads (``/proc/self/task``); with more than one it forks nothing and the kernel starts the plain
way. A kernel forked here must behave as one started cold: ``tests/test_isolation.py`` checks that a warm build's
figures and outputs equal a cold build's, byte for byte.

Run as ``python -m helpers.builder.zygote SOCKET``; it prints ``ready`` once it accepts requests.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys

LAUNCHER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_launch.py")


def _send(conn: socket.socket, msg: dict) -> None:
    try:
        conn.sendall((json.dumps(msg) + "\n").encode())
    except OSError:
        pass


def _read_request(conn: socket.socket) -> dict | None:
    conn.settimeout(10)
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    conn.settimeout(None)
    return json.loads(data)


def thread_count() -> int:
    """This process's threads, as the kernel counts them (native ones, OpenBLAS's included)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:  # no /proc: Python's own threads are all that can be seen
        import threading

        return threading.active_count()


def _become_kernel(req: dict, server_pid: int) -> None:
    """In the forked child: take the request's environment and folder, then run ipykernel as its launcher would."""
    for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    os.environ.clear()
    os.environ.update(req["env"])
    os.chdir(req["cwd"])
    # as ipykernel_launcher: the server's folder leaves sys.path; IPython's init_path adds the kernel's own ('')
    if sys.path and sys.path[0] in ("", os.getcwd(), req.get("server_cwd")):
        del sys.path[0]
    if "numpy" in sys.modules:  # a fresh process would seed numpy's global generator from the OS: so does this one
        sys.modules["numpy"].random.seed()
    from ipykernel.kernelapp import IPKernelApp

    # the kernel's parent is this server, not the build: ipykernel exits if the server goes away
    argv = [*req["argv"], f"--IPKernelApp.parent_handle={server_pid}"]
    IPKernelApp.launch_instance(argv=argv)


class _InKernel:
    kernel = None  # what libraries look for to tell a Jupyter kernel from a terminal


def serve(path: str) -> None:
    import ipykernel.kernelapp  # noqa: F401 - what every kernel imports first

    from .kernel import import_modules, warm_matplotlib

    # and what IPKernelApp.initialize imports in each kernel (the shell, the debugger, the history database)
    import_modules(["ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger", "sqlite3", "psutil"])

    # A module imported here is imported outside any kernel, and a few decide things on import by asking whether they
    # are: pandas sets its column limit by it (20 in a Jupyter kernel, "fit the terminal" elsewhere). While they
    # import, IPython's builtin ``get_ipython`` answers with something that has a kernel, as it would in one; the
    # builtin goes before any kernel starts (IPython installs its own). tests/test_isolation.py compares every
    # notebook's outputs with a cold build's: that is how this one was found.
    import builtins

    builtins.get_ipython = lambda: _InKernel()  # type: ignore[attr-defined]
    try:
        import_modules(os.environ.get("HELPERS_PRELOAD", "").split())
    finally:
        del builtins.get_ipython  # type: ignore[attr-defined]
    warm_matplotlib()
    import gc

    gc.freeze()  # the imported objects stay shared between the kernels (copy-on-write), not copied by the collector
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    server_pid, server_cwd = os.getpid(), os.getcwd()
    kernels: dict[socket.socket, int] = {}  # launcher connection -> kernel pid
    print("ready", flush=True)
    os.dup2(2, 1)  # the build reads only that line: kernels' own output goes where the build's errors go
    stdin = sys.stdin.fileno()
    try:
        while True:
            ready, _, _ = select.select([listener, stdin, *kernels], [], [], 0.05)
            if stdin in ready and not os.read(stdin, 1024):
                return  # the build is gone
            if listener in ready:
                conn, _ = listener.accept()
                try:
                    req = _read_request(conn)
                except (OSError, ValueError):
                    req = None
                if req is None:
                    conn.close()
                elif (threads := thread_count()) > 1:  # never fork a process with more than one thread
                    print(f"kernel server: {threads} threads, so no fork: the kernel starts the plain way", file=sys.stderr,
                          flush=True)  # fmt: skip
                    conn.close()
                else:
                    req["server_cwd"] = server_cwd
                    pid = os.fork()
                    if pid == 0:  # the kernel
                        code = 1
                        try:
                            listener.close()
                            conn.close()
                            for c in kernels:
                                c.close()
                            devnull = os.open(os.devnull, os.O_RDONLY)
                            os.dup2(devnull, 0)
                            _become_kernel(req, server_pid)
                            code = 0
                        except SystemExit as err:
                            code = err.code if isinstance(err.code, int) else 0
                        except BaseException:  # noqa: BLE001 - reported on stderr; the kernel did not start
                            import traceback

                            traceback.print_exc()
                        finally:
                            os._exit(code)
                    kernels[conn] = pid
                    _send(conn, {"pid": pid})
            for conn in [c for c in kernels if c in ready]:
                try:
                    gone = not conn.recv(1024)
                except OSError:
                    gone = True
                if gone:  # the launcher died: its kernel goes with it
                    _kill(kernels.pop(conn))
                    conn.close()
            _reap(kernels)
    finally:
        for conn, pid in kernels.items():
            _kill(pid)
            conn.close()
        listener.close()
        try:
            os.unlink(path)
        except OSError:
            pass


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _reap(kernels: dict[socket.socket, int]) -> None:
    """Tell each launcher whose kernel exited how it exited, and forget it."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        code = os.waitstatus_to_exitcode(status)
        for conn, kpid in list(kernels.items()):
            if kpid == pid:
                _send(conn, {"exit": code})
                conn.close()
                del kernels[conn]


if __name__ == "__main__":
    serve(sys.argv[1])
