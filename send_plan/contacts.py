"""The contacts file: which e-mail address reaches each lead.

A YAML mapping from a lead's post, exactly as the plans write it, to one e-mail
address (``name@example.gov.uk`` or ``Display Name <name@example.gov.uk>``). It
is read with the project's loader, so a problem names its line and column, and
every address is checked for form only, offline (the standard library's
``email`` parser: no DNS, no network). Plans are published and addresses are
not: :func:`refuse_inside_plans` keeps the file out of every plans folder read.
See docs/chase.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from email import policy
from email.errors import HeaderParseError
from pathlib import Path

from send_plan.errors import UsageError
from send_plan.files import read_input
from send_plan.loader import load_text

_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
_MAX_ADDRESS = 254


def parse_address(text: str) -> str:
    """One e-mail address, checked for form; returned as a header would write it.

    Raises :class:`ValueError` with a plain reason when ``text`` is not one address.
    """
    value = text.strip()
    if not value:
        raise ValueError("an address is empty")
    try:
        header = policy.SMTP.header_factory("To", value)
    except (HeaderParseError, IndexError, ValueError):
        raise ValueError(f"'{value}' is not an e-mail address") from None
    groups = header.groups
    addresses = header.addresses
    if len(addresses) != 1 or any(g.display_name is not None for g in groups):
        raise ValueError(f"'{value}' is not one e-mail address (give one address per lead)")
    if header.defects:
        raise ValueError(f"'{value}' is not an e-mail address (write it as name@example.gov.uk)")
    address = addresses[0]
    domain = address.domain
    if not address.username or not domain:
        raise ValueError(f"'{value}' is not an e-mail address (write it as name@example.gov.uk)")
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        raise ValueError(
            f"'{value}': the domain '{domain}' is not a mail domain "
            "(letters, digits and hyphens, with a dot, such as example.gov.uk)"
        )
    if len(address.addr_spec) > _MAX_ADDRESS:
        raise ValueError(f"'{value}' is longer than an e-mail address can be")
    return str(address)


def load_contacts(raw: bytes, name: str) -> dict[str, str]:
    """Post -> address from a contacts file; any problem is a UsageError naming the
    line and column at fault."""
    loaded = load_text(name, raw)
    errors = [f for f in loaded.findings if f.is_error]
    if errors and errors[0].code != "E006":
        first = errors[0]
        raise UsageError(f"{name}:{first.line}:{first.column}: {first.message}")
    if loaded.data is None or errors:
        raise UsageError(
            f"{name}: a contacts file is a YAML mapping of lead (the post, as the plans "
            "write it) to e-mail address, such as 'Head of SEND Service: send@example.gov.uk'"
        )
    out: dict[str, str] = {}
    for post, value in loaded.data.items():
        if not isinstance(value, str):
            line, column = loaded.source.position((post,), key=value is None)
            what = "nothing" if value is None else "a list or mapping"
            raise UsageError(
                f"{name}:{line}:{column}: '{post}' is given {what}; give one e-mail address"
            )
        try:
            out[post] = parse_address(value)
        except ValueError as exc:
            line, column = loaded.source.position((post,))
            raise UsageError(f"{name}:{line}:{column}: {exc}") from None
    return out


def read_contacts(path: Path) -> dict[str, str]:
    """Read and check the contacts file at ``path``."""
    return load_contacts(read_input(path, "the contacts file"), path.as_posix())


def refuse_inside_plans(contacts: Path, plan_paths: Sequence[Path]) -> None:
    """Refuse a contacts file that lies inside (or is) a plans path being read:
    plans are published, and the addresses of the people behind the posts are not.
    Real paths are compared, so a link does not hide where the file is."""
    real = contacts.resolve()
    for given in plan_paths:
        if not given.exists():
            continue  # reported when the plans are read
        root = given.resolve()
        if real == root or (root.is_dir() and real.is_relative_to(root)):
            raise UsageError(
                f"{contacts}: the contacts file is inside the plans being read ({given}); "
                "plans are published, so keep the addresses outside the plans folder"
            )
