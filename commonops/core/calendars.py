"""Working calendars: which days are worked, and how much business time lies between moments.

Implements DOMAIN.md, Calendars (core) — contract. The module is pure: no Django, no
settings and no clock, so a deadline computed from the same inputs is always the same.

Conventions
-----------
* A working day is a date whose weekday is not in ``weekend`` and which is not a holiday.
* Business time is the half-open window ``[day_start, day_end)`` of each working day, read
  as wall-clock time in the calendar's time zone. Durations are real elapsed time, so a
  window that contains a daylight-saving change is an hour shorter or longer that day.
* ``add_business_hours`` counts from the moment, or from the next opening when the moment
  is outside business time. When the hours run out exactly at closing, the result is that
  day's closing time, not the next opening: a task due "by close of business" is due today.
* Wall-clock times that a time-zone change makes ambiguous or skips are read so that every
  instant inside a window shows a wall-clock time inside ``[day_start, day_end)``:
  an opening that happens twice (clocks going back) is the later one, a closing that
  happens twice is the earlier one, and an opening or closing that is skipped (clocks going
  forward) is the instant the clocks jump.
"""

from __future__ import annotations

import math
import numbers
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from decimal import ROUND_HALF_EVEN, Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["MONDAY_TO_FRIDAY", "SUNDAY_TO_THURSDAY", "WorkingCalendar"]

#: The weekend of a Monday–Friday week: Saturday and Sunday.
MONDAY_TO_FRIDAY = (5, 6)
#: The weekend of a Sunday–Thursday week: Friday and Saturday.
SUNDAY_TO_THURSDAY = (4, 5)

_UTC = timezone.utc
_ONE_HOUR = timedelta(hours=1)
_ONE_MICROSECOND = timedelta(microseconds=1)
_MICROSECONDS_PER_HOUR = 3_600_000_000


