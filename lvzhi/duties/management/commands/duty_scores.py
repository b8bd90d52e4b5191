"""``lvzhi duty-scores --council ID --year YYYY [--quarter N] [--json]``: the duty scores (履职积分) of a
council's members for a calendar year (or one quarter of it) under the council's active rule set — score,
grade, whether the minimum duties are met, rank and the points per rule item — as an aligned Chinese table,
or with ``--json`` one JSON object::

    {"council": {"id": 1, "name": "…"}, "year": 2025, "from": "2025-01-01", "to": "2025-12-31",
     "rule_set": {"name": "…", "base_points": "0", "max_total": "100"},
     "members": [{"member_id": 3, "name": "张三", "rank": 1, "score": "100.00", "grade": "合格",
                  "minimum_duties_met": true, "minimum_duties": [{"label": "…", "count": 1, "need": 1, "met": true}],
                  "items": {"出席全体会议": "50", …}, "groups": {"参加政协会议": "50", …}}, …]}

Numbers are decimal strings. An unknown council, a year outside 1949–2200 or a council without an active
rule set: a Chinese message on stderr and exit code 2.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lvzhi.duties.record import period_from
from lvzhi.duties.scoring import CouncilScores, member_json, num, score_council, year_bounds
from lvzhi.members.models import Council

_n = num


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def as_json(result: CouncilScores, year: int) -> dict[str, Any]:
    """The JSON object of the module docstring."""
    return {
        "council": {"id": result.council.pk, "name": result.council.name}, "year": year,
        "from": result.start.isoformat(), "to": result.end.isoformat(),
        "rule_set": {"name": result.rule_set.name, "base_points": _n(result.rule_set.base_points),
                     "max_total": _n(result.rule_set.max_total)},
        "members": [member_json(s) for s in result.members],
    }


def as_table(result: CouncilScores, year: int) -> str:
    """An aligned Chinese table: rank, name, score, grade, minimum duties, points per group (or item)."""
    heads = [g.name for g in result.rule_set.groups] or [i.label for i in result.rule_set.items]
    by_group = bool(result.rule_set.groups)
    rows = [["名次", "姓名", "得分", "等次", "基本履职", *heads]]
    for s in result.members:
        parts = {g.name: g.total for g in s.groups} if by_group else s.item_points()
        rows.append([str(s.rank), s.name, f"{s.score:.2f}", s.grade or "—",
                     ("已完成" if s.minimum_met else "未完成") if s.duties else "—",
                     *[_n(parts.get(h, Decimal(0))) or "0" for h in heads]])
    widths = [max(_width(r[i]) for r in rows) + 2 for i in range(len(rows[0]))]
    lines = [f"{result.council.name} {year} 年度履职积分（{result.rule_set.name}），共 {len(result.members)} 人", ""]
    lines += ["".join(_pad(cell, widths[i]) for i, cell in enumerate(r)).rstrip() for r in rows]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "打印一个机构某年度的委员履职积分、等次、基本履职要求和排名（--json 输出 JSON）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", required=True, help="机构 ID")
        parser.add_argument("--year", required=True, help="年度，如 2025")
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], help="季度（1–4），不填为全年")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(2)

    def handle(self, *args: Any, **opts: Any) -> None:
        raw_council, raw_year = str(opts["council"]), str(opts["year"])
        council = Council.objects.filter(pk=int(raw_council)).first() if raw_council.isdigit() else None
        if council is None:
            self._fail(f"机构不存在：{raw_council}")
            return
        if not raw_year.isdigit() or not 1949 <= int(raw_year) <= 2200:
            self._fail(f"年度无效：{raw_year}（应为四位年份，如 2025）")
            return
        year = int(raw_year)
        start, end = year_bounds(year)
        if opts.get("quarter"):
            period = period_from({"year": raw_year, "quarter": str(opts["quarter"])}, council.pk, council=True)
            start, end = period.start, period.end
        try:
            result = score_council(council, start, end)
        except LookupError as exc:
            self._fail(f"{exc}请先在“考评规则”页面安装或导入规则。")
            return
        if opts["json"]:
            self.stdout.write(json.dumps(as_json(result, year), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(as_table(result, year))
