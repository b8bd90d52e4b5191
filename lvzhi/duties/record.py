"""Reads of the duty record (履职档案): the period, a member's acts grouped by kind with their counts, the
score explained, and the printable Word document (python-docx)."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from lvzhi.core import gongwen
from lvzhi.core.errors import DomainError
from lvzhi.duties import acts as registry
from lvzhi.duties.acts import Act
from lvzhi.duties.rules import spec_of
from lvzhi.duties.scoring import MemberScore, active_rule_set, score_member
from lvzhi.members.models import Member, Term


@dataclass(frozen=True)
class Period:
    """A period of the record: a calendar year, a quarter of it (the people's congress publishes quarterly
    scores) or a term (届)."""

    label: str
    start: date
    end: date
    year: int | None = None
    term_id: int | None = None
    quarter: int | None = None

    def query(self) -> str:
        """The query string that names this period (``year=2025&quarter=2``, ``term=3``)."""
        if self.term_id is not None:
            return f"term={self.term_id}"
        return f"year={self.year}" + (f"&quarter={self.quarter}" if self.quarter else "")


def period_from(params: Any, member_or_council_id: int, *, council: bool = False) -> Period:
    """The period named by ``params`` (``year=YYYY`` with an optional ``quarter=1..4``, or ``term=<id>`` of
    the council), else this year. Raises :class:`DomainError` naming ``year``, ``quarter`` or ``term`` for a
    bad one."""
    term = (params.get("term") or "").strip()
    if term:
        council_id = member_or_council_id if council else Member.objects.filter(pk=member_or_council_id).values_list(
            "council_id", flat=True).first()
        found = Term.objects.filter(pk=int(term), council_id=council_id or 0).first() if term.isdigit() else None
        if found is None:
            raise DomainError("届次不存在。", field="term")
        end = found.end_date or date(found.start_date.year + 5, found.start_date.month, found.start_date.day)
        return Period(f"第{found.number}届", found.start_date, end, term_id=found.pk)
    raw = (params.get("year") or "").strip()
    if raw:
        if not raw.isdigit() or not 1949 <= int(raw) <= 2200:
            raise DomainError(f"年度「{raw}」无效，请填写四位年份。", field="year")
        year = int(raw)
    else:
        year = timezone.localdate().year
    quarter = (params.get("quarter") or "").strip()
    if quarter:
        if quarter not in ("1", "2", "3", "4"):
            raise DomainError(f"季度「{quarter}」无效，应为 1 至 4。", field="quarter")
        q = int(quarter)
        first = date(year, 3 * q - 2, 1)
        last = date(year, 12, 31) if q == 4 else date(year, 3 * q + 1, 1) - timedelta(days=1)
        return Period(f"{year}年第{q}季度", first, last, year=year, quarter=q)
    return Period(f"{year}年度", date(year, 1, 1), date(year, 12, 31), year=year)


@dataclass
class KindSummary:
    key: str
    label: str
    acts: list[Act]
    counts: list[tuple[str, int]]


def _describe(act: Act) -> str:
    kind = registry.kinds().get(act.kind)
    if kind is None:
        return ""
    parts = []
    for attr, value in act.attrs.items():
        labels = kind.values.get(attr)
        if labels is None:
            continue
        shown = labels.get(str(value).lower() if isinstance(value, bool) else str(value), str(value))
        if isinstance(value, bool):
            if value:
                parts.append(kind.attrs[attr])
            continue
        parts.append(f"{kind.attrs[attr]}：{shown}")
    return "；".join(parts)


def describe(act: Act) -> str:
    """The act's attributes in words (e.g. ``身份：联名（附议）；立案``)."""
    return _describe(act)


def summarise(acts: list[Act], council: Any = None) -> list[KindSummary]:
    """The acts grouped by kind (in registry order; the kinds that apply to ``council`` when given) with
    counts of the main attributes."""
    out = []
    for key, kind in registry.kinds(council).items():
        mine = [a for a in acts if a.kind == key]
        if not mine:
            out.append(KindSummary(key, kind.label, [], []))
            continue
        counts: Counter[str] = Counter()
        for a in mine:
            for attr, value in a.attrs.items():
                if isinstance(value, bool) and value:
                    counts[kind.attrs.get(attr, attr)] += 1
                elif attr in ("outcome", "role") and attr in kind.values:
                    counts[kind.values[attr].get(str(value), str(value))] += 1
        out.append(KindSummary(key, kind.label, mine, [("合计", len(mine)), *sorted(counts.items())]))
    return out


def member_record(member: Member, period: Period) -> tuple[list[Act], MemberScore | None, str]:
    """The member's acts in ``period``, their score under the council's active rule set (``None`` without
    one) and the rule set's name."""
    acts = registry.acts_of(member.council, period.start, period.end, {member.pk})
    rule_set = active_rule_set(member.council)
    if rule_set is None:
        return acts, None, ""
    return acts, score_member(spec_of(rule_set), member.pk, member.name, acts), rule_set.name


def record_docx(member: Member, period: Period) -> bytes:
    """The printable duty record of ``member`` for ``period`` as a Word document: the acts by kind with
    their counts, then the score explained item by item."""
    from docx import Document
    from docx.shared import Pt

    acts, score, rule_name = member_record(member, period)
    doc = Document()
    gongwen.page_setup(doc)  # A4, GB/T 9704 margins, page numbers
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(11)
    doc.add_heading(f"{member.council.name}委员履职档案", level=1)
    doc.add_paragraph(f"姓名：{member.name}    界别：{member.sector.name if member.sector else '—'}    "
                      f"期间：{period.label}（{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}）")
    for summary in summarise(acts, member.council):
        doc.add_heading(f"{summary.label}（{len(summary.acts)}）", level=2)
        if not summary.acts:
            doc.add_paragraph("无")
            continue
        doc.add_paragraph("，".join(f"{k} {v}" for k, v in summary.counts))
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("日期", "事项", "情况"), strict=True):
            cell.text = text
        for a in summary.acts:
            row = table.add_row().cells
            row[0].text, row[1].text, row[2].text = a.day.isoformat(), a.title, describe(a)
    if score is not None:
        doc.add_heading(f"履职积分（{rule_name}）", level=2)
        doc.add_paragraph(f"得分 {score.score}，等次：{score.grade or '—'}；基础分 {score.base}。")
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("项目", "履职事项", "得分", "说明"), strict=True):
            cell.text = text
        for group in score.groups:
            for item in group.items:
                for line in item.lines:
                    row = table.add_row().cells
                    row[0].text, row[1].text = item.label, f"{line.act.day:%Y-%m-%d} {line.act.title}"
                    row[2].text, row[3].text = f"{line.points.normalize():f}", line.note
            if group.name and group.cap is not None and group.total != group.subtotal:
                row = table.add_row().cells
                row[0].text, row[2].text = group.name, f"{group.total.normalize():f}"
                row[3].text = f"小计 {group.subtotal.normalize():f} 分，按上限 {group.cap.normalize():f} 分计"
        if score.duties:
            doc.add_heading("基本履职要求", level=2)
            for d in score.duties:
                doc.add_paragraph(f"{'✔' if d.met else '✘'} {d.label}：{d.count} / {d.need}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
