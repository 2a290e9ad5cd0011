"""The one place that writes files: atomically, and never over a file unasked."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from send_plan.errors import PathError, RefusedOverwrite


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    The file appears whole or not at all: an interrupted or failed write leaves
    any earlier file untouched and no temporary file behind.
    """
    if path.is_dir():
        raise PathError(f"{path}: is a folder; give a file name")
    if path.exists() and not force:
        raise RefusedOverwrite(f"{path} already exists; use --force to replace it")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise PathError(f"{path}: the folder {folder} does not exist")
    tmp_name: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "wb", dir=folder, prefix=f".{path.name}.", suffix=".tmp", delete=False
        ) as tmp:
            tmp_name = tmp.name
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, _mode(path))
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise PathError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _mode(path: Path) -> int:
    """The mode a new file gets from the umask, or the mode of the file replaced."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
