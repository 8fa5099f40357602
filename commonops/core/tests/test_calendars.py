"""Tests for commonops.core.calendars (DOMAIN.md, Calendars (core) — contract).

Pure tests: no Django, no database. Worked examples first, then properties.

Reference dates: 2025-01-06 is a Monday; 2025-01-01 is a Wednesday. In America/New_York the
clocks go forward on Sunday 2025-03-09 and back on Sunday 2025-11-02.
"""

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from commonops.core.calendars import (
    MONDAY_TO_FRIDAY,
    SUNDAY_TO_THURSDAY,
    WorkingCalendar,
)

UTC = timezone.utc
AMMAN = ZoneInfo("Asia/Amman")
HO_CHI_MINH = ZoneInfo("Asia/Ho_Chi_Minh")
NEW_YORK = ZoneInfo("America/New_York")

MON = date(2025, 1, 6)
TUE, WED, THU, FRI, SAT, SUN = (MON + timedelta(days=i) for i in range(1, 7))
NEXT_MON = MON + timedelta(days=7)


def utc(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=UTC)


def weekdays_calendar(**kwargs):
    return WorkingCalendar(weekend=MONDAY_TO_FRIDAY, **kwargs)


# -- working days: examples -------------------------------------------------------------------


def test_monday_to_friday_week_treats_saturday_and_sunday_as_weekend():
    cal = weekdays_calendar()
    assert [cal.is_working_day(d) for d in (MON, TUE, WED, THU, FRI, SAT, SUN)] == [
        True, True, True, True, True, False, False,
    ]


def test_sunday_to_thursday_week_treats_friday_and_saturday_as_weekend():
    cal = WorkingCalendar(weekend=SUNDAY_TO_THURSDAY, tz="Asia/Amman")
    assert [cal.is_working_day(d) for d in (SUN, MON, TUE, WED, THU, FRI, SAT)] == [
        True, True, True, True, True, False, False,
    ]


def test_default_calendar_is_monday_to_friday_eight_to_five_in_utc():
    cal = WorkingCalendar()
    assert cal.weekend == (5, 6)
    assert (cal.day_start, cal.day_end) == (time(8), time(17))
    assert cal.tz == ZoneInfo("UTC")


def test_holiday_on_a_weekday_is_not_a_working_day():
    cal = weekdays_calendar(holidays=[date(2025, 1, 1)])
    assert not cal.is_working_day(date(2025, 1, 1))
    assert cal.is_working_day(date(2025, 1, 2))


def test_holidays_are_stored_as_a_frozenset():
    cal = weekdays_calendar(holidays=[date(2025, 1, 1), date(2025, 1, 1)])
    assert cal.holidays == frozenset({date(2025, 1, 1)})


def test_adding_zero_working_days_returns_the_day_itself_even_on_a_weekend():
    cal = weekdays_calendar()
    assert cal.add_working_days(SAT, 0) == SAT
    assert cal.add_working_days(WED, 0) == WED


def test_adding_one_working_day_to_a_friday_lands_on_monday():
    assert weekdays_calendar().add_working_days(FRI, 1) == NEXT_MON


def test_adding_five_working_days_to_a_monday_lands_on_the_next_monday():
    assert weekdays_calendar().add_working_days(MON, 5) == NEXT_MON


def test_adding_working_days_from_a_saturday_counts_monday_as_the_first():
    cal = weekdays_calendar()
    assert cal.add_working_days(SAT, 1) == NEXT_MON
    assert cal.add_working_days(SAT, 2) == NEXT_MON + timedelta(days=1)


def test_subtracting_working_days_from_a_monday_lands_on_the_previous_friday():
    assert weekdays_calendar().add_working_days(NEXT_MON, -1) == FRI


def test_subtracting_working_days_from_a_sunday_counts_friday_as_the_first():
    cal = weekdays_calendar()
    assert cal.add_working_days(SUN, -1) == FRI
    assert cal.add_working_days(SUN, -5) == MON


