"""Drawing the site's charts in a second process while this one builds the pages.

Started before the plans are read, the worker spends that time importing
matplotlib; it then draws each chart as soon as its page's view-model exists,
while this process renders the templates. Without a second processor, or if a
worker cannot be started, the charts are drawn here instead: the bytes are the
same either way.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from send_plan.site.plan import ChartJob


def draw(job: ChartJob) -> bytes:
    """One chart's SVG (in whichever process runs it)."""
    from send_plan.site import charts

    if job.kind == "areas":
        return charts.areas_chart(job.labels, job.counts)
    return charts.trend_chart(job.values, job.trajectory, percent=job.percent)


def _warm() -> None:
    from matplotlib.backends import backend_agg  # noqa: F401
    from matplotlib.figure import Figure  # noqa: F401


class Painter:
    """A one-process pool for charts (or none): ``submit`` returns a function that
    gives the chart's bytes when they are ready."""

    def __init__(self, *, parallel: bool = True) -> None:
        self._pool: Any = None
        if parallel and (os.cpu_count() or 1) > 1:
            try:
                from concurrent.futures import ProcessPoolExecutor

                self._pool = ProcessPoolExecutor(max_workers=1, initializer=_warm)
                self._pool.submit(int)  # start the process, and its imports, now
            except (OSError, ValueError, ImportError):
                self._pool = None

    def submit(self, job: ChartJob) -> Callable[[], bytes]:
        if self._pool is None:
            return lambda: draw(job)
        future = self._pool.submit(draw, job)
        return lambda: bytes(future.result())

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Painter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
