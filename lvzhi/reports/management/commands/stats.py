"""``lvzhi stats --council ID [--term N] [--session N] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--xlsx PATH]``:
print the proposal statistics (数读) as aligned text (rates as percent with one decimal) and optionally
write the statistics workbook."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.core.errors import DomainError
from lvzhi.members.models import Council
from lvzhi.reports.excel import write_statistics
from lvzhi.reports.queries import ProposalStatistics, percent, proposal_statistics, resolve_scope


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` terminal columns."""
    return text + " " * max(0, width - display_width(text))


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} 的日期格式应为 YYYY-MM-DD：{value}") from None


def render_text(stats: ProposalStatistics) -> str:
    """The statistics as aligned text: headline figures, then each breakdown with count and share."""
    lines = [f"统计范围：{stats.scope.label()}（按提交日期；收到提案不含草稿和撤回）", ""]
    summary = [(label, percent(v) if is_ratio else str(v)) for _, label, v, is_ratio in stats.summary()]
    width = max(display_width(label) for label, _ in summary) + 2
    lines += [f"{pad(label, width)}{value:>8}" for label, value in summary]

    def table(title: str, rows: list[tuple[str, int, float | None]]) -> None:
        lines.extend(["", f"【{title}】"])
        w = max([display_width(r[0]) for r in rows] + [8]) + 2
        lines.extend(f"  {pad(label, w)}{count:>6}  {percent(share):>7}" for label, count, share in rows)

    table("提案者类型", [(r.label, r.count, r.share) for r in stats.by_proposer_kind])
    table("提案类别（收到）", [(r.label, r.received, r.share) for r in stats.by_category])
    table("不予立案理由", [(r.label, r.count, r.share) for r in stats.not_filed_by_ground if r.count])
    table("答复类别", [(r.label, r.count, r.share) for r in stats.grades])
    table("满意度测评", [(r.label, r.count, r.share) for r in stats.satisfaction])
    lines.extend(["", "【承办单位】（交办 / 主办含单办 / 会办 / 分办 / 已答复 / 超期）"])
    if stats.by_unit:
        w = max(display_width(u.name) for u in stats.by_unit) + 2
        lines.extend(f"  {pad(u.name, w)}{u.assignments:>5}{u.lead:>5}{u.co:>5}{u.separate:>5}{u.replied:>5}"
                     f"{u.overdue:>5}" for u in stats.by_unit)
    else:
        lines.append("  （尚未交办）")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "打印提案统计（数读）：按机构、届次、会次和提交日期范围；可另存为 Excel 统计表。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", type=int, required=True, help="机构 ID")
        parser.add_argument("--term", type=int, help="届次（如 14）")
        parser.add_argument("--session", type=int, help="会次（如 3，须同时指定届次）")
        parser.add_argument("--from", dest="date_from", help="提交日期自 YYYY-MM-DD（含）")
        parser.add_argument("--to", dest="date_to", help="提交日期至 YYYY-MM-DD（含）")
        parser.add_argument("--xlsx", help="另存 Excel 统计表的路径")

    def handle(self, *args: Any, **options: Any) -> None:
        council = Council.objects.filter(pk=options["council"]).first()
        if council is None:
            raise CommandError(f"机构 {options['council']} 不存在。")
        date_from = _date(options["date_from"], "--from") if options.get("date_from") else None
        date_to = _date(options["date_to"], "--to") if options.get("date_to") else None
        try:
            term, session = resolve_scope(council, term_number=options.get("term"),
                                          session_number=options.get("session"))
            stats = proposal_statistics(council, term=term, session=session, date_from=date_from,
                                        date_to=date_to)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(render_text(stats))
        if options.get("xlsx"):
            write_statistics(stats, options["xlsx"])
            self.stdout.write(f"\n已写入 Excel 统计表：{options['xlsx']}")
