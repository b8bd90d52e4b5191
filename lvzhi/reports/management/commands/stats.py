"""``lvzhi stats --council ID [--term N] [--session N] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
[--only proposals|opinions|messages] [--xlsx PATH]``: print the statistics (数读) as aligned text — the
proposal figures, then 社情民意 (public-opinion reports) and 群众意见 (citizens' messages) of the same council
and dates (the term and session filter proposals only); rates as percent with one decimal, durations in
calendar days with one decimal — and optionally write the statistics workbook (always every sheet)."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.core import sections as module_sections
from lvzhi.core.errors import DomainError
from lvzhi.members.models import Council
from lvzhi.reports.excel import write_statistics
from lvzhi.reports.queries import (
    MESSAGE_SUMMARY_FIELDS,
    OPINION_SUMMARY_FIELDS,
    TOP,
    ProposalStatistics,
    council_statistics,
    figures,
    npc_statistics,
    percent,
    ratio,
    resolve_scope,
    show,
    uses_suggestions,
)

SECTIONS = ("proposals", "suggestions", "opinions", "messages")


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


def _figures(data: dict[str, Any], fields: list[tuple[str, str, str]]) -> list[str]:
    shown = [(label, show(value, kind)) for _, label, value, kind in figures(data, fields)]
    width = max(display_width(label) for label, _ in shown) + 2
    return [f"{pad(label, width)}{value:>8}" for label, value in shown]


def _counts(title: str, rows: list[tuple[str, int, float | None]], empty: str = "（无）") -> list[str]:
    lines = ["", f"【{title}】"]
    if not rows:
        return [*lines, f"  {empty}"]
    w = max([display_width(r[0]) for r in rows] + [8]) + 2
    return lines + [f"  {pad(label, w)}{count:>6}  {percent(share):>7}" for label, count, share in rows]


def render_opinions_text(opinions: dict[str, Any], *, scope: str = "", top: int = TOP) -> str:
    """社情民意 figures (the dict of :func:`lvzhi.opinions.queries.opinion_statistics`) as aligned text: a title
    with ``scope`` (council and dates), the headline figures, instructions by level (件次 / 篇) and the
    ``top`` authors (报送 / 采用 / 采用率 / 批示)."""
    lines = [f"━━ 社情民意：{scope}（按报送日期）━━", "", *_figures(opinions, OPINION_SUMMARY_FIELDS)]
    levels = list(opinions["instructed_by_level"].values())
    lines.extend(["", "【领导批示（按级别：批示件次 / 获批示信息篇数）】"])
    w = max(display_width(v["label"]) for v in levels) + 2
    lines.extend(f"  {pad(v['label'], w)}{v['instructions']:>6}{v['reports']:>6}" for v in levels)
    authors = [(f"{a['name'] or '—'}（{a['kind_label']}）", a) for a in opinions["by_author"][:top]]
    lines.extend(["", f"【报送者（前{top}：报送 / 采用 / 采用率 / 批示）】"])
    if authors:
        w = max(display_width(name) for name, _ in authors) + 2
        lines.extend(f"  {pad(name, w)}{a['submitted']:>5}{a['adopted']:>5}{percent(a['adoption_rate']):>8}"
                     f"{a['instructions']:>5}" for name, a in authors)
    else:
        lines.append("  （无）")
    return "\n".join(lines)


def render_messages_text(messages: dict[str, Any], *, scope: str = "") -> str:
    """群众意见 figures (the dict of :func:`lvzhi.opinions.queries.message_statistics`) as aligned text: a title
    with ``scope`` (council and dates), the headline figures (answer times in calendar days), channels and
    ratings with their shares, the top categories and the units with most replies."""
    lines = [f"━━ 群众意见：{scope}（按提交日期）━━", "", *_figures(messages, MESSAGE_SUMMARY_FIELDS)]
    lines += _counts("渠道", [(v["label"], v["count"], ratio(v["count"], messages["received"]))
                            for v in messages["by_channel"].values()])
    lines += _counts("群众评价", [(v["label"], v["count"], ratio(v["count"], messages["rated"]))
                              for v in messages["satisfaction"].values()])
    for title, rows in (("主要分类", messages["top_categories"]), ("答复最多的单位", messages["top_units"])):
        lines.extend(["", f"【{title}】"])
        if rows:
            w = max(display_width(name) for name, _ in rows) + 2
            lines.extend(f"  {pad(name, w)}{n:>6}" for name, n in rows)
        else:
            lines.append("  （无）")
    return "\n".join(lines)


def render_suggestions_text(data: dict[str, Any], *, scope: str = "") -> str:
    """Deputies' suggestion figures (the dict of :func:`lvzhi.reports.queries.npc_statistics`) as aligned
    text: a title with ``scope``, the headline figures, then by delegation and reply grades with their shares
    and the opinion forms per dimension and level."""
    shown = [(label, show(value, kind)) for _, label, value, kind in data["summary"]]
    width = max(display_width(label) for label, _ in shown) + 2
    lines = [f"━━ 代表建议：{scope}（按会次统计，日期范围不适用）━━", "", *[f"{pad(label, width)}{value:>8}" for label, value in shown]]
    lines += _counts("按代表团（收到）", data["delegations"])
    lines += _counts("答复类别", [(f"{code}类", n, share) for code, n, share in data["grade_rows"]])
    lines.extend(["", "【意见征询表（维度：满意 / 基本满意 / 不满意 …）】"])
    for dim, levels in data["satisfaction"].items():
        lines.append(f"  {dim}：" + "，".join(f"{level} {n}" for level, n in levels.items()))
    return "\n".join(lines)


class Command(BaseCommand):
    help = ("打印统计（数读）：政协为提案、人大为代表建议（按机构、届次、会次和提交日期范围），以及同一机构和日期范围的社情民意与群众意见；"
            "可另存为 Excel 统计表。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", type=int, required=True, help="机构 ID")
        parser.add_argument("--term", type=int, help="届次（如 14）")
        parser.add_argument("--session", type=int, help="会次（如 3，须同时指定届次）")
        parser.add_argument("--from", dest="date_from", help="提交日期自 YYYY-MM-DD（含）")
        parser.add_argument("--to", dest="date_to", help="提交日期至 YYYY-MM-DD（含）")
        parser.add_argument("--only", choices=(*SECTIONS, *module_sections.keys()),
                            help="只打印一部分：proposals 提案（政协）、suggestions 代表建议（人大）、opinions 社情民意、"
                                 "messages 群众意见，或其他模块：" + "、".join(module_sections.keys())
                                 + "（Excel 统计表仍含全部工作表）")
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
            whole = council_statistics(council, term=term, session=session, date_from=date_from,
                                       date_to=date_to)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        only = options.get("only")
        npc = uses_suggestions(council)
        # a people's congress counts deputies' suggestions where a CPPCC counts proposals
        parts = {"proposals": lambda: render_text(whole.proposals),
                 "suggestions": lambda: render_suggestions_text(npc_statistics(council, session=session),
                                                                scope=whole.scope.label()),
                 "opinions": lambda: render_opinions_text(whole.opinions, scope=whole.scope.dates_label()),
                 "messages": lambda: render_messages_text(whole.messages, scope=whole.scope.dates_label())}
        sections = [n for n in SECTIONS if n != ("proposals" if npc else "suggestions")]
        if only is not None and only in SECTIONS and only not in sections:
            raise CommandError("人大常委会没有提案统计，请用 --only suggestions。" if npc
                               else "政协没有代表建议统计，请用 --only proposals。")
        # the other modules' 数读 (registered with lvzhi.core.sections), for the same dates
        more = module_sections.sections(council.pk, date_from, date_to)
        if only is not None and only not in SECTIONS and not any(s.key == only for s in more):
            raise CommandError(f"机构“{council.name}”没有 {only} 统计。")
        texts = [parts[name]() for name in sections if only in (None, name)]
        texts += [module_sections.render_text(s) for s in more if only in (None, s.key)]
        self.stdout.write("\n\n".join(texts))
        if options.get("xlsx"):
            write_statistics(whole.proposals, options["xlsx"], opinions=whole.opinions, messages=whole.messages,
                             sections=more)
            self.stdout.write(f"\n已写入 Excel 统计表：{options['xlsx']}")
