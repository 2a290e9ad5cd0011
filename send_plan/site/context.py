"""View-models of the site's pages: the index, a page per plan, a page per area.

All counting, sorting and wording happens here, once: the templates only loop and
print. Everything is as of one date: updates, reviews, evidence and figures dated
after it do not exist yet. Plans come in a stable order (under way, then drafts,
then closed; the latest start first), areas and actions in file order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from send_plan import __version__
from send_plan.model import Action as ActionModel
from send_plan.model import Area, AreaUpdate, EvidenceItem, Plan, Review, Update
from send_plan.portfolio import Portfolio
from send_plan.render.labels import AREA_KIND, JUDGEMENT, PLAN_KIND
from send_plan.site import views
from send_plan.site.layout import Layout
from send_plan.site.words import PLAN_STATUS, RAG, STATE, STATE_ORDER, safe_link
from send_plan.tracking import PlanSummary, TrackedAction, track_plan
from send_plan.vocab import PlanStatus, State
from send_plan.words import long_date, period, plural

STATUS_ORDER = {PlanStatus.ACTIVE: 0, PlanStatus.DRAFT: 1, PlanStatus.CLOSED: 2}


@dataclass(frozen=True)
class Site:
    """What every page is built from: the plans, their positions, the date."""

    portfolio: Portfolio
    as_of: date
    plans: tuple[Plan, ...]
    summaries: dict[str, PlanSummary]
    layout: Layout

    @classmethod
    def of(cls, portfolio: Portfolio, as_of: date) -> Site:
        plans = sorted(
            portfolio.valid_plans(),
            key=lambda p: (STATUS_ORDER[p.plan.status], -p.plan.start.toordinal(), p.id),
        )
        summaries = {p.id: track_plan(portfolio, p, as_of) for p in plans}
        return cls(portfolio, as_of, tuple(plans), summaries, Layout.of(plans))

    @property
    def title(self) -> str:
        areas = sorted({p.plan.local_area for p in self.plans})
        return (
            f"{areas[0]} SEND improvement progress"
            if len(areas) == 1
            else ("SEND improvement progress")
        )

    def page(self, title: str, root: str, crumbs: list[views.Link]) -> views.Page:
        return {
            "title": title,
            "root": root,
            "breadcrumbs": [{"href": f"{root}index.html", "text": "All plans"}, *crumbs],
            "site_title": self.title,
            "as_of": self.as_of.isoformat(),
            "as_of_long": long_date(self.as_of),
            "generator": f"send-plan {__version__}",
        }


# --------------------------------------------------------------------------- counts


def counts(states: dict[str, int]) -> list[views.Count]:
    return [{"key": s, "label": STATE[s], "value": states[s]} for s in STATE_ORDER]


def sentence(counts: dict[str, int], meeting: date | None) -> str:
    """The summary sentence, in the words the site uses ('late', not 'overdue')."""
    total = counts["total"]
    if total == 0:
        return "This plan has no actions yet."

    def n(key: str, now: str, past: bool = False) -> str:
        k = counts[key]
        verb = ("was" if k == 1 else "were") if past else ("is" if k == 1 else "are")
        return f"{k} {verb} {now}"

    when = f" on {long_date(meeting)}" if meeting else ""
    parts = [
        n("complete", "complete"),
        *([n("on-track", "on track")] if counts["on-track"] else []),
        *(
            [n("due-soon", f"due before the next board meeting{when}")]
            if counts["due-soon"]
            else []
        ),
        *([n("overdue", "late")] if counts["overdue"] else []),
        *(
            [n("carried-forward", "moved into the next plan", True)]
            if counts["carried-forward"]
            else []
        ),
        *([n("withdrawn", "withdrawn", True)] if counts["withdrawn"] else []),
    ]
    listed = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
    return f"Of the {plural(total, 'action')} in this plan, {listed}."


def review_view(summary: PlanSummary) -> views.Review | None:
    review = summary.latest_review
    return None if review is None else review_row(review)


def review_row(review: Review) -> views.Review:
    rating = review.rating.value if review.rating else None
    return {
        "date": long_date(review.date),
        "by": review.by,
        "rating": rating,
        "rating_label": RAG[rating] if rating else "No overall rating given",
        "summary": review.summary,
    }


def plan_summary(site: Site, plan: Plan, *, root: str) -> views.PlanSummary:
    info = plan.plan
    summary = site.summaries[plan.id]
    return {
        "id": plan.id,
        "href": f"{root}{site.layout.plans[plan.id].page()}",
        "title": info.title or plan.id,
        "kind": info.kind.value,
        "kind_label": PLAN_KIND[info.kind.value],
        "status": info.status.value,
        "status_label": PLAN_STATUS[info.status.value],
        "local_area": info.local_area,
        "period": period(info.start, info.end),
        "board": info.board,
        "total": summary.counts.states["total"],
        "counts": counts(summary.counts.states),
        "summary": sentence(summary.counts.states, summary.next_board_meeting),
        "latest_review": review_view(summary),
        "next_board_meeting": long_date(summary.next_board_meeting)
        or ("None: the plan has closed" if info.status is PlanStatus.CLOSED else "None listed"),
    }


def index_page(site: Site) -> views.IndexPage:
    return {
        "page": site.page(site.title, "", []),
        "plans": [plan_summary(site, plan, root="") for plan in site.plans],
    }


def glossary_page(site: Site) -> views.GlossaryPage:
    return {"page": site.page("Words used on this site", "", [])}


# --------------------------------------------------------------------------- actions


def _when(t: TrackedAction) -> str:
    a = t.action
    if t.state is State.OVERDUE:
        return f"{plural(t.days_overdue or 0, 'day')} late"
    if t.state is State.COMPLETE:
        return f"Completed {long_date(a.completed)}" if a.completed else "Complete"
    if t.state is State.CARRIED_FORWARD:
        return "Moved to the next plan"
    if t.state is State.WITHDRAWN:
        return "Withdrawn"
    if a.deadline is None:
        return "Ongoing: no fixed deadline"
    return f"Due {long_date(a.deadline)}"


def _evidence(action: ActionModel, as_of: date) -> list[views.Evidence]:
    out: list[views.Evidence] = []
    for item in action.evidence:
        if isinstance(item, EvidenceItem):
            if item.date is not None and item.date > as_of:
                continue  # not there yet on the as-of date
            out.append(
                {
                    "title": item.title,
                    "date": long_date(item.date) or None,
                    "kind": item.kind,
                    "href": safe_link(item.link),
                }
            )
        else:
            out.append({"title": item, "date": None, "kind": None, "href": None})
    return out


def _ref(site: Site, plan_id: str, action_id: str, root: str) -> views.ActionRef:
    other = site.portfolio.plan(plan_id)
    title = (other.plan.title or plan_id) if other else plan_id
    return {
        "text": f"{action_id} in the {title}",
        "href": site.layout.action_href(plan_id, action_id, root=root),
    }


def _split(ref: str) -> tuple[str, str]:
    plan_id, _, action_id = ref.partition("/")
    return plan_id, action_id


def update_view(update: Update | AreaUpdate) -> views.Update:
    """A dated update as the pages show it: its date, rating and note."""
    rag = update.rag.value if update.rag else None
    return {
        "date": long_date(update.date),
        "rag": rag,
        "rag_label": RAG[rag or "unrated"],
        "note": update.note,
    }


def action_view(site: Site, plan: Plan, t: TrackedAction, *, root: str) -> views.Action:
    a = t.action
    places = site.layout.plans[plan.id]
    file, anchor = places.actions[a.id]
    source = a.carried_source()
    latest = t.latest
    rag = a.rag.value if a.rag else None
    return {
        "id": a.id,
        "anchor": anchor,
        "href": f"{file}#{anchor}",
        "title": a.title or a.id,
        "area": f"{t.area.id}: {t.area.title}" if t.area.title else t.area.id,
        "lead": a.lead_text,
        "partners": "; ".join(plan.partners.get(p, p) for p in a.partners) or None,
        "sro": a.sro,
        "due": long_date(a.due_text),
        "state": t.state.value,
        "state_label": STATE[t.state.value],
        "when": _when(t),
        "rag": rag,
        "rag_label": RAG[rag or "unrated"],
        "completed": long_date(a.completed) or None,
        "withdrawn_reason": a.withdrawn_reason,
        "late_start": t.late_start,
        "measures": list(a.measures),
        "latest_update": None if latest is None else update_view(latest),
        "evidence": _evidence(a, site.as_of),
        "carried_from": _ref(site, *source, root) if source else None,
        "carried_to": [_ref(site, *_split(ref), root) for ref in t.carried_to],
    }


# --------------------------------------------------------------------------- areas


def judgement(plan: Plan, area: Area, as_of: date) -> views.Judgement | None:
    """The area's latest judgement by a review dated on or before ``as_of``."""
    found: views.Judgement | None = None
    for review in plan.reviews:
        if review.date > as_of:
            continue
        for j in review.areas:
            if j.area == area.id:
                found = {
                    "label": JUDGEMENT[j.judgement.value],
                    "by": review.by,
                    "date": long_date(review.date),
                    "note": j.note,
                }
    return found


