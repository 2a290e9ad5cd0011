"""The loader on bytes and text: encodings, YAML errors, unsafe YAML, limits.

Every problem must come back as a finding at its place, never as an exception.
"""

from __future__ import annotations

import json
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from send_plan import files, loader
from send_plan.findings import CODES
from send_plan.loader import LoadedFile, load_text
from send_plan.modelcheck import to_model
from send_plan.validation import check

PLAN = """\
schema_version: 1
plan:
  id: test-plan
  local_area: Testshire
  kind: improvement-plan
  start: 2019-04-01
  end: 2020-12-31
areas:
  - id: P1
    kind: priority
    actions:
      - id: P1.1
        title: Publish the local offer
        lead: Head of Service, Inclusion
        due: 2019-12-31
        status: in-progress
"""


def load(text: str | bytes) -> LoadedFile:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    loaded = load_text("plan.yaml", raw)
    to_model(loaded)
    return loaded


def places(loaded: LoadedFile) -> list[tuple[str, int, int]]:
    return sorted((f.code, f.line, f.column) for f in loaded.findings)


def test_plain_plan_loads_as_text_data() -> None:
    loaded = load(PLAN)
    assert loaded.findings == []
    assert loaded.data is not None
    assert loaded.data["schema_version"] == "1"
    assert loaded.data["plan"]["start"] == "2019-04-01"
    assert loaded.plan is not None
    assert loaded.plan.plan.id == "test-plan"


# --------------------------------------------------------------------------- encodings


def test_bom_is_skipped_and_positions_are_unchanged() -> None:
    bad = PLAN.replace("schema_version: 1", "schema_version: 2")
    plain, with_bom = load(bad), load(b"\xef\xbb\xbf" + bad.encode())
    assert places(plain) == places(with_bom) == [("E101", 1, 17)]
    assert load(b"\xef\xbb\xbf" + PLAN.encode()).data == load(PLAN).data


def test_crlf_reads_like_lf_with_the_same_positions() -> None:
    bad = PLAN.replace("due: 2019-12-31", "due: 2019-02-30")
    lf, crlf = load(bad), load(bad.replace("\n", "\r\n"))
    assert places(lf) == places(crlf) == [("E106", 15, 14)]
    assert load(PLAN.replace("\n", "\r\n")).data == load(PLAN).data


def test_crlf_inside_text_values_is_a_plain_line_break() -> None:
    text = PLAN.replace("title: Publish the local offer", "title: |\n          one\n          two")
    loaded = load(text.replace("\n", "\r\n"))
    assert loaded.findings == []
    assert loaded.plan.areas[0].actions[0].title == "one\ntwo\n"


@pytest.mark.parametrize(
    ("raw", "line", "column"),
    [
        (PLAN.encode().replace(b"Publish the", b"Publish th\xe9"), 13, 26),
        (b"schema_version: 1\nplan:\n  id: \xff\n", 3, 7),
        (b"\xc3", 1, 1),
        (b"a: 1\nb: caf\xc3", 2, 7),  # a multi-byte sequence cut short at the end
        (b"a: 1\r\nb: \x80\r\n", 2, 4),
    ],
)
def test_non_utf8_bytes_are_e001_at_their_place(raw: bytes, line: int, column: int) -> None:
    loaded = load(raw)
    assert places(loaded) == [("E001", line, column)]
    assert loaded.data is None
    assert loaded.plan is None
    assert "UTF-8" in loaded.findings[0].message


def test_utf16_file_is_e001() -> None:
    loaded = load(PLAN.encode("utf-16"))
    assert [f.code for f in loaded.findings] == ["E001"]
    assert (loaded.findings[0].line, loaded.findings[0].column) == (1, 1)


# --------------------------------------------------------------------------- YAML errors


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("schema_version: 1\nplan: [a, b\nareas: 1\n", 3, 6),
        ("schema_version: 1\nplan:\n  id: x\n   kind: y\n", 4, 8),
        ("schema_version: 1\nplan: 'unclosed\n", 3, 1),
        ("schema_version: 1\n\tplan: x\n", 2, 1),
        ("schema_version: 1\nplan: *nowhere\n", 2, 7),
    ],
)
def test_yaml_syntax_error_is_e002_at_its_line(text: str, line: int, column: int) -> None:
    loaded = load(text)
    assert places(loaded) == [("E002", line, column)]
    assert loaded.data is None


