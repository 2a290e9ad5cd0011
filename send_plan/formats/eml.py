"""``chase --format eml``: one RFC 5322 message per lead, for a person to send.

Each message is built with the standard library's :mod:`email` package
(``EmailMessage`` under ``policy.SMTP``): ``To:`` the lead's address when the
contacts file has it, ``From:`` the sender when one is given, ``Date:`` the
time it was written (a parameter: the clock is read by the command line),
``X-Unsent: 1`` so that mail clients open it as a draft ready to send, a
subject naming the count and the board, a plain-text body greeting the lead by
their post and naming every item, and an HTML alternative (every plan text
escaped). No Message-ID is set: the client that sends the message adds its own
(making one here would ask the network for this machine's name). Nothing here
opens a connection or sends anything.

File names come from the lead's post (:func:`file_names`): ASCII letters,
digits and hyphens, at most 60 characters, never a name Windows reserves, and
unique even where a file system ignores case.
"""

from __future__ import annotations

import hashlib
import html
import re
import textwrap
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from send_plan.chase import Chase, ChasedAction, ChasedIndicator, Item, LeadDigest, asks
from send_plan.formats.chase import (
    action_facts,
    board_words,
    count_words,
    indicator_facts,
    latest_words,
    subject,
    title_of,
)
from send_plan.words import long_date

#: Longest file name stem (before ``.eml``), well inside every file system's limit.
MAX_STEM = 60
_RESERVED = frozenset(
    ("con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10)))
)
_WIDTH = 76


def slug(post: str) -> str:
    """A post as a safe file name stem: 'Head of Service, Inclusion' ->
    'head-of-service-inclusion'."""
    ascii_text = unicodedata.normalize("NFKD", post).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "lead"
    if len(text) > MAX_STEM:
        cut = text[:MAX_STEM]
        text = cut.rsplit("-", 1)[0] if "-" in cut[MAX_STEM // 2 :] else cut
        text = text.strip("-")
    if text in _RESERVED:
        text += "-lead"
    return text


def file_names(posts: Sequence[str]) -> list[str]:
    """One file name per post, in order: its slug, with '-2', '-3' … when two
    posts slug alike."""
    taken: set[str] = set()
    names = []
    for post in posts:
        stem = base = slug(post)
        n = 1
        while stem in taken:
            n += 1
            suffix = f"-{n}"
            stem = base[: MAX_STEM - len(suffix)].rstrip("-") + suffix
        taken.add(stem)
        names.append(f"{stem}.eml")
    return names


# --------------------------------------------------------------------------- bodies


def _wrapped(text: str, indent: str) -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()),
        _WIDTH,
        initial_indent=indent,
        subsequent_indent=" " * len(indent),
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def _item_heading(item: ChasedAction | ChasedIndicator) -> str:
    ident = item.tracked.action.id if isinstance(item, ChasedAction) else item.status.indicator.id
    return f"{ident}: {title_of(item)} ({item.plan.title})"


def _sections(digest: LeadDigest) -> list[tuple[str, list[Item]]]:
    """The non-empty lists of a lead's items, each with its heading."""
    sections: list[tuple[str, list[Item]]] = [
        ("Actions", list(digest.actions)),
        ("Indicators", list(digest.indicators)),
    ]
    return [(heading, items) for heading, items in sections if items]


def _facts(item: ChasedAction | ChasedIndicator) -> list[str]:
    if isinstance(item, ChasedIndicator):
        return [indicator_facts(item)]
    latest = latest_words(item)
    return [action_facts(item)] + ([latest] if latest else [])


def _intro(digest: LeadDigest, as_of: str) -> str:
    return (
        f"Before {board_words(digest)}, the SEND plan needs a word from you on "
        f"{count_words(digest)}, listed below with what is asked about each "
        f"(from the plans as of {as_of})."
    )


def plain_body(digest: LeadDigest, result: Chase) -> str:
    lines = [f"Dear {digest.lead},", ""]
    lines += [*_wrapped(_intro(digest, long_date(result.as_of)), ""), ""]
    for heading, items in _sections(digest):
        lines += [heading, "-" * len(heading), ""]
        for n, item in enumerate(items, 1):
            lines += _wrapped(_item_heading(item), f"{n}. ")
            pad = " " * len(f"{n}. ")
            for fact in _facts(item):
                lines += _wrapped(fact, pad)
            for ask in asks(item):
                lines += _wrapped(ask, pad + "- ")
            lines.append("")
    lines += ["Thank you.", ""]
    return "\n".join(lines)


def html_body(digest: LeadDigest, result: Chase) -> str:
    e = html.escape
    parts = [
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head><meta charset="utf-8">',
        f"<title>{e(subject(digest))}</title></head>\n<body>",
        f"<p>Dear {e(digest.lead)},</p>",
        f"<p>{e(_intro(digest, long_date(result.as_of)))}</p>",
    ]
    for heading, items in _sections(digest):
        parts += [f"<h2>{heading}</h2>", "<ol>"]
        for item in items:
            facts = _facts(item)
            parts.append(f"<li><p><strong>{e(_item_heading(item))}</strong></p>")
            parts += [f"<p>{e(fact)}</p>" for fact in facts]
            parts.append("<ul>" + "".join(f"<li>{e(a)}</li>" for a in asks(item)) + "</ul></li>")
        parts.append("</ol>")
    parts += ["<p>Thank you.</p>", "</body>\n</html>\n"]
    return "\n".join(parts)


# --------------------------------------------------------------------------- messages


def message(
    digest: LeadDigest, result: Chase, *, written: datetime, sender: str | None = None
) -> EmailMessage:
    """One lead's message (``sender`` and the lead's address already checked)."""
    msg = EmailMessage(policy=policy.SMTP)
    if sender:
        msg["From"] = sender
    if digest.address:
        msg["To"] = _recipient(digest.lead, digest.address)
    msg["Subject"] = subject(digest)
    msg["Date"] = format_datetime(written)
    msg["X-Unsent"] = "1"
    plain, rich = plain_body(digest, result), html_body(digest, result)
    msg.set_content(plain)
    msg.add_alternative(rich, subtype="html")
    # A boundary from the content, not a random one: the same plans give the same file.
    seed = hashlib.sha256((plain + rich).encode()).hexdigest()[:24]
    msg.set_boundary(f"send-plan-{seed}")
    return msg


def _recipient(post: str, address: str) -> Address:
    """The address, named by the contacts file or else by the lead's post."""
    parsed = policy.SMTP.header_factory("To", address).addresses[0]
    return Address(
        display_name=parsed.display_name or post, username=parsed.username, domain=parsed.domain
    )


def messages(
    result: Chase, *, written: datetime, sender: str | None = None
) -> list[tuple[str, bytes]]:
    """``(file name, message bytes)`` for every lead, in lead order."""
    names = file_names([d.lead for d in result.leads])
    return [
        (name, message(digest, result, written=written, sender=sender).as_bytes())
        for name, digest in zip(names, result.leads, strict=True)
    ]