class WorkingCalendar:
    """Working days and business hours of one duty station.

    ``weekend`` holds weekday numbers as in ``date.weekday()`` (0 = Monday … 6 = Sunday);
    ``holidays`` is an iterable of dates; ``tz`` is a time-zone name or a ``tzinfo``.
    """

    __slots__ = (
        "_weekend",
        "_holidays",
        "_day_start",
        "_day_end",
        "_tz",
        "_working_weekdays",
        "_sorted_holidays",
        "_forward_offsets",
        "_backward_offsets",
        "_remainder_counts",
    )

    def __init__(
        self,
        *,
        weekend: Iterable[int] = MONDAY_TO_FRIDAY,
        holidays: Iterable[date] = (),
        day_start: time = time(8),
        day_end: time = time(17),
        tz: str | tzinfo = "UTC",
    ) -> None:
        self._weekend = _validated_weekend(weekend)
        self._holidays = frozenset(_validated_holidays(holidays))
        self._day_start, self._day_end = _validated_hours(day_start, day_end)
        self._tz = _validated_zone(tz)

        working = frozenset(range(7)) - self._weekend
        self._working_weekdays = working
        # A holiday on a weekend day changes nothing, and leaving it out keeps the bisect
        # counts equal to "working days lost".
        self._sorted_holidays = sorted(h for h in self._holidays if h.weekday() in working)
        # Per starting weekday: how far ahead (or back) each working weekday of the coming
        # (or previous) seven days lies. The n-th working weekday is then one lookup away.
        self._forward_offsets = tuple(
            tuple(i for i in range(1, 8) if (start + i) % 7 in working) for start in range(7)
        )
        self._backward_offsets = tuple(
            tuple(i for i in range(1, 8) if (start - i) % 7 in working) for start in range(7)
        )
        # Per starting weekday and leftover day count (0..6): working weekdays among them.
        self._remainder_counts = tuple(
            tuple(
                sum(1 for i in range(1, rem + 1) if (start + i) % 7 in working)
                for rem in range(7)
            )
            for start in range(7)
        )

    # -- read-only configuration -------------------------------------------------------

    @property
    def weekend(self) -> tuple[int, ...]:
        return tuple(sorted(self._weekend))

    @property
    def holidays(self) -> frozenset[date]:
        return self._holidays

    @property
    def day_start(self) -> time:
        return self._day_start

    @property
    def day_end(self) -> time:
        return self._day_end

    @property
    def tz(self) -> tzinfo:
        return self._tz

    def __repr__(self) -> str:
        if len(self._holidays) <= 3:
            holidays = ", ".join(d.isoformat() for d in sorted(self._holidays))
        else:
            ordered = sorted(self._holidays)
            holidays = f"{len(ordered)} dates {ordered[0].isoformat()}..{ordered[-1].isoformat()}"
        return (
            f"WorkingCalendar(weekend={self.weekend}, holidays=[{holidays}], "
            f"day_start={self._day_start.isoformat()}, day_end={self._day_end.isoformat()}, "
            f"tz={str(self._tz)!r})"
        )

    # -- working days --------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        _check_date(day)
        return day.weekday() in self._working_weekdays and day not in self._holidays

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (n > 0), before it (n < 0), or ``day`` (n == 0).

        ``day`` itself need not be a working day and is never counted.
        """
        _check_date(day)
        n = _validated_count(n)
        if n == 0:
            return day
        holidays = self._sorted_holidays
        # Jump over `remaining` working weekdays ignoring holidays, then jump again over as
        # many as the holidays just crossed; stop when a jump crosses none. Each jump is
        # arithmetic, so the cost grows with the holidays crossed, not with the distance.
        current, remaining = day, abs(n)
        if n > 0:
            while True:
                candidate = self._nth_working_weekday(current, remaining, self._forward_offsets, 1)
                crossed = bisect_right(holidays, candidate) - bisect_right(holidays, current)
                if crossed == 0:
                    return candidate
                current, remaining = candidate, crossed
        while True:
            candidate = self._nth_working_weekday(current, remaining, self._backward_offsets, -1)
            crossed = bisect_left(holidays, current) - bisect_left(holidays, candidate)
            if crossed == 0:
                return candidate
            current, remaining = candidate, crossed

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days d satisfy ``start < d <= end``; 0 when ``end <= start``."""
        _check_date(start)
        _check_date(end)
        if end <= start:
            return 0
        weeks, leftover = divmod((end - start).days, 7)
        weekdays = weeks * len(self._working_weekdays)
        weekdays += self._remainder_counts[start.weekday()][leftover]
        holidays = self._sorted_holidays
        return weekdays - (bisect_right(holidays, end) - bisect_right(holidays, start))

    def _nth_working_weekday(self, day: date, n: int, offsets, sign: int) -> date:
        per_week = len(self._working_weekdays)
        weeks, index = divmod(n - 1, per_week)
        return day + sign * timedelta(days=7 * weeks + offsets[day.weekday()][index])

    # -- business hours ------------------------------------------------------------------

    def add_business_hours(self, moment: datetime, hours) -> datetime:
        """The moment ``hours`` business hours after ``moment``, in the calendar's time zone.

        A moment outside business hours starts counting at the next opening, so adding 0
        hours returns the moment itself when it is inside business hours and the next
        opening otherwise. Hours that run out exactly at closing give that day's closing
        time. ``hours`` may be an int, float or Decimal, and must not be negative.
        """
        _check_aware(moment, "moment")
        remaining = _hours_to_timedelta(hours)
        instant = moment.astimezone(_UTC)
        day = instant.astimezone(self._tz).date()
        if not self.is_working_day(day):
            day = self.add_working_days(day, 1)
        # One whole working day per step: the length of each day's window is only known
        # after resolving that day's daylight-saving rules.
        while True:
            opening, closing = self._window(day)
            if instant < opening:
                instant = opening
            if instant < closing:
                available = closing - instant
                if remaining <= available:
                    return (instant + remaining).astimezone(self._tz)
                remaining -= available
            day = self.add_working_days(day, 1)

    def business_hours_between(self, start: datetime, end: datetime) -> float:
        """Business hours inside ``[start, end)``, as real elapsed time; 0 when ``end <= start``."""
        _check_aware(start, "start")
        _check_aware(end, "end")
        start_utc = start.astimezone(_UTC)
        end_utc = end.astimezone(_UTC)
        if end_utc <= start_utc:
            return 0.0
        total = timedelta(0)
        day = start_utc.astimezone(self._tz).date()
        if not self.is_working_day(day):
            day = self.add_working_days(day, 1)
        while True:
            opening, closing = self._window(day)
            if opening >= end_utc:
                break
            overlap = min(closing, end_utc) - max(opening, start_utc)
            if overlap > timedelta(0):
                total += overlap
            day = self.add_working_days(day, 1)
        return total / _ONE_HOUR

    def _window(self, day: date) -> tuple[datetime, datetime]:
        """The UTC instants at which ``day`` opens and closes; equal when nothing is open."""
        opening = self._instant(day, self._day_start, later=True)
        closing = self._instant(day, self._day_end, later=False)
        if closing <= opening:
            # Both ends fall inside the hour that a fall-back repeats: the first pass
            # through it is the window.
            opening = self._instant(day, self._day_start, later=False)
            if closing <= opening:
                closing = opening
        return opening, closing

    def _instant(self, day: date, wall: time, *, later: bool) -> datetime:
        first = datetime.combine(day, wall, tzinfo=self._tz)
        second = first.replace(fold=1)
        offset_first, offset_second = first.utcoffset(), second.utcoffset()
        if offset_first == offset_second:
            return first.astimezone(_UTC)
        if offset_first > offset_second:
            # Clocks went back, so the wall time happened twice.
            return (second if later else first).astimezone(_UTC)
        # Clocks jumped forward over this wall time. Read as offset-after it lands before the
        # jump, read as offset-before it lands after; the jump lies between.
        return _first_instant_with_offset(
            before=second.astimezone(_UTC),
            after=first.astimezone(_UTC),
            zone=self._tz,
            offset=offset_second,
        )