def test_control_character_is_e009_at_its_place() -> None:
    loaded = load("schema_version: 1\nplan:\n  id: a\x1bb\n")
    assert places(loaded)[0] == ("E009", 3, 8)
    assert "U+001B ESCAPE" in loaded.findings[0].message


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_line_separators_do_not_shift_later_lines(char: str) -> None:
    loaded = load(f"schema_version: 1\nplan:\n  title: a{char}b\n  id: Bad Id\n")
    assert [f[:2] for f in places(loaded)][:1] == [("E009", 3)]
    # the plan id's error stays on line 4, where an editor shows it
    assert ("E107", 4) in [f[:2] for f in places(loaded)]


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        (PLAN + "schema_version: 1\n", 17, 1),
        (PLAN.replace("  end: 2020-12-31\n", "  end: 2020-12-31\n  id: other\n"), 8, 3),
        (PLAN + "        status: complete\n", 17, 9),
        (PLAN + "        updates:\n          - {date: 2019-06-01, note: a, note: b}\n", 18, 41),
        (
            PLAN + "        updates:\n          - date: 2019-06-01\n            date: 2019-06-01\n",
            19,
            13,
        ),
        (PLAN + "partners: {lcc: a, ccg: b, lcc: c}\n", 17, 28),
    ],
    ids=["top-level", "plan", "action", "flow-mapping", "update", "partners"],
)
def test_duplicate_key_at_any_depth_is_e003_at_the_second(
    text: str, line: int, column: int
) -> None:
    loaded = load(text)
    assert [(f.code, f.line, f.column) for f in loaded.findings if f.code == "E003"] == [
        ("E003", line, column)
    ]
    assert "duplicate key" in loaded.findings[0].message


def test_duplicate_keys_are_all_reported() -> None:
    text = PLAN.replace("  id: test-plan\n", "  id: test-plan\n  id: test-plan\n") + (
        "        due: 2019-12-31\n"
    )
    assert places(load(text)) == [("E003", 4, 3), ("E003", 18, 9)]


# --------------------------------------------------------------------------- unsafe YAML


@pytest.mark.parametrize(
    "tag",
    [
        '!!python/object/apply:os.system ["echo hi"]',
        "!!python/name:os.system ''",
        "!!python/object:collections.OrderedDict {a: 1}",
        "!!python/tuple [a, b]",
        "!!binary aGVsbG8=",
        "!!omap [a: 1]",
        "!!set {a, b}",
        "!!python/str text",
        "!custom value",
        "!<tag:example.com,2000:app/thing> value",
    ],
)
def test_tags_other_than_plain_data_are_e004(tag: str) -> None:
    text = PLAN.replace("status: in-progress", f"status: in-progress\n        delivery_plan: {tag}")
    loaded = load(text)
    assert places(loaded) == [("E004", 17, 24)]
    assert "tag" in loaded.findings[0].message


def test_tagged_key_is_e004() -> None:
    loaded = load(PLAN + "!!python/name:os.system key: 1\n")
    assert ("E004", 17, 1) in places(loaded)


def test_python_tags_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    attacks = [
        f'!!python/object/apply:os.system ["touch {marker}"]',
        f'!!python/object/apply:subprocess.call [["touch", "{marker}"]]',
        f'!!python/object/apply:builtins.open ["{marker}", "w"]',
        f'!!python/object/new:pathlib.Path ["{marker}"]',
    ]
    for attack in attacks:
        text = PLAN.replace(
            "status: in-progress", f"status: in-progress\n        delivery_plan: {attack}"
        )
        path = tmp_path / "plan.yaml"
        path.write_text(text)
        result = check([path])
        assert [f.code for f in result.findings] == ["E004"]
        # The place is looked up again by composing the text: still nothing runs.
        assert (result.findings[0].line, result.findings[0].column) == (17, 24)
        assert not marker.exists()


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["schema_version: 1", "a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_quickly_and_small() -> None:
    text = billion_laughs()
    tracemalloc.start()
    try:
        started = time.perf_counter()
        loaded = load(text)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert places(loaded) == [("E005", 2, 5)]
    assert loaded.data is None
    assert elapsed < 1.0
    assert peak < 50 * 1024 * 1024


def test_billion_laughs_through_check_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lol.yaml"
    path.write_text(billion_laughs(levels=12))
    started = time.perf_counter()
    result = check([path])
    assert time.perf_counter() - started < 1.0
    assert [f.code for f in result.findings] == ["E005"]


def test_aliases_within_the_bound_are_expanded() -> None:
    text = PLAN.replace(
        "status: in-progress",
        "status: in-progress\n        measures: &m [a, b, c]\n        evidence: *m",
    )
    loaded = load(text)
    assert loaded.findings == []
    action = loaded.plan.areas[0].actions[0]
    assert action.measures == action.evidence == ("a", "b", "c")


def test_alias_bound_is_the_configured_one(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "schema_version: 1\nx: &x [a, b, c, d]\ny: [*x, *x]\n"
    monkeypatch.setattr(loader, "MAX_ALIAS_EXPANSION", 8)
    assert "E005" not in [f.code for f in load(text).findings]
    monkeypatch.setattr(loader, "MAX_ALIAS_EXPANSION", 7)
    assert [f.code for f in load(text).findings] == ["E005"]


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("schema_version: 1\nplan: &p\n  id: *p\n", 2, 7),
        ("schema_version: 1\nlist: &l [a, [b, *l]]\n", 2, 7),
        ("&top\nschema_version: 1\nself: *top\n", 1, 1),
    ],
)
def test_recursive_alias_is_e005(text: str, line: int, column: int) -> None:
    loaded = load(text)
    assert places(loaded) == [("E005", line, column)]
    assert loaded.data is None


