"""The process jupyter_client starts for a forked kernel (``zygote``): ask the server for a kernel, then stand for it.

Run by path with ``python -I -S``: the standard library only, so it starts in a few milliseconds. Arguments: the
server's socket, then the kernel's own arguments (``-f CONNECTION_FILE ...``). The environment and working directory
jupyter_client gave this process are the kernel's. Signals sent to this process (an interrupt, a terminate) go to
the kernel; it exits with the kernel's exit code, and if it is killed the server kills the kernel.
"""

import json
import os
import signal
import socket
import sys


def main() -> int:
    path, argv = sys.argv[1], sys.argv[2:]
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
    except OSError as err:  # the build then starts this notebook's kernel the plain way
        print(f"kernel server at {path} unreachable ({err.strerror}); starting a plain kernel", file=sys.stderr)
        return 1
    conn.sendall((json.dumps({"argv": argv, "env": dict(os.environ), "cwd": os.getcwd()}) + "\n").encode())
    reader = conn.makefile("r", encoding="utf-8")
    first = reader.readline()
    if not first:
        print("kernel server: no kernel was started", file=sys.stderr)
        return 1
    pid = json.loads(first)["pid"]

    def forward(signum, _frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, forward)
    while True:
        try:
            line = reader.readline()
        except InterruptedError:
            continue
        if not line:
            return 1  # the server went away; so did the kernel
        msg = json.loads(line)
        if "exit" in msg:
            code = msg["exit"]
            return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
