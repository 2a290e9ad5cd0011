"""Plan file versions reduced to typed digests, and the digest cache on disk.

Each plan file version (a blob) is loaded with the same loader and rules as a
file on disk, then reduced to a small *digest*: the plan's id and status and,
per action, the fields whose history boards ask about (:class:`PlanDigest`,
:class:`ActionDigest`, :class:`RescheduleEntry`), or why the version does not
validate (:class:`InvalidVersion`).

Digests are cached on disk by blob id under the repository's git directory
(``send-plan-cache/v4/``, which git ignores), written atomically, so a second
run reads small JSON files instead of parsing YAML again. Every entry read back
is checked field by field: a damaged or wrong-shaped entry counts as missing
and is rebuilt. Versions not in the cache are parsed in worker processes when
there are enough of them to pay for it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from send_plan.git.figures import (
    Damaged,
    IndicatorDigest,
    indicator_digests,
    indicators_from_json,
    indicators_json,
)
from send_plan.git.plumbing import Git
from send_plan.vocab import ONGOING

if TYPE_CHECKING:
    from send_plan.model import Plan

CACHE_VERSION = 7  # 6: reviews apart; 7: indicators' figures
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Parse versions in worker processes when at least this many need parsing.
PARALLEL_MIN = int(os.environ.get("SEND_PLAN_PARALLEL_MIN", 8))


@dataclass(frozen=True, slots=True)
class RescheduleEntry:
    """One ``rescheduled`` record: agreed on, from, to, why (dates as YYYY-MM-DD)."""

    on: str
    from_: str
    to: str
    reason: str


@dataclass(frozen=True, slots=True)
class ActionDigest:
    """One action of a valid version (dates as YYYY-MM-DD)."""

    area: str
    title: str | None
    status: str
    rag: str | None
    due: str
    lead: str
    completed: str | None
    original_due: str | None
    carried_from: str | None
    rescheduled: tuple[RescheduleEntry, ...]
    content: str  # a fingerprint of the action's raw data, to see renames

    def reason_for(self, old: str, new: str) -> str | None:
        """The recorded reason the deadline moved from ``old`` to ``new``, if any."""
        return next((r.reason for r in self.rescheduled if r.from_ == old and r.to == new), None)


@dataclass(frozen=True, slots=True)
class PlanDigest:
    """A valid plan version: its id, title, status and actions in file order."""

    plan: str
    title: str | None
    status: str
    actions: Mapping[str, ActionDigest]
    content: str  # fingerprints of the whole file, and of it without the plan id
    content_without_id: str
    #: the file without its reviews, and each review: a closed plan may still
    #: gain reviews (the revisit that judges its areas), nothing else
    body: str = ""
    reviews: tuple[str, ...] = ()
    #: The plan's indicators by id, in file order (see :mod:`send_plan.git.figures`).
    indicators: Mapping[str, IndicatorDigest] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class InvalidVersion:
    """A version that does not validate: the plan id as written, and the first error."""

    plan: str | None
    error: str


Digest = PlanDigest | InvalidVersion


def digest(name: str, data: bytes) -> Digest:
    """A plan file version reduced to what history needs, or why it is invalid."""
    from send_plan.validation import check_text

    # A closed plan read alone always looks as if it dropped what its successor
    # carries (E214): history judges each version on its own.
    result = check_text(name, data, ignore={"E214"})
    loaded = result.portfolio.files[-1]
    errors = result.errors()
    if errors or loaded.plan is None or loaded.partial:
        first = errors[0] if errors else None
        return InvalidVersion(
            loaded.plan_id,
            f"{first.code} at line {first.line}: {first.message}" if first else "invalid",
        )
    return plan_digest(loaded.plan, loaded.data or {})


def plan_digest(plan: Plan, data: dict[str, Any]) -> PlanDigest:
    """The digest of a valid plan: its model, and the raw data for fingerprints."""
    raw_actions = {
        a.get("id"): a
        for area in data.get("areas") or []
        for a in (area.get("actions") or [])
        if isinstance(a, dict)
    }
    actions = {
        a.id: ActionDigest(
            area=area.id,
            title=a.title,
            status=a.status.value,
            rag=a.rag.value if a.rag else None,
            due=a.due_text,
            lead=a.lead_text,
            completed=a.completed.isoformat() if a.completed else None,
            original_due=a.original_due.isoformat() if a.original_due else None,
            carried_from=a.carried_from,
            rescheduled=tuple(
                RescheduleEntry(r.on.isoformat(), r.from_.isoformat(), r.to.isoformat(), r.reason)
                for r in a.rescheduled
            ),
            content=_fingerprint({k: v for k, v in raw_actions[a.id].items() if k != "id"}),
        )
        for area in plan.areas
        for a in area.actions
    }
    return PlanDigest(
        plan=plan.id,
        title=plan.plan.title,
        status=plan.plan.status.value,
        actions=actions,
        **_fingerprints(plan),
        indicators=indicator_digests(plan),
    )


def _fingerprints(plan: Plan) -> dict[str, Any]:
    """Fingerprints of what the plan says, not how the file writes it (comments,
    layout, ``40`` or ``40.0``, a default written out or left out are no edit)."""
    said = plan.model_dump(mode="json", by_alias=True)
    info = {k: v for k, v in said["plan"].items() if k != "id"}
    return {
        "content": _fingerprint(said),
        "content_without_id": _fingerprint({**said, "plan": info}),
        "body": _fingerprint({k: v for k, v in said.items() if k != "reviews"}),
        "reviews": tuple(_fingerprint(r) for r in said["reviews"]),
    }


def _fingerprint(data: Any) -> str:
    """A stable fingerprint of plain data (text, lists, mappings), to see edits
    and renames. ``repr`` of plain data is deterministic and runs at C speed."""
    return hashlib.blake2b(repr(data).encode(), digest_size=16).hexdigest()


# --------------------------------------------------------------------------- JSON


def to_json(value: Digest) -> dict[str, Any]:
    """A digest as plain JSON data (what the cache stores)."""
    if isinstance(value, InvalidVersion):
        return {"valid": False, "plan": value.plan, "error": value.error}
    return {
        "valid": True,
        "plan": value.plan,
        "title": value.title,
        "status": value.status,
        "actions": {
            action_id: [
                a.area,
                a.title,
                a.status,
                a.rag,
                a.due,
                a.lead,
                a.completed,
                a.original_due,
                a.carried_from,
                [[r.on, r.from_, r.to, r.reason] for r in a.rescheduled],
                a.content,
            ]
            for action_id, a in value.actions.items()
        },
        "content": value.content,
        "content_without_id": value.content_without_id,
        "indicators": indicators_json(value.indicators),
        "body": value.body,
        "reviews": list(value.reviews),
    }


class _Damaged(Exception):
    """A cache entry that does not have the shape :func:`to_json` writes."""


#: Actions already read: content fingerprint -> (the JSON row, its digest).
Seen = dict[str, tuple[list[Any], ActionDigest]]


def from_json(value: object, seen: Seen | None = None) -> Digest | None:
    """The digest :func:`to_json` wrote, or None when ``value`` has another shape.

    ``seen`` shares the actions of earlier entries: most actions are the same
    from one version to the next, and a row equal to one already checked is
    not checked and built again.
    """
    seen = {} if seen is None else seen
    try:
        entry = _mapping(value)
        if entry.get("valid") is False:
            return InvalidVersion(_text_or_none(entry.get("plan")), _text(entry.get("error")))
        if entry.get("valid") is not True:
            return None
        return PlanDigest(
            plan=_text(entry.get("plan")),
            title=_text_or_none(entry.get("title")),
            status=_text(entry.get("status")),
            actions={_text(k): _action(v, seen) for k, v in _mapping(entry.get("actions")).items()},
            content=_text(entry.get("content")),
            content_without_id=_text(entry.get("content_without_id")),
            indicators=indicators_from_json(entry.get("indicators")),
            body=_text(entry.get("body")),
            reviews=tuple(_text(r) for r in _list(entry.get("reviews"))),
        )
    except (_Damaged, Damaged):
        return None


def _action(value: object, seen: Seen) -> ActionDigest:
    row = _list(value, 11)
    content = _text(row[10])
    known = seen.get(content)
    if known is not None and known[0] == row:
        return known[1]
    action = ActionDigest(
        area=_text(row[0]),
        title=_text_or_none(row[1]),
        status=_text(row[2]),
        rag=_text_or_none(row[3]),
        due=ONGOING if row[4] == ONGOING else _day(row[4]),
        lead=_text(row[5]),
        completed=_day_or_none(row[6]),
        original_due=_day_or_none(row[7]),
        carried_from=_text_or_none(row[8]),
        rescheduled=tuple(_reschedule(r) for r in _list(row[9])),
        content=content,
    )
    seen[content] = (row, action)
    return action


def _reschedule(value: object) -> RescheduleEntry:
    on, frm, to, reason = _list(value, 4)
    return RescheduleEntry(_day(on), _day(frm), _day(to), _text(reason))


def _mapping(value: object) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise _Damaged
    return value


def _list(value: object, length: int | None = None) -> list[Any]:
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise _Damaged
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise _Damaged
    return value


def _day(value: object) -> str:
    text = _text(value)
    try:
        if not _DAY.fullmatch(text):
            raise ValueError
        date.fromisoformat(text)
    except ValueError:
        raise _Damaged from None
    return text


T = TypeVar("T")


def _or_none(check: Callable[[object], T]) -> Callable[[object], T | None]:
    return lambda value: None if value is None else check(value)


_text_or_none = _or_none(_text)
_day_or_none = _or_none(_day)


# --------------------------------------------------------------------------- cache


@dataclass
class DigestCache:
    """Digests by blob id, on disk under the git directory (None: memory only)."""

    folder: Path | None
    memory: dict[str, Digest] = field(default_factory=dict)
    seen: Seen = field(default_factory=dict, repr=False)

    @classmethod
    def for_repo(cls, git: Git) -> DigestCache:
        if os.environ.get("SEND_PLAN_NO_CACHE"):
            return cls(None)
        return cls(git.git_dir / "send-plan-cache" / f"v{CACHE_VERSION}")

    def get(self, blob: str) -> Digest | None:
        if blob in self.memory:
            return self.memory[blob]
        if self.folder is None:
            return None
        try:
            data = json.loads((self.folder / blob[:2] / f"{blob}.json").read_bytes())
        except (OSError, ValueError, RecursionError):
            return None
        value = from_json(data, self.seen)
        if value is not None:
            self.memory[blob] = value
        return value

    def put(self, blob: str, value: Digest) -> None:
        self.memory[blob] = value
        if self.folder is not None:
            self._write(blob, _dumps(value))

    def put_json(self, blob: str, text: bytes) -> Digest:
        """Keep a digest that :func:`digest_json` made; returns it read back."""
        value = from_json(json.loads(text), self.seen)
        assert value is not None, "digest_json wrote a shape from_json does not read"
        self.memory[blob] = value
        if self.folder is not None:
            self._write(blob, text)
        return value

    def _write(self, blob: str, text: bytes) -> None:
        assert self.folder is not None
        folder = self.folder / blob[:2]
        tmp: str | None = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "wb") as out:
                out.write(text)
            os.replace(tmp, folder / f"{blob}.json")
        except OSError:  # a cache that cannot be written only costs time
            if tmp is not None:  # a full disk, a file-size limit: leave nothing behind
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def _dumps(value: Digest) -> bytes:
    return json.dumps(to_json(value), separators=(",", ":")).encode()


def digest_json(name: str, data: bytes) -> bytes:
    """:func:`digest` as the cache's JSON: what a worker process sends back, since
    plain text crosses between processes far faster than pickled objects."""
    return _dumps(digest(name, data))


# --------------------------------------------------------------------------- digesting


def digests(git: Git, cache: DigestCache, blobs: Mapping[str, str]) -> dict[str, Digest]:
    """blob -> digest for ``blobs`` (blob -> a path to name it by).

    Cached digests are read from disk; the rest are parsed, in worker processes
    on every core when there are enough of them to pay for it.
    """
    out: dict[str, Digest] = {}
    missing = []
    for blob in blobs:
        cached = cache.get(blob)
        if cached is None:
            missing.append(blob)
        else:
            out[blob] = cached
    workers = min(os.cpu_count() or 1, 4)
    if workers > 1 and len(missing) >= PARALLEL_MIN:
        for blob, text in _parallel(git, blobs, missing, workers):
            out[blob] = cache.put_json(blob, text)
    else:
        for blob, data in git.read_blobs(missing):
            out[blob] = value = digest(blobs[blob], data)
            cache.put(blob, value)
    return out


def _parallel(
    git: Git, blobs: Mapping[str, str], missing: list[str], workers: int
) -> Iterator[tuple[str, bytes]]:
    """Digests (as JSON) from a process pool, with a bounded number in flight."""
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    in_flight: deque[tuple[str, Future[bytes]]] = deque()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # Start the workers before git cat-file: a worker forked while cat-file's
        # input pipe is open keeps a copy of it, cat-file never sees the end of
        # its input, and the wait for it to exit never ends.
        for started in [pool.submit(int) for _ in range(workers)]:
            started.result()
        for blob, data in git.read_blobs(missing):
            in_flight.append((blob, pool.submit(digest_json, blobs[blob], data)))
            if len(in_flight) >= 2 * workers:
                done, future = in_flight.popleft()
                yield done, future.result()
        while in_flight:
            done, future = in_flight.popleft()
            yield done, future.result()