# --------------------------------------------------------------------------- not one plan


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("", "empty"),
        ("\n\n   \n", "empty"),
        ("# just a comment\n# and another\n", "empty"),
        ("- schema_version: 1\n- plan: x\n", "a list"),
        ("[a, b]\n", "a list"),
        ("just text\n", "a single value"),
        ("42\n", "a single value"),
        ("# comment\n'quoted'\n", "a single value"),
        ("---\n", "a single value"),
    ],
)
def test_not_a_mapping_is_e006_at_1_1(text: str, word: str) -> None:
    loaded = load(text)
    assert places(loaded) == [("E006", 1, 1)]
    assert word in loaded.findings[0].message
    assert loaded.data is None


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (PLAN + "---\nschema_version: 1\n", 17),
        ("---\n" + PLAN + "...\n---\n" + PLAN, 19),
        (PLAN + "--- {}\n", 17),
    ],
)
def test_multiple_documents_are_e006(text: str, line: int) -> None:
    loaded = load(text)
    assert places(loaded) == [("E006", line, 1)]
    assert "more than one YAML document" in loaded.findings[0].message


def test_one_explicit_document_is_fine() -> None:
    assert load("---\n" + PLAN + "...\n").findings == []


# --------------------------------------------------------------------------- limits


@pytest.mark.parametrize(
    "nested",
    ["[" * 10_000 + "]" * 10_000, "{a: " * 10_000 + "x" + "}" * 10_000],
    ids=["lists", "mappings"],
)
def test_ten_thousand_levels_of_nesting_are_e007(nested: str) -> None:
    loaded = load("schema_version: 1\nx: " + nested + "\n")
    assert [(f.code, f.line) for f in loaded.findings] == [("E007", 2)]
    assert loaded.data is None


