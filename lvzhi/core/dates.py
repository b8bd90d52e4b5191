"""Reading dates as people and spreadsheets write them (every importer uses this; no domain knowledge)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

_DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 2019/2/28 11:25:05, 2019-02-28 11:25, 2019.2.28T11:25:05.123, 2019/2/28
    re.compile(
        r"^(?P<y>\d{4})[/\-.](?P<m>\d{1,2})[/\-.](?P<d>\d{1,2})"
        r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{1,2})(?::(?P<S>\d{1,2})(?:\.\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$"
    ),
    # 2019年2月28日 11:25:05 / 2019年2月28日11时25分
    re.compile(
        r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日?"
        r"\s*(?:(?P<H>\d{1,2})[:时点](?P<M>\d{1,2})分?(?:[:](?P<S>\d{1,2})秒?|(?P<S2>\d{1,2})秒)?)?$"
    ),
    # 20190228 112505 / 20190228
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:[ T]?(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?)?$"),
)
_EXCEL_EPOCH = datetime(1899, 12, 30)


def parse_datetime(value: object) -> datetime | None:
    """Parse a date/time cell into a naive ``datetime`` (local time as written in the file).

    Accepts ``datetime``, ``date`` (midnight), Excel serial numbers (days since 1899-12-30, range
    1..2958465), and strings like ``2019/2/28 11:25:05``, ``2019-02-28 11:25``, ``2019.2.28``,
    ``2019年2月28日 11:25``, ``20190228``; full-width digits are folded first.

    Returns:
        The datetime, or None for an empty cell.
    Raises:
        ValueError: the value is not empty but cannot be understood as a date (message in Chinese).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, bool):
        raise ValueError(f"无法识别的日期：{value!r}")
    if isinstance(value, int | float):
        if 1 <= value <= 2958465:
            return _EXCEL_EPOCH + timedelta(days=float(value))
        raise ValueError(f"无法识别的日期：{value!r}")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m is None:
            continue
        g = m.groupdict()
        try:
            return datetime(
                int(g["y"]),
                int(g["m"]),
                int(g["d"]),
                int(g.get("H") or 0),
                int(g.get("M") or 0),
                int(g.get("S") or g.get("S2") or 0),
            )
        except ValueError:
            break
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        pass
    raise ValueError(f"无法识别的日期：{text!r}")