def test_adding_working_days_skips_holidays():
    cal = weekdays_calendar(holidays=[date(2025, 1, 1), date(2025, 1, 2)])
    assert cal.add_working_days(date(2024, 12, 31), 1) == date(2025, 1, 3)
    assert cal.add_working_days(date(2025, 1, 3), -1) == date(2024, 12, 31)


def test_adding_working_days_in_a_sunday_to_thursday_week_goes_from_thursday_to_sunday():
    cal = WorkingCalendar(weekend=SUNDAY_TO_THURSDAY, tz="Asia/Amman")
    assert cal.add_working_days(THU, 1) == SUN
    assert cal.add_working_days(SUN, -1) == THU


def test_adding_working_days_requires_an_int():
    with pytest.raises(TypeError):
        weekdays_calendar().add_working_days(MON, 1.5)


def test_working_days_between_is_zero_when_end_is_not_after_start():
    cal = weekdays_calendar()
    assert cal.working_days_between(MON, MON) == 0
    assert cal.working_days_between(FRI, MON) == 0


def test_working_days_between_excludes_start_and_includes_end():
    cal = weekdays_calendar()
    assert cal.working_days_between(MON, TUE) == 1
    assert cal.working_days_between(MON, NEXT_MON) == 5
    assert cal.working_days_between(FRI, NEXT_MON) == 1
    assert cal.working_days_between(SAT, SUN) == 0


def test_working_days_between_leaves_out_holidays_but_not_weekend_holidays_twice():
    cal = weekdays_calendar(holidays=[date(2025, 1, 1), date(2025, 1, 4)])  # Wed, Sat
    assert cal.working_days_between(date(2024, 12, 31), date(2025, 1, 6)) == 3


def test_working_days_between_over_two_centuries_matches_a_day_by_day_count():
    holidays = [date(y, 12, 25) for y in range(1950, 2050)]
    cal = weekdays_calendar(holidays=holidays)
    start, end = date(1950, 1, 1), date(2050, 1, 1)
    expected = sum(
        1 for i in range(1, (end - start).days + 1) if cal.is_working_day(start + timedelta(days=i))
    )
    assert cal.working_days_between(start, end) == expected
    assert cal.add_working_days(start, expected) == date(2049, 12, 31)


# -- business hours: examples -----------------------------------------------------------------


def test_business_hours_inside_one_day_are_added_in_place():
    cal = weekdays_calendar()
    assert cal.add_business_hours(utc(2025, 1, 6, 9), 3) == utc(2025, 1, 6, 12)


def test_adding_business_hours_across_a_weekend_resumes_on_monday_morning():
    cal = weekdays_calendar()
    assert cal.add_business_hours(utc(2025, 1, 10, 16), 2) == utc(2025, 1, 13, 9)


def test_adding_business_hours_across_a_holiday_skips_the_whole_day():
    cal = weekdays_calendar(holidays=[date(2025, 1, 1)])
    assert cal.add_business_hours(utc(2024, 12, 31, 16), 2) == utc(2025, 1, 2, 9)


def test_adding_business_hours_before_opening_starts_at_opening():
    cal = weekdays_calendar()
    assert cal.add_business_hours(utc(2025, 1, 6, 6), 1) == utc(2025, 1, 6, 9)


def test_adding_business_hours_after_closing_starts_at_the_next_opening():
    cal = weekdays_calendar()
    assert cal.add_business_hours(utc(2025, 1, 6, 18), 1) == utc(2025, 1, 7, 9)


def test_a_moment_exactly_at_closing_is_outside_business_hours():
    cal = weekdays_calendar()
    assert cal.add_business_hours(utc(2025, 1, 6, 17), 1) == utc(2025, 1, 7, 9)
    assert cal.add_business_hours(utc(2025, 1, 10, 17), 0) == utc(2025, 1, 13, 8)


def test_hours_running_out_exactly_at_closing_give_closing_time_of_that_day():
    cal = weekdays_calendar()
    assert cal.add_business_hours(utc(2025, 1, 6, 16), 1) == utc(2025, 1, 6, 17)
    assert cal.add_business_hours(utc(2025, 1, 6, 8), 9) == utc(2025, 1, 6, 17)
    assert cal.add_business_hours(utc(2025, 1, 10, 16), 10) == utc(2025, 1, 13, 17)


