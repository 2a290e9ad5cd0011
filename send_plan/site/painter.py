"""Drawing the site's charts in a second process while this one builds the pages.

Started before the plans are read (send_plan.entry), the worker spends that time
importing matplotlib; it then draws each chart as soon as its page's view-model
exists, while this process renders the templates. Without a second processor,
or if a worker cannot be started, the charts are drawn here instead: the bytes
are the same either way. The worker's lifetime and files are
:mod:`send_plan.render.worker`'s concern.
"""

from __future__ import annotations

from collections.abc import Callable

from send_plan.render.worker import Worker, take_early, warm_matplotlib
from send_plan.site.plan import ChartJob


def draw(job: ChartJob) -> bytes:
    """One chart's SVG (in whichever process runs it)."""
    from send_plan.site import charts

    if job.kind == "areas":
        return charts.areas_chart(job.labels, job.counts)
    return charts.trend_chart(job.values, job.trajectory, percent=job.percent)


class Painter:
    """Charts for the site: ``submit`` returns a function that gives the chart's
    bytes when they are ready. With ``parallel`` the worker started early is
    used, or a new one started."""

    def __init__(self, *, parallel: bool = True) -> None:
        early = take_early() if parallel else None
        self._worker = early or Worker(warm_matplotlib, parallel=parallel)

    def submit(self, job: ChartJob) -> Callable[[], bytes]:
        return self._worker.submit(job.path, draw, job)

    def notes(self) -> tuple[str, ...]:
        """A line for each chart whose font lacked some of its characters."""
        return self._worker.notes()

    def close(self) -> None:
        self._worker.close()

    def __enter__(self) -> Painter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
