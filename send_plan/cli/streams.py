"""Standard output and standard error that fail in one known way, for the console script.

A command line tool's streams can be closed (``send-plan status >&-``), a pipe
whose reader has gone (``send-plan status | head -1``), a full disk
(``> /dev/full``) or a file under a size limit (``ulimit -f``). Python meets each
with a different exception from deep inside whatever was printing (Rich, Typer,
a ``write`` of our own), or with ``sys.stdout`` set to None. Here the console
script swaps in streams over the same file descriptors whose writes never raise:

* standard output that cannot be written keeps the first error and drops what
  follows; at the end :func:`finish` reports it in one line and exit status 2,
  except a reader that stopped early (EPIPE), which is not an error at all: the
  rest of the output is dropped and the command's own exit status stands;
* standard error that cannot be written drops the message: there is nowhere
  left to say anything, and the exit status still tells.

See docs/limits.md ("Standard output and standard error").
"""

from __future__ import annotations

import errno
import io
import os
import sys
from typing import TextIO


class _Guarded(io.RawIOBase):
    """One standard stream's file descriptor (None: closed); a write never raises."""

    def __init__(self, fd: int | None) -> None:
        super().__init__()
        self.fd = fd
        self.error: OSError | None = None

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        if self.fd is None:
            raise io.UnsupportedOperation("the stream is closed")
        return self.fd

    def isatty(self) -> bool:
        try:
            return self.fd is not None and os.isatty(self.fd)
        except OSError:
            return False

    def write(self, data: object) -> int:
        view = memoryview(data).cast("B")  # type: ignore[arg-type]
        size = view.nbytes
        if self.error is not None:
            return size  # failed once: the rest is dropped
        if self.fd is None:
            self.error = OSError(errno.EBADF, os.strerror(errno.EBADF))
            return size
        while view:
            try:
                view = view[os.write(self.fd, view) :]
            except InterruptedError:
                continue
            except BlockingIOError:  # a non-blocking pipe that is full: wait for it
                import select

                select.select([], [self.fd], [])
            except OSError as exc:
                self.error = exc
                break
        return size


class _State:
    stdout: _Guarded | None = None


_state = _State()


def install() -> None:
    """Put guarded streams in place of ``sys.stdout`` and ``sys.stderr``.

    A descriptor that was closed when the program started (Python then sets the
    stream to None) and is still closed gets ``/dev/null``, so that no file the
    program opens later takes its number and no child process inherits a hole;
    the stream itself stays closed. SIGXFSZ is ignored (CPython does so already)
    so that a file-size limit is an error from ``write``, never a killed process.
    """
    import signal

    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    if sys.stdin is None:
        _fill(0, os.O_RDONLY)
    out = _Guarded(_descriptor(sys.stdout, 1))
    _state.stdout = out
    sys.stdout = _text(out, sys.stdout, line_buffering=False)
    sys.stderr = _text(_Guarded(_descriptor(sys.stderr, 2)), sys.stderr, line_buffering=True)


def finish(code: int) -> int:
    """Flush both streams; the exit status, 2 when standard output failed."""
    sys.stdout.flush()
    out = _state.stdout
    if out is not None and out.error is not None and out.error.errno != errno.EPIPE:
        reason = out.error.strerror or str(out.error)
        sys.stderr.write(f"send-plan: error: cannot write to standard output: {reason}\n")
        code = 2  # errors.EXIT_USAGE, as for any file that cannot be written
    sys.stderr.flush()
    return code


def _descriptor(stream: TextIO | None, fd: int) -> int | None:
    """The descriptor behind a standard stream, or None when it was closed."""
    if stream is None:
        _fill(fd, os.O_WRONLY)
        return None
    try:
        return stream.fileno()
    except (OSError, ValueError):
        return None


def _fill(fd: int, flags: int) -> None:
    """Open ``/dev/null`` as ``fd`` when ``fd`` is closed (and leave it alone when
    something opened since start-up already holds that number)."""
    try:
        os.fstat(fd)
        return
    except OSError:
        pass
    try:
        null = os.open(os.devnull, flags)
    except OSError:
        return
    if null != fd:
        os.dup2(null, fd)
        os.close(null)


def _text(raw: _Guarded, like: TextIO | None, *, line_buffering: bool) -> TextIO:
    """A text stream over ``raw`` that encodes as the stream it replaces did."""
    encoding = getattr(like, "encoding", None) or "utf-8"
    errors = getattr(like, "errors", None) or "strict"
    line_buffering = line_buffering or bool(getattr(like, "line_buffering", False))
    return io.TextIOWrapper(
        io.BufferedWriter(raw),
        encoding=encoding,
        errors=errors,
        line_buffering=line_buffering,
    )