def test_adding_zero_hours_inside_business_hours_returns_the_moment_itself():
    cal = weekdays_calendar()
    assert cal.add_business_hours(utc(2025, 1, 6, 10, 15), 0) == utc(2025, 1, 6, 10, 15)


def test_adding_zero_hours_outside_business_hours_starts_counting_at_the_next_opening():
    cal = weekdays_calendar()
    assert cal.add_business_hours(utc(2025, 1, 11, 10), 0) == utc(2025, 1, 13, 8)
    assert cal.add_business_hours(utc(2025, 1, 6, 7, 59), 0) == utc(2025, 1, 6, 8)


def test_business_hours_accept_int_float_and_decimal():
    cal = weekdays_calendar()
    start = utc(2025, 1, 6, 8)
    assert cal.add_business_hours(start, 2) == utc(2025, 1, 6, 10)
    assert cal.add_business_hours(start, 1.5) == utc(2025, 1, 6, 9, 30)
    assert cal.add_business_hours(start, Decimal("0.1")) == utc(2025, 1, 6, 8, 6)


def test_ten_thousand_business_hours_skip_whole_days_and_land_on_the_right_hour():
    cal = weekdays_calendar()
    # 1,111 full nine-hour days is 9,999 hours: 222 weeks and a day, then one hour more.
    result = cal.add_business_hours(utc(2025, 1, 6, 8), 10_000)
    assert result == datetime.combine(MON + timedelta(weeks=222, days=1), time(9), tzinfo=UTC)
    assert cal.business_hours_between(utc(2025, 1, 6, 8), result) == 10_000


def test_result_is_in_the_calendar_time_zone():
    cal = WorkingCalendar(tz="Asia/Ho_Chi_Minh")
    result = cal.add_business_hours(utc(2025, 1, 6, 3), 1)
    assert result.tzinfo == HO_CHI_MINH


def test_a_utc_moment_before_opening_in_ho_chi_minh_starts_at_the_local_opening():
    cal = WorkingCalendar(tz="Asia/Ho_Chi_Minh")
    # 00:30 UTC is 07:30 in Ho Chi Minh City (UTC+7), before the 08:00 opening.
    result = cal.add_business_hours(utc(2025, 1, 6, 0, 30), 1)
    assert result == datetime(2025, 1, 6, 9, tzinfo=HO_CHI_MINH)
    assert result == utc(2025, 1, 6, 2)


def test_a_utc_moment_late_in_the_ho_chi_minh_day_carries_over_to_the_next_local_morning():
    cal = WorkingCalendar(tz="Asia/Ho_Chi_Minh")
    # 09:30 UTC is 16:30 local: half an hour today, half an hour tomorrow.
    result = cal.add_business_hours(utc(2025, 1, 6, 9, 30), 1)
    assert result == datetime(2025, 1, 7, 8, 30, tzinfo=HO_CHI_MINH)


def test_amman_weekend_is_friday_and_saturday_in_local_time():
    cal = WorkingCalendar(weekend=SUNDAY_TO_THURSDAY, tz="Asia/Amman")
    # Thursday 13:00 UTC is 16:00 in Amman (UTC+3): one hour Thursday, one hour Sunday.
    result = cal.add_business_hours(utc(2025, 1, 9, 13), 2)
    assert result == datetime(2025, 1, 12, 9, tzinfo=AMMAN)
    assert cal.business_hours_between(datetime(2025, 1, 9, 16, tzinfo=AMMAN), result) == 2


def test_new_york_business_hours_across_the_spring_forward_weekend_keep_wall_clock_times():
    cal = WorkingCalendar(tz="America/New_York")
    friday = datetime(2025, 3, 7, 16, tzinfo=NEW_YORK)  # EST, UTC-5
    result = cal.add_business_hours(friday, 2)
    assert result == datetime(2025, 3, 10, 9, tzinfo=NEW_YORK)  # EDT, UTC-4
    assert result.utcoffset() == timedelta(hours=-4)
    assert cal.business_hours_between(friday, result) == 2


