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

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from send_plan.controls import FORBIDDEN
from send_plan.findings import Finding
from send_plan.limits import MAX_ALIAS_EXPANSION, MAX_FILE_BYTES

if TYPE_CHECKING:
    from send_plan.model import Plan

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


#: libyaml refuses nesting deeper than 1,000 levels; the walk must reach that far.
_WALK_RECURSION = 3 * 1000 + 200
#: Node graphs are kept (for finding positions without parsing again) up to this
#: much plan text in all; beyond it they are dropped and rebuilt only when needed.
RETAIN_NODES_BYTES = 8 * 1024 * 1024
_retained = 0

_PLAIN_TAGS = frozenset(
    _YAML + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)


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
    plan: Plan | None = None
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
        where = tuple(loc if raw else self.original_loc(loc))
        line, column = self.source.position(where, key=key)
        return Finding(self.name, line, column, code, message, self.plan_id, obj, where)

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


#: Characters no plan text may hold (see :mod:`send_plan.controls`). Each is a
#: finding at its place; it is then read as a space, so later positions stay right.
_CHAR_NAMES = {
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
    0x2028: "LINE SEPARATOR",
    0x2029: "PARAGRAPH SEPARATOR",
    0x202E: "RIGHT-TO-LEFT OVERRIDE",
    0x202D: "LEFT-TO-RIGHT OVERRIDE",
}
#: At most this many such findings per file (a binary file pasted in would
#: otherwise give one per byte).
MAX_CHARACTER_FINDINGS = 20


def _label(char: str) -> str:
    code = ord(char)
    return f"U+{code:04X}" + (f" {_CHAR_NAMES[code]}" if code in _CHAR_NAMES else "")


def forbidden_characters(name: str, text: str) -> tuple[str, list[Finding]]:
    """``text`` with every forbidden character read as a space, and a finding for each."""
    if FORBIDDEN.search(text) is None:
        return text, []
    findings: list[Finding] = []
    for match in FORBIDDEN.finditer(text):
        if len(findings) == MAX_CHARACTER_FINDINGS:
            break
        offset = match.start()
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        findings.append(
            Finding(
                name,
                line,
                column,
                "E009",
                f"the text holds an invisible control character ({_label(match.group())}); "
                "remove it: it can hide or forge text in terminals, spreadsheets and web pages",
            )
        )
    return FORBIDDEN.sub(" ", text), findings


#: The escapes of double-quoted YAML that can write a forbidden character (NUL,
#: BEL, BS, VT, FF, ESC, NEL, LS, PS, and by number); only a file holding one of
#: these (anywhere, even where it is plain text) has its text walked for them.
_ESCAPE = re.compile(r"\\[0abvfeNLPxuU]")


def escaped_characters(name: str, root: Node, room: int) -> list[Finding]:
    """The same for characters written as escapes in double-quoted text (``"\\e[2J"``,
    ``"\\x9b"``, ``"\\u202e"``), which the file's own text does not hold: a finding
    at the quoted text (at most ``room`` of them), and each read as a space in the
    node itself, so that nothing later sees it. A carriage return (``"\\r\\n"``, as
    text from a spreadsheet has) stays: it is a line break, as in the file itself."""
    findings: list[Finding] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if node.style == '"' and (found := FORBIDDEN.search(node.value)) is not None:
                if len(findings) < room:
                    mark = node.start_mark
                    findings.append(
                        Finding(
                            name,
                            mark.line + 1,
                            mark.column + 1,
                            "E009",
                            "the quoted text holds an invisible control character "
                            f"({_label(found.group())}), written as an escape; remove it: "
                            "it can hide or forge text in terminals, spreadsheets and web pages",
                        )
                    )
                node.value = FORBIDDEN.sub(" ", node.value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
        else:
            stack.extend(part for pair in node.value for part in pair)
    findings.sort(key=lambda f: (f.line, f.column))
    return findings


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
    text, character_findings = forbidden_characters(name, text)
    source = Source(name, text)
    loaded = LoadedFile(source, findings=character_findings)
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
    if root is not None and "\\" in text and _ESCAPE.search(text) is not None:
        room = MAX_CHARACTER_FINDINGS - len(character_findings)
        loaded.findings.extend(escaped_characters(name, root, room))
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


def _hint(source: Source, mark: Any, problem: str) -> str | None:
    """The mistakes analysts make most, named in their own terms."""
    if mark is None:
        return None
    lines = source.text.splitlines()
    text = lines[mark.line] if mark.line < len(lines) else ""
    before = text[: mark.column]
    if "\t" in text[: mark.column + 1] and (
        "cannot start any token" in problem or "found a tab" in problem
    ):
        return (
            "not valid YAML: a tab in the indentation; YAML indents with spaces, so "
            "replace the tab with spaces"
        )
    if problem.startswith("mapping values are not allowed") and ": " in before.strip():
        key = before.strip().partition(": ")[0].lstrip("- ")
        rest = text.partition(": ")[2].strip()
        quote = "'" if '"' in rest and "'" not in rest else '"'
        return (
            f"not valid YAML: the text after '{key}:' holds ': ', which YAML reads as a "
            f"new key; put the text in quotes: {key}: {quote}{rest}{quote}"
        )
    return None


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
        hint = _hint(source, mark, problem)
        if hint is not None:
            return Finding(name, line, column, "E002", hint)
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