def area_rows(site: Site, plan: Plan) -> list[views.AreaRow]:
    """The plan's areas with their counts; links are from a page in the plan's folder."""
    summary = site.summaries[plan.id]
    places = site.layout.plans[plan.id]
    return [
        {
            "id": a.area.id,
            "title": a.area.title or a.area.id,
            "kind_label": AREA_KIND[a.area.kind.value],
            "href": places.area_files[i],
            "total": a.counts.states["total"],
            "counts": counts(a.counts.states),
            "judgement": judgement(plan, a.area, site.as_of),
        }
        for i, a in enumerate(summary.areas)
    ]


def area_page(site: Site, plan: Plan, index: int) -> views.AreaPage:
    area = plan.areas[index]
    summary = site.summaries[plan.id]
    info = plan_summary(site, plan, root="../")
    row = area_rows(site, plan)[index]
    updates = [u for u in area.updates if u.date <= site.as_of]
    latest = updates[-1] if updates else None
    name = f"{area.id}: {area.title}" if area.title else area.id
    return {
        "page": site.page(name, "../", [{"href": "index.html", "text": info["title"]}]),
        "plan": info,
        "area": row,
        "description": area.description,
        "impact": area.impact,
        "self_assessment": None
        if latest is None
        else {**update_view(latest), "next_steps": latest.next_steps},
        "actions": [
            action_view(site, plan, t, root="../") for t in summary.actions if t.area is area
        ],
    }
