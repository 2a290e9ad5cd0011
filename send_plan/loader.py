"""Bytes -> YAML nodes with positions -> plain data -> models.

The loader never raises for a bad file: every problem becomes a
:class:`~send_plan.findings.Finding` at the line and column at fault. Only a path
that cannot be read at all is an exception (exit status 2).

How it stays fast and safe:

- PyYAML's libyaml composer (C) builds the node graph; the pure-Python one is the
  fallback. Nodes are never *constructed* by PyYAML, so no tag can run code.
- A small walk turns nodes into plain dicts, lists and strings, refusing
  duplicate keys, non-standard tags and runaway alias expansion on the way.
- Positions are not copied into the data: when a finding needs a place, the file
  is composed again (once, lazily) and the place looked up by its key path.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from send_plan.errors import PathError
from send_plan.findings import Finding

_YAML = "tag:yaml.org,2002:"
_STR = _YAML + "str"
_NULL = _YAML + "null"
_MERGE = _YAML + "merge"
_SEQ = _YAML + "seq"
_MAP = _YAML + "map"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


class _Resolver:
    """Implicit tags for what plan files need: null, the merge key, and text.

    PyYAML's own resolver tries a dozen regular expressions on every scalar (and
    libyaml's composer calls it for each one); plan data keeps scalars as text and
    lets the models decide, so only null and ``<<`` need telling apart.
    """

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                if value in _NULLS:
                    return _NULL
                if value == "<<":
                    return _MERGE
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    # Path-based resolvers are not used: skip the bookkeeping libyaml asks for
    # on every node.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


try:  # libyaml when present: an order of magnitude faster.

    class _Loader(_Resolver, yaml.CSafeLoader):
        pass

except AttributeError:  # pragma: no cover - depends on the PyYAML build

    class _Loader(_Resolver, yaml.SafeLoader):  # type: ignore[no-redef]
        pass


PLAN_SUFFIXES = (".yaml", ".yml")


def _limit(name: str, default: int) -> int:
    """A limit from the environment; a value that is not a positive whole number
    is ignored with a message, never a crash."""
    text = os.environ.get(name)
    if text is None:
        return default
    try:
        value = int(text)
        if value > 0:
            return value
    except ValueError:
        pass
    sys.stderr.write(f"send-plan: ignoring {name}={text!r}: not a positive whole number\n")
    return default


#: Limits, stated in docs/limits.md. Environment variables override them.
MAX_FILE_BYTES = _limit("SEND_PLAN_MAX_FILE_BYTES", 64 * 1024 * 1024)
MAX_ALIAS_EXPANSION = _limit("SEND_PLAN_MAX_ALIAS_EXPANSION", 10_000)
#: libyaml refuses nesting deeper than 1,000 levels; the walk must reach that far.
_WALK_RECURSION = 3 * 1000 + 200
#: Node graphs are kept (for finding positions without parsing again) up to this
#: much plan text in all; beyond it they are dropped and rebuilt only when needed.
RETAIN_NODES_BYTES = 8 * 1024 * 1024
_retained = 0

_PLAIN_TAGS = frozenset(
    _YAML + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)


# --------------------------------------------------------------------------- files


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


# --------------------------------------------------------------------------- source


@dataclass(slots=True)
class Source:
    """A plan file's text, and the lazily composed node tree used to find places."""

    name: str
    text: str
    _root: Node | None = None
    _composed: bool = False

    def root(self) -> Node | None:
        if not self._composed:
            self._composed = True
            try:
                self._root = yaml.compose(self.text, Loader=_Loader)
            except (yaml.YAMLError, RecursionError):
                self._root = None
        return self._root

    def node_at(self, loc: Sequence[str | int]) -> tuple[Node | None, Node | None]:
        """The node at ``loc`` (or the nearest enclosing one) and its key node."""
        node = self.root()
        key: Node | None = None
        for part in loc:
            if isinstance(node, MappingNode):
                for k, v in node.value:
                    if isinstance(k, ScalarNode) and k.value == str(part):
                        key, node = k, v
                        break
                else:
                    break
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    break
                key, node = None, node.value[part]
            else:
                break
        return node, key

    def position(self, loc: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
        """1-based line and column of the value (or key) at ``loc``."""
        node, key_node = self.node_at(loc)
        target = key_node if key and key_node is not None else node
        if target is None:
            return 1, 1
        return target.start_mark.line + 1, target.start_mark.column + 1

    def line_column(self, offset: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, offset) + 1
        return line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1


@dataclass(slots=True)
class LoadedFile:
    """One plan file after loading: its text, raw data, model and findings."""

    source: Source
    data: dict[str, Any] | None = None
    plan: Any = None  # send_plan.model.Plan, imported lazily
    findings: list[Finding] = field(default_factory=list)
    #: Set when ``plan`` holds only the areas and actions that validated; the maps
    #: lead from the partial plan's indexes back to the file's.
    partial: bool = False
    area_map: list[int] = field(default_factory=list)
    action_map: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def plan_id(self) -> str | None:
        """The plan id as written, even when the file did not validate."""
        if self.plan is not None:
            return str(self.plan.plan.id)
        info = self.data.get("plan") if self.data else None
        value = info.get("id") if isinstance(info, dict) else None
        return value if isinstance(value, str) else None

    def finding(
        self,
        code: str,
        message: str,
        loc: Sequence[str | int] = (),
        *,
        key: bool = False,
        obj: str | None = None,
        raw: bool = False,
    ) -> Finding:
        """A finding at ``loc`` in the model (or, with ``raw``, in the raw data)."""
        line, column = self.source.position(loc if raw else self.original_loc(loc), key=key)
        return Finding(self.name, line, column, code, message, self.plan_id, obj)

    def original_loc(self, loc: Sequence[str | int]) -> Sequence[str | int]:
        """Where ``loc`` in a partial plan lies in the file itself."""
        if not self.partial or len(loc) < 2 or loc[0] != "areas":
            return loc
        i = loc[1]
        assert isinstance(i, int)
        out = ["areas", self.area_map[i], *loc[2:]]
        if len(loc) >= 4 and loc[2] == "actions" and isinstance(loc[3], int):
            out[3] = self.action_map[(i, loc[3])]
        return out


# --------------------------------------------------------------------------- text -> data


class _Abort(Exception):
    def __init__(self, finding: Finding) -> None:
        self.finding = finding


def load_text(name: str, raw: bytes, size_on_disk: int | None = None) -> LoadedFile:
    """Decode and parse one file into plain data; problems become findings."""
    if (size_on_disk or len(raw)) > MAX_FILE_BYTES:
        size = size_on_disk or len(raw)
        return LoadedFile(
            Source(name, ""),
            findings=[
                Finding(
                    name,
                    1,
                    1,
                    "E007",
                    f"the file is {size:,} bytes; plan files are limited to "
                    f"{MAX_FILE_BYTES:,} bytes (set SEND_PLAN_MAX_FILE_BYTES to change)",
                )
            ],
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = raw[exc.start : exc.start + 1].hex().upper()
        return LoadedFile(
            Source(name, ""),
            findings=[
                Finding(
                    name,
                    line,
                    column,
                    "E001",
                    f"the file is not UTF-8: byte 0x{bad} cannot be read as text; "
                    "save the file with UTF-8 encoding",
                )
            ],
        )
    source = Source(name, text)
    loaded = LoadedFile(source)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        loaded.findings.append(_yaml_error(source, exc))
        return loaded
    except RecursionError:
        loaded.findings.append(
            Finding(name, 1, 1, "E007", "the file nests deeper than plan files can")
        )
        return loaded
    if root is None:
        loaded.findings.append(
            Finding(name, 1, 1, "E006", "the file is empty: a plan file holds one plan mapping")
        )
        return loaded
    if not isinstance(root, MappingNode):
        what = "a list" if isinstance(root, SequenceNode) else "a single value"
        loaded.findings.append(
            Finding(
                name,
                1,
                1,
                "E006",
                f"the file holds {what}, not a plan: it must be a mapping "
                "starting with 'schema_version: 1'",
            )
        )
        return loaded
    builder = _Builder(name)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _WALK_RECURSION))
    try:
        data = builder.build(root, False)
    except _Abort as abort:
        loaded.findings.append(abort.finding)
        return loaded
    except RecursionError:
        loaded.findings.append(
            Finding(name, 1, 1, "E007", "the file nests deeper than plan files can")
        )
        return loaded
    finally:
        sys.setrecursionlimit(limit)
    loaded.findings.extend(builder.findings)
    loaded.data = data
    _retain(source, root)
    return loaded


