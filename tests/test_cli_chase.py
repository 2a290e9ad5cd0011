"""`send-plan chase` through the command line, on real files: each format, the
e-mail files parsed back, the contacts file, atomic output, and no network."""

from __future__ import annotations

import json
import socket
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from send_plan.cli import app
from send_plan.contacts import parse_address
from send_plan.files import write_folder_atomic
from send_plan.formats.eml import file_names, slug

ROOT = Path(__file__).resolve().parent.parent
PLANS = str(ROOT / "plans")
AS_OF = ["--as-of", "2019-11-01"]
EPOCH = {"SOURCE_DATE_EPOCH": "1572598800"}  # 1 November 2019, 09:00 UTC
runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def parse(path: Path) -> EmailMessage:
    with path.open("rb") as f:
        message = BytesParser(policy=policy.default).parse(f)
    assert isinstance(message, EmailMessage)
    return message


def small_plan(tmp_path: Path, **extra: Any) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    doc = {
        "schema_version": 1,
        "plan": {
            "id": "p",
            "title": "Plan <p> & co",
            "local_area": "Lancashire",
            "kind": "accelerated-progress-plan",
            "start": "2019-01-01",
            "board_meetings": ["2019-03-01", "2020-01-21"],
        },
        "areas": [
            {
                "id": "A1",
                "kind": "priority",
                "title": "Area one",
                "actions": [
                    {
                        "id": "A1.1",
                        "title": "Publish <script>alert(1)</script> the offer",
                        "lead": ["Head of SEND Service", "Designated Clinical Officer"],
                        "due": "2019-10-31",
                        "status": "in-progress",
                        "updates": [{"date": "2019-02-01", "note": "Drafted & sent."}],
                    },
                    {
                        "id": "A1.2",
                        "title": "Train staff",
                        "lead": "Head of SEND Service",
                        "due": "2019-12-31",
                        "status": "in-progress",
                    },
                    {
                        "id": "A1.3",
                        "title": "Audit plans",
                        "lead": "Head of SEND Service",
                        "due": "2019-09-30",
                        "status": "not-started",
                        "start": "2019-02-01",
                    },
                ],
            }
        ],
        **extra,
    }
    (folder / "p.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return folder


def contacts_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "private" / "contacts.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- json, md


def test_json_shape_on_the_example_plans() -> None:
    code, out, _ = run("chase", PLANS, *AS_OF, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["as_of"] == "2019-11-01"
    assert doc["leads"]
    for lead in doc["leads"]:
        assert set(lead) >= {"lead", "address", "actions", "indicators"}
        assert lead["address"] is None
        assert lead["actions"] or lead["indicators"]
        for a in lead["actions"]:
            assert set(a) >= {
                "plan", "id", "title", "due", "state", "days_overdue", "reasons", "latest_update",
            }  # fmt: skip
            assert a["reasons"]
            if a["latest_update"] is not None:
                assert a["latest_update"]["date"] <= "2019-11-01"
        for i in lead["indicators"]:
            assert set(i) >= {"plan", "id", "title", "reasons"}
            assert set(i["reasons"]) <= {"late-data", "red"}
    chair = next(d for d in doc["leads"] if d["lead"] == "Chair, Parent Carer Forum")
    assert chair["actions"][0]["id"] == "P2.9"
    assert chair["actions"][0]["reasons"] == ["overdue", "stale"]
    assert chair["actions"][0]["days_overdue"] == 32


def test_plan_and_lead_filters() -> None:
    code, out, _ = run(
        "chase", PLANS, *AS_OF, "-f", "json", "--plan", "send-improvement-plan-2019",
        "--lead", "parent carer",
    )  # fmt: skip
    assert code == 0
    assert [d["lead"] for d in json.loads(out)["leads"]] == ["Chair, Parent Carer Forum"]


def test_unknown_plan_is_one_line_exit_2() -> None:
    code, _, err = run("chase", PLANS, *AS_OF, "--plan", "nope")
    assert code == 2
    assert err.count("\n") == 1
    assert "no plan 'nope'" in err


def test_invalid_plans_exit_1(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("schema_version: 2\n", encoding="utf-8")
    code, _, err = run("chase", str(tmp_path), *AS_OF)
    assert code == 1
    assert "Traceback" not in err


def test_markdown_has_a_section_per_lead_with_what_is_asked(tmp_path: Path) -> None:
    plans = small_plan(tmp_path)
    code, out, _ = run("chase", str(plans), *AS_OF, "--format", "md")
    assert code == 0
    assert out.startswith("# Before the board")
    assert out.index("## Designated Clinical Officer") < out.index("## Head of SEND Service")
    section = out[out.index("## Head of SEND Service") :]
    assert "3 actions to update before the board on 21 January 2020" in section
    assert "agree a new date through the board" in section
    assert "has not started: start it" in section
    assert "&lt;script&gt;" in out
    assert "<script>" not in out


def test_md_and_json_to_a_file_refuse_to_overwrite(tmp_path: Path) -> None:
    plans = small_plan(tmp_path)
    target = tmp_path / "chase.json"
    assert run("chase", str(plans), *AS_OF, "-f", "json", "-o", str(target))[0] == 0
    assert json.loads(target.read_text())["leads"]
    code, _, err = run("chase", str(plans), *AS_OF, "-f", "json", "-o", str(target))
    assert code == 2
    assert "--force" in err
    assert run("chase", str(plans), *AS_OF, "-f", "md", "-o", str(target), "--force")[0] == 0
    assert target.read_text().startswith("# Before the board")


# --------------------------------------------------------------------------- eml


def test_eml_one_message_per_lead_parsed_back(tmp_path: Path) -> None:
    plans = small_plan(tmp_path)
    contacts = contacts_file(tmp_path, "Head of SEND Service: send.head@example.gov.uk\n")
    out = tmp_path / "out"
    code, _, err = run(
        "chase", str(plans), *AS_OF, "--contacts", str(contacts), "--from",
        "Analyst <analyst@example.gov.uk>", "-f", "eml", "-o", str(out), env=EPOCH,
    )  # fmt: skip
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == [
        "designated-clinical-officer.eml",
        "head-of-send-service.eml",
    ]
    head = parse(out / "head-of-send-service.eml")
    assert head["To"] == "Head of SEND Service <send.head@example.gov.uk>"
    assert head["To"].addresses[0].addr_spec == "send.head@example.gov.uk"
    assert head["From"] == "Analyst <analyst@example.gov.uk>"
    subject = "SEND plan: 3 actions to update before the board on 21 January 2020"
    assert head["Subject"] == subject
    assert head["Date"].datetime.isoformat() == "2019-11-01T09:00:00+00:00"
    assert head["X-Unsent"] == "1"
    assert head.get_content_type() == "multipart/alternative"
    plain = head.get_body(("plain",))
    rich = head.get_body(("html",))
    assert plain is not None
    assert rich is not None
    text = plain.get_content()
    assert text.startswith("Dear Head of SEND Service,")
    for ident in ("A1.1", "A1.2", "A1.3"):
        assert ident in text
    assert text.index("A1.3") < text.index("A1.1") < text.index("A1.2")  # most days overdue first
    page = rich.get_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in page
    assert "Drafted &amp; sent." in page
    # the lead missing from the contacts file: no To:, and a warning naming the lead
    dco = parse(out / "designated-clinical-officer.eml")
    assert dco["To"] is None
    assert "'Designated Clinical Officer' is not in the contacts file" in err
    assert dco["Subject"] == "SEND plan: 1 action to update before the board on 21 January 2020"


def test_eml_is_reproducible(tmp_path: Path) -> None:
    plans = small_plan(tmp_path)
    args = ["chase", str(plans), *AS_OF, "-f", "eml"]
    assert run(*args, "-o", str(tmp_path / "a"), env=EPOCH)[0] == 0
    assert run(*args, "-o", str(tmp_path / "b"), env=EPOCH)[0] == 0
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


def test_eml_without_contacts_warns_once(tmp_path: Path) -> None:
    plans = small_plan(tmp_path)
    code, _, err = run("chase", str(plans), *AS_OF, "-f", "eml", "-o", str(tmp_path / "o"))
    assert code == 0
    assert "no --contacts given" in err
    assert "nothing was sent" in err


def test_eml_needs_a_folder(tmp_path: Path) -> None:
    code, _, err = run("chase", str(small_plan(tmp_path)), *AS_OF, "-f", "eml")
    assert code == 2
    assert "-o DIR" in err


def test_eml_refuses_a_non_empty_folder_without_force(tmp_path: Path) -> None:
    plans = small_plan(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    args = ["chase", str(plans), *AS_OF, "-f", "eml", "-o", str(out)]
    code, _, err = run(*args)
    assert code == 2
    assert "not empty" in err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert run(*args, "--force")[0] == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "designated-clinical-officer.eml",
        "head-of-send-service.eml",
    ]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_eml_into_an_empty_folder_and_never_through_a_link(tmp_path: Path) -> None:
    plans = small_plan(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("chase", str(plans), *AS_OF, "-f", "eml", "-o", str(empty))[0] == 0
    assert len(list(empty.iterdir())) == 2
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "link"
    link.symlink_to(elsewhere)
    code, _, err = run("chase", str(plans), *AS_OF, "-f", "eml", "-o", str(link), "--force")
    assert code == 2
    assert "symbolic link" in err
    assert list(elsewhere.iterdir()) == []


def test_a_failure_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.eml").write_bytes(b"old")
    calls = []
    real_fsync = __import__("os").fsync

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr("send_plan.files.os.fsync", failing_fsync)
    from send_plan.errors import PathError

    with pytest.raises(PathError, match="No space left"):
        write_folder_atomic(out, [("a.eml", b"a"), ("b.eml", b"b")], force=True)
    assert [p.name for p in out.iterdir()] == ["old.eml"]  # the old folder as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary folder


def test_a_name_with_a_separator_is_refused(tmp_path: Path) -> None:
    from send_plan.errors import PathError

    with pytest.raises(PathError, match="not a plain file name"):
        write_folder_atomic(tmp_path / "out", [("../escape.eml", b"x")])
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "escape.eml").exists()


def test_no_socket_is_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("send-plan chase opened a network connection")

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname", "getfqdn"):
        monkeypatch.setattr(socket, name, refuse)
    plans = small_plan(tmp_path)
    contacts = contacts_file(tmp_path, "Head of SEND Service: send.head@example.gov.uk\n")
    for fmt in ("md", "json"):
        assert run("chase", str(plans), *AS_OF, "-f", fmt, "--contacts", str(contacts))[0] == 0
    code, _, err = run(
        "chase", str(plans), *AS_OF, "--contacts", str(contacts), "--from",
        "analyst@example.gov.uk", "-f", "eml", "-o", str(tmp_path / "out"),
    )  # fmt: skip
    assert code == 0, err
    assert len(list((tmp_path / "out").iterdir())) == 2


# --------------------------------------------------------------------------- contacts


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a@example.gov.uk\n", "a contacts file is a YAML mapping"),
        ("", "a contacts file is a YAML mapping"),
        ("Head of SEND Service: not an address\n", ":1:23: 'not an address' is not an e-mail"),
        ("A: a@example.gov.uk\nB: b@@example.gov.uk\n", ":2:4:"),
        ("A: a@example.gov.uk\nB:\n", ":2:1: 'B' is given nothing"),
        ("A: [a@example.gov.uk, b@example.gov.uk]\n", "a list or mapping"),
        ("A: a@example.gov.uk, b@example.gov.uk\n", "not one e-mail address"),
        ("A: a@localhost\n", "is not a mail domain"),
        ("A: a@example.gov.uk\nA: b@example.gov.uk\n", ":2:1:"),  # a duplicate key
        ("A: [unclosed\n", "contacts.yaml:"),
    ],
)
def test_a_bad_contacts_file_is_one_clear_line(tmp_path: Path, text: str, message: str) -> None:
    plans = small_plan(tmp_path)
    contacts = contacts_file(tmp_path, text)
    code, _, err = run("chase", str(plans), *AS_OF, "--contacts", str(contacts))
    assert code == 2
    assert err.count("\n") == 1, err
    assert message in err
    assert "Traceback" not in err


def test_contacts_inside_the_plans_folder_are_refused(tmp_path: Path) -> None:
    plans = small_plan(tmp_path)
    inside = plans / "private" / "contacts.yaml"
    inside.parent.mkdir()
    inside.write_text("Head of SEND Service: send.head@example.gov.uk\n")
    code, _, err = run("chase", str(plans), *AS_OF, "--contacts", str(inside))
    assert code == 2
    assert "plans are published" in err
    # a link outside that leads into the plans folder is seen through
    link = tmp_path / "contacts-link.yaml"
    link.symlink_to(inside)
    code, _, err = run("chase", str(plans), *AS_OF, "--contacts", str(link))
    assert code == 2
    assert "plans are published" in err


def test_a_missing_contacts_file_and_a_bad_from(tmp_path: Path) -> None:
    plans = small_plan(tmp_path)
    code, _, err = run("chase", str(plans), *AS_OF, "--contacts", str(tmp_path / "none.yaml"))
    assert (code, "no such file" in err) == (2, True)
    code, _, err = run("chase", str(plans), *AS_OF, "--from", "nobody")
    assert (code, err.startswith("send-plan: error: --from:")) == (2, True)


def test_contacts_warning_suggests_the_nearest_post(tmp_path: Path) -> None:
    plans = small_plan(tmp_path)
    contacts = contacts_file(
        tmp_path,
        "Head of SEND service: send.head@example.gov.uk\n"
        "Designated Clinical Officer: Dr A <dco@example.nhs.uk>\n",
    )
    code, out, err = run("chase", str(plans), *AS_OF, "-f", "json", "--contacts", str(contacts))
    assert code == 0
    assert "did you mean 'Head of SEND service'?" in err
    addresses = {d["lead"]: d["address"] for d in json.loads(out)["leads"]}
    assert addresses == {
        "Designated Clinical Officer": "Dr A <dco@example.nhs.uk>",
        "Head of SEND Service": None,
    }


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("send@example.gov.uk", True),
        ("SEND Team <send@example.gov.uk>", True),
        ('"Head of Service, Inclusion" <inclusion@example.gov.uk>', True),
        ("send@example", False),
        ("send at example.gov.uk", False),
        ("send@exa_mple.gov.uk", False),
        ("send@-example.gov.uk", False),
        ("sénd@example.gov.uk", False),
        ("team: a@example.gov.uk;", False),
        ("", False),
    ],
)
def test_addresses_checked_for_form(text: str, ok: bool) -> None:
    if ok:
        assert parse_address(text)
    else:
        with pytest.raises(ValueError, match=r"e-mail|domain|empty"):
            parse_address(text)


