"""The per-container shim: runs `crun run` in the foreground, writes the container's
stdout and stderr to its log file in the CRI format the kubelet reads
(`<RFC3339Nano> <stream> <P|F> <text>`), records the exit status in a file, and keeps the
container's streams for `kubectl attach`.

It is a separate, detached process (as conmon and containerd-shim are) so containers and
their logs survive a restart of the node agent, which finds them again by their files.
One runs per container and it is on the path of every pod start, so it starts cheaply:
the agent runs it by file path with `python -S -E -s` (no site packages, no `pyk8s`
package), and it imports only small standard modules (no argparse, json, re, subprocess or
datetime: each costs milliseconds a loaded node multiplies) and `pyk8s/node/crilog.py`, the
CRI log writer both shims share (as the top-level module `crilog`, from the directory above
its own). It first closes every file descriptor it inherited beyond stdio (the agent's
event loop may leak some into children: pipes held open here would keep the agent waiting
for their end).

    python -S -E -s shim.py --id ID --bundle DIR --root DIR --log FILE --exit-file FILE
                            [--crun PATH] [--hide-unified] [--attach-socket NAME]
                            [--stdin] [--stdin-once] [--terminal | --no-terminal]

(`--terminal` says the bundle's process has a terminal; without either flag the shim reads
that from the bundle's config.json. With `--hide-unified` the shim moves itself into a
private mount namespace without the cgroup2 mount and runs crun directly.)

Attach: with `--attach-socket`, the shim listens on that unix socket (a name inside the
bundle directory, so long paths do not matter) and streams live output to every client
(nothing is replayed: earlier output is in the log). Frames in both directions are one
kind byte, a 4-byte big-endian length and the payload: STDOUT/STDERR from the shim;
STDIN, RESIZE (width, height as two big-endian uint16) and CLOSE_STDIN from a client. With
`--stdin` crun gets a stdin pipe the shim holds (Kubernetes' `stdin: true`); with
`--stdin-once` it is closed when the first client that used stdin leaves. A container
whose spec asks for a terminal gets one through crun's console socket; its single output
stream is logged as stdout, and stdin and resizes go to the terminal.
"""

from __future__ import annotations

import os
import selectors
import signal
import socket
import struct
import sys
from collections.abc import Callable

if __package__:  # imported as part of pyk8s (the agent, tests)
    from pyk8s.node.crilog import LogWriter, timestamp
else:  # run by path: no pyk8s package, but its node directory holds the log writer
    sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from crilog import LogWriter, timestamp

HIDE_UNIFIED = 'umount -l /sys/fs/cgroup/unified 2>/dev/null; exec "$0" "$@"'

CLONE_NEWNS, MS_REC, MS_PRIVATE, MNT_DETACH = 0x00020000, 0x4000, 0x40000, 2
UNIFIED_CGROUP = b"/sys/fs/cgroup/unified"

ATTACH_SOCKET = "attach.sock"
CONSOLE_SOCKET = "console.sock"
FRAME = struct.Struct(">BI")  # kind, payload length
STDIN, STDOUT, STDERR, RESIZE, CLOSE_STDIN = 0, 1, 2, 4, 255
CLIENT_BUFFER_LIMIT = 4 << 20  # an attached client this far behind is dropped, never waited for
PENDING_POLL = 0.05  # select timeout while bytes wait to be written
CONSOLE_WAIT = 10.0  # for crun to pass the terminal once it has connected


def crun_command(crun: str, root: str, hide_unified: bool, *args: str) -> list[str]:
    """A crun invocation; on hosts with a hybrid cgroup layout it runs in a private mount
    namespace without the cgroup2 mount, which crun refuses to work beside."""
    command = [crun, "--root", root, *args]
    if hide_unified:
        return ["unshare", "--mount", "--propagation", "private", "sh", "-c", HIDE_UNIFIED, *command]
    return command


class suppress:  # contextlib.suppress' name: importing contextlib costs the start-up more
    """Ignore the given exceptions in a `with` block."""

    def __init__(self, *errors: type[BaseException]) -> None:
        self.errors = errors

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> bool:
        return kind is not None and issubclass(kind, self.errors)


