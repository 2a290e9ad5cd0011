"""Rule 9: plans are published, so children's identifiers never belong in them.

The whole text of every file is scanned (comments are published too), and a
candidate counts only when its check digit or check letter is right: ordinary
10-digit or 13-character references are not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from send_plan.findings import Finding
from send_plan.loader import LoadedFile
from send_plan.portfolio import Portfolio

_NHS = re.compile(r"(?<![\w-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\w-])")
_UPN = re.compile(r"(?<![A-Za-z0-9])[A-Z]\d{11}[0-9A-Z](?![A-Za-z0-9])")
UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"


def is_nhs_number(digits: str) -> bool:
    """Modulus 11: weights 10..2 over the first nine digits."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def is_upn(text: str) -> bool:
    """Check letter over characters 2-13, weights 2..13, mod 23."""
    if len(text) != 13 or text[0] not in UPN_ALPHABET or not text[1:12].isdigit():
        return False
    last = text[12]
    if last.isdigit():
        last_value = int(last)
    elif last in UPN_ALPHABET:
        last_value = UPN_ALPHABET.index(last)
    else:
        return False
    values = [int(c) for c in text[1:12]] + [last_value]
    total = sum(v * w for v, w in zip(values, range(2, 14), strict=True))
    return UPN_ALPHABET[total % 23] == text[0]


_DIGITS = bytes.maketrans(b"0123456789", b"0" * 10)
#: What any candidate looks like once every digit reads 0: ten digits in a row
#: (an NHS number written solid, or the digits of a UPN), or the 3-3-4 groups.
_NEEDLES = (b"0" * 10, b"000 000 0000", b"000-000-0000")


def candidate_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` for each line that may hold an identifier.

    Masking digits with ``bytes.translate`` and searching with ``bytes.find`` runs
    at C speed; the exact patterns then run on these few lines only.
    """
    data = text.encode("utf-8")
    masked = data.translate(_DIGITS)
    starts: set[int] = set()
    for needle in _NEEDLES:
        i = masked.find(needle)
        while i != -1:
            starts.add(masked.rfind(b"\n", 0, i) + 1)
            end = masked.find(b"\n", i)
            i = masked.find(needle, len(masked) if end == -1 else end)
    line, counted_to = 1, 0
    for start in sorted(starts):
        line += masked.count(b"\n", counted_to, start)
        counted_to = start
        end = masked.find(b"\n", start)
        yield line, data[start : None if end == -1 else end].decode("utf-8")


def children_identifiers(portfolio: Portfolio) -> Iterator[Finding]:
    for f in portfolio.files:
        for line, text in candidate_lines(f.source.text):
            for match in _NHS.finditer(text):
                if is_nhs_number(match.group(1) + match.group(3) + match.group(4)):
                    yield _finding(
                        f,
                        line,
                        match.start() + 1,
                        "E301",
                        "this looks like a child's NHS number (its check digit is valid); "
                        "plans are published: remove it",
                    )
            for match in _UPN.finditer(text):
                if is_upn(match.group(0)):
                    yield _finding(
                        f,
                        line,
                        match.start() + 1,
                        "E302",
                        "this looks like a Unique Pupil Number (its check letter is valid); "
                        "plans are published: remove it",
                    )


def _finding(f: LoadedFile, line: int, column: int, code: str, message: str) -> Finding:
    where = _key_path_at(f.source.root(), line - 1, column - 1)
    return Finding(f.name, line, column, code, message, f.plan_id, _owner(f, line - 1), where)


def _key_path_at(node: Node | None, line: int, column: int) -> tuple[str | int, ...]:
    """The key path of the innermost key or value whose text holds 0-based ``line`` and
    ``column`` (empty in a comment outside the plan's data)."""
    path: list[str | int] = []
    while isinstance(node, (MappingNode, SequenceNode)):
        children: list[tuple[str | int, Node | None, Node]] = (
            [(str(k.value), k, v) for k, v in node.value]
            if isinstance(node, MappingNode)
            else [(i, None, v) for i, v in enumerate(node.value)]
        )
        for part, key, value in children:
            if key is not None and _holds(key, line, column):
                return (*path, part)
            if _holds(value, line, column):
                path.append(part)
                node = value
                break
        else:
            break
    return tuple(path)


def _holds(node: Node, line: int, column: int) -> bool:
    start, end = node.start_mark, node.end_mark
    return (start.line, start.column) <= (line, column) <= (end.line, end.column)


def _owner(f: LoadedFile, line: int) -> str | None:
    """The id of the area or action whose text holds 0-based ``line``."""
    found: str | None = None
    node: Node | None = f.source.root()
    for key in ("areas", "actions"):
        items = _value(node, key)
        if not isinstance(items, SequenceNode):
            break
        node = next((n for n in items.value if n.start_mark.line <= line <= _last_line(n)), None)
        ident = _value(node, "id")
        if not isinstance(ident, ScalarNode):
            break
        found = ident.value
    return found


def _value(node: Node | None, key: str) -> Node | None:
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == key:
                return v  # type: ignore[no-any-return]
    return None


def _last_line(node: Node) -> int:
    """The last line that belongs to a block node (its end mark sits on the next)."""
    end = node.end_mark
    return end.line - 1 if end.column == 0 else end.line
