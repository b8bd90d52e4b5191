"""The 数读 sections every module adds to the statistics page, ``lvzhi stats`` and the statistics workbook.

Proposals, suggestions, reports and messages have their own sections in :mod:`lvzhi.reports`. Every other module
(liaison stations, the outreach office, livelihood projects, duty records …) registers a *provider* here in its
``AppConfig.ready()``; the page, the command and the workbook then show its figures without importing it (the
same pattern as :mod:`lvzhi.core.inbox` and :mod:`lvzhi.core.reminders`).

A provider is called as ``provider(council_id, date_from, date_to)`` — dates inclusive, ``None`` for an open end
— and returns a :class:`Section` (or ``None`` when the module does not apply to that council, e.g. liaison
stations for a CPPCC committee). Figures are computed from the records at each call, never stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

Value = int | float | str | None


@dataclass(frozen=True)
class Table:
    """A breakdown: ``caption``, column ``headers`` and ``rows`` (cells as shown; ratios already as text)."""

    caption: str
    headers: list[str]
    rows: list[list[Value]]


@dataclass(frozen=True)
class Section:
    """One module's figures: ``key`` (stable, e.g. ``"stations"``), ``title`` (Chinese), the headline
    ``figures`` as ``(label, value)`` pairs (ratios as text such as ``"83.3%"``), a ``scope`` line saying what
    was counted, and ``tables``."""

    key: str
    title: str
    figures: list[tuple[str, Value]]
    scope: str = ""
    tables: list[Table] = field(default_factory=list)


Provider = Callable[[int, date | None, date | None], Section | None]
_providers: dict[str, Provider] = {}


def register(key: str, provider: Provider) -> None:
    """Add (or replace) the provider of section ``key``; sections appear in registration order."""
    _providers[key] = provider


def keys() -> list[str]:
    """The registered section keys, in order."""
    return list(_providers)


def sections(council_id: int, date_from: date | None = None, date_to: date | None = None,
             *, only: str | None = None) -> list[Section]:
    """The sections that apply to ``council_id`` for the dates (all registered ones, or just ``only``)."""
    found = []
    for key, provider in _providers.items():
        if only is not None and key != only:
            continue
        section = provider(council_id, date_from, date_to)
        if section is not None:
            found.append(section)
    return found


def percent(value: float | None) -> str:
    """A ratio 0..1 as ``"83.3%"``; ``"—"`` when there is no denominator (``None``)."""
    return "—" if value is None else f"{value * 100:.1f}%"


def render_text(section: Section) -> str:
    """``section`` as the aligned text ``lvzhi stats`` prints."""
    from unicodedata import east_asian_width

    def width(text: str) -> int:
        return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)

    lines = [f"━━ {section.title}{'：' + section.scope if section.scope else ''} ━━", ""]
    if section.figures:
        w = max(width(label) for label, _ in section.figures) + 2
        lines += [f"  {label}{' ' * (w - width(label))}{'' if value is None else value}"
                  for label, value in section.figures]
    for table in section.tables:
        lines += ["", f"【{table.caption}】", "  " + " / ".join(table.headers)]
        lines += ["  " + " / ".join("" if c is None else str(c) for c in row) for row in table.rows]
        if not table.rows:
            lines.append("  （无）")
    return "\n".join(lines)
