"""Excel in and out: export, import, the round trip, a council tracker, bad input."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from send_plan.errors import UsageError
from send_plan.excel import (
    ACTION_COLUMNS,
    PLAN_LIST_SHEETS,
    SHEETS,
    STATE_FILL,
    BadValue,
    ColumnMap,
    export_workbook,
    import_workbook,
    load_mapping,
    parse_date_text,
    read_date,
    read_rag,
    read_status,
    read_updates,
)
from send_plan.loader import load_text
from send_plan.model import Plan, Update
from send_plan.modelcheck import to_model
from send_plan.render.labels import RAG_FILL
from send_plan.validation import require_valid
from send_plan.vocab import ActionStatus, Frequency, Judgement, Polarity, Rag, Unit

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"
MAPPING = ROOT / "docs" / "examples" / "tracker-columns.yaml"
EXAMPLE_IDS = ("wsoa-2018", "send-improvement-plan-2019")
runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    """The command line, export and import among its commands."""
    from send_plan.cli import app

    return app


@pytest.fixture(scope="module")
def examples() -> dict[str, Plan]:
    portfolio = require_valid([PLANS]).portfolio
    return {plan.id: plan for plan in portfolio.valid_plans()}


def run(app: typer.Typer, *args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def model_of(text: str) -> Plan:
    loaded = load_text("imported.yaml", text.encode())
    to_model(loaded)
    assert loaded.plan is not None, loaded.findings
    assert not loaded.partial
    plan: Plan = loaded.plan
    return plan


def read_back(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def save(wb: openpyxl.Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def column_of(ws: Any, heading: str) -> int:
    for cell in ws[1]:
        if cell.value == heading:
            return int(cell.column)
    raise AssertionError(f"no column {heading!r}")


def row_of(ws: Any, action_id: str) -> int:
    col = column_of(ws, "ID")
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=col).value == action_id:
            return row
    raise AssertionError(f"no row for {action_id}")


# --------------------------------------------------------------------------- export


def test_export_writes_every_sheet_with_a_usable_layout(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "wsoa.xlsx"
    code, _, err = run(app, "export", "wsoa-2018", PLANS, "-o", out)
    assert code == 0, err
    assert f"wrote {out}" in err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == list(SHEETS)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert str(ws.auto_filter.ref).startswith("A1:"), ws.title
        assert all(cell.font.bold for cell in ws[1]), ws.title
    actions = wb["Actions"]
    assert [c.value for c in actions[1]] == list(ACTION_COLUMNS.values())
    assert actions.max_row == 1 + 47
    # widths fit: short columns stay narrow, long text is capped and wraps
    assert actions.column_dimensions["C"].width < 15  # ID
    assert 30 <= actions.column_dimensions["D"].width <= 60  # Title


def test_export_dates_are_real_dates_and_rag_cells_are_coloured(
    examples: dict[str, Plan],
) -> None:
    wb = read_back(export_workbook(examples["wsoa-2018"]))
    ws = wb["Actions"]
    row = row_of(ws, "FF1.2")
    due = ws.cell(row=row, column=column_of(ws, "Due"))
    assert due.is_date
    assert due.value == datetime(2018, 12, 31)
    assert due.number_format == "dd/mm/yyyy"
    rag = ws.cell(row=row, column=column_of(ws, "RAG"))
    assert rag.value == "green"
    assert rag.fill.fgColor.rgb.endswith(RAG_FILL["green"])
    updates = ws.cell(row=row, column=column_of(ws, "Updates")).value
    assert updates.splitlines()[0] == (
        "13/07/2018 (amber): Data sources identified; health data awaiting a data sharing "
        "agreement."
    )
    assert len(updates.splitlines()) == 4
    rescheduled = ws.cell(row=row, column=column_of(ws, "Rescheduled")).value
    assert rescheduled.startswith("18/09/2018: 30/09/2018 → 31/12/2018 (approved by SEND")
    # ... and every entry also on its own sheet, keyed by action ID
    upd = wb["Updates"]
    assert [c.value for c in upd[1]] == ["Action", "Date", "RAG", "Note"]
    ff12 = [r for r in upd.iter_rows(min_row=2, values_only=True) if r[0] == "FF1.2"]
    assert len(ff12) == 4
    assert ff12[0][1] == datetime(2018, 7, 13)
    assert [r[0] for r in wb["Rescheduled"].iter_rows(min_row=2, values_only=True)].count(
        "FF1.2"
    ) == 1
    plan_sheet = {r[0]: r[1] for r in wb["Plan"].iter_rows(min_row=2, values_only=True)}
    assert plan_sheet["Plan ID"] == "wsoa-2018"
    assert plan_sheet["Start"] == datetime(2018, 4, 25)
    partners = list(wb["Partners"].iter_rows(min_row=2, values_only=True))
    assert ("lcc", "Lancashire County Council") in partners
    reviews = wb["Reviews"]
    assert reviews.cell(row=4, column=3).value == "amber-green"
    assert reviews.cell(row=4, column=3).fill.fgColor.rgb.endswith(RAG_FILL["amber-green"])
    assert len(list(wb["Board meetings"].iter_rows(min_row=2))) == 7
    assert len(list(wb["Accountable"].iter_rows(min_row=2))) == 2


def test_export_as_of_adds_computed_columns_coloured_by_state(
    app: typer.Typer, tmp_path: Path
) -> None:
    out = tmp_path / "sip.xlsx"
    code, _, err = run(
        app, "export", "send-improvement-plan-2019", PLANS, "-o", out, "--as-of", "2019-11-01"
    )
    assert code == 0, err
    ws = openpyxl.load_workbook(out)["Actions"]
    headings = [c.value for c in ws[1]]
    computed = [h for h in headings if h.endswith("(computed)")]
    assert computed == ["State (computed)", "Days overdue (computed)", "Late start (computed)"]
    state_col = headings.index("State (computed)") + 1
    days_col = headings.index("Days overdue (computed)") + 1
    states = {}
    for row in range(2, ws.max_row + 1):
        cell = ws.cell(row=row, column=state_col)
        states[cell.value] = states.get(cell.value, 0) + 1
        assert cell.fill.fgColor.rgb.endswith(STATE_FILL[cell.value])
        days = ws.cell(row=row, column=days_col).value
        assert (days is not None) == (cell.value == "overdue")
    assert states.get("overdue", 0) > 0
    # and the computed columns are ignored on the way back in
    code, _text, err = run(app, "import", out)
    assert code == 0, err


def test_export_refuses_to_overwrite_without_force(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "wsoa.xlsx"
    out.write_bytes(b"precious")
    code, _, err = run(app, "export", "wsoa-2018", PLANS, "-o", out)
    assert code == 2
    assert "already exists; use --force" in err
    assert out.read_bytes() == b"precious"
    code, _, err = run(app, "export", "wsoa-2018", PLANS, "-o", out, "--force")
    assert code == 0, err
    assert zipfile.is_zipfile(out)


def test_export_usage_errors(app: typer.Typer, tmp_path: Path) -> None:
    code, _, err = run(app, "export", "no-such-plan", PLANS, "-o", tmp_path / "x.xlsx")
    assert code == 2
    assert "no plan 'no-such-plan'" in err
    code, _, err = run(app, "export", "wsoa-2018", PLANS, "-o", tmp_path / "x.csv")
    assert code == 2
    assert ".xlsx" in err
    assert not list(tmp_path.iterdir())


def test_export_refuses_invalid_plans(app: typer.Typer, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((PLANS / "wsoa-2018.yaml").read_text().replace("due: 2018-06-30", "due: soon"))
    code, _, err = run(app, "export", "wsoa-2018", bad, "-o", tmp_path / "x.xlsx")
    assert code == 1
    assert "E106" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_text_that_looks_like_a_formula_stays_text(examples: dict[str, Plan]) -> None:
    plan = _with_title(examples["wsoa-2018"], '=HYPERLINK("http://evil","click")')
    data = export_workbook(plan)
    ws = read_back(data)["Actions"]
    cell = ws.cell(row=2, column=column_of(ws, "Title"))
    assert cell.data_type == "s"
    assert cell.value == plan.areas[0].actions[0].title
    assert cell.quotePrefix  # stays text when someone edits the cell in Excel
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no formula anywhere
    result = import_workbook(data, name="x.xlsx")
    assert result.text is not None
    assert model_of(result.text) == plan


def _with_title(plan: Plan, title: str) -> Plan:
    area = plan.areas[0]
    action = area.actions[0].model_copy(update={"title": title})
    area = area.model_copy(update={"actions": (action, *area.actions[1:])})
    return plan.model_copy(update={"areas": (area, *plan.areas[1:])})


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("plan_id", EXAMPLE_IDS)
def test_round_trip_through_the_command_line_gives_back_the_same_plan(
    app: typer.Typer, tmp_path: Path, examples: dict[str, Plan], plan_id: str
) -> None:
    book = tmp_path / f"{plan_id}.xlsx"
    back = tmp_path / f"{plan_id}.yaml"
    code, _, err = run(app, "export", plan_id, PLANS, "-o", book, "--as-of", "2019-03-19")
    assert code == 0, err
    code, _, err = run(app, "import", book, "-o", back)
    assert code == 0, err
    assert f"wrote {back}" in err
    text = back.read_text(encoding="utf-8")
    assert text.startswith(f"# Imported from {book}")
    assert model_of(text) == examples[plan_id]
    # every action kept its updates, deadline changes, measures and evidence
    original = {a.id: a for _, _, _, a in examples[plan_id].iter_actions()}
    for _, _, _, action in model_of(text).iter_actions():
        assert action.updates == original[action.id].updates
        assert action.rescheduled == original[action.id].rescheduled


def test_the_imported_file_validates_with_the_portfolio(app: typer.Typer, tmp_path: Path) -> None:
    book = tmp_path / "wsoa.xlsx"
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "send-improvement-plan-2019.yaml").write_bytes(
        (PLANS / "send-improvement-plan-2019.yaml").read_bytes()
    )
    assert run(app, "export", "wsoa-2018", PLANS, "-o", book)[0] == 0
    assert run(app, "import", book, "-o", folder / "wsoa-2018.yaml")[0] == 0
    code, out, _ = run(app, "validate", folder)
    assert code == 0, out
    assert "0 errors, 0 warnings" in out


def test_import_to_standard_output(app: typer.Typer, tmp_path: Path) -> None:
    book = tmp_path / "wsoa.xlsx"
    assert run(app, "export", "wsoa-2018", PLANS, "-o", book)[0] == 0
    code, out, _ = run(app, "import", book)
    assert code == 0
    assert "schema_version: 1" in out
    assert list(tmp_path.iterdir()) == [book]


_TEXT_CHARS = st.characters(
    categories=("L", "M", "P", "S", "Zs"), exclude_characters="\u2028\u2029"
) | st.sampled_from("\n\t ")
_SPECIAL = st.sampled_from(
    [
        "=SUM(A1:A9)",
        "=cmd|' /C calc'!A0",
        "+44 for the helpline",
        "-minus",
        "@mention",
        "  padded on both sides  ",
        " leading",
        "trailing ",
        "line one\nline two",
        "ends with a newline\n",
        "\nstarts with a newline",
        'She said "yes"',
        "It's the parents' forum",
        "#N/A",
        "_x000D_ is how Excel writes a carriage return",
        "tab\there",
        "windows\r\nline ends",
        "a lone\rcarriage return",
        "ünïcödé ✓ 😀 — “quotes”",
        "TRUE",
        "1.10",
        "2019-01-31",
        "31/01/2019: looks like an update",
        "• looks like a bullet",
        " ",
    ]
)
TEXT = st.one_of(_SPECIAL, st.text(_TEXT_CHARS, min_size=1, max_size=30))
#: A post or a partner: one line (a Lead cell gives a joint lead one post per line).
LINE = st.one_of(
    _SPECIAL.filter(lambda t: "\n" not in t),
    st.text(_TEXT_CHARS.filter(lambda c: c != "\n"), min_size=1, max_size=30),
)
DATES = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))
RATINGS = tuple(r.value for r in Rag if r is not Rag.BLUE)
LINKS = st.sampled_from(
    [
        "https://www.example.gov.uk/send/survey-2018",
        "http://example.org/report.pdf?year=2019&part=2",
        "https://example.org/a%20b#section-3",
    ]
)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def _one_or_more(strategy: st.SearchStrategy[Any], choices: int = 3) -> st.SearchStrategy[Any]:
    """One entry as text, or a joint list of two or more (a one-item list would come
    back as text: the same post, written the simpler way)."""
    if choices < 2:
        return strategy
    return st.one_of(strategy, st.lists(strategy, min_size=2, max_size=min(choices, 3)))


@st.composite
def _evidence(draw: Callable[..., Any]) -> str | dict[str, Any]:
    """Text, or a dated item with at least one of date, kind and link (an item with a
    title alone would come back as text, which means the same)."""
    if draw(st.booleans()):
        return draw(TEXT)
    given = draw(st.sets(st.sampled_from(["date", "kind", "link"]), min_size=1))
    item: dict[str, Any] = {"title": draw(TEXT)}
    strategies = {"date": DATES, "kind": TEXT, "link": LINKS}
    item.update({key: draw(strategies[key]) for key in sorted(given)})
    return item


@st.composite
def _actions(draw: Callable[..., Any], ident: str, partners: list[str]) -> dict[str, Any]:
    ongoing = draw(st.integers(0, 5)) == 0
    due = draw(DATES)
    start = draw(_maybe(st.dates(min_value=date(2015, 1, 1), max_value=due)))
    status = draw(st.sampled_from(list(ActionStatus)))
    unique_partners = st.lists(
        st.sampled_from(partners), min_size=2, max_size=len(partners), unique=True
    )
    action: dict[str, Any] = {
        "id": ident,
        "title": draw(_maybe(TEXT)),
        "lead": draw(_one_or_more(LINE)),
        "partner": draw(
            _maybe(st.one_of(st.sampled_from(partners), unique_partners))
            if len(partners) > 1
            else _maybe(st.sampled_from(partners))
            if partners
            else st.none()
        ),
        "sro": draw(_maybe(TEXT)),
        "delivery_plan": draw(_maybe(TEXT)),
        "start": start,
        "due": "ongoing" if ongoing else due,
        "status": status.value,
        "rag": draw(  # blue means complete: only on a complete action, and often there
            _maybe(
                st.one_of(st.just("blue"), st.sampled_from(RATINGS))
                if status is ActionStatus.COMPLETE
                else st.sampled_from(RATINGS)
            )
        ),
        "measures": draw(st.lists(TEXT, max_size=3)),
        "evidence": draw(st.lists(_evidence(), max_size=3)),
        "carried_from": draw(_maybe(st.sampled_from(["older-plan/SW1.2", "older-plan/3"]))),
    }
    if status is ActionStatus.COMPLETE:
        action["completed"] = draw(st.dates(min_value=start or date(2015, 1, 1)))
    if status is ActionStatus.WITHDRAWN:
        action["withdrawn_reason"] = draw(TEXT.filter(str.strip))  # spaces alone: E205
    moves = 0 if ongoing else draw(st.integers(0, 2))  # ongoing work has no deadline to move
    if moves:
        chain = [draw(DATES) for _ in range(moves)] + [due]
        action["rescheduled"] = [
            {
                "on": draw(DATES),
                "from": chain[k],
                "to": chain[k + 1],
                "reason": draw(TEXT),
                "approved_by": draw(_maybe(TEXT)),
            }
            for k in range(moves)
        ]
        if draw(st.booleans()):
            action["original_due"] = chain[0]
    elif not ongoing:
        action["original_due"] = draw(_maybe(DATES))
    days = sorted(draw(st.lists(DATES, max_size=3)))
    action["updates"] = [
        {
            "date": d,
            "rag": draw(_maybe(st.sampled_from([r.value for r in Rag]))),
            "note": draw(TEXT),
        }
        for d in days
    ]
    return action


def _figures(unit: str) -> st.SearchStrategy[float]:
    """Figures as plans write them (a workbook cell keeps 16 significant digits):
    percentages 0-100, days and weeks never negative, other units any sign."""
    low, high, places = {"percent": (0, 100, 2), "days": (0, 400, 1), "weeks": (0, 60, 1)}.get(
        unit, (-1_000_000, 1_000_000_000, 3)
    )
    return st.decimals(low, high, places=places).map(float)


@st.composite
def _indicators(
    draw: Callable[..., Any], areas: list[str], actions: list[str], partners: list[str]
) -> list[dict[str, Any]]:
    idents = draw(
        st.lists(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,7}", fullmatch=True), max_size=3)
    )
    out = []
    for ident in dict.fromkeys(idents):  # unique, in order
        unit = draw(st.sampled_from([u.value for u in Unit]))
        polarity = draw(st.sampled_from([p.value for p in Polarity]))
        rated = polarity != "context"  # context indicators have no targets or tolerance
        figure = _figures(unit)
        dates = draw(st.lists(DATES, max_size=4, unique=True))
        out.append(
            {
                "id": ident,
                "title": draw(TEXT),
                "unit": unit,
                "polarity": polarity,
                "frequency": draw(_maybe(st.sampled_from([f.value for f in Frequency]))),
                "owner": draw(_maybe(TEXT)),
                "partner": draw(_maybe(st.sampled_from(partners))) if partners else None,
                "definition": draw(_maybe(TEXT)),
                "source": draw(_maybe(TEXT)),
                "areas": draw(st.lists(st.sampled_from(areas), unique=True, max_size=2)),
                "actions": draw(st.lists(st.sampled_from(actions), unique=True, max_size=3))
                if actions
                else [],
                "tolerance": draw(_maybe(_figures("days"))) if rated else None,
                "baseline": draw(_maybe(st.fixed_dictionaries({"date": DATES, "value": figure}))),
                "targets": [
                    {"by": d, "value": draw(figure)}
                    for d in sorted(draw(st.lists(DATES, max_size=3, unique=True)))
                ]
                if rated
                else [],
                "comparators": [
                    {"name": draw(TEXT), "date": draw(_maybe(DATES)), "value": draw(figure)}
                    for _ in range(draw(st.integers(0, 2)))
                ],
                "values": [
                    {
                        "date": d,
                        "value": draw(figure),
                        "note": draw(_maybe(TEXT)),
                        "provisional": draw(st.booleans()),
                    }
                    for d in sorted(dates)
                ],
                "published": draw(st.booleans()),
            }
        )
    return out


@st.composite
def _areas(draw: Callable[..., Any], i: int, partners: list[str]) -> dict[str, Any]:
    area_id = f"{draw(st.sampled_from(['', 'FF', 'SW', 'P-']))}{i + 1}"
    count = draw(st.integers(0, 5))
    return {
        "id": area_id,
        "kind": draw(st.sampled_from(["fundamental-failing", "priority", "other"])),
        "title": draw(_maybe(TEXT)),
        "description": draw(_maybe(TEXT)),
        "impact": draw(_maybe(TEXT)),
        "updates": [
            {
                "date": d,
                "rag": draw(_maybe(st.sampled_from([r.value for r in Rag]))),
                "note": draw(TEXT),
                "next_steps": draw(_maybe(TEXT)),
            }
            for d in sorted(draw(st.lists(DATES, max_size=2)))
        ],
        "actions": [draw(_actions(f"{area_id}.{j + 1}", partners)) for j in range(count)],
    }


@st.composite
def generated_plans(draw: Callable[..., Any]) -> Plan:
    """Valid plans using every field of the format, with awkward text throughout."""
    start = draw(DATES)
    partners = draw(
        st.lists(st.sampled_from(["lcc", "ccg", "pcf", "nhs-e"]), unique=True, max_size=3)
    )
    areas = [draw(_areas(i, partners)) for i in range(draw(st.integers(1, 3)))]
    area_ids = [a["id"] for a in areas]
    action_ids = [action["id"] for a in areas for action in a["actions"]]
    empty = any(not a["actions"] for a in areas)
    status = "draft" if empty else draw(st.sampled_from(["draft", "active", "closed"]))
    meetings = sorted(set(draw(st.lists(DATES, max_size=4))))
    judgements = st.fixed_dictionaries(
        {"area": st.sampled_from(area_ids), "judgement": st.sampled_from(list(Judgement))},
        optional={"note": TEXT},
    )
    reviews = [
        {
            "date": d,
            "by": draw(TEXT),
            "rating": draw(_maybe(st.sampled_from([r.value for r in Rag]))),
            "summary": draw(_maybe(TEXT)),
            "areas": draw(st.lists(judgements, max_size=3)),
        }
        for d in sorted(set(draw(st.lists(DATES, max_size=2))))
    ]
    data = {
        "schema_version": 1,
        "plan": {
            "id": "generated-plan",
            "title": draw(_maybe(TEXT)),
            "local_area": draw(TEXT),
            "kind": draw(st.sampled_from(["improvement-plan", "other"])),
            "status": status,
            "approved": draw(_maybe(DATES)),
            "start": start,
            "end": draw(_maybe(st.integers(0, 1500).map(lambda n: start + timedelta(days=n)))),
            "successor": "next-plan" if status == "closed" else draw(_maybe(st.just("next-plan"))),
            "board": draw(_maybe(TEXT)),
            "board_meetings": meetings,
            "accountable": [
                {"role": draw(TEXT), "partner": draw(_maybe(st.sampled_from(partners)))}
                for _ in range(draw(st.integers(0, 2)))
            ]
            if partners
            else [],
        },
        "partners": {p: draw(TEXT) for p in partners},
        "reviews": reviews,
        "areas": areas,
        "indicators": draw(_indicators(area_ids, action_ids, partners)),
    }
    return Plan.model_validate(data)


@given(plan=generated_plans(), as_of=_maybe(DATES))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_round_trip_on_generated_plans(plan: Plan, as_of: date | None) -> None:
    data = export_workbook(plan, as_of=as_of)
    result = import_workbook(data, name="generated.xlsx")
    assert result.text is not None, [p.line("generated.xlsx") for p in result.problems]
    assert model_of(result.text) == plan


# --------------------------------------------------------------------------- editing an export


@pytest.fixture
def wsoa_book(examples: dict[str, Plan]) -> openpyxl.Workbook:
    return read_back(export_workbook(examples["wsoa-2018"]))


def test_edits_made_the_way_people_type_them_are_read(
    app: typer.Typer, tmp_path: Path, wsoa_book: openpyxl.Workbook
) -> None:
    ws = wsoa_book["Actions"]
    row = row_of(ws, "FF1.4")
    ws.cell(row=row, column=column_of(ws, "Status")).value = "Completed"
    ws.cell(row=row, column=column_of(ws, "Completed")).value = "31 Jan 2019"
    ws.cell(row=row, column=column_of(ws, "RAG")).value = "G"
    ws.cell(row=row, column=column_of(ws, "Updates")).value = None  # the copy may be cleared
    book = save(wsoa_book, tmp_path / "edited.xlsx")
    code, out, err = run(app, "import", book)
    assert code == 0, err
    action = next(a for _, _, _, a in model_of(out).iter_actions() if a.id == "FF1.4")
    assert action.status is ActionStatus.COMPLETE
    assert action.completed == date(2019, 1, 31)
    assert action.rag is Rag.GREEN
    assert len(action.updates) == 2  # still read from the Updates sheet


def test_a_finding_of_the_rules_names_the_cell(
    app: typer.Typer, tmp_path: Path, wsoa_book: openpyxl.Workbook
) -> None:
    ws = wsoa_book["Actions"]
    row = row_of(ws, "FF1.4")
    status_col = column_of(ws, "Status")
    ws.cell(row=row, column=status_col).value = "complete"  # but no completion date
    book = save(wsoa_book, tmp_path / "edited.xlsx")
    out_file = tmp_path / "out.yaml"
    code, _, err = run(app, "import", book, "-o", out_file)
    assert code == 1
    where = f"{book}:Actions!{get_column_letter(status_col)}{row}"
    assert f"{where}: error E204 [FF1.4] status is complete but 'completed' is missing" in err
    assert "1 problem found; nothing written" in err
    assert not out_file.exists()


def test_a_childs_identifier_is_reported_at_the_cell_that_holds_it(
    tmp_path: Path, wsoa_book: openpyxl.Workbook
) -> None:
    """The privacy rule scans the plan text; its finding still lands on the cell."""
    ws = wsoa_book["Actions"]
    row = row_of(ws, "FF1.4")
    title = get_column_letter(column_of(ws, "Title"))
    ws[f"{title}{row}"] = "Review the case of 943 476 5919"
    ws.cell(row=row, column=column_of(ws, "Updates")).value = None  # the copy may be cleared
    notes = wsoa_book["Updates"]
    notes.append(["FF1.4", date(2019, 1, 20), "amber", "Met the family\n(NHS 9434765919)"])
    note_row = notes.max_row
    book = save(wsoa_book, tmp_path / "edited.xlsx")
    result = import_workbook(book.read_bytes(), name="w.xlsx")
    lines = [p.line("w.xlsx") for p in result.problems]
    assert any(
        line.startswith(f"w.xlsx:Actions!{title}{row}: error E301 [FF1.4]") for line in lines
    ), lines
    assert any(
        line.startswith(f"w.xlsx:Updates!D{note_row}: error E301 [FF1.4]") for line in lines
    ), lines


def test_every_unreadable_cell_is_reported_with_its_place(
    app: typer.Typer, tmp_path: Path, wsoa_book: openpyxl.Workbook
) -> None:
    ws = wsoa_book["Actions"]
    r1, r2 = row_of(ws, "FF1.4"), row_of(ws, "SW1.3")
    cols = {h: get_column_letter(column_of(ws, h)) for h in ("Status", "RAG", "Due", "Updates")}
    ws[f"{cols['Status']}{r1}"] = "Delayed"
    ws[f"{cols['RAG']}{r1}"] = "Purple"
    ws[f"{cols['Due']}{r2}"] = "31/02/2019"
    ws[f"{cols['Updates']}{r2}"] = "31/01/2019: an update typed into the copy"
    ws["A200"] = "FF9"  # an area that does not exist, on a row of its own
    ws["C200"] = "FF9.1"
    book = save(wsoa_book, tmp_path / "edited.xlsx")
    code, _, err = run(app, "import", book, "-o", tmp_path / "out.yaml")
    assert code == 1
    lines = err.splitlines()
    assert f"{book}:Actions!{cols['Status']}{r1}: status 'Delayed' is not one I can read" in err
    assert "a delayed action is in-progress or not-started" in err
    assert f"{book}:Actions!{cols['RAG']}{r1}: RAG rating 'Purple'" in err
    assert f"{book}:Actions!{cols['Due']}{r2}: '31/02/2019' is not a real date" in err
    assert f"{book}:Actions!{cols['Updates']}{r2}: this cell repeats the action's updates" in err
    assert f"{book}:Actions!A200: area 'FF9' is not on the Areas sheet" in err
    assert lines[-1].endswith("5 problems found; nothing written")
    assert not (tmp_path / "out.yaml").exists()


def test_entries_for_an_unknown_action_are_reported(
    app: typer.Typer, tmp_path: Path, wsoa_book: openpyxl.Workbook
) -> None:
    wsoa_book["Updates"].append(["XX9", date(2019, 1, 1), "amber", "A note for nothing"])
    row = wsoa_book["Updates"].max_row
    book = save(wsoa_book, tmp_path / "edited.xlsx")
    code, _, err = run(app, "import", book)
    assert code == 1
    assert f"{book}:Updates!A{row}: no action 'XX9' on the Actions sheet" in err


def test_options_override_the_plan_sheet(
    app: typer.Typer, tmp_path: Path, examples: dict[str, Plan]
) -> None:
    book = tmp_path / "wsoa.xlsx"
    book.write_bytes(export_workbook(examples["wsoa-2018"]))
    code, out, err = run(app, "import", book, "--plan-id", "wsoa-copy", "--title", "A copy")
    assert code == 0, err
    plan = model_of(out)
    assert (plan.plan.id, plan.plan.title) == ("wsoa-copy", "A copy")
    code, _, err = run(app, "import", book, "--plan-id", "Not An Id")
    assert code == 1
    assert f"{book}: --plan-id: error E107" in err


# --------------------------------------------------------------------------- a council tracker

TRACKER_HEADINGS = [
    "Action Ref",
    "Action",
    "Lead Officer",
    "Target Date",
    "Revised Date",
    "Status",
    "Date Completed",
    "RAG",
    "Progress Update",
    "Evidence of Impact",
    "Notes",
]
TRACKER_ROWS: list[list[Any]] = [
    [
        "1.1",
        "Re-establish the SEND Partnership Board",
        "SEND Partnership Manager",
        datetime(2018, 6, 30),
        None,
        "Complete",
        datetime(2018, 6, 11),
        "Blue",  # BRAG: blue is complete
        "11/06/2018: Terms of reference agreed.",
        "• Terms of reference signed off\n• Reports to the HWB from July 2018",
        "Chased by JB",
    ],
    [
        1.2,  # typed as a number in Excel
        "Publish a joint strategic needs assessment for SEND",
        "Head of Business Intelligence",
        datetime(2018, 9, 30),
        datetime(2018, 12, 31),
        "Completed",
        "28 Jan 2019",
        "Amber/Green",
        "15/01/2019 (amber): Draft circulated to partners.\n"
        "09/11/2018: Data sharing agreement signed.\nAnalysis under way.",
        "Draft JSNA published January 2019",
        None,
    ],
    None,  # a blank spacer row
    ["SECTION", "Fundamental failing 2: joint commissioning"],
    [
        "2.1",
        "Agree a joint commissioning strategy",
        "Head of Commissioning, CCGs; Head of Service, Commissioning (LCC)",  # a joint lead
        "31/01/2019",
        "31/01/2019",
        "On track",
        None,
        "A/G",
        "Strategy drafted; consultation with the parent carer forum booked.",
        None,
        "Check with CCG",
    ],
    [
        "2.2",
        "Pool budgets for specialist placements",
        "Director of Commissioning",
        datetime(2019, 3, 31),
        None,
        "Not yet started",
        None,
        "R",
        None,
        None,
        None,
    ],
    None,
    [
        "2.3",
        "Co-produce the short breaks offer with parents",
        "Head of Service, Inclusion",
        "31 March 2019",
        "30/06/2019",
        "Work in progress",
        None,
        "Amber",
        None,
        "1. Survey of 400 families\n2. Co-production group meets monthly",
        None,
    ],
]


def build_tracker(path: Path, rows: list[list[Any] | None] = TRACKER_ROWS) -> Path:
    """A workbook laid out the way a council's WSoA tracker is."""
    wb = openpyxl.Workbook()
    guidance = wb.active
    guidance.title = "Guidance"
    guidance["A1"] = "How to fill in the tracker"
    guidance["A3"] = "Use the RAG key: R, A/G, G. Blue means complete and embedded."
    ws = wb.create_sheet("WSoA Tracker")
    last = get_column_letter(len(TRACKER_HEADINGS))
    ws["A1"] = "Lancashire SEND Written Statement of Action"
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = "Progress tracker: position at 15 January 2019"
    ws.merge_cells(f"A2:{last}2")
    ws.append([])  # row 3: a spacer
    ws.append(TRACKER_HEADINGS)  # row 4: the header
    for row in rows:
        if row is None:
            ws.append([])
        elif row[0] == "SECTION":
            ws.append([row[1]])
            ws.merge_cells(f"A{ws.max_row}:{last}{ws.max_row}")
        else:
            ws.append(row)
    for cell in ws["D"] + ws["E"] + ws["G"]:
        if isinstance(cell.value, datetime):
            cell.number_format = "dd/mm/yyyy"
    wb.move_sheet("WSoA Tracker", offset=-1)  # the tracker first, the guidance after
    return save(wb, path)