def test_deep_nesting_through_check_still_scans_the_text(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("schema_version: 1\n# 9434765919\nx: " + "[" * 10_000 + "]" * 10_000 + "\n")
    result = check([path])
    assert [(f.code, f.line, f.object) for f in result.findings] == [
        ("E301", 2, None),
        ("E007", 3, None),
    ]


def test_deep_but_allowed_nesting_is_read() -> None:
    loaded = load("schema_version: 1\nx: " + "[" * 200 + "]" * 200 + "\n")
    assert "E007" not in [f.code for f in loaded.findings]


def test_file_over_the_size_limit_is_e007(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 100)
    loaded = load(PLAN)
    assert places(loaded) == [("E007", 1, 1)]
    assert "limited to 100 bytes" in loaded.findings[0].message
    path = tmp_path / "big.yaml"
    path.write_text(PLAN)
    assert [(f.code, f.line, f.column) for f in check([path]).findings] == [("E007", 1, 1)]


def test_file_at_the_size_limit_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", len(PLAN.encode()))
    assert load(PLAN).findings == []


# --------------------------------------------------------------------------- unsupported YAML


def test_merge_key_is_e008_at_the_key() -> None:
    text = PLAN + (
        "        updates:\n"
        "          - &u {date: 2019-06-01, note: a}\n"
        "          - <<: *u\n"
        "            note: b\n"
    )
    loaded = load(text)
    assert places(loaded) == [("E008", 19, 13), ("E102", 19, 13)]
    assert "merge keys" in loaded.findings[0].message


@pytest.mark.parametrize(
    ("key", "column"),
    [("? [a, b]\n: x", 5), ("? {a: 1}\n: x", 5), ("[a, b]: x", 3), ("{a: 1}: x", 3)],
)
def test_complex_key_is_e008(key: str, column: int) -> None:
    loaded = load(PLAN + "partners:\n" + "\n".join("  " + line for line in key.split("\n")))
    assert places(loaded) == [("E008", 18, column)]
    assert "keys must be plain text" in loaded.findings[0].message


# --------------------------------------------------------------------------- never an exception


def _loads_without_raising(raw: bytes) -> None:
    loaded = load_text("fuzz.yaml", raw)
    to_model(loaded)
    assert loaded.data is not None or loaded.findings
    for f in loaded.findings:
        assert f.code in CODES
        assert f.line >= 1
        assert f.column >= 1
        assert f.path == "fuzz.yaml"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_loads_without_raising(text: str) -> None:
    _loads_without_raising(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_any_bytes_load_without_raising(raw: bytes) -> None:
    _loads_without_raising(raw)


# A small grammar of YAML-ish text: mappings, lists, scalars (dates, ids,
# vocabulary words, identifiers, awkward strings), anchors and aliases.

PLAN_KEYS = [
    "schema_version", "plan", "partners", "reviews", "areas", "id", "title", "local_area",
    "kind", "status", "approved", "start", "end", "successor", "board", "board_meetings",
    "accountable", "role", "partner", "date", "by", "rating", "summary", "actions", "lead",
    "delivery_plan", "due", "original_due", "completed", "withdrawn_reason", "rag",
    "measures", "evidence", "carried_from", "rescheduled", "on", "from", "to", "reason",
    "approved_by", "updates", "note", "<<", "dew", "1", "~",
]  # fmt: skip
SCALARS = st.one_of(
    st.sampled_from(
        [
            "1", "2", "1.10", "yes", "no", "on", "~", "null", "''", '""', "complete",
            "in-progress", "closed", "draft", "green/amber", "Amber-Green", "red",
            "improvement-plan", "priority", "2019-02-30", "31/03/2019", "2019-04-01",
            "wsoa-2018/FF1.1", "test-plan", "9434765919", "943 476 5919", "B801200005001",
            "!!python/object/apply:os.system [echo]", "!custom x", "*a", "*b", "*nowhere",
            "&a x", "'it''s'", '"tab\\there"', "[]", "{}", "|\n  literal\n", ">-\n  folded\n",
        ]
    ),
    st.dates().map(str),
    st.text(alphabet="abcXYZ019 .:-#&*!%@'\"[]{},?|>\t\r\n\u00e9\u2013", max_size=12),
)  # fmt: skip


def _tree() -> st.SearchStrategy:
    keys = st.one_of(st.sampled_from(PLAN_KEYS), st.text(alphabet="abc_-.0", max_size=5))
    return st.recursive(
        SCALARS,
        lambda children: st.one_of(
            st.lists(children, max_size=4).map(lambda items: ("seq", items)),
            st.lists(st.tuples(keys, children), max_size=5).map(lambda pairs: ("map", pairs)),
            st.tuples(st.sampled_from(["&a", "&b"]), children).map(lambda t: ("anchor", t)),
        ),
        max_leaves=25,
    )


def _render(node, indent: int = 0, flow: bool = False) -> str:
    pad = " " * indent
    if isinstance(node, str):
        return node
    kind, value = node
    if kind == "anchor":
        anchor, inner = value
        return f"{anchor} {_render(inner, indent, flow=True)}"
    if kind == "seq":
        if flow or not value:
            return "[" + ", ".join(_render(v, indent, flow=True) for v in value) + "]"
        return "\n" + "\n".join(f"{pad}- {_render(v, indent + 2)}" for v in value)
    if flow or not value:
        return "{" + ", ".join(f"{k}: {_render(v, indent, flow=True)}" for k, v in value) + "}"
    return "\n" + "\n".join(f"{pad}{k}: {_render(v, indent + 2)}" for k, v in value)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    tree=st.lists(st.tuples(st.sampled_from(PLAN_KEYS), _tree()), max_size=6),
    with_plan=st.booleans(),
    crlf=st.booleans(),
)
def test_yamlish_text_through_check_never_raises(tree, with_plan: bool, crlf: bool) -> None:
    text = PLAN if with_plan else "schema_version: 1\n"
    text += "".join(f"{key}: {_render(node, 2)}\n" for key, node in tree)
    if crlf:
        text = text.replace("\n", "\r\n")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        result = check([path])
    assert result.files == (path.as_posix(),)
    for f in result.findings:
        assert f.code in CODES
        assert f.path == path.as_posix()
        assert f.line >= 1
        assert f.column >= 1
    json.dumps([f.as_dict() for f in result.findings])


def _mutations() -> st.SearchStrategy:
    paths = st.sampled_from(
        [
            ("plan",), ("plan", "id"), ("plan", "status"), ("plan", "start"), ("plan", "end"),
            ("plan", "successor"), ("plan", "board_meetings"), ("partners",), ("areas",),
            ("areas", 0), ("areas", 0, "id"), ("areas", 0, "actions"),
            ("areas", 0, "actions", 0), ("areas", 0, "actions", 0, "status"),
            ("areas", 0, "actions", 0, "due"), ("areas", 0, "actions", 0, "carried_from"),
            ("areas", 0, "actions", 0, "rescheduled"), ("areas", 0, "actions", 0, "updates"),
            ("areas", 0, "actions", 0, "partner"), ("reviews",),
        ]
    )  # fmt: skip
    values = st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.dates(), st.text(max_size=8)),
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.dictionaries(st.sampled_from(PLAN_KEYS), children, max_size=4),
        ),
        max_leaves=10,
    )
    return st.lists(st.tuples(paths, st.one_of(st.just("DELETE"), values)), max_size=4)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutations())
