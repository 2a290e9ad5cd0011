"""Files on disk: finding and reading plan files, and the one atomic writer.

Reading: ``discover`` finds plan files under the paths given (files as given,
folders searched recursively); ``read_bytes`` reads one within the size limit.
Writing: ``write_atomic`` writes a file whole or not at all; ``refuse_existing``
is the one check that an output would replace something the user has;
``write_folder_atomic`` and ``refuse_folder`` do the same for a folder of outputs.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from send_plan.errors import PathError, RefusedOverwrite, SendPlanError
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


def read_input(path: Path, what: str) -> bytes:
    """The bytes of a file a command reads besides the plans (``what``: "the
    contacts file", "a Word document"), or one line saying why they cannot be."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise PathError(f"{path}: too large for {what} (SEND_PLAN_MAX_FILE_BYTES)")
        return path.read_bytes()
    except FileNotFoundError:
        raise PathError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise PathError(f"{path}: is a folder; give {what}") from None
    except OSError as exc:
        raise PathError(f"{path}: cannot read: {exc.strerror or exc}") from None


# --------------------------------------------------------------------------- writing


def refuse_existing(path: Path, *, force: bool = False, reading: Iterable[Path] = ()) -> None:
    """The one check before an output is written: never a file the command reads
    (``reading``: its plan paths, template, workbook...), never anything but a
    regular file (a folder, a device, a named pipe, a link that leads nowhere), and
    never a file that exists unless ``force`` is given. Commands call it before any
    work, so a refusal costs nothing; the writer checks again as it writes."""
    _refuse_input(path, reading)
    if _existing(path) is not None and not force:
        raise RefusedOverwrite(f"{path} already exists; use --force to replace it")


def write_atomic(
    path: Path, data: bytes, *, force: bool = False, reading: Iterable[Path] = ()
) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    The file appears whole or not at all: an interrupted or failed write leaves
    any earlier file untouched and no temporary file behind. Without ``force`` a
    file that exists is never replaced, even one another process creates while
    this one writes; see :func:`write_files_atomic`.
    """
    write_files_atomic([(path, data)], force=force, reading=reading)


def write_files_atomic(
    files: Sequence[tuple[Path, bytes]], *, force: bool = False, reading: Iterable[Path] = ()
) -> None:
    """Write several files (a document and the pictures beside it) all or none.

    Every file is first written whole to a temporary file beside its target and
    flushed to disk, so a full disk or a file-size limit stops the write before
    anything lands. Each is then put in place: without ``force`` by ``os.link``,
    which fails if the name exists (race-free: of two writers, one is refused),
    with ``force`` by ``os.replace``. If one cannot be put in place, the files
    this call created are removed again. A link to a regular file is written
    through: the file it leads to is replaced, and the link stays.
    """
    reading = list(reading)
    targets = []
    for path, _ in files:
        refuse_existing(path, force=force, reading=reading)
        targets.append(_target(path))
    tmps: list[str] = []
    created: list[Path] = []
    current = files[0][0] if files else Path(".")
    try:
        for target, (path, data) in zip(targets, files, strict=True):
            current = path
            tmps.append(_write_temporary(target, data))
        for target, tmp, (path, _) in zip(targets, tmps, files, strict=True):
            current = path
            _refuse_input(current, reading)  # again, at the moment of writing
            if force:
                _existing(current)  # still a regular file, or nothing
                os.replace(tmp, target)
            else:
                _link_into_place(tmp, target, current)
                created.append(target)
    except OSError as exc:
        _undo(created)
        raise PathError(f"{current}: cannot write: {exc.strerror or exc}") from None
    except SendPlanError:
        _undo(created)
        raise
    finally:
        for tmp in tmps:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _existing(path: Path) -> os.stat_result | None:
    """What is at ``path`` when it is a regular file (through links), or None when
    nothing is; anything else there is refused (:class:`PathError`)."""
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None  # a missing folder is reported by the writer
    except OSError as exc:
        raise PathError(f"{path}: cannot write: {exc.strerror or exc}") from None
    if stat.S_ISLNK(st.st_mode):
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise PathError(
                f"{path}: is a symbolic link to {os.readlink(path)}, which does not exist; "
                "remove the link or give another file name"
            ) from None
        except OSError as exc:
            raise PathError(f"{path}: cannot follow this link: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise PathError(f"{path}: is a folder; give a file name")
    if not stat.S_ISREG(st.st_mode):
        raise PathError(f"{path}: is {_kind(st.st_mode)}, not a regular file; give a file name")
    return st


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _refuse_input(path: Path, reading: Iterable[Path]) -> None:
    """Refuse an output that is one of the files being read: the same file (device
    and inode), however it is spelt, through links or a second (hard) link."""
    try:
        out = os.stat(path)
    except OSError:
        return  # nothing there: a new file is not one being read
    for given in reading:
        for read in _files_under(given):
            try:
                st = os.stat(read)
            except OSError:
                continue
            if (st.st_dev, st.st_ino) == (out.st_dev, out.st_ino):
                same = os.path.normpath(path) == os.path.normpath(read)
                shown = "a file" if same else f"{read.as_posix()}, a file"
                raise RefusedOverwrite(
                    f"{path}: is {shown} this command reads; write the output to another file"
                )


def _files_under(given: Path) -> list[Path]:
    """The files read for a path given: a file itself, or a folder's plan files."""
    if not given.is_dir():
        return [given]
    try:
        found, _ = discover([given])
    except PathError:
        return []
    return [plan.path for plan in found]


def _target(path: Path) -> Path:
    """Where the bytes for ``path`` go: the file a link leads to, else ``path``."""
    target = _target_or(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise PathError(f"{path}: the folder {folder} does not exist")
    return target


def _target_or(path: Path) -> Path:
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _write_temporary(target: Path, data: bytes) -> str:
    """``data`` in a new temporary file beside ``target``, flushed to disk, with
    the mode ``target`` will have; returns its name."""
    import tempfile  # here, not at start-up: every command imports this module

    folder = target.parent if str(target.parent) else Path(".")
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(name, _mode(target))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return name


def _link_into_place(tmp: str, target: Path, shown: Path) -> None:
    """Give the temporary file the name ``target`` only if nothing has it yet."""
    try:
        os.link(tmp, target)
        return
    except FileExistsError:
        raise RefusedOverwrite(f"{shown} already exists; use --force to replace it") from None
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
    # A file system without hard links: claim the name (O_EXCL fails if it is
    # taken), then put the whole file over the empty one this process made.
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise RefusedOverwrite(f"{shown} already exists; use --force to replace it") from None
    try:
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise


#: What os.link fails with where a file system has no hard links.
_NO_LINKS = frozenset(
    getattr(errno, name)
    for name in ("EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EMLINK")
    if hasattr(errno, name)
)


def _undo(created: Sequence[Path]) -> None:
    """Remove the files this write created, when a later one could not be written."""
    for path in created:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _mode(path: Path) -> int:
    """The mode a new file gets from the umask, or the mode of the file replaced."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


# --------------------------------------------------------------------------- folders


def refuse_folder(path: Path, *, force: bool = False, reading: Iterable[Path] = ()) -> None:
    """The check before a folder of outputs is written: ``path`` must be a real
    folder (or not exist yet) whose parent exists, and empty unless ``force``.

    ``force`` replaces the whole folder, so even then it refuses what no output
    should replace: the current folder or one above it, a git repository, and a
    folder that is or holds one of the paths the command reads (``reading``)."""
    if path.is_symlink():
        raise PathError(f"{path}: is a symbolic link; give a real folder")
    if path.exists() and not path.is_dir():
        raise PathError(f"{path}: is a file; give a folder")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise PathError(f"{path}: the folder {parent} does not exist")
    if not path.is_dir() or not any(path.iterdir()):
        return
    if not force:
        raise RefusedOverwrite(f"{path} is not empty; use --force to replace it")
    real = path.resolve()
    if _inside(Path.cwd().resolve(), real):
        raise RefusedOverwrite(f"{path}: will not replace the current folder or one above it")
    if (real / ".git").exists():
        raise RefusedOverwrite(f"{path}: will not replace a git repository")
    for given in reading:
        if _inside(given.resolve(), real):
            raise RefusedOverwrite(f"{path}: will not replace a folder that holds {given}")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def write_folder_atomic(
    path: Path,
    files: Sequence[tuple[str, bytes]],
    *,
    force: bool = False,
    reading: Iterable[Path] = (),
) -> None:
    """Write ``files`` (plain file names and their bytes) as the folder ``path``.

    They are written into a temporary folder beside ``path``, which is then
    renamed into place: the folder appears whole or not at all. An existing
    folder is replaced only at the very end (renamed away, the new one renamed
    in, the old one removed), and only when empty or with ``force``; a failure
    leaves it as it was and no temporary folder behind. A name with a path
    separator is refused: nothing is written outside ``path``. ``reading`` is as
    for :func:`refuse_folder`.
    """
    import secrets
    import shutil
    import tempfile

    for name, _ in files:
        if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
            raise PathError(f"{path}: refusing to write '{name}': not a plain file name")
    reading = list(reading)
    refuse_folder(path, force=force, reading=reading)
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
        refuse_folder(path, force=force, reading=reading)  # again, at the moment of writing
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