# --------------------------------------------------------------------------- file names


def test_file_names_are_safe_everywhere_and_unique() -> None:
    posts = [
        "Head of Service, Inclusion",
        "Head of Service: Inclusion",  # slugs alike: a suffix
        "Directrice adjointe, Éducation",
        "CON",
        "com1",
        "***",
        "A " + "very long post title " * 10,
        "Head of Service, Inclusion!",
    ]
    names = file_names(posts)
    assert names[:6] == [
        "head-of-service-inclusion.eml",
        "head-of-service-inclusion-2.eml",
        "directrice-adjointe-education.eml",
        "con-lead.eml",
        "com1-lead.eml",
        "lead.eml",
    ]
    assert names[7] == "head-of-service-inclusion-3.eml"
    assert len({n.lower() for n in names}) == len(names)
    for name in names:
        stem = name.removesuffix(".eml")
        assert len(stem) <= 60
        assert stem == stem.strip("-")
        assert all(c.isascii() and (c.isalnum() or c == "-") for c in stem)
    assert slug("Head of SEND Service") == "head-of-send-service"


def test_nothing_to_chase_writes_an_empty_folder(tmp_path: Path) -> None:
    plans = small_plan(tmp_path)
    out = tmp_path / "out"
    nobody = ["--lead", "nobody"]
    code, _, err = run("chase", str(plans), *AS_OF, *nobody, "-f", "eml", "-o", str(out))
    assert code == 0
    assert "nothing to chase" in err
    assert list(out.iterdir()) == []
    code, text, _ = run("chase", str(plans), *AS_OF, *nobody)
    assert "Nothing to chase" in text


