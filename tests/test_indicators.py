"""An indicator as of a date, pinned at every boundary of plan-format.md."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from send_plan.indicators import expected_at, indicator_status, is_late, ratings
from send_plan.model import Indicator, Plan

START = date(2018, 4, 1)


def indicator(**fields: Any) -> Indicator:
    base: dict[str, Any] = {
        "id": "EHC20",
        "title": "New EHC plans issued within 20 weeks",
        "unit": "percent",
        "polarity": "higher-is-better",
    }
    base.update(fields)
    return Indicator.model_validate(base)


def plan_with(ind: Indicator) -> Plan:
    return Plan.model_validate(
        {
            "schema_version": 1,
            "plan": {"id": "p", "local_area": "X", "kind": "other", "start": START.isoformat()},
            "areas": [{"id": "A", "kind": "other", "actions": []}],
            "indicators": [ind.model_dump(by_alias=True)],
        }
    )


SPEC = indicator(
    frequency="quarterly",
    tolerance=5,
    baseline={"date": "2018-03-31", "value": 8.5},
    targets=[{"by": "2019-03-31", "value": 40}, {"by": "2020-03-31", "value": 60}],
    values=[
        {"date": "2018-06-30", "value": 12.0},
        {"date": "2018-09-30", "value": 21.5},
        {"date": "2018-12-31", "value": 33.0, "provisional": True},
    ],
)


def status_of(ind: Indicator, as_of: date) -> Any:
    return indicator_status(plan_with(ind), ind, as_of)


def test_the_spec_example() -> None:
    s = status_of(SPEC, date(2018, 10, 15))
    assert s.latest is not None
    assert s.latest.value == 21.5
    assert s.previous is not None
    assert s.previous.value == 12.0
    assert round(s.expected, 2) == 24.29  # 8.5 + (40 - 8.5) * 183/365
    assert s.rating == "amber"  # 21.5 against 24.29, tolerance 5
    assert s.direction == "improving"
    assert s.late_data is False
    assert s.as_dict() == {
        "plan": "p",
        "id": "EHC20",
        "title": "New EHC plans issued within 20 weeks",
        "unit": "percent",
        "polarity": "higher-is-better",
        "owner": None,
        "areas": [],
        "latest": {"date": "2018-09-30", "value": 21.5, "provisional": False},
        "previous": {"date": "2018-06-30", "value": 12.0, "provisional": False},
        "expected": 24.29,
        "rating": "amber",
        "direction": "improving",
        "late_data": False,
        "frequency": "quarterly",
        "partner": None,
        "published": True,
    }


def test_values_after_as_of_do_not_exist() -> None:
    s = status_of(SPEC, date(2018, 9, 29))
    assert s.latest is not None
    assert s.latest.date == date(2018, 6, 30)
    assert s.previous is None
    assert s.direction is None
    assert status_of(SPEC, date(2018, 6, 29)).latest is None


def test_a_value_on_its_own_date_exists() -> None:
    s = status_of(SPEC, date(2018, 12, 31))
    assert s.latest is not None
    assert s.latest.provisional


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2018, 3, 30), None),  # before the first point of the line
        (date(2018, 3, 31), 8.5),  # on the baseline
        (date(2019, 3, 31), 40.0),  # on a target
        (date(2019, 9, 30), 40 + 20 * 183 / 366),  # 2020 is a leap year: 366 days
        (date(2020, 3, 31), 60.0),
        (date(2024, 1, 1), 60.0),  # after the last target it stays there
    ],
)
def test_trajectory(day: date, expected: float | None) -> None:
    value = expected_at(SPEC, day)
    assert value == expected if expected is None else value == pytest.approx(expected)


def test_no_targets_no_expected_and_no_baseline_starts_at_the_first_target() -> None:
    assert (
        expected_at(indicator(baseline={"date": "2018-03-31", "value": 8}), date(2019, 1, 1))
        is None
    )
    targets_only = indicator(
        targets=[{"by": "2019-03-31", "value": 40}, {"by": "2020-03-31", "value": 60}]
    )
    assert expected_at(targets_only, date(2019, 3, 30)) is None
    assert expected_at(targets_only, date(2019, 3, 31)) == 40


@pytest.mark.parametrize(
    ("value", "rating"),
    [(50, "green"), (45, "green"), (44.99, "amber"), (40, "amber"), (39.99, "red")],
)
def test_rating_and_tolerance_edges_higher_is_better(value: float, rating: str) -> None:
    ind = indicator(
        tolerance=5,
        targets=[{"by": "2019-01-01", "value": 45}],
        values=[{"date": "2019-06-30", "value": value}],
    )
    assert status_of(ind, date(2019, 7, 1)).rating == rating


@pytest.mark.parametrize(
    ("value", "rating"),
    [(8, "green"), (10, "green"), (10.01, "amber"), (12, "amber"), (12.01, "red")],
)
def test_lower_is_better_mirrors(value: float, rating: str) -> None:
    ind = indicator(
        unit="weeks",
        polarity="lower-is-better",
        tolerance=2,
        targets=[{"by": "2019-01-01", "value": 10}],
        values=[{"date": "2019-06-30", "value": 5}, {"date": "2019-09-30", "value": value}],
    )
    s = status_of(ind, date(2019, 10, 1))
    assert s.rating == rating
    assert s.direction == "worsening"  # up is worse


def test_context_is_never_rated_and_moves_up_or_down() -> None:
    ind = indicator(
        unit="number",
        polarity="context",
        values=[{"date": "2019-06-30", "value": 5}, {"date": "2019-09-30", "value": 3}],
    )
    s = status_of(ind, date(2019, 10, 1))
    assert (s.rating, s.direction) == (None, "down")


def test_no_change() -> None:
    ind = indicator(values=[{"date": "2019-06-30", "value": 5}, {"date": "2019-09-30", "value": 5}])
    assert status_of(ind, date(2019, 10, 1)).direction == "no-change"


@pytest.mark.parametrize(
    ("frequency", "latest", "as_of", "late"),
    [
        ("quarterly", date(2019, 3, 31), date(2019, 7, 31), False),  # 30 Jun + 31 days = 31 Jul
        ("quarterly", date(2019, 3, 31), date(2019, 8, 1), True),
        ("monthly", date(2019, 1, 31), date(2019, 3, 31), False),  # 28 Feb (clamped) + 31 = 31 Mar
        ("monthly", date(2019, 1, 31), date(2019, 4, 1), True),
        ("termly", date(2019, 4, 12), date(2019, 9, 12), False),  # 12 Aug + 31 = 12 Sep
        ("annual", date(2020, 2, 29), date(2021, 3, 31), False),  # 28 Feb 2021 + 31 = 31 Mar
        ("annual", date(2020, 2, 29), date(2021, 4, 1), True),
    ],
)
def test_late_data_with_month_end_clamping(
    frequency: str, latest: date, as_of: date, late: bool
) -> None:
    ind = indicator(frequency=frequency, values=[{"date": latest.isoformat(), "value": 40}])
    assert status_of(ind, as_of).late_data is late


def test_late_data_without_a_value_counts_from_the_baseline_or_the_plan_start() -> None:
    with_baseline = indicator(frequency="quarterly", baseline={"date": "2019-03-31", "value": 8})
    assert is_late(with_baseline, None, date(2019, 7, 31), START) is False
    assert is_late(with_baseline, None, date(2019, 8, 1), START) is True
    bare = indicator(frequency="quarterly")
    # from the plan's start, 1 April 2018: 1 July 2018 + 31 days = 1 August 2018
    assert is_late(bare, None, date(2018, 8, 1), START) is False
    assert is_late(bare, None, date(2018, 8, 2), START) is True
    assert is_late(indicator(), None, date(2030, 1, 1), START) is False  # no frequency


def test_ratings_count_unrated() -> None:
    plan = plan_with(SPEC)
    counts = ratings(
        [
            indicator_status(plan, SPEC, date(2018, 10, 1)),
            indicator_status(plan, SPEC, date(2018, 1, 1)),
        ]
    )
    assert counts == {"green": 0, "amber": 1, "red": 0, "unrated": 1}


# --------------------------------------------------------------------------- properties

figures = st.floats(min_value=0, max_value=100, allow_nan=False)
days = st.integers(min_value=1, max_value=900)


@given(base=figures, target=figures, offset=days, span=days, tolerance=st.floats(0, 20))
def test_a_value_exactly_on_the_trajectory_is_green(
    base: float, target: float, offset: int, span: int, tolerance: float
) -> None:
    start = date(2018, 1, 1)
    day = start + timedelta(days=min(offset, span))
    ind = indicator(
        tolerance=tolerance,
        baseline={"date": start.isoformat(), "value": base},
        targets=[{"by": (start + timedelta(days=span)).isoformat(), "value": target}],
    )
    on_line = expected_at(ind, day)
    assert on_line is not None
    with_value = indicator(**{**ind.model_dump(), "values": [{"date": day, "value": on_line}]})
    assert status_of(with_value, day).rating == "green"


@given(
    value=figures,
    worse=st.floats(0, 50),
    polarity=st.sampled_from(["higher-is-better", "lower-is-better"]),
)
def test_moving_the_wrong_way_never_improves_the_rating(
    value: float, worse: float, polarity: str
) -> None:
    order = {"green": 2, "amber": 1, "red": 0}

    def rating(v: float) -> int:
        ind = indicator(
            polarity=polarity,
            tolerance=5,
            targets=[{"by": "2019-01-01", "value": 50}],
            values=[{"date": "2019-06-30", "value": v}],
        )
        rated = status_of(ind, date(2019, 7, 1)).rating
        assert rated is not None
        return order[rated]

    moved = value - worse if polarity == "higher-is-better" else value + worse
    assert rating(moved) <= rating(value)