def test_a_window_containing_the_spring_forward_jump_is_an_hour_shorter():
    cal = WorkingCalendar(weekend=(), day_start=time(0), day_end=time(6), tz="America/New_York")
    opening = datetime(2025, 3, 9, 0, tzinfo=NEW_YORK)
    closing = datetime(2025, 3, 9, 6, tzinfo=NEW_YORK)
    assert cal.business_hours_between(opening, closing) == 5
    assert cal.add_business_hours(opening, 5) == closing


def test_a_window_containing_the_fall_back_is_an_hour_longer():
    cal = WorkingCalendar(weekend=(), day_start=time(0), day_end=time(6), tz="America/New_York")
    opening = datetime(2025, 11, 2, 0, tzinfo=NEW_YORK)
    closing = datetime(2025, 11, 2, 6, tzinfo=NEW_YORK)
    assert cal.business_hours_between(opening, closing) == 7
    assert cal.add_business_hours(opening, 7) == closing


def test_an_opening_time_skipped_by_the_clocks_opens_at_the_moment_they_jump():
    cal = WorkingCalendar(weekend=(), day_start=time(2, 30), day_end=time(6), tz="America/New_York")
    result = cal.add_business_hours(datetime(2025, 3, 9, 0, tzinfo=NEW_YORK), 0)
    assert result == datetime(2025, 3, 9, 3, tzinfo=NEW_YORK)
    assert result.utcoffset() == timedelta(hours=-4)


def test_business_hours_between_counts_a_partial_day():
    cal = weekdays_calendar()
    assert cal.business_hours_between(utc(2025, 1, 6, 10), utc(2025, 1, 6, 12, 30)) == 2.5
    assert cal.business_hours_between(utc(2025, 1, 6, 6), utc(2025, 1, 6, 9)) == 1


def test_business_hours_between_skips_the_weekend():
    cal = weekdays_calendar()
    assert cal.business_hours_between(utc(2025, 1, 10, 15), utc(2025, 1, 13, 10)) == 4


def test_business_hours_between_is_zero_when_end_is_not_after_start():
    cal = weekdays_calendar()
    assert cal.business_hours_between(utc(2025, 1, 6, 10), utc(2025, 1, 6, 10)) == 0
    assert cal.business_hours_between(utc(2025, 1, 6, 12), utc(2025, 1, 6, 10)) == 0


def test_business_hours_between_compares_instants_not_wall_clocks():
    cal = WorkingCalendar(tz="Asia/Ho_Chi_Minh")
    start = datetime(2025, 1, 6, 9, tzinfo=HO_CHI_MINH)
    end = utc(2025, 1, 6, 4)  # 11:00 in Ho Chi Minh City
    assert cal.business_hours_between(start, end) == 2


def test_repr_names_the_configuration():
    cal = WorkingCalendar(weekend=SUNDAY_TO_THURSDAY, holidays=[date(2025, 1, 1)], tz="Asia/Amman")
    text = repr(cal)
    assert text.startswith("WorkingCalendar(")
    for part in ("weekend=(4, 5)", "2025-01-01", "08:00", "17:00", "'Asia/Amman'"):
        assert part in text


# -- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("weekend", [(7,), (-1,), (5.0,), ("6",), tuple(range(7)), 5])
def test_a_bad_weekend_is_rejected(weekend):
    with pytest.raises(ValueError):
        WorkingCalendar(weekend=weekend)


def test_an_empty_weekend_is_allowed():
    assert WorkingCalendar(weekend=()).is_working_day(SUN)


@pytest.mark.parametrize("start, end", [(time(17), time(8)), (time(9), time(9))])
def test_day_start_must_be_before_day_end(start, end):
    with pytest.raises(ValueError):
        WorkingCalendar(day_start=start, day_end=end)