TRACKER_OPTIONS = (
    "--plan-id",
    "lancs-wsoa",
    "--local-area",
    "Lancashire",
    "--kind",
    "written-statement-of-action",
    "--start",
    "2018-04-25",
    "--end",
    "2019-06-30",
    "--title",
    "Lancashire WSoA (from the tracker)",
)


def test_a_council_tracker_imports_through_the_example_mapping(
    app: typer.Typer, tmp_path: Path
) -> None:
    tracker = build_tracker(tmp_path / "tracker.xlsx")
    out = tmp_path / "lancs-wsoa.yaml"
    code, _, err = run(app, "import", tracker, "--columns", MAPPING, *TRACKER_OPTIONS, "-o", out)
    assert code == 0, err
    assert "columns not imported: 'Notes' (K)" in err
    assert "skipped a section heading row ('Fundamental failing 2" in err
    text = out.read_text(encoding="utf-8")
    assert "through" not in text.splitlines()[0] or "tracker-columns.yaml" in text
    plan = model_of(text)
    assert plan.plan.id == "lancs-wsoa"
    assert plan.plan.title == "Lancashire WSoA (from the tracker)"
    [area] = plan.areas
    assert (area.id, area.kind.value, area.title) == (
        "A1",
        "other",
        "Actions from the WSoA progress tracker",
    )
    actions = {a.id: a for a in area.actions}
    assert list(actions) == ["1.1", "1.2", "2.1", "2.2", "2.3"]
    a11, a12, a21, a22, a23 = actions.values()
    assert a11.status is ActionStatus.COMPLETE
    assert a11.rag is Rag.BLUE  # "Blue", as the format writes it: complete
    assert a11.completed == date(2018, 6, 11)
    assert a11.due == date(2018, 6, 30)
    assert a11.original_due is None
    assert a11.evidence == ("Terms of reference signed off", "Reports to the HWB from July 2018")
    # a revised date moves due, and the target date becomes original_due
    assert a12.due == date(2018, 12, 31)
    assert a12.original_due == date(2018, 9, 30)
    assert a12.completed == date(2019, 1, 28)
    assert a12.rag is Rag.AMBER_GREEN
    assert [(u.date, u.rag, u.note) for u in a12.updates] == [
        (date(2018, 11, 9), None, "Data sharing agreement signed.\nAnalysis under way."),
        (date(2019, 1, 15), Rag.AMBER, "Draft circulated to partners."),
    ]
    # the same target and revised date: no original_due (it would only warn)
    assert a21.due == date(2019, 1, 31)
    assert a21.original_due is None
    assert a21.status is ActionStatus.IN_PROGRESS
    assert a21.lead == ("Head of Commissioning, CCGs", "Head of Service, Commissioning (LCC)")
    assert a22.lead == "Director of Commissioning"  # one post stays text
    assert a21.rag is Rag.AMBER_GREEN
    assert a21.updates[0].date == date(2019, 1, 15)  # undated: the mapping's update_date
    assert a22.status is ActionStatus.NOT_STARTED
    assert a22.rag is Rag.RED
    assert a23.status is ActionStatus.IN_PROGRESS  # "Work in progress"
    assert a23.rag is Rag.AMBER
    assert a23.due == date(2019, 6, 30)
    assert a23.original_due == date(2019, 3, 31)
    assert a23.evidence == ("Survey of 400 families", "Co-production group meets monthly")
    code, out_text, _ = run(app, "validate", out)
    assert code == 0, out_text


