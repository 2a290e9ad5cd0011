"""Files on disk: finding and reading plan files, and the one atomic writer.

Reading: ``discover`` finds plan files under the paths given (files as given,
folders searched recursively); ``read_bytes`` reads one within the size limit.
Writing: ``write_atomic`` writes a file whole or not at all; ``refuse_existing``
is the one check that an output would replace something the user has;
``write_folder_atomic`` and ``refuse_folder`` do the same for a folder of outputs.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from send_plan.errors import PathError, RefusedOverwrite
from send_plan.findings import Finding
from send_plan.limits import MAX_FILE_BYTES

PLAN_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class PlanPath:
    """A plan file found on disk: where it is, and how to name it to the user."""

    path: Path
    name: str


def discover(paths: Sequence[Path]) -> tuple[list[PlanPath], list[Finding]]:
    """Every plan file under ``paths``: files as given, folders searched recursively.

    A path that does not exist is a :class:`PathError`. A file reached through a
    symbolic link that leads outside its folder is skipped with a warning.
    """
    found: list[PlanPath] = []
    skipped: list[Finding] = []
    seen: set[Path] = set()
    for given in paths:
        if not given.exists():
            raise PathError(f"{given}: no such file or folder")
        if given.is_file():
            candidates: Iterable[tuple[Path, str]] = [(given, given.as_posix())]
            root = None
        elif given.is_dir():
            candidates = _walk(given)
            root = given.resolve()
        else:
            raise PathError(f"{given}: not a file or folder")
        for path, name in candidates:
            real = path.resolve()
            if real in seen:
                continue
            seen.add(real)
            if root is not None and path.is_symlink() and not real.is_relative_to(root):
                skipped.append(
                    Finding(
                        name,
                        1,
                        1,
                        "W210",
                        f"skipped: this link leads outside {given.as_posix()} (to {real})",
                    )
                )
                continue
            found.append(PlanPath(path, name))
    return found, skipped


def _walk(folder: Path) -> Iterator[tuple[Path, str]]:
    base = folder.as_posix().rstrip("/")
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in sorted(filenames):
            if filename.startswith(".") or not filename.lower().endswith(PLAN_SUFFIXES):
                continue
            path = Path(dirpath, filename)
            if not path.is_file():  # a dangling link or a special file
                continue
            rel = path.relative_to(folder).as_posix()
            yield path, (rel if base == "." else f"{base}/{rel}")


def read_bytes(plan_path: PlanPath) -> bytes:
    try:
        size = plan_path.path.stat().st_size
        if size > MAX_FILE_BYTES:
            return b""  # refused by load_text below, without reading it
        return plan_path.path.read_bytes()
    except OSError as exc:
        raise PathError(f"{plan_path.name}: cannot read: {exc.strerror or exc}") from None


# --------------------------------------------------------------------------- writing


def refuse_existing(path: Path, *, force: bool = False) -> None:
    """The one check before an output is written: never a folder, and never a file
    that exists unless ``force`` is given. Commands call it before any work, so a
    refusal costs nothing; the writer calls it again at the moment of writing."""
    if path.is_dir():
        raise PathError(f"{path}: is a folder; give a file name")
    if path.exists() and not force:
        raise RefusedOverwrite(f"{path} already exists; use --force to replace it")


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    The file appears whole or not at all: an interrupted or failed write leaves
    any earlier file untouched and no temporary file behind.
    """
    refuse_existing(path, force=force)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise PathError(f"{path}: the folder {folder} does not exist")
    tmp_name: str | None = None
    try:
        import tempfile  # here, not at start-up: every command imports this module

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
        return 0o666 & ~_umask()


# --------------------------------------------------------------------------- folders


def refuse_folder(path: Path, *, force: bool = False) -> None:
    """The check before a folder of outputs is written: ``path`` must be a real
    folder (or not exist yet) whose parent exists, and empty unless ``force``."""
    if path.is_symlink():
        raise PathError(f"{path}: is a symbolic link; give a real folder")
    if path.exists() and not path.is_dir():
        raise PathError(f"{path}: is a file; give a folder")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise PathError(f"{path}: the folder {parent} does not exist")
    if path.is_dir() and not force and any(path.iterdir()):
        raise RefusedOverwrite(f"{path} is not empty; use --force to replace it")


def write_folder_atomic(
    path: Path, files: Sequence[tuple[str, bytes]], *, force: bool = False
) -> None:
    """Write ``files`` (plain file names and their bytes) as the folder ``path``.

    They are written into a temporary folder beside ``path``, which is then
    renamed into place: the folder appears whole or not at all. An existing
    folder is replaced only at the very end (renamed away, the new one renamed
    in, the old one removed), and only when empty or with ``force``; a failure
    leaves it as it was and no temporary folder behind. A name with a path
    separator is refused: nothing is written outside ``path``.
    """
    import secrets
    import shutil
    import tempfile

    for name, _ in files:
        if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
            raise PathError(f"{path}: refusing to write '{name}': not a plain file name")
    refuse_folder(path, force=force)
    parent = path.parent if str(path.parent) else Path(".")
    tmp: Path | None = None
    old: Path | None = None
    try:
        tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp"))
        os.chmod(tmp, 0o777 & ~_umask())
        for name, data in files:
            # "x": a new file only; a name written twice is an error, not an overwrite
            with open(tmp / name, "xb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        refuse_folder(path, force=force)  # again, at the moment of writing
        if path.is_dir():
            old = parent / f".{path.name}.{secrets.token_hex(8)}.old"
            os.rename(path, old)
            try:
                os.replace(tmp, path)
            except OSError:
                os.replace(old, path)  # put the old folder back
                old = None
                raise
        else:
            os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise PathError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    """The process's umask (reading it means setting it: it is set straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