def test_an_unknown_time_zone_is_rejected():
    with pytest.raises(ValueError):
        WorkingCalendar(tz="Mars/Olympus_Mons")


def test_a_tzinfo_is_accepted_as_time_zone():
    assert WorkingCalendar(tz=NEW_YORK).tz is NEW_YORK


def test_naive_datetimes_are_rejected():
    cal = weekdays_calendar()
    naive = datetime(2025, 1, 6, 9)
    with pytest.raises(ValueError):
        cal.add_business_hours(naive, 1)
    with pytest.raises(ValueError):
        cal.business_hours_between(naive, utc(2025, 1, 6, 10))
    with pytest.raises(ValueError):
        cal.business_hours_between(utc(2025, 1, 6, 10), naive)


@pytest.mark.parametrize("hours", [-1, -0.5, Decimal("-0.1")])
def test_negative_hours_are_rejected(hours):
    with pytest.raises(ValueError):
        weekdays_calendar().add_business_hours(utc(2025, 1, 6, 9), hours)


# -- properties -----------------------------------------------------------------------------------

# Fixed offsets, a one-hour DST (New York, London), a half-hour DST (Lord Howe) and a DST
# change at midnight (Santiago).
ZONES = [
    "UTC",
    "Asia/Amman",
    "Asia/Ho_Chi_Minh",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Santiago",
]
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


# add_business_hours walks one working day at a time, so a window of a few microseconds
# would make a 300-hour addition walk past the year 9999; half an hour keeps walks short.
MIN_WINDOW = timedelta(minutes=30)


def _on_a_day(t):
    return datetime.combine(date(2000, 1, 1), t)


@st.composite
def calendars(draw):
    weekend = draw(st.frozensets(st.integers(0, 6), max_size=6))
    holidays = draw(st.frozensets(DAYS, max_size=20))
    # Whole-hour office hours, or arbitrary ones, which can put an opening or closing
    # inside a daylight-saving change.
    hours = draw(
        st.one_of(
            st.tuples(st.integers(0, 23), st.integers(0, 23))
            .filter(lambda p: p[0] != p[1])
            .map(lambda p: (time(min(p)), time(max(p)))),
            st.tuples(st.times(), st.times())
            .filter(lambda p: abs(_on_a_day(p[0]) - _on_a_day(p[1])) >= MIN_WINDOW)
            .map(lambda p: (min(p), max(p))),
        )
    )
    tz = draw(st.sampled_from(ZONES))
    return WorkingCalendar(
        weekend=weekend, holidays=holidays, day_start=hours[0], day_end=hours[1], tz=tz
    )


moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2040, 12, 31),
    timezones=st.sampled_from([UTC] + [ZoneInfo(z) for z in ZONES]),
)
business_hours = st.one_of(
    st.integers(0, 300),
    st.floats(0, 300, allow_nan=False, allow_infinity=False),
    st.decimals(0, 300, places=3),
)


def instant(moment):
    # == between different zones is False for a wall time in a DST gap or fold (PEP 495),
    # even when both sides are the same instant; compare in UTC.
    return moment.astimezone(UTC)


def is_open(cal, moment):
    local = moment.astimezone(cal.tz)
    return cal.is_working_day(local.date()) and cal.day_start <= local.time() < cal.day_end


@PROPERTY_SETTINGS
@given(calendars(), DAYS, st.integers(-400, 400).filter(lambda n: n != 0))
def test_adding_a_nonzero_number_of_working_days_lands_on_a_working_day(cal, day, n):
    assert cal.is_working_day(cal.add_working_days(day, n))


@PROPERTY_SETTINGS
@given(calendars(), DAYS, st.integers(0, 400))
def test_working_days_between_a_day_and_n_working_days_later_is_n(cal, day, n):
    assert cal.working_days_between(day, cal.add_working_days(day, n)) == n


@PROPERTY_SETTINGS
@given(calendars(), DAYS, st.integers(-400, 400))
def test_going_n_working_days_forward_and_back_returns_to_a_working_day(cal, day, n):
    start = cal.add_working_days(day, 1)
    assert cal.add_working_days(cal.add_working_days(start, n), -n) == start