def test_tracker_problems_name_sheet_row_and_column(app: typer.Typer, tmp_path: Path) -> None:
    rows = [list(r) if r else r for r in TRACKER_ROWS]
    rows[0][5] = "Delayed"  # Status of 1.1, row 5
    rows[1][6] = "Jan 2019"  # Date Completed of 1.2, row 6: which day?
    rows[4][3] = "31/02/2019"  # Target Date of 2.1, row 9
    rows[5][7] = "Purple"  # RAG of 2.2, row 10
    rows[7][4] = "06/31/2019"  # Revised Date of 2.3, row 12: month/day order
    tracker = build_tracker(tmp_path / "tracker.xlsx", rows)
    out = tmp_path / "out.yaml"
    code, _, err = run(app, "import", tracker, "--columns", MAPPING, *TRACKER_OPTIONS, "-o", out)
    assert code == 1
    at = f"{tracker}:'WSoA Tracker'!"
    assert f"{at}F5: status 'Delayed' is not one I can read" in err
    assert f"{at}G6: 'Jan 2019' names a month, not a day" in err
    assert f"{at}D9: '31/02/2019' is not a real date" in err
    assert f"{at}H10: RAG rating 'Purple' is not one I can read" in err
    assert (
        f"{at}E12: '06/31/2019' is not a date in day/month/year order; did you mean 31/06/2019?"
        in err
    )
    assert not out.exists()


