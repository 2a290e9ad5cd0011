"""A second process that draws charts while this one works, and ends with it.

Importing matplotlib takes longer than everything else a board summary does, so
a worker process is forked as early as possible (send_plan.entry) to spend that
time in parallel, then draws each chart it is sent. The bytes are the same as when a
chart is drawn in this process, which is what happens without a second core,
without ``fork`` (Windows), when this process already runs threads (forking
then is unsafe), or whenever the worker fails: drawing never depends on it.

The worker's lifetime is bounded on every path (issue 13, item 19):

* It holds none of this process's files. Straight after the fork its standard
  input, output and error are ``/dev/null`` and every other descriptor is closed
  except its two pipes, so a script or CI step reading this command's output
  sees the end of it when this command exits, whatever the worker is doing.
* It ends when this process ends: :meth:`Worker.close` (called when a command
  finishes, and by :func:`close_all` on the way out, whatever the exit code)
  closes its pipes, ends it and reaps it. If this process dies without closing
  it (a signal, ``os._exit``), the worker sees the end of its job pipe, or its
  parent change (polled every :data:`POLL_SECONDS`), and exits; on Linux the
  kernel also tells it at once (``PR_SET_PDEATHSIG``).
* It ends by unwinding, so that what it holds is let go: SIGTERM (from
  :meth:`Worker.close`, from the kernel, or sent to itself when its job pipe
  ends) raises ``SystemExit`` in it, and every ``finally`` runs. This matters
  the first time a machine draws: matplotlib holds a lock file beside its font
  cache while it writes it, and a worker killed then would leave that lock for
  good, so that every matplotlib program after it waits five seconds for it and
  gives up saving the cache. Only a worker that has not ended
  :data:`GRACE_SECONDS` after being told is killed outright.
* Ctrl-C is for this process to handle: the worker ignores SIGINT and is closed.

Messages are pickles, each after its length, on two pipes. A reader thread in
the worker takes every job off its pipe as it comes, so neither side can block
the other by writing.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import struct
import threading
from collections.abc import Callable
from typing import Any

#: How often the worker checks that its parent is still there, in seconds.
POLL_SECONDS = 0.25
#: How long a worker told to end has to unwind before it is killed, in seconds.
GRACE_SECONDS = 2.0

_HEADER = struct.Struct(">Q")
_READ_CHUNK = 1 << 20


def _write(fd: int, data: bytes) -> None:
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exactly(fd: int, size: int) -> bytes | None:
    """``size`` bytes from ``fd``; None at the end of the pipe."""
    chunks = []
    while size:
        chunk = os.read(fd, min(size, _READ_CHUNK))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _read(fd: int) -> bytes | None:
    """One message; None when the other end has closed the pipe."""
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    return _read_exactly(fd, _HEADER.unpack(header)[0])


# --------------------------------------------------------------------------- the worker


def _detach(*keep: int) -> list[int]:
    """Give up every file of the parent but ``keep``: the standard three become
    /dev/null, all else is closed. Returns where ``keep`` now are (moved above 2
    when the parent had closed a standard descriptor and a pipe took its place)."""
    import fcntl

    kept = [fcntl.fcntl(fd, fcntl.F_DUPFD, 3) if fd < 3 else fd for fd in keep]
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        if fd != null:
            os.dup2(null, fd)
    start = 3
    for fd in sorted(kept):
        os.closerange(start, fd)
        start = fd + 1
    try:
        top = os.sysconf("SC_OPEN_MAX")
    except (OSError, ValueError):
        top = 65536
    os.closerange(start, max(top, start))
    return kept


def _die_with(parent: int) -> None:
    """On Linux, have the kernel kill this process when its parent dies."""
    import signal
    import sys

    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # it died before that took effect
        os._exit(0)


def _fork(serve: Callable[[int, int, int], None]) -> tuple[int, int, int] | None:
    """Fork a process that runs ``serve(jobs, replies, parent)`` on its own two
    pipes, holding no other file of this one; (pid, jobs, replies) for this side,
    or None when it cannot be forked."""
    jobs_r, jobs_w = os.pipe()
    replies_r, replies_w = os.pipe()
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        for fd in (jobs_r, jobs_w, replies_r, replies_w):
            os.close(fd)
        return None
    if pid == 0:  # the new process: it never returns from here
        try:
            jobs, replies = _detach(jobs_r, replies_w)
            serve(jobs, replies, parent)
        finally:
            os._exit(0)
    os.close(jobs_r)
    os.close(replies_w)
    return pid, jobs_w, replies_r


def _receive(fd: int, jobs: Any, parent: int) -> None:
    """The worker's reader thread: every job into ``jobs``; the process ends when
    the parent closes the pipe or is gone (an empty job, and SIGTERM for a
    worker still warming up)."""
    import select
    import signal

    try:
        while os.getppid() == parent:
            ready, _, _ = select.select([fd], [], [], POLL_SECONDS)
            if ready:
                message = _read(fd)
                if message is None:
                    break
                jobs.put(message)
    finally:
        jobs.put(b"")
        os.kill(os.getpid(), signal.SIGTERM)


def _unwind(signum: int, frame: object) -> None:
    """SIGTERM in the worker: end by unwinding (once: a second one while it does
    so must not cut short the ``finally`` it is running)."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(0)


def _draw(message: bytes) -> bytes:
    """One job done: the reply to send (None for the bytes when drawing failed:
    the parent then draws that chart itself)."""
    import pickle

    from send_plan.render.glyphs import captured

    number, function, args = pickle.loads(message)
    reply: tuple[int, bytes | None, set[str]]
    try:
        with captured() as missing:
            reply = (number, bytes(function(*args)), missing)
    except Exception:
        reply = (number, None, set())
    return pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)