def _first_instant_with_offset(
    *, before: datetime, after: datetime, zone: tzinfo, offset: timedelta
) -> datetime:
    # zoneinfo keeps its transition table private, so find the jump by bisection: at most
    # ~32 steps for an hour's gap, and only on the rare days a window edge falls in one.
    while after - before > _ONE_MICROSECOND:
        middle = before + (after - before) / 2
        if middle.astimezone(zone).utcoffset() == offset:
            after = middle
        else:
            before = middle
    return after


# -- validation ------------------------------------------------------------------------------


def _validated_weekend(weekend) -> frozenset[int]:
    try:
        days = list(weekend)
    except TypeError:
        raise ValueError(
            f"weekend must be an iterable of weekday numbers 0..6, got {weekend!r}"
        ) from None
    for d in days:
        if isinstance(d, bool) or not isinstance(d, numbers.Integral) or not 0 <= d <= 6:
            raise ValueError(f"weekend days must be ints 0 (Monday) .. 6 (Sunday), got {d!r}")
    result = frozenset(int(d) for d in days)
    if len(result) == 7:
        raise ValueError(
            "weekend cannot cover all seven days: the calendar would have no working day"
        )
    return result


def _validated_holidays(holidays) -> list[date]:
    result = list(holidays)
    for h in result:
        _check_date(h, "holidays")
    return result


def _validated_hours(day_start, day_end) -> tuple[time, time]:
    for name, value in (("day_start", day_start), ("day_end", day_end)):
        if not isinstance(value, time):
            raise TypeError(f"{name} must be a datetime.time, got {value!r}")
        if value.tzinfo is not None:
            raise ValueError(f"{name} must be a naive time; the calendar's tz gives it a zone")
    if not day_start < day_end:
        raise ValueError(f"day_start ({day_start}) must be before day_end ({day_end})")
    # fold is chosen per use when resolving ambiguous wall times; a caller's must not leak in.
    return day_start.replace(fold=0), day_end.replace(fold=0)


def _validated_zone(tz) -> tzinfo:
    if isinstance(tz, tzinfo):
        return tz
    if isinstance(tz, str):
        try:
            return ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {tz!r}") from exc
    raise TypeError(f"tz must be a time-zone name or a tzinfo, got {tz!r}")


def _validated_count(n) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be an int, got {n!r}")
    return int(n)


def _check_date(value, name: str = "day") -> None:
    # A datetime is a date subclass, but mixing the two breaks sorting and set lookups.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date, got {value!r}")


def _check_aware(value, name: str) -> None:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")


def _hours_to_timedelta(hours) -> timedelta:
    if isinstance(hours, bool) or not isinstance(hours, (numbers.Real, Decimal)):
        raise TypeError(f"hours must be an int, float or Decimal, got {hours!r}")
    if isinstance(hours, Decimal):
        if not hours.is_finite():
            raise ValueError(f"hours must be finite, got {hours!r}")
        if hours < 0:
            raise ValueError(f"hours must not be negative, got {hours!r}")
        # Rounded once, to whole microseconds: a float detour would blur long Decimals.
        micro = (hours * _MICROSECONDS_PER_HOUR).to_integral_value(rounding=ROUND_HALF_EVEN)
        return timedelta(microseconds=int(micro))
    if isinstance(hours, numbers.Integral):
        if hours < 0:
            raise ValueError(f"hours must not be negative, got {hours!r}")
        return timedelta(hours=int(hours))
    value = float(hours)
    if not math.isfinite(value):
        raise ValueError(f"hours must be finite, got {hours!r}")
    if value < 0:
        raise ValueError(f"hours must not be negative, got {hours!r}")
    return timedelta(hours=value)