def test_a_complete_action_with_no_date_points_at_its_status_cell(
    app: typer.Typer, tmp_path: Path
) -> None:
    rows = [list(r) if r else r for r in TRACKER_ROWS]
    rows[0][6] = None  # 1.1 is Complete, but no Date Completed
    tracker = build_tracker(tmp_path / "tracker.xlsx", rows)
    code, _, err = run(app, "import", tracker, "--columns", MAPPING, *TRACKER_OPTIONS)
    assert code == 1
    assert f"{tracker}:'WSoA Tracker'!F5: error E204 [1.1] status is complete" in err


def test_a_tracker_needs_the_plan_details(app: typer.Typer, tmp_path: Path) -> None:
    tracker = build_tracker(tmp_path / "tracker.xlsx")
    out = tmp_path / "x.yaml"
    code, _, err = run(app, "import", tracker, "--columns", MAPPING, "--plan-id", "x", "-o", out)
    assert code == 2
    assert "give the plan's details: --local-area, --kind, --start (or" in err  # no end needed
    assert not out.exists()


def test_a_tracker_needs_a_mapping(app: typer.Typer, tmp_path: Path) -> None:
    tracker = build_tracker(tmp_path / "tracker.xlsx")
    code, _, err = run(app, "import", tracker, *TRACKER_OPTIONS)
    assert code == 2
    assert "give --columns MAP.yaml" in err


def test_a_formula_with_no_saved_result_is_reported(app: typer.Typer, tmp_path: Path) -> None:
    rows = [list(r) if r else r for r in TRACKER_ROWS]
    rows[5][4] = "=D10+30"  # Revised Date of 2.2 computed; openpyxl saves no result
    tracker = build_tracker(tmp_path / "tracker.xlsx", rows)
    code, _, err = run(app, "import", tracker, "--columns", MAPPING, *TRACKER_OPTIONS)
    assert code == 1
    assert f"{tracker}:'WSoA Tracker'!E10: the cell holds a formula (=D10+30)" in err


# --------------------------------------------------------------------------- bad input


def _assert_usage_error(
    app: typer.Typer, tmp_path: Path, book: Path, expected: str, *extra: str | Path
) -> None:
    out = tmp_path / "out.yaml"
    code, _stdout, err = run(app, "import", book, *extra, "-o", out)
    assert code == 2, err
    assert expected in err
    assert len(err.strip().splitlines()) == 1, err  # one clear line
    assert "Traceback" not in err
    assert not out.exists()


def test_not_a_workbook(app: typer.Typer, tmp_path: Path) -> None:
    book = tmp_path / "plan.xlsx"
    book.write_text("Action Ref,Action\n1.1,Publish the JSNA\n")
    _assert_usage_error(app, tmp_path, book, f"{book}: not an Excel workbook (.xlsx)")


def test_a_zip_that_is_not_a_workbook(app: typer.Typer, tmp_path: Path) -> None:
    book = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(book, "w") as zf:
        zf.writestr("readme.txt", "hello")
    _assert_usage_error(app, tmp_path, book, "not an Excel workbook (.xlsx) but a zip file")