def _retain(source: Source, root: Node) -> None:
    global _retained
    if _retained + len(source.text) <= RETAIN_NODES_BYTES:
        _retained += len(source.text)
        source._root, source._composed = root, True


def _yaml_error(source: Source, exc: yaml.YAMLError) -> Finding:
    name = source.name
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = source.line_column(exc.position)
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        return Finding(
            name, line, column, "E002", f"the file holds a control character ({char}) YAML forbids"
        )
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (exc.problem or "").strip()
        if "maximum nesting depth" in problem:
            return Finding(name, line, column, "E007", "the file nests deeper than plan files can")
        if "expected a single document" in str(exc.context or ""):
            return Finding(
                name,
                line,
                column,
                "E006",
                "the file holds more than one YAML document ('---'); keep one plan per file",
            )
        detail = problem
        if exc.context:
            detail = f"{exc.context.strip()}: {problem}"
        return Finding(name, line, column, "E002", f"not valid YAML: {detail}")
    return Finding(name, 1, 1, "E002", f"not valid YAML: {exc}")


class _Builder:
    """Nodes -> plain data. Scalars stay text (except null): the models decide types.

    Keeping text avoids YAML 1.1 surprises: an id ``1.10`` stays ``"1.10"`` (not the
    float 1.1), ``title: No`` stays the word No.
    """

    __slots__ = ("active", "expanded", "findings", "name", "seen")

    def __init__(self, name: str) -> None:
        self.name = name
        self.findings: list[Finding] = []
        self.seen: set[int] = set()
        self.active: set[int] = set()
        self.expanded = 0

    def _at(self, node: Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _tag_problem(self, node: Node) -> None:
        line, column = self._at(node)
        tag = node.tag.replace(_YAML, "!!")
        self.findings.append(
            Finding(
                self.name,
                line,
                column,
                "E004",
                f"the tag '{tag}' is not allowed: plan files hold plain data only "
                "(text, dates, lists and mappings); remove the tag",
            )
        )

    def build(self, node: Node, in_alias: bool) -> Any:
        if isinstance(node, ScalarNode):
            tag = node.tag
            if tag not in _PLAIN_TAGS:
                self._tag_problem(node)
                return None
            if tag == _NULL:  # only plain scalars (or an explicit !!null) resolve to null
                return None
            return node.value
        nid = id(node)
        if nid in self.active:
            line, column = self._at(node)
            raise _Abort(
                Finding(
                    self.name, line, column, "E005", "an alias refers to the node that contains it"
                )
            )
        if nid in self.seen:
            in_alias = True
        else:
            self.seen.add(nid)
        if in_alias:
            self.expanded += len(node.value)
            if self.expanded > MAX_ALIAS_EXPANSION:
                line, column = self._at(node)
                raise _Abort(
                    Finding(
                        self.name,
                        line,
                        column,
                        "E005",
                        f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} nodes; "
                        "write the data out instead of repeating it with aliases",
                    )
                )
        if node.tag not in _PLAIN_TAGS:
            self._tag_problem(node)
            return None
        self.active.add(nid)
        try:
            if isinstance(node, SequenceNode):
                build = self.build
                return [
                    item.value
                    if type(item) is ScalarNode and item.tag == _STR
                    else build(item, in_alias)
                    for item in node.value
                ]
            return self._mapping(node, in_alias)  # type: ignore[arg-type]
        finally:
            self.active.discard(nid)

    def _mapping(self, node: MappingNode, in_alias: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if (type(key_node) is not ScalarNode or key_node.tag != _STR) and not self._odd_key(
                key_node
            ):
                continue
            key = key_node.value
            if key in out:
                self._duplicate(node, key_node)
                continue
            if type(value_node) is ScalarNode and value_node.tag == _STR:
                out[key] = value_node.value
            else:
                out[key] = self.build(value_node, in_alias)
        return out

    def _odd_key(self, key_node: Node) -> bool:
        """Whether a key that is not plain text may stand; records why not."""
        if isinstance(key_node, ScalarNode) and key_node.tag in _PLAIN_TAGS:
            return True  # an empty or '~' key, or an explicit !!str: text all the same
        if isinstance(key_node, ScalarNode) and key_node.tag != _MERGE:
            self._tag_problem(key_node)
            return False
        line, column = self._at(key_node)
        what = (
            "merge keys ('<<') are not supported; write the keys out in full"
            if key_node.tag == _MERGE
            else "keys must be plain text, not lists or mappings"
        )
        self.findings.append(Finding(self.name, line, column, "E008", what))
        return False

    def _duplicate(self, node: MappingNode, key_node: ScalarNode) -> None:
        key = key_node.value
        first = next(k for k, _ in node.value if isinstance(k, ScalarNode) and k.value == key)
        line, column = self._at(key_node)
        self.findings.append(
            Finding(
                self.name,
                line,
                column,
                "E003",
                f"duplicate key '{key}' (first at line {first.start_mark.line + 1}): "
                "YAML would silently keep only one value; remove or merge one of them",
            )
        )


# --------------------------------------------------------------------------- helpers


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The closest valid spelling of ``word``, if any is close."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if matches:
        return matches[0]
    lowered = {c.lower(): c for c in choices}
    return lowered.get(word.lower())