def hide_unified_cgroup() -> bool:
    """Move this process into a private mount namespace without the cgroup2 mount, as
    `crun_command` does with `unshare` and `sh` around crun (two processes fewer per
    container; the shim lives exactly as long as that namespace did). False when it could
    not: the caller then wraps crun as before."""
    import ctypes  # only on hybrid cgroup hosts; the library lookup is the interpreter's own

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNS) != 0:
        return False
    if libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        return False  # the namespace stays, unused: crun is wrapped in another one
    libc.umount2(UNIFIED_CGROUP, MNT_DETACH)  # already absent is fine
    return True


def frame(kind: int, payload: bytes = b"") -> bytes:
    """One attach-socket frame."""
    return FRAME.pack(kind, len(payload)) + payload


def set_window_size(fd: int, width: int, height: int) -> None:
    """Resize the terminal whose master is `fd`."""
    import fcntl  # only containers with a terminal need these
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))


def exit_document(code: int, finished_at: str) -> str:
    """The exit file's JSON for crun's exit status `code` (written by hand: its fields are
    numbers and a timestamp, and importing json costs the shim's start-up more)."""
    if code < 0:  # crun itself was killed
        fields = {"exitCode": 128 - code, "signal": -code}
    elif code > 128:  # crun reports a container killed by signal N as 128+N
        fields = {"exitCode": code, "signal": code - 128}
    else:
        fields = {"exitCode": code}
    return "{" + "".join(f'"{k}": {v}, ' for k, v in fields.items()) + f'"finishedAt": "{finished_at}"}}'


def write_file(path: str, text: str) -> None:
    """Replace `path` with `text` in one rename."""
    tmp = f"{path}.tmp"
    with open(tmp, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)


class Options:
    """The shim's command line (parsed by hand: argparse alone costs more than the rest of
    the shim's imports)."""

    VALUES = ("id", "bundle", "root", "log", "exit-file", "crun", "attach-socket")
    FLAGS = ("hide-unified", "stdin", "stdin-once")

    def __init__(self, argv: list[str]) -> None:
        self.id = self.bundle = self.root = self.log = self.exit_file = ""
        self.crun = "crun"
        self.attach_socket = ""
        self.hide_unified = self.stdin = self.stdin_once = False
        self.terminal: bool | None = None  # None: read it from the bundle's config.json
        items = iter(argv)
        for item in items:
            name, has_value, value = item.removeprefix("--").partition("=")
            attr = name.replace("-", "_")
            if not item.startswith("--"):
                raise ValueError(f"unexpected argument {item!r}")
            if name in self.VALUES:
                if not has_value:
                    value = next(items, None)  # type: ignore[assignment]
                    if value is None:
                        raise ValueError(f"--{name} needs a value")
                setattr(self, attr, value)
            elif name in self.FLAGS and not has_value:
                setattr(self, attr, True)
            elif name in ("terminal", "no-terminal") and not has_value:
                self.terminal = name == "terminal"
            else:
                raise ValueError(f"unknown option {item!r}")
        missing = [
            n for n in ("id", "bundle", "root", "log", "exit-file") if not getattr(self, n.replace("-", "_"))
        ]
        if missing:
            raise ValueError("missing " + ", ".join(f"--{n}" for n in missing))


class Child:
    """crun, started with `posix_spawn` (cheaper than importing subprocess, and than fork
    for a Python process); the shim is its parent and reaps it."""

    def __init__(self, command: list[str], stdin: bool) -> None:
        self.returncode: int | None = None
        stdin_r, self.stdin = os.pipe() if stdin else (os.open(os.devnull, os.O_RDONLY), None)
        self.stdout, stdout_w = os.pipe()
        self.stderr, stderr_w = os.pipe()
        actions = [
            (os.POSIX_SPAWN_DUP2, stdin_r, 0),
            (os.POSIX_SPAWN_DUP2, stdout_w, 1),
            (os.POSIX_SPAWN_DUP2, stderr_w, 2),
        ]
        try:
            # Python ignores SIGPIPE and SIGXFSZ for itself; crun and the container get the
            # defaults back, as subprocess' restore_signals gives them.
            self.pid = os.posix_spawnp(
                command[0],
                command,
                os.environ,
                file_actions=actions,
                setsigdef=(signal.SIGPIPE, signal.SIGXFSZ),
            )
        finally:
            for fd in (stdin_r, stdout_w, stderr_w):
                os.close(fd)

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode


class AttachClient:
    """One connection on the attach socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.inbox = bytearray()
        self.outbox = bytearray()
        self.used_stdin = False


class Shim:
    """The shim's event loop: container output to the log and to attached clients,
    clients' input to the container."""

    def __init__(self, args: Options) -> None:
        self.args = args
        self.selector = selectors.DefaultSelector()
        self.outputs: dict[int, tuple[LogWriter, int]] = {}  # fd -> (log writer, frame kind)
        self.clients: dict[int, AttachClient] = {}
        self.stdin_fd: int | None = None  # the container's stdin: a pipe or the terminal
        self.stdin_pending = bytearray()
        self.stdin_closing = False
        self.terminal_fd: int | None = None
        self.console: socket.socket | None = None

    def run(self) -> int:
        args = self.args
        for name in ("bundle", "root", "log", "exit_file"):
            setattr(args, name, os.path.abspath(getattr(args, name)))
        os.chdir(args.bundle)  # the sockets are named relative to the bundle directory
        log_fd = os.open(args.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
        terminal = args.terminal if args.terminal is not None else _wants_terminal()
        listener = self._listen(args.attach_socket) if args.attach_socket else None
        extra: list[str] = []
        if terminal:
            self.console = self._listen(CONSOLE_SOCKET)
            extra = ["--console-socket", CONSOLE_SOCKET]
        hidden = args.hide_unified and hide_unified_cgroup()
        command = crun_command(
            args.crun,
            args.root,
            args.hide_unified and not hidden,
            "run",
            *extra,
            "--bundle",
            args.bundle,
            args.id,
        )
        proc = Child(command, stdin=args.stdin and not terminal)
        # The agent stops containers through crun; the shim itself outlives such signals.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if proc.stdin is not None:
            self.stdin_fd = proc.stdin
            os.set_blocking(self.stdin_fd, False)
        self._add_output(proc.stdout, LogWriter(log_fd, "stdout"), STDOUT)
        self._add_output(proc.stderr, LogWriter(log_fd, "stderr"), STDERR)
        if listener is not None:
            self.selector.register(listener, selectors.EVENT_READ, lambda: self._accept(listener))
        if self.console is not None:
            console = self.console
            self.selector.register(
                console, selectors.EVENT_READ, lambda: self._take_terminal(console, log_fd)
            )
        while self.outputs or (self.console is not None and proc.poll() is None):
            busy = bool(self.stdin_pending) or any(c.outbox for c in self.clients.values())
            for key, _ in self.selector.select(PENDING_POLL if busy or self.console else None):
                callback: Callable[[], None] = key.data
                callback()
            self._flush()
        code = proc.wait()
        self._write_exit(code)
        os.close(log_fd)
        self._close_clients()
        if listener is not None:
            listener.close()
            with suppress(OSError):
                os.unlink(args.attach_socket)
        return 0

    # setup

    @staticmethod
    def _listen(name: str) -> socket.socket:
        with suppress(FileNotFoundError):
            os.unlink(name)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(name)
        os.chmod(name, 0o600)
        sock.listen(16)
        sock.setblocking(False)
        return sock

    def _add_output(self, fd: int, writer: LogWriter, kind: int) -> None:
        os.set_blocking(fd, False)
        self.outputs[fd] = (writer, kind)
        self.selector.register(fd, selectors.EVENT_READ, lambda: self._read_output(fd))

    def _take_terminal(self, console: socket.socket, log_fd: int) -> None:
        """crun hands over the terminal's master end on the console socket."""
        try:
            conn, _ = console.accept()
        except BlockingIOError:
            return
        fds: list[int] = []
        with conn:
            conn.settimeout(CONSOLE_WAIT)  # a crun that connects and sends nothing
            with suppress(OSError):
                _, fds, _, _ = socket.recv_fds(conn, 16, 1)
        self.selector.unregister(console)
        console.close()
        self.console = None
        with suppress(OSError):
            os.unlink(CONSOLE_SOCKET)
        if not fds:
            return
        self.terminal_fd = fds[0]
        if self.args.stdin:
            self.stdin_fd = self.terminal_fd
        self._add_output(self.terminal_fd, LogWriter(log_fd, "stdout"), STDOUT)

    # container output

    def _read_output(self, fd: int) -> None:
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            return
        except OSError:  # EIO: the terminal's last user is gone
            data = b""
        writer, kind = self.outputs[fd]
        if data:
            writer.feed(data)
            self._broadcast(frame(kind, data))
            return
        writer.close()
        self.selector.unregister(fd)
        del self.outputs[fd]

    def _broadcast(self, data: bytes) -> None:
        for client in list(self.clients.values()):
            client.outbox += data
            if len(client.outbox) > CLIENT_BUFFER_LIMIT:
                self._drop(client)

    # attach clients

    def _accept(self, listener: socket.socket) -> None:
        try:
            sock, _ = listener.accept()
        except BlockingIOError:
            return
        sock.setblocking(False)
        client = AttachClient(sock)
        self.clients[sock.fileno()] = client
        self.selector.register(sock, selectors.EVENT_READ, lambda: self._read_client(client))

    def _read_client(self, client: AttachClient) -> None:
        try:
            data = client.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._drop(client)
            return
        client.inbox += data
        while len(client.inbox) >= FRAME.size:
            kind, length = FRAME.unpack_from(client.inbox)
            if len(client.inbox) < FRAME.size + length:
                break
            payload = bytes(client.inbox[FRAME.size : FRAME.size + length])
            del client.inbox[: FRAME.size + length]
            self._client_frame(client, kind, payload)

    def _client_frame(self, client: AttachClient, kind: int, payload: bytes) -> None:
        if kind == STDIN:
            client.used_stdin = True  # an empty STDIN frame says "this session has stdin"
            if self.stdin_fd is not None and not self.stdin_closing:
                self.stdin_pending += payload
        elif kind == RESIZE and self.terminal_fd is not None and len(payload) == 4:
            width, height = struct.unpack(">HH", payload)
            with suppress(OSError):
                set_window_size(self.terminal_fd, width, height)
        elif kind == CLOSE_STDIN and client.used_stdin and self.args.stdin_once:
            self._close_stdin()

    def _drop(self, client: AttachClient) -> None:
        fd = client.sock.fileno()
        if self.clients.pop(fd, None) is None:
            return
        with suppress(KeyError, ValueError):
            self.selector.unregister(client.sock)
        client.sock.close()
        if client.used_stdin and self.args.stdin_once:
            self._close_stdin()

    def _close_stdin(self) -> None:
        self.stdin_closing = True

    def _flush(self) -> None:
        for client in list(self.clients.values()):
            if not client.outbox:
                continue
            try:
                sent = client.sock.send(client.outbox)
            except BlockingIOError:
                continue
            except OSError:
                self._drop(client)
                continue
            del client.outbox[:sent]
        if self.stdin_fd is None:
            return
        if self.stdin_pending:
            try:
                written = os.write(self.stdin_fd, self.stdin_pending)
                del self.stdin_pending[:written]
            except BlockingIOError:
                return
            except OSError:  # the container closed its stdin: what is left is dropped
                self.stdin_pending.clear()
        if self.stdin_closing and not self.stdin_pending:
            if self.stdin_fd == self.terminal_fd:
                with suppress(OSError):
                    os.write(self.stdin_fd, b"\x04")  # end of input on a terminal is ^D
            else:
                os.close(self.stdin_fd)
            self.stdin_fd = None

    def _close_clients(self) -> None:
        for client in list(self.clients.values()):
            with suppress(OSError):
                client.sock.setblocking(True)
                client.sock.settimeout(1.0)
                client.sock.sendall(client.outbox)
            client.sock.close()
        self.clients.clear()

    # the end

    def _write_exit(self, code: int) -> None:
        write_file(self.args.exit_file, exit_document(code, timestamp()))


def _wants_terminal() -> bool:
    """Whether the bundle's process asks for a terminal (Kubernetes' `tty: true`), for a
    caller that did not say."""
    import json

    try:
        with open("config.json") as handle:
            return bool(json.load(handle).get("process", {}).get("terminal"))
    except (OSError, ValueError, AttributeError):
        return False


def _max_fd() -> int:
    try:
        return int(os.sysconf("SC_OPEN_MAX"))
    except (OSError, ValueError):
        return 65536


def main(argv: list[str] | None = None) -> int:
    try:
        options = Options(sys.argv[1:] if argv is None else argv)
    except ValueError as err:
        print(f"pyk8s-shim: {err}", file=sys.stderr)
        return 2
    if argv is None:  # a process of its own (not a test calling in): drop inherited fds
        os.closerange(3, _max_fd())
    return Shim(options).run()


if __name__ == "__main__":
    sys.exit(main())