@PROPERTY_SETTINGS
@given(calendars(), DAYS, st.integers(-40, 40))
def test_adding_working_days_matches_stepping_one_day_at_a_time(cal, day, n):
    expected, step, left = day, (1 if n > 0 else -1), abs(n)
    while left:
        expected += timedelta(days=step)
        left -= cal.is_working_day(expected)
    assert cal.add_working_days(day, n) == expected


@PROPERTY_SETTINGS
@given(calendars(), DAYS, DAYS)
def test_working_days_between_matches_counting_day_by_day(cal, a, b):
    start, end = min(a, b), min(max(a, b), min(a, b) + timedelta(days=800))
    expected = sum(
        cal.is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1)
    )
    assert cal.working_days_between(start, end) == expected
    assert cal.working_days_between(end, start) == 0


@PROPERTY_SETTINGS
@given(calendars(), moments, business_hours)
def test_adding_business_hours_never_lands_outside_business_hours(cal, moment, hours):
    result = cal.add_business_hours(moment, hours)
    assert result.tzinfo is cal.tz
    assert instant(result) >= instant(moment)
    if is_open(cal, result):
        return
    # Convention: hours that run out exactly at closing give that day's closing time. The
    # instant just before it is open; on ordinary days the wall clock shows day_end (a
    # closing time skipped by a spring-forward jump shows the time the clocks jumped to).
    assert hours > 0
    assert is_open(cal, result - timedelta(microseconds=1))
    if result.utcoffset() == (result - timedelta(hours=1)).utcoffset():
        assert result.time() == cal.day_end


@PROPERTY_SETTINGS
@given(calendars(), moments)
def test_adding_zero_business_hours_keeps_an_open_moment_and_otherwise_finds_the_opening(
    cal, moment
):
    result = cal.add_business_hours(moment, 0)
    if is_open(cal, moment):
        assert instant(result) == instant(moment)
    else:
        assert instant(result) > instant(moment)
        assert is_open(cal, result)
        assert cal.business_hours_between(moment, result) == 0


@PROPERTY_SETTINGS
@given(calendars(), moments, business_hours)
def test_business_hours_between_a_moment_and_hours_later_is_those_hours(cal, moment, hours):
    later = cal.add_business_hours(moment, hours)
    assert cal.business_hours_between(moment, later) == pytest.approx(float(hours), abs=1e-6)


@PROPERTY_SETTINGS
@given(calendars(), DAYS, st.floats(0, 1, exclude_max=True), business_hours)
def test_business_hours_round_trip_from_a_moment_inside_business_hours(cal, day, fraction, hours):
    day = cal.add_working_days(day, 1)
    opening = datetime.combine(day, cal.day_start)
    closing = datetime.combine(day, cal.day_end)
    moment = (opening + (closing - opening) * fraction).replace(tzinfo=cal.tz)
    assume(is_open(cal, moment))  # a wall time a DST jump skips is not a moment at all
    later = cal.add_business_hours(moment, hours)
    assert cal.business_hours_between(moment, later) == pytest.approx(float(hours), abs=1e-6)


@PROPERTY_SETTINGS
@given(calendars(), moments, moments, moments)
def test_business_hours_between_is_additive(cal, x, y, z):
    a, b, c = sorted((x, y, z), key=instant)
    # Keep spans to about a year so the property stays quick.
    c = min(c, a + timedelta(days=400))
    b = min(b, c)
    total = cal.business_hours_between(a, c)
    assert total == pytest.approx(
        cal.business_hours_between(a, b) + cal.business_hours_between(b, c), abs=1e-6
    )


@PROPERTY_SETTINGS
@given(calendars(), moments, business_hours, business_hours)
def test_adding_more_business_hours_never_gives_an_earlier_moment(cal, moment, h1, h2):
    small, large = sorted((float(h1), float(h2)))
    assert instant(cal.add_business_hours(moment, small)) <= instant(
        cal.add_business_hours(moment, large)
    )