def test_a_corrupt_workbook(app: typer.Typer, tmp_path: Path, examples: dict[str, Plan]) -> None:
    data = export_workbook(examples["wsoa-2018"])
    book = tmp_path / "truncated.xlsx"
    book.write_bytes(data[: len(data) // 2])
    _assert_usage_error(app, tmp_path, book, "the workbook is corrupt and cannot be read")
    damaged = bytearray(data)
    start = data.index(b"xl/worksheets/sheet1.xml") + 200  # inside the compressed sheet
    damaged[start : start + 64] = bytes(64)
    book = tmp_path / "damaged.xlsx"
    book.write_bytes(bytes(damaged))
    _assert_usage_error(app, tmp_path, book, "the workbook is corrupt and cannot be read")


def test_a_password_protected_workbook(app: typer.Typer, tmp_path: Path) -> None:
    # What Excel writes when a workbook is encrypted: an OLE compound file that
    # holds an "EncryptedPackage" stream (the header is all import needs to see).
    book = tmp_path / "locked.xlsx"
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    book.write_bytes(header + "EncryptedPackage".encode("utf-16-le") + bytes(1024))
    _assert_usage_error(app, tmp_path, book, "the workbook is password-protected")


def test_a_missing_sheet(app: typer.Typer, tmp_path: Path, wsoa_book: openpyxl.Workbook) -> None:
    del wsoa_book["Reviews"]
    book = save(wsoa_book, tmp_path / "no-reviews.xlsx")
    _assert_usage_error(app, tmp_path, book, f"{book}: no sheet 'Reviews'")


def test_a_sheet_named_that_does_not_exist(app: typer.Typer, tmp_path: Path) -> None:
    tracker = build_tracker(tmp_path / "tracker.xlsx")
    _assert_usage_error(
        app,
        tmp_path,
        tracker,
        f"{tracker}: no sheet 'Tracker 2019' (sheets: 'WSoA Tracker', 'Guidance')",
        "--sheet",
        "Tracker 2019",
        "--columns",
        MAPPING,
        *TRACKER_OPTIONS,
    )


def test_a_missing_column(app: typer.Typer, tmp_path: Path, wsoa_book: openpyxl.Workbook) -> None:
    ws = wsoa_book["Actions"]
    ws.delete_cols(column_of(ws, "Lead"))
    book = save(wsoa_book, tmp_path / "no-lead.xlsx")
    _assert_usage_error(
        app, tmp_path, book, "Actions!A1: the header row has no column 'Lead' (for lead)"
    )


def test_a_tracker_missing_a_mapped_column(app: typer.Typer, tmp_path: Path) -> None:
    tracker = build_tracker(tmp_path / "tracker.xlsx")
    wb = openpyxl.load_workbook(tracker)
    wb["WSoA Tracker"]["C4"] = "Officer"
    save(wb, tracker)
    _assert_usage_error(
        app,
        tmp_path,
        tracker,
        "'WSoA Tracker'!A4: the header row has no column 'Lead Officer' (for lead)",
        "--columns",
        MAPPING,
        *TRACKER_OPTIONS,
    )


def test_no_header_row(app: typer.Typer, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "WSoA Tracker"
    for row in range(1, 40):
        wb.active.append([f"note {row}", "nothing like a header"])
    book = save(wb, tmp_path / "headless.xlsx")
    _assert_usage_error(
        app,
        tmp_path,
        book,
        "'WSoA Tracker': no header row found in the first 30 rows: looked for a row with "
        "the headings 'Action Ref', 'Action', 'Lead Officer'",
        "--columns",
        MAPPING,
        *TRACKER_OPTIONS,
    )


def test_a_missing_file_and_a_bad_mapping_file(app: typer.Typer, tmp_path: Path) -> None:
    _assert_usage_error(app, tmp_path, tmp_path / "nowhere.xlsx", "nowhere.xlsx: no such file")
    tracker = build_tracker(tmp_path / "tracker.xlsx")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("colums:\n  id: Action Ref\n")
    _assert_usage_error(
        app,
        tmp_path,
        tracker,
        f"{mapping}:1:1: unknown key 'colums': did you mean 'columns'?",
        "--columns",
        mapping,
        *TRACKER_OPTIONS,
    )


def test_import_refuses_to_overwrite_without_force(
    app: typer.Typer, tmp_path: Path, examples: dict[str, Plan]
) -> None:
    book = tmp_path / "wsoa.xlsx"
    book.write_bytes(export_workbook(examples["wsoa-2018"]))
    out = tmp_path / "wsoa.yaml"
    out.write_text("precious\n")
    code, _, err = run(app, "import", book, "-o", out)
    assert code == 2
    assert "already exists; use --force" in err
    assert out.read_text() == "precious\n"
    code, _, err = run(app, "import", book, "-o", out, "--force")
    assert code == 0, err
    assert model_of(out.read_text()) == examples["wsoa-2018"]


# --------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-01-31", date(2019, 1, 31)),
        ("31/01/2019", date(2019, 1, 31)),
        ("31/1/2019", date(2019, 1, 31)),
        ("1/2/2019", date(2019, 2, 1)),  # day first, always
        ("31.01.2019", date(2019, 1, 31)),
        ("31-01-2019", date(2019, 1, 31)),
        ("31 Jan 2019", date(2019, 1, 31)),
        ("31 January 2019", date(2019, 1, 31)),
        ("31st January 2019", date(2019, 1, 31)),
        ("Thursday 31 January 2019", date(2019, 1, 31)),
        ("January 31, 2019", date(2019, 1, 31)),
        (" 31 Sept 2019 ".replace("31", "30"), date(2019, 9, 30)),
    ],
)
def test_dates_as_uk_trackers_write_them(text: str, expected: date) -> None:
    assert parse_date_text(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2019", "is not a real date"),
        ("2019-02-30", "is not a real date"),
        ("31/01/19", "2-digit year; write the year in full (e.g. 31/01/2019)"),
        ("12/31/2019", "did you mean 31/12/2019?"),
        ("Jan 2019", "names a month, not a day"),
        ("end of March 2019", "names a month, not a day"),
        ("Friday 31 January 2019", "31 January 2019 was a Thursday"),
        ("Spring term", "is not a date"),
        ("Q3 2019/20", "is not a date"),
    ],
)
def test_dates_that_are_ambiguous_or_impossible(text: str, message: str) -> None:
    with pytest.raises(
        BadValue, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")
    ):
        parse_date_text(text)


def test_date_cells() -> None:
    assert read_date(datetime(2019, 1, 31, 0, 0)) == date(2019, 1, 31)
    assert read_date(43496) == date(2019, 1, 31)  # a date whose format was lost
    assert read_date(None) is None
    assert read_date("  ") is None
    with pytest.raises(BadValue, match="the number 7 is not a date"):
        read_date(7)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Complete", "complete"),
        ("Completed", "complete"),
        ("COMPLETE.", "complete"),
        ("On track", "in-progress"),
        ("In progress", "in-progress"),
        ("in-progress", "in-progress"),
        ("Not yet started", "not-started"),
        ("Not Started", "not-started"),
        ("not_started", "not-started"),
        ("Cancelled", "withdrawn"),
        ("Work in progress", "in-progress"),
        ("WIP", "in-progress"),
        ("Ongoing", "in-progress"),
    ],
)
def test_statuses_as_people_write_them(text: str, status: str) -> None:
    assert read_status(text, {}) == status


@pytest.mark.parametrize(
    ("text", "rag"),
    [
        ("G", "green"),
        ("R", "red"),
        ("A", "amber"),
        ("Amber/Green", "amber-green"),
        ("Green/Amber", "amber-green"),
        ("A/G", "amber-green"),
        ("AG", "amber-green"),
        ("Red-Amber", "red-amber"),
        ("green", "green"),
        ("Not rated", None),
        ("n/a", None),
        ("Blue", "blue"),
        ("B", "blue"),
        ("Complete (blue)", "blue"),
        ("Blue (complete)", "blue"),
    ],
)
def test_rag_as_people_write_it(text: str, rag: str | None) -> None:
    assert read_rag(text, {}) == rag


def test_the_mapping_file_extends_and_overrides_the_tables() -> None:
    mapping = load_mapping(MAPPING.read_bytes(), str(MAPPING))
    assert read_status("complete - Awaiting evidence", mapping.statuses) == "in-progress"
    assert read_rag("BLUE", mapping.rags) == "blue"  # the built-in table: blue is complete
    assert read_rag("tbc", mapping.rags) is None
    text = b"columns: {id: Ref}\nstatuses: {Complete: in-progress}\n"
    override = load_mapping(text, "m.yaml")
    assert read_status("Complete", override.statuses) == "in-progress"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"- just a list\n", "a column mapping must be a YAML mapping"),
        (b"columns: {rescheduled: Changes}\n", "m.yaml:1:11: deadline changes cannot"),
        (b"columns: {dew: Due}\n", "'dew' is not a field a column can fill: did you mean 'due'?"),
        (
            b"columns: {id: A}\nstatuses: {Done: finished}\n",
            "m.yaml:2:18: 'finished' is not a status",
        ),
        (b"columns: {id: A}\nrags: {Purple: purple}\n", "'purple' is not a RAG rating"),
        (b"columns: {id: A}\ncolumns: {id: B}\n", "duplicate key 'columns'"),
        (b"columns: {id: A}\nupdate_date: sometime\n", "'sometime' is not a date"),
    ],
)
def test_mapping_file_mistakes(text: bytes, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace("?", r"\?")):
        load_mapping(text, "m.yaml")


def test_a_status_no_one_can_read_gets_the_yaml_paths_hint() -> None:
    """The same table of words and the same suggestions as a plan file's messages."""
    with pytest.raises(BadValue, match="an action on hold is in-progress or not-started"):
        read_status("On hold", {})
    with pytest.raises(BadValue, match="did you mean 'in-progress'"):
        read_status("in progres", {})


@pytest.mark.parametrize(
    ("text", "posts"),
    [
        ("Head of SEND", "Head of SEND"),
        (
            "Head of SEND; Designated Clinical Officer",
            ["Head of SEND", "Designated Clinical Officer"],
        ),
        (
            "Head of SEND\nDesignated Clinical Officer",
            ["Head of SEND", "Designated Clinical Officer"],
        ),
        (
            "• Head of SEND\r\n• Chair, Parent Carer Forum;",
            ["Head of SEND", "Chair, Parent Carer Forum"],
        ),
        ("Head of SEND;", "Head of SEND"),
    ],
)
def test_lead_cells_of_trackers(text: str, posts: str | list[str]) -> None:
    from send_plan.excel.cells import read_posts

    assert read_posts(text) == posts


def test_lead_cells_of_an_export_keep_each_line_exactly() -> None:
    from send_plan.excel.cells import read_entries

    assert read_entries("Head of SEND; Inclusion") == "Head of SEND; Inclusion"
    assert read_entries(" Head of SEND \n Chair ") == [" Head of SEND ", " Chair "]
    assert read_entries("Head of SEND\n") == "Head of SEND"


def test_progress_update_cells() -> None:
    text = "02/11/2018 - Data agreed.\n  Analysis next.\n15 Jan 2019 (A/G): Draft out."
    assert read_updates(text, {}, None) == [
        {"date": date(2018, 11, 2), "note": "Data agreed.\n  Analysis next."},
        {"date": date(2019, 1, 15), "rag": "amber-green", "note": "Draft out."},
    ]
    with pytest.raises(BadValue, match="this progress update has no date"):
        read_updates("No date here.", {}, None)


