from datetime import date

import pytest

from send_plan.workdays import is_working_day, nth_working_day_after, revisit


def test_lancashire_revisit_march_2020() -> None:
    plan = revisit(date(2020, 2, 24), onsite_days=4)
    assert plan.onsite_start == date(2020, 3, 9)
    assert plan.onsite_end == date(2020, 3, 12)
    assert plan.letter_expected_by == date(2020, 4, 30)
    assert [name for _, name in plan.bank_holidays_skipped] == ["Good Friday", "Easter Monday"]


def test_two_days_on_site() -> None:
    plan = revisit(date(2020, 2, 24), onsite_days=2)
    assert (plan.onsite_start, plan.onsite_end) == (date(2020, 3, 9), date(2020, 3, 10))


def test_christmas_and_boxing_day_are_not_working_days() -> None:
    assert not is_working_day(date(2019, 12, 25))
    assert not is_working_day(date(2019, 12, 26))
    assert not is_working_day(date(2019, 12, 28))  # a Saturday
    assert nth_working_day_after(date(2019, 12, 24), 1) == date(2019, 12, 27)


def test_2020_early_may_bank_holiday_moved_for_ve_day() -> None:
    assert not is_working_day(date(2020, 5, 8))
    assert is_working_day(date(2020, 5, 4))


def test_onsite_days_outside_two_to_four_refused() -> None:
    with pytest.raises(ValueError, match="2 to 4"):
        revisit(date(2020, 2, 24), onsite_days=5)
