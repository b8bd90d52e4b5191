"""Working-day arithmetic for deadlines (工作日), after China's statutory holiday calendar.

Holidays and make-up working days (调休) come from ``chinese_calendar``, which carries the State Council's
yearly notices. For a year the library does not yet cover (the notice for year N is published in November
of year N-1), the rule falls back to Monday–Friday; such a deadline is recomputed when the library is
upgraded only if the case is touched again, so councils should upgrade ``chinesecalendar`` each December.

All functions take and return ``datetime.date``. "Calendar days" and "months" are plain calendar arithmetic.
"""

from __future__ import annotations

import calendar as _cal
from datetime import date, timedelta

import chinese_calendar


def is_working_day(day: date) -> bool:
    """True when ``day`` is a working day (statutory calendar; Mon–Fri outside the covered years)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted).

    ``add_working_days(friday, 1)`` is the next working Monday. ``days`` must be >= 0; 0 returns ``start``.
    Raises ``ValueError`` for a negative count.
    """
    if days < 0:
        raise ValueError("工作日数不能为负数")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]: 0 when end <= start. ``end`` counts, ``start`` does not."""
    if end <= start:
        return 0
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def add_months(start: date, months: int) -> date:
    """Same day ``months`` calendar months later, clamped to the month's last day (Jan 31 + 1 → Feb 28/29)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, _cal.monthrange(year, month)[1])
    return date(year, month, day)


def add_period(start: date, amount: int, unit: str) -> date:
    """Add ``amount`` of ``unit`` to ``start``; ``unit`` is ``working_days``, ``calendar_days`` or ``months``.

    Raises ``ValueError`` for another unit. Used for every time limit the workflow data declares.
    """
    if unit == "working_days":
        return add_working_days(start, amount)
    if unit == "calendar_days":
        return start + timedelta(days=amount)
    if unit == "months":
        return add_months(start, amount)
    raise ValueError(f"未知的期限单位：{unit}")