def test_tracker_import_in_the_library(tmp_path: Path) -> None:
    tracker = build_tracker(tmp_path / "tracker.xlsx")
    mapping = load_mapping(MAPPING.read_bytes(), "map.yaml")
    details = {
        "id": "t",
        "local_area": "L",
        "kind": "other",
        "start": date(2018, 1, 1),
        "end": date(2019, 12, 31),
    }
    result = import_workbook(
        tracker.read_bytes(), name="t.xlsx", mapping=mapping, plan_details=details
    )
    assert result.ok, [p.line("t.xlsx") for p in result.problems]
    assert (result.plan_id, result.areas, result.actions) == ("t", 1, 5)
    # without a sheet name, the first sheet with the headings is found
    result = import_workbook(
        tracker.read_bytes(),
        name="t.xlsx",
        mapping=ColumnMap(
            columns=mapping.columns,
            rags=mapping.rags,
            update_date=mapping.update_date,
            area=mapping.area,
        ),
        plan_details=details,
    )
    assert result.ok


def test_a_tracker_with_an_area_column_and_partner_names(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Actions"
    ws.append(["Priority", "Priority title", "Ref", "Lead", "Organisation", "Due", "Status"])
    ws.append(
        [
            "P1",
            "Leadership",
            "P1.1",
            "Head of SEND",
            "Testshire County Council",
            datetime(2019, 3, 31),
            "Not started",
        ]
    )
    ws.append(
        [
            "P2",
            "Health",
            "P2.1",
            "Designated Clinical Officer",
            "ccg",
            datetime(2019, 6, 30),
            "On track",
        ]
    )
    ws.append(["P1", None, "P1.2", "Head of SEND", None, datetime(2019, 9, 30), "In progress"])
    mapping = ColumnMap(
        columns={
            "area": "Priority",
            "area_title": "Priority title",
            "id": "Ref",
            "lead": "Lead",
            "partner": "Organisation",
            "due": "Due",
            "status": "Status",
        },
        partners={"lcc": "Testshire County Council", "ccg": "Testshire CCG"},
        area={"kind": "priority"},
    )
    details = {
        "id": "p",
        "local_area": "Testshire",
        "kind": "improvement-plan",
        "start": date(2019, 1, 1),
        "end": date(2020, 12, 31),
    }
    result = import_workbook(
        save(wb, tmp_path / "t.xlsx").read_bytes(),
        name="t.xlsx",
        mapping=mapping,
        plan_details=details,
    )
    assert result.text is not None, [p.line("t.xlsx") for p in result.problems]
    plan = model_of(result.text)
    assert [(a.id, a.kind.value, a.title) for a in plan.areas] == [
        ("P1", "priority", "Leadership"),
        ("P2", "priority", "Health"),
    ]
    assert [a.id for a in plan.areas[0].actions] == ["P1.1", "P1.2"]
    assert plan.areas[0].actions[0].partner == "lcc"  # named, read as its id
    assert plan.areas[1].actions[0].partner == "ccg"
    assert plan.partners == {"lcc": "Testshire County Council", "ccg": "Testshire CCG"}


def test_long_records_round_trip_and_too_long_a_cell_is_refused(
    examples: dict[str, Plan],
) -> None:
    plan = examples["wsoa-2018"]
    area = plan.areas[0]
    action = area.actions[0]
    notes = tuple(
        Update(date=date(2018, 7, 1) + timedelta(days=k), note=f"{k}: " + "progress " * 120)
        for k in range(40)
    )  # about 44,000 characters in all: the readable copy is shortened
    long = action.model_copy(update={"updates": notes})
    plan = plan.model_copy(
        update={
            "areas": (
                area.model_copy(update={"actions": (long, *area.actions[1:])}),
                *plan.areas[1:],
            )
        }
    )
    data = export_workbook(plan)
    ws = read_back(data)["Actions"]
    copy = ws.cell(row=2, column=column_of(ws, "Updates")).value
    assert len(copy) <= 32_767
    assert copy.endswith("… (more on the Updates sheet)")
    result = import_workbook(data, name="long.xlsx")
    assert result.text is not None, [p.line("long.xlsx") for p in result.problems]
    assert model_of(result.text) == plan
    too_long = long.model_copy(update={"title": "x" * 40_000})
    plan = plan.model_copy(
        update={"areas": (area.model_copy(update={"actions": (too_long,)}), *plan.areas[1:])}
    )
    with pytest.raises(UsageError, match="an Excel cell holds at most 32,767"):
        export_workbook(plan)


# --------------------------------------------------------------------------- the format's additions


def _edited(plan: Plan, action_id: str, **changes: Any) -> Plan:
    """The plan with one action changed (validated again, as a plan file would be)."""
    data = plan.model_dump(by_alias=True, exclude_none=True)
    for area in data["areas"]:
        for action in area["actions"]:
            if action["id"] == action_id:
                action.update(changes)
    return Plan.model_validate(data)


def test_export_writes_joint_leads_sro_and_ongoing_work_on_the_actions_sheet(
    examples: dict[str, Plan],
) -> None:
    ws = read_back(export_workbook(examples["send-improvement-plan-2019"]))["Actions"]
    headings = [c.value for c in ws[1]]
    assert headings.index("SRO") == headings.index("Partner") + 1
    joint = row_of(ws, "P1.4")
    cell = ws.cell(row=joint, column=column_of(ws, "Lead"))
    assert cell.value == "Head of Commissioning, CCGs\nHead of Service, Commissioning (LCC)"
    assert cell.alignment.wrap_text  # both posts show
    assert ws.cell(row=joint, column=column_of(ws, "Partner")).value == "ccg\nlcc"
    assert ws.cell(row=joint, column=column_of(ws, "SRO")).value == (
        "Executive Director for Education and Children's Services"
    )
    ongoing = row_of(ws, "P1.6")
    assert ws.cell(row=ongoing, column=column_of(ws, "Due")).value == "ongoing"
    single = row_of(ws, "P1.5")
    assert ws.cell(row=single, column=column_of(ws, "Lead")).value == (
        "Head of Business Intelligence"
    )


def test_export_writes_area_progress_judgements_and_dated_evidence(
    examples: dict[str, Plan],
) -> None:
    wb = read_back(export_workbook(examples["wsoa-2018"]))
    areas = wb["Areas"]
    assert [c.value for c in areas[1]] == ["ID", "Kind", "Title", "Description", "Impact"]
    assert all(r[4] for r in areas.iter_rows(min_row=2, values_only=True))  # every impact
    updates = list(wb["Area updates"].iter_rows(values_only=True))
    assert updates[0] == ("Area", "Date", "RAG", "Note", "Next steps")
    assert len(updates) == 1 + sum(len(a.updates) for a in examples["wsoa-2018"].areas)
    revisit = datetime.combine(examples["wsoa-2018"].reviews[-1].date, datetime.min.time())
    reviews = {r[0]: r for r in wb["Reviews"].iter_rows(min_row=2, values_only=True)}
    assert reviews[revisit][2] is None  # the revisit gives no rating
    judged = list(wb["Judgements"].iter_rows(values_only=True))
    assert judged[0] == ("Review date", "Review by", "Area", "Judgement", "Note")
    assert judged[1] == (
        revisit,
        "Ofsted and CQC",
        "SW1",
        "not-sufficient",
        "Too many EHC plans are still of poor quality.",
    )
    assert len(judged) == 1 + 12
    evidence = wb["Evidence"]
    assert [c.value for c in evidence[1]] == ["Action", "Evidence", "Date", "Kind", "Link"]
    rows = [r for r in evidence.iter_rows(min_row=2, values_only=True) if r[0] == "FF1.2"]
    assert rows == [
        (
            "FF1.2",
            "Draft joint strategic needs assessment for SEND",
            datetime(2019, 1, 21),
            "data",
            "https://www.lancashire.gov.uk/lancashire-insight/",
        )
    ]
    actions = wb["Actions"]
    copy = actions.cell(row=row_of(actions, "FF1.2"), column=column_of(actions, "Evidence"))
    assert copy.value == (
        "• Draft joint strategic needs assessment for SEND (data, 21/01/2019) "
        "<https://www.lancashire.gov.uk/lancashire-insight/>"
    )


def test_export_writes_indicators_a_row_each_with_their_figures_on_their_own_sheets(
    examples: dict[str, Plan],
) -> None:
    wb = read_back(export_workbook(examples["send-improvement-plan-2019"]))
    ws = wb["Indicators"]
    headings = [c.value for c in ws[1]]
    assert headings == list(PLAN_LIST_SHEETS["Indicators"].values())
    first = dict(zip(headings, next(ws.iter_rows(min_row=2, values_only=True)), strict=True))
    assert first["ID"] == "EHC20"
    assert (first["Unit"], first["Polarity"], first["Frequency"]) == (
        "percent",
        "higher-is-better",
        "quarterly",
    )
    assert (first["Baseline date"], first["Baseline value"]) == (datetime(2019, 3, 31), 41.2)
    assert (first["Areas"], first["Actions"], first["Published"]) == ("P3", "P3.19", "yes")
    assert ws.cell(row=2, column=headings.index("Baseline date") + 1).number_format == (
        "dd/mm/yyyy"
    )
    [last] = ws.iter_rows(min_row=7, max_row=7, values_only=True)
    context = dict(zip(headings, last, strict=True))
    assert (context["ID"], context["Areas"], context["Tolerance"]) == ("EHC-REQ", "P1, P3", None)
    values = list(wb["Indicator values"].iter_rows(values_only=True))[:4]
    assert values == [
        ("Indicator", "Date", "Value", "Provisional", "Note"),
        ("EHC20", datetime(2019, 6, 30), 47.8, "no", None),
        (
            "EHC20",
            datetime(2019, 9, 30),
            44.6,
            "no",
            "Requests for assessment rose by a fifth over the summer.",
        ),
        ("EHC20", datetime(2019, 12, 31), 53.9, "yes", None),
    ]
    targets = list(wb["Indicator targets"].iter_rows(min_row=2, max_row=3, values_only=True))
    assert targets == [("EHC20", datetime(2019, 12, 31), 55), ("EHC20", datetime(2020, 3, 31), 60)]
    comparators = list(wb["Indicator comparators"].iter_rows(values_only=True))[:2]
    assert comparators == [
        ("Indicator", "Name", "Date", "Value"),
        ("EHC20", "England", datetime(2018, 12, 31), 60.4),
    ]


def test_every_addition_comes_back_exactly_from_the_example_plans(
    examples: dict[str, Plan],
) -> None:
    read = {}
    for plan in examples.values():
        result = import_workbook(export_workbook(plan), name="x.xlsx")
        assert result.text is not None, [p.line("x.xlsx") for p in result.problems]
        back = read[plan.id] = model_of(result.text)
        assert back == plan
        assert back.indicators == plan.indicators
        assert [a.updates for a in back.areas] == [a.updates for a in plan.areas]
        assert [r.areas for r in back.reviews] == [r.areas for r in plan.reviews]
    sip = {a.id: a for _, _, _, a in read["send-improvement-plan-2019"].iter_actions()}
    assert sip["P1.4"].lead == (
        "Head of Commissioning, CCGs",
        "Head of Service, Commissioning (LCC)",
    )
    assert sip["P1.5"].lead == "Head of Business Intelligence"  # text, not a one-item list
    assert sip["P1.6"].due == "ongoing"


def test_a_plan_without_an_end_and_with_an_unrated_review_round_trips(
    examples: dict[str, Plan],
) -> None:
    plan = examples["send-improvement-plan-2019"]
    plan = plan.model_copy(update={"plan": plan.plan.model_copy(update={"end": None})})
    result = import_workbook(export_workbook(plan), name="x.xlsx")
    assert result.text is not None, [p.line("x.xlsx") for p in result.problems]
    assert model_of(result.text) == plan
    assert "end:" not in result.text.split("areas:")[0]


def test_judgements_of_two_reviews_on_one_day_go_to_the_review_named_by_its_by(
    examples: dict[str, Plan],
) -> None:
    plan = examples["wsoa-2018"]
    revisit = plan.reviews[-1]
    other = revisit.model_copy(
        update={"by": "DfE and NHS England", "rating": Rag.AMBER, "areas": revisit.areas[:1]}
    )
    plan = plan.model_copy(update={"reviews": (*plan.reviews, other)})
    data = export_workbook(plan)
    result = import_workbook(data, name="x.xlsx")
    assert result.text is not None, [p.line("x.xlsx") for p in result.problems]
    assert model_of(result.text) == plan
    wb = read_back(data)
    wb["Judgements"]["B2"] = "Someone else"  # names neither review of that day
    result = import_workbook(_saved(wb), name="x.xlsx")
    assert [p.line("x.xlsx") for p in result.problems] == [
        f"x.xlsx:Judgements!A2: more than one review on the Reviews sheet is dated {revisit.date:%d/%m/%Y}: "
        "give the By of the one this judgement belongs to, as written there"
    ]


def _saved(wb: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_what_means_the_same_comes_back_in_its_simpler_spelling(
    examples: dict[str, Plan],
) -> None:
    """A one-item list of leads is one lead; an evidence item with a title alone is
    that text. Both come back written the simpler way (documented in docs/excel.md)."""
    plan = _edited(
        examples["wsoa-2018"],
        "FF1.1",
        lead=["SEND Partnership Manager"],
        partner=["lcc"],
        evidence=[{"title": "Terms of reference signed off"}],
    )
    result = import_workbook(export_workbook(plan), name="x.xlsx")
    assert result.text is not None
    back = next(a for _, _, _, a in model_of(result.text).iter_actions() if a.id == "FF1.1")
    assert (back.lead, back.partner, back.evidence) == (
        "SEND Partnership Manager",
        "lcc",
        ("Terms of reference signed off",),
    )


def test_export_refuses_what_a_cell_could_not_give_back(examples: dict[str, Plan]) -> None:
    plan = _edited(examples["wsoa-2018"], "FF1.1", lead=["Head of SEND", "Chair\nForum"])
    with pytest.raises(UsageError, match=r"action FF1.1: the lead 'Chair\\nForum' holds a line"):
        export_workbook(plan)
    plan = examples["send-improvement-plan-2019"]
    ind = plan.indicators[0]
    value = ind.values[0].model_copy(update={"value": 0.1 + 0.2})
    odd = ind.model_copy(update={"values": (value, *ind.values[1:])})
    plan = plan.model_copy(update={"indicators": (odd, *plan.indicators[1:])})
    with pytest.raises(UsageError, match=r"the figure 0.30000000000000004 has more digits"):
        export_workbook(plan)


def test_a_workbook_from_before_the_additions_still_imports(
    examples: dict[str, Plan], wsoa_book: openpyxl.Workbook
) -> None:
    later = ("Area updates", "Judgements", "Indicators", "Indicator values")
    later += ("Indicator targets", "Indicator comparators")
    for title in later:
        del wsoa_book[title]
    wsoa_book["Actions"].delete_cols(column_of(wsoa_book["Actions"], "SRO"))
    wsoa_book["Areas"].delete_cols(4, 2)  # Description, Impact
    wsoa_book["Evidence"].delete_cols(3, 3)  # Date, Kind, Link
    actions = wsoa_book["Actions"]  # and so the copy of the dated item, as it was then:
    actions[_cell(actions, row_of(actions, "FF1.2"), "Evidence")] = None
    result = import_workbook(_saved(wsoa_book), name="old.xlsx")
    assert result.text is not None, [p.line("old.xlsx") for p in result.problems]
    notes = [n.line("old.xlsx") for n in result.notes]
    assert (
        "old.xlsx: note: no sheet 'Indicators' (a workbook from an earlier send-plan): none read"
        in notes
    )
    plan = model_of(result.text)
    assert plan.indicators == ()
    assert [a.id for _, _, _, a in plan.iter_actions()] == [
        a.id for _, _, _, a in examples["wsoa-2018"].iter_actions()
    ]


def _problems(wb: openpyxl.Workbook) -> list[str]:
    result = import_workbook(_saved(wb), name="w.xlsx")
    assert result.text is None
    return [p.line("w.xlsx") for p in result.problems]


@pytest.fixture
def sip_book(examples: dict[str, Plan]) -> openpyxl.Workbook:
    return read_back(export_workbook(examples["send-improvement-plan-2019"]))


def _cell(ws: Any, row: int, heading: str) -> str:
    return f"{get_column_letter(column_of(ws, heading))}{row}"


def test_bad_indicator_figures_are_reported_at_their_cells_with_the_models_words(
    sip_book: openpyxl.Workbook,
) -> None:
    ind = sip_book["Indicators"]
    baseline = _cell(ind, 2, "Baseline value")
    ind[baseline] = "45%"
    tolerance = _cell(ind, 3, "Tolerance")
    ind[tolerance] = "five"
    unit = _cell(ind, 4, "Unit")
    ind[unit] = "Percentage"
    published = _cell(ind, 5, "Published")
    ind[published] = "maybe"
    values = sip_book["Indicator values"]
    values["C3"] = "44,6"
    values.append(["NOPE", date(2019, 6, 30), 1])
    unknown = values.max_row
    lines = _problems(sip_book)
    assert lines == [
        f"w.xlsx:Indicators!{unit}: unit 'Percentage' is not one of percent, number, rate, "
        "days, weeks, currency: did you mean 'percent'?",
        f"w.xlsx:Indicators!{published}: 'maybe' is not yes or no: write yes or no (blank for "
        "the default)",
        f"w.xlsx:'Indicator values'!A{unknown}: no indicator 'NOPE' on the Indicators sheet",
        f"w.xlsx:Indicators!{baseline}: error E509 [EHC20] value: '45%' is text, not a number: "
        "write 45",
        "w.xlsx:'Indicator values'!C3: error E509 [EHC20] value: '44,6' is text, not a number: "
        "write 446",
        f"w.xlsx:Indicators!{tolerance}: error E509 [EP6] tolerance: 'five' is not a number: "
        "write the figure in digits, for example 45 or 12.5",
    ]


def test_indicator_rules_are_reported_at_their_cells(sip_book: openpyxl.Workbook) -> None:
    ind = sip_book["Indicators"]
    areas = _cell(ind, 5, "Areas")
    ind[areas] = "P2, P9"
    values = sip_book["Indicator values"]
    values["C3"] = 120  # EHC20 is a percentage
    targets = sip_book["Indicator targets"]
    targets["B3"] = date(2019, 1, 1)  # before the target above it
    assert _problems(sip_book) == [
        "w.xlsx:'Indicator targets'!B3: error E504 [EHC20] this target (2019-01-01) comes "
        "before the one above it (2019-12-31); list targets oldest first, one per date",
        "w.xlsx:'Indicator values'!C3: error E505 [EHC20] 120 is not a percentage: a percent "
        "figure lies between 0 and 100",
        f"w.xlsx:Indicators!{areas}: error E502 [PARENT-EXP] 'P9' is not an area of this plan",
    ]


def test_bad_judgements_area_updates_and_dues_are_reported_at_their_cells(
    wsoa_book: openpyxl.Workbook,
) -> None:
    revisit = wsoa_book["Reviews"]["A5"].value.date()
    judged = wsoa_book["Judgements"]
    judged["D2"] = "Partly"
    judged["D3"] = "Not sufficient"  # read as not-sufficient
    judged["A4"] = revisit + timedelta(days=1)
    updates = wsoa_book["Area updates"]
    updates["A2"] = "XX1"
    updates["D3"] = None  # an update with no note
    actions = wsoa_book["Actions"]
    due = _cell(actions, row_of(actions, "FF1.4"), "Due")
    actions[due] = "when we can"
    assert _problems(wsoa_book) == [
        "w.xlsx:Judgements!D2: judgement 'Partly' is not one of sufficient, not-sufficient",
        f"w.xlsx:Judgements!A4: no review dated {revisit + timedelta(days=1):%d/%m/%Y} on the "
        "Reviews sheet",
        "w.xlsx:'Area updates'!A2: no area 'XX1' on the Areas sheet",
        f"w.xlsx:Actions!{due}: 'when we can' is not a date: write it as 31/01/2019 "
        "(day/month/year) or 2019-01-31",
        "w.xlsx:'Area updates'!A3: error E102 [FF1] this area update is missing required key "
        "'note'",
    ]


def test_rules_about_the_additions_are_reported_at_their_cells(
    wsoa_book: openpyxl.Workbook,
) -> None:
    revisit = wsoa_book["Reviews"]["A5"].value.date()
    wsoa_book["Judgements"]["C3"] = "SW99"
    evidence = wsoa_book["Evidence"]
    item = next(r for r in range(2, evidence.max_row + 1) if evidence[f"E{r}"].value)
    evidence[f"E{item}"] = "javascript:alert(1)"
    actions = wsoa_book["Actions"]
    ongoing = row_of(actions, "FF1.2")  # has an original due date and a deadline change
    actions[_cell(actions, ongoing, "Due")] = "Ongoing"
    actions[_cell(actions, ongoing, "Rescheduled")] = None
    actions[_cell(actions, ongoing, "Evidence")] = None
    rag = _cell(actions, row_of(actions, "FF1.4"), "RAG")
    actions[rag] = "Blue"  # FF1.4 is in progress
    original = _cell(actions, ongoing, "Original due")
    moved = _rescheduled_row(wsoa_book, "FF1.2")
    assert sorted(_problems(wsoa_book)) == sorted(  # in the plan file's order
        [
            f"w.xlsx:Actions!{original}: error E216 [FF1.2] 'original_due' is set but the action is "
            "due: ongoing (no deadline to move); remove 'original_due', or give due a date",
            f"w.xlsx:Rescheduled!A{moved}: error E216 [FF1.2] 'rescheduled' is set but the action "
            "is due: ongoing (no deadline to move); remove 'rescheduled', or give due a date",
            f"w.xlsx:Actions!{rag}: error E217 [FF1.4] rag is blue (complete) but status is "
            "in-progress; rate it red to green until it is complete, or set status: complete",
            f"w.xlsx:Judgements!C3: error E218 the review of {revisit} judges area 'SW99', which is "
            "not an area of this plan: did you mean 'SW9'?",
            f"w.xlsx:Evidence!E{item}: error E219 [FF1.2] evidence link 'javascript:alert(1)' is "
            "not a web address: give an http:// or https:// link (plans are published, so other "
            "kinds of link are refused)",
        ]
    )


def _rescheduled_row(wb: openpyxl.Workbook, action_id: str) -> int:
    ws = wb["Rescheduled"]
    return next(r for r in range(2, ws.max_row + 1) if ws[f"A{r}"].value == action_id)


# --------------------------------------------------------------------------- trackers as councils keep them

PRIORITY_DETAILS = {
    "id": "apm",
    "local_area": "Testshire",
    "kind": "accelerated-progress-plan",
    "start": date(2020, 4, 1),  # and no end: accelerated progress plans often have none
}


def _tracker(tmp_path: Path, headings: list[str], rows: list[list[Any]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "APP tracker"
    ws.append(headings)
    for row in rows:
        ws.append(row)
    return save(wb, tmp_path / "app.xlsx").read_bytes()


def test_findings_on_an_action_with_a_generated_id_name_the_id_and_the_row(
    tmp_path: Path,
) -> None:
    data = _tracker(
        tmp_path,
        ["Weakness", "Action", "Lead officer", "Organisation", "SRO", "Deadline", "Status", "BRAG"],
        [
            [
                "SW3",
                "Recruit EHC coordinators",
                "Head of SEND\nDesignated Clinical Officer",
                "Testshire County Council; Testshire ICB",
                "Director of Children's Services",
                datetime(2020, 9, 30),
                "Work in progress",
                "Amber",
            ],
            [
                "SW3",
                "Quality assure every new EHC plan",
                "Head of SEND; Principal Educational Psychologist",
                "lcc",
                None,
                "Ongoing",
                "Complete",
                "Complete (blue)",
            ],
            [
                "SW 6",
                "Cut autism waits",
                "Designated Clinical Officer",
                "icb",
                None,
                "31/03/2021",
                "Not started",
                None,
            ],
            [
                "SW3",
                "Publish the EHC timeliness dashboard",
                "Head of Business Intelligence",
                None,
                None,
                datetime(2020, 6, 30),
                "Done",
                "Blue",
            ],
        ],
    )
    mapping = ColumnMap(
        columns={
            "area": "Weakness",
            "title": "Action",
            "lead": "Lead officer",
            "partner": "Organisation",
            "sro": "SRO",
            "due": "Deadline",
            "status": "Status",
            "rag": "BRAG",
        },
        partners={"lcc": "Testshire County Council", "icb": "Testshire ICB"},
        area={"kind": "significant-weakness"},
    )
    result = import_workbook(data, name="app.xlsx", mapping=mapping, plan_details=PRIORITY_DETAILS)
    lines = [p.line("app.xlsx") for p in result.problems]
    # the two complete actions have no completion date (no column for it is mapped)
    assert lines == [
        "app.xlsx:'APP tracker'!G3: error E204 [SW3.2] status is complete but 'completed' is "
        "missing; add the date it was completed (completed: YYYY-MM-DD)",
        "app.xlsx:'APP tracker'!G5: error E204 [SW3.3] status is complete but 'completed' is "
        "missing; add the date it was completed (completed: YYYY-MM-DD)",
    ]


def test_a_tracker_with_no_id_column_imports_and_says_how_many_ids_it_made(
    tmp_path: Path,
) -> None:
    data = _tracker(
        tmp_path,
        [
            "Weakness",
            "Action",
            "Lead officer",
            "Organisation",
            "SRO",
            "Deadline",
            "Done on",
            "Status",
            "BRAG",
        ],
        [
            [
                "SW3",
                "Recruit EHC coordinators",
                "Head of SEND\nDesignated Clinical Officer",
                "Testshire County Council; Testshire ICB",
                "Director of Children's Services",
                datetime(2020, 9, 30),
                None,
                "Work in progress",
                "Amber",
            ],
            [
                "SW3",
                "Quality assure every new EHC plan",
                "Head of SEND; Principal Educational Psychologist",
                "lcc",
                None,
                "Ongoing",
                None,
                "In progress",
                "Green",
            ],
            [
                "SW 6",
                "Cut autism waits",
                "Designated Clinical Officer",
                "icb",
                None,
                "31/03/2021",
                None,
                "Not started",
                None,
            ],
            [
                "SW3",
                "Publish the EHC timeliness dashboard",
                "Head of Business Intelligence",
                None,
                None,
                datetime(2020, 6, 30),
                datetime(2020, 6, 26),
                "Done",
                "Complete (blue)",
            ],
        ],
    )
    mapping = ColumnMap(
        columns={
            "area": "Weakness",
            "title": "Action",
            "lead": "Lead officer",
            "partner": "Organisation",
            "sro": "SRO",
            "due": "Deadline",
            "completed": "Done on",
            "status": "Status",
            "rag": "BRAG",
        },
        partners={"lcc": "Testshire County Council", "icb": "Testshire ICB"},
        area={"kind": "significant-weakness"},
    )
    result = import_workbook(data, name="app.xlsx", mapping=mapping, plan_details=PRIORITY_DETAILS)
    assert result.text is not None, [p.line("app.xlsx") for p in result.problems]
    notes = [n.line("app.xlsx") for n in result.notes]
    assert (
        "app.xlsx: note: the mapping names no column for id, so 4 action IDs were generated "
        "from each action's area and its place in it (SW3.1, SW3.2, SW3.3, ...)"
    ) in notes
    plan = model_of(result.text)
    assert plan.plan.end is None
    assert [(a.id, [x.id for x in a.actions]) for a in plan.areas] == [
        ("SW3", ["SW3.1", "SW3.2", "SW3.3"]),
        ("SW 6", ["SW-6.1"]),  # a space cannot be in an action id
    ]
    first, ongoing, dashboard = plan.areas[0].actions
    assert first.lead == ("Head of SEND", "Designated Clinical Officer")
    assert first.partner == ("lcc", "icb")  # named, read as their ids
    assert first.sro == "Director of Children's Services"
    assert first.status is ActionStatus.IN_PROGRESS  # "Work in progress"
    assert ongoing.lead == ("Head of SEND", "Principal Educational Psychologist")
    assert ongoing.due == "ongoing"
    assert ongoing.partner == "lcc"
    assert dashboard.rag is Rag.BLUE  # "Complete (blue)"
    assert dashboard.lead == "Head of Business Intelligence"


def test_a_tracker_with_neither_id_nor_area_column_numbers_the_default_area(
    tmp_path: Path,
) -> None:
    tracker = build_tracker(tmp_path / "tracker.xlsx")
    mapping = load_mapping(MAPPING.read_bytes(), "map.yaml")
    columns = {f: h for f, h in mapping.columns.items() if f != "id"}
    result = import_workbook(
        tracker.read_bytes(),
        name="t.xlsx",
        mapping=ColumnMap(
            columns=columns,
            sheet=mapping.sheet,
            area=mapping.area,
            update_date=mapping.update_date,
        ),
        plan_details=PRIORITY_DETAILS,
    )
    assert result.text is not None, [p.line("t.xlsx") for p in result.problems]
    assert [a.id for _, _, _, a in model_of(result.text).iter_actions()] == [
        "A1.1",
        "A1.2",
        "A1.3",
        "A1.4",
        "A1.5",
    ]
    assert any("5 action IDs were generated" in n.line("t.xlsx") for n in result.notes)


def test_blue_on_open_work_in_a_tracker_is_reported_at_its_cell(
    app: typer.Typer, tmp_path: Path
) -> None:
    rows = [list(r) if r else r for r in TRACKER_ROWS]
    rows[4][7] = "Blue"  # 2.1 is on track, row 9
    tracker = build_tracker(tmp_path / "tracker.xlsx", rows)
    code, _, err = run(app, "import", tracker, "--columns", MAPPING, *TRACKER_OPTIONS)
    assert code == 1
    assert f"{tracker}:'WSoA Tracker'!H9: error E217 [2.1] rag is blue (complete)" in err


def test_a_mapping_can_name_an_sro_column(tmp_path: Path) -> None:
    text = b"columns: {id: Ref, lead: Lead, sro: Senior officer, due: Due, status: Status}\n"
    mapping = load_mapping(text, "m.yaml")
    data = _tracker(
        tmp_path,
        ["Ref", "Lead", "Senior officer", "Due", "Status"],
        [["1", "Head of SEND", "Director of Education", "30/09/2020", "Not started"]],
    )
    result = import_workbook(data, name="t.xlsx", mapping=mapping, plan_details=PRIORITY_DETAILS)
    assert result.text is not None, [p.line("t.xlsx") for p in result.problems]
    [action] = model_of(result.text).areas[0].actions
    assert action.sro == "Director of Education"