def test_the_readme_shows_real_output() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = '$ send-plan chase --as-of 2020-01-06 --lead "educational psychologist"\n'
    shown = readme[readme.index(command) + len(command) :]
    shown = shown[: shown.index("```")]
    code, out, _ = run(
        "chase", PLANS, "--as-of", "2020-01-06", "--lead", "educational psychologist"
    )
    assert code == 0
    assert out == shown


def test_the_example_contacts_file_is_valid() -> None:
    from send_plan.contacts import read_contacts

    contacts = read_contacts(ROOT / "docs" / "examples" / "contacts.yaml")
    assert contacts["Chair, Parent Carer Forum"] == (
        "Parent Carer Forum <chair@parentcarerforum.example.org.uk>"
    )
    code, out, err = run(
        "chase",
        PLANS,
        *AS_OF,
        "-f",
        "json",
        "--contacts",
        str(ROOT / "docs/examples/contacts.yaml"),
    )
    assert code == 0, err
    addresses = {d["lead"]: d["address"] for d in json.loads(out)["leads"]}
    assert addresses["Head of Commissioning, CCGs"] == "ccg.commissioning@example.nhs.uk"


def test_the_command_adds_nothing_heavy_to_start_up() -> None:
    import subprocess
    import sys

    code = "import sys, send_plan.cli.chase; print('pydantic' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