def _serve(
    jobs_fd: int, replies_fd: int, parent: int, warm: Callable[[], None] | None = None
) -> None:
    """A worker's life: warm up, then draw each job and send back the bytes and
    the characters the font lacked."""
    import queue
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _unwind)
    _die_with(parent)
    jobs: queue.SimpleQueue[bytes] = queue.SimpleQueue()
    threading.Thread(target=_receive, args=(jobs_fd, jobs, parent), daemon=True).start()
    if warm is not None:
        from send_plan.render.glyphs import captured

        with contextlib.suppress(Exception), captured():
            warm()
    while job := jobs.get():
        _write(replies_fd, _draw(job))


# --------------------------------------------------------------------------- this side


def can_fork() -> bool:
    """Whether a worker is worth starting, and safe to fork, here and now."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


_LIVE: set[Worker] = set()


class Worker:
    """Draws in a second process when it can, else here: ``submit`` returns a
    function that gives the chart's bytes when they are needed."""

    def __init__(self, warm: Callable[[], None] | None = None, *, parallel: bool = True) -> None:
        self._pid = 0
        self._jobs = self._replies = -1
        self._next = 0
        self._kept: dict[int, tuple[bytes | None, set[str]]] = {}
        #: the characters each chart's font lacked, by the chart's label
        self._missing: dict[str, set[str]] = {}
        if parallel and can_fork():
            self._start(warm)

    def _start(self, warm: Callable[[], None] | None) -> None:
        import functools

        forked = _fork(functools.partial(_serve, warm=warm))
        if forked is not None:
            self._pid, self._jobs, self._replies = forked
            _LIVE.add(self)

    @property
    def pid(self) -> int | None:
        """The worker's process id while it runs; None when drawing here."""
        return self._pid or None

    def submit(self, label: str, function: Callable[..., bytes], *args: Any) -> Callable[[], bytes]:
        """Draw ``function(*args)``; ``label`` names the chart in notes."""
        number = self._send(function, args)
        taken: list[bytes] = []

        def result() -> bytes:
            if not taken:
                taken.append(self._take(number, label, function, args))
            return taken[0]

        return result

    def _send(self, function: Callable[..., bytes], args: tuple[Any, ...]) -> int | None:
        if not self._pid:
            return None
        import pickle

        number, self._next = self._next, self._next + 1
        try:
            _write(self._jobs, pickle.dumps((number, function, args), pickle.HIGHEST_PROTOCOL))
        except (OSError, pickle.PicklingError, AttributeError, TypeError):
            self.close()  # the worker is gone, or the job cannot travel: draw here
            return None
        return number

    def _take(
        self, number: int | None, label: str, function: Callable[..., bytes], args: tuple[Any, ...]
    ) -> bytes:
        data, missing = self._receive(number) if number is not None else (None, set())
        if data is None:
            from send_plan.render.glyphs import captured

            with captured() as missing:
                data = bytes(function(*args))
        self._missing.setdefault(label, set()).update(missing)
        return data

    def _receive(self, number: int) -> tuple[bytes | None, set[str]]:
        import pickle

        while number not in self._kept:
            message = None
            if self._pid:
                with contextlib.suppress(OSError):
                    message = _read(self._replies)
            if message is None:  # the worker has ended: this chart is drawn here
                self.close()
                return None, set()
            done, data, missing = pickle.loads(message)
            self._kept[done] = (data, missing)
        return self._kept.pop(number)

    def notes(self) -> tuple[str, ...]:
        """One line per chart taken whose font lacked some of its characters."""
        from send_plan.render.glyphs import note

        lines = (note(label, chars) for label, chars in self._missing.items())
        return tuple(line for line in lines if line)

    def close(self) -> None:
        """End the worker now (charts not yet taken are then drawn here)."""
        pid, self._pid = self._pid, 0
        _LIVE.discard(self)
        if not pid:
            return
        for fd in (self._jobs, self._replies):
            with contextlib.suppress(OSError):
                os.close(fd)
        _end(pid)

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _end(pid: int) -> None:
    """Tell the worker to end (it would on seeing its pipe closed, too), give it
    :data:`GRACE_SECONDS` to unwind, then kill it; it is reaped before this returns."""
    import signal
    import time

    with contextlib.suppress(OSError):
        if os.waitpid(pid, os.WNOHANG)[0] != 0:
            return  # it has ended already
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        pause = 0.001
        while os.waitpid(pid, os.WNOHANG)[0] == 0:
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return
            time.sleep(pause)
            pause = min(pause * 2, 0.02)


def close_all() -> None:
    """End every worker still running (the command line calls this on its way out,
    whatever the exit code, as its exit skips interpreter teardown)."""
    for worker in list(_LIVE):
        worker.close()


atexit.register(close_all)  # for programs that end in the ordinary way


def warm_matplotlib() -> None:
    """What every chart needs, imported in the worker while the command reads the plans."""
    from matplotlib.backends import backend_agg, backend_svg  # noqa: F401
    from matplotlib.figure import Figure  # noqa: F401


_early: Worker | None = None


def start_early() -> None:
    """Fork the worker before anything else is imported (send_plan.entry)."""
    global _early
    if _early is None:
        _early = Worker(warm_matplotlib)


def take_early() -> Worker | None:
    """The worker started early, if any (once: the caller now owns it)."""
    global _early
    worker, _early = _early, None
    return worker