def test_mutated_plans_through_check_never_raise(mutations) -> None:
    data = yaml.safe_load(PLAN)
    for path, value in mutations:
        node = data
        try:
            for part in path[:-1]:
                node = node[part]
            if value == "DELETE":
                del node[path[-1]]
            else:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        result = check([path])
    for f in result.findings:
        assert f.code in CODES
        assert f.line >= 1
        assert f.column >= 1


# --------------------------------------------------------------------------- finding files


def test_discover_finds_plan_files_recursively(tmp_path: Path) -> None:
    for name in ["b.yaml", "a.yml", "C.YAML", "sub/d.yaml", "notes.txt", ".hidden.yaml"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(PLAN)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "e.yaml").write_text(PLAN)
    found, skipped = files.discover([tmp_path])
    base = tmp_path.as_posix()
    assert [p.name for p in found] == [
        f"{base}/C.YAML",
        f"{base}/a.yml",
        f"{base}/b.yaml",
        f"{base}/sub/d.yaml",
    ]
    assert skipped == []


def test_a_file_given_by_name_is_read_whatever_its_suffix(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(PLAN)
    found, _ = files.discover([path])
    assert [p.name for p in found] == [path.as_posix()]


def test_links_inside_the_folder_are_read_once(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(PLAN)
    (tmp_path / "alias.yaml").symlink_to(tmp_path / "plan.yaml")
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "gone.yaml")
    found, skipped = files.discover([tmp_path])
    assert len(found) == 1  # one file, whichever of its two names
    assert Path(found[0].name).name in ("alias.yaml", "plan.yaml")
    assert skipped == []


def test_a_link_leading_outside_the_folder_is_skipped_with_w210(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (tmp_path / "outside.yaml").write_text("not: a plan\n")
    (folder / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    (folder / "plan.yaml").write_text(PLAN)
    result = check([folder])
    assert result.files == (f"{folder.as_posix()}/plan.yaml",)
    [finding] = result.findings
    assert (finding.path, finding.line, finding.column, finding.code) == (
        f"{folder.as_posix()}/link.yaml",
        1,
        1,
        "W210",
    )
    assert str((tmp_path / "outside.yaml").resolve()) in finding.message
    # Given by name, the same link is read: the user asked for it.
    assert [f.code for f in check([folder / "link.yaml"]).findings] == ["E101"]


def test_plain_nulls_and_empty_values_are_null() -> None:
    from send_plan.loader import load_text

    loaded = load_text(
        "n.yaml",
        b"a: ~\nb: null\nc:\nd: ''\ne: '~'\nf: !!null ''\ng: [~, x]\n",
    )
    assert loaded.data == {
        "a": None,
        "b": None,
        "c": None,
        "d": "",
        "e": "~",
        "f": None,
        "g": [None, "x"],
    }


def test_an_empty_list_key_is_an_empty_list(tmp_path: Path) -> None:
    from send_plan.validation import check

    (tmp_path / "p.yaml").write_text(
        "schema_version: 1\nplan: {id: p, local_area: X, kind: other, start: 2019-01-01,"
        " end: 2019-12-31, successor: ~}\nareas:\n  - id: A\n    kind: other\n    actions:\n"
        "      - {id: A1, title: T, lead: L, due: 2019-05-01, status: in-progress,"
        " evidence: , completed: }\n"
    )
    result = check([tmp_path])
    assert result.findings == ()
    assert result.portfolio.plan("p").plan.successor is None  # type: ignore[union-attr]


def test_nesting_up_to_libyamls_limit_is_walked(tmp_path: Path) -> None:
    from send_plan.loader import load_text

    depth = 900
    loaded = load_text("deep.yaml", ("a: " + "[" * depth + "]" * depth + "\n").encode())
    assert loaded.data is not None
    assert not loaded.findings
