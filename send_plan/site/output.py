"""Writing a folder whole or not at all, as a careful tool does.

The site is written into a new temporary folder beside the target (so that the
final step is a rename on one file system), every file flushed to disk, and only
then renamed into place. With ``force``, a non-empty target is first renamed
aside, the new folder renamed in, and the old one removed; if the swap fails the
old folder is put back. Nothing half-written is ever left under the target's name.

``force`` replaces a folder, so it refuses what no site should replace: a folder
that holds the plan files read, the current folder or one above it, or a git
repository.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from send_plan.errors import PathError
from send_plan.files import refuse_folder


def check_target(folder: Path, *, force: bool, keep: Iterable[Path] = ()) -> None:
    """Refuse a target that cannot or must not be replaced (the one check of
    :func:`send_plan.files.refuse_folder`); commands call it before any work, and
    :func:`write_folder` again just before writing."""
    refuse_folder(folder, force=force, reading=keep)


def _safe(relative: str) -> PurePosixPath:
    path = PurePosixPath(relative)
    if path.is_absolute() or not path.parts or any(p in ("", ".", "..") for p in path.parts):
        raise PathError(f"{relative}: not a file name inside the site")
    return path


def _umask_mode(mode: int) -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mode & ~mask


def _fill(folder: Path, files: Mapping[str, bytes]) -> None:
    for relative, data in files.items():
        path = folder.joinpath(*_safe(relative).parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())


def write_folder(
    folder: Path, files: Mapping[str, bytes], *, force: bool = False, keep: Iterable[Path] = ()
) -> None:
    """Write ``files`` (relative posix path -> bytes) as the folder ``folder``."""
    keep = list(keep)
    check_target(folder, force=force, keep=keep)
    parent = folder.parent
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise PathError(f"{folder}: cannot write in {parent}: {exc.strerror or exc}") from None
    old: Path | None = None
    try:
        os.chmod(tmp, _umask_mode(0o777))
        _fill(tmp, files)
        check_target(folder, force=force, keep=keep)  # nothing changed while we worked
        if folder.exists() and any(folder.iterdir()):
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old", dir=parent))
            os.replace(folder, old)  # onto the empty folder just made
            try:
                os.rename(tmp, folder)
            except OSError:
                os.replace(old, folder)
                old = None
                raise
        elif folder.exists():
            os.replace(tmp, folder)  # a rename onto an empty folder
        else:
            os.rename(tmp, folder)
    except OSError as exc:
        raise PathError(f"{folder}: cannot write: {exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    if old is not None:
        with contextlib.suppress(OSError):
            shutil.rmtree(old)
