"""``lvzhi hot-topics [--from DATE] [--to DATE] [--days N] [--council ID] [--top N] [--growth RATIO]``: print
the hot topics of a council's messages and reports (:func:`lvzhi.smart.service.hot_topics`) as a Markdown
table: key terms, count, months, places, likes, growth and warning."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.core.errors import DomainError
from lvzhi.members.commands import council_from_option
from lvzhi.smart import service
from lvzhi.smart.views import parse_topic_params


class Command(BaseCommand):
    help = "输出近期群众意见与社情民意的热点问题（主题、关键词、数量、趋势、地点、点赞、增长预警）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="date_from", default="", help="开始日期 YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", default="", help="结束日期 YYYY-MM-DD")
        parser.add_argument("--days", default="", help="天数（未给开始日期时；默认 90，截至最新一条）")
        parser.add_argument("--growth", default="", help="增长预警阈值（本月/上月之比，默认 1.5）")
        parser.add_argument("--council", type=int, default=None, help="机构编号（默认：唯一的机构）")
        parser.add_argument("--top", type=int, default=10, help="输出前 N 个主题（默认 10）")

    def handle(self, *args: Any, **options: Any) -> None:
        council = council_from_option(options["council"])
        try:
            params = parse_topic_params({"from": options["date_from"], "to": options["date_to"],
                                         "days": options["days"], "growth": options["growth"]})
        except DomainError as exc:
            raise CommandError(exc.message) from None
        result = service.hot_topics(council.pk, top_n=max(1, options["top"]), **params)
        self.stdout.write(
            f"{council.name}：{result['from']} 至 {result['to']}，分析 {result['n_docs']} 条"
            f"{'（已截取最近的部分）' if result['truncated'] else ''}，用时 {result['seconds']} 秒；"
            f"增长预警阈值 {result['growth_threshold']}（{result['latest_period']} 对比 {result['previous_period']}）\n")
        self.stdout.write("| 排名 | 主题（关键词） | 条数 | 点赞 | 主要地点 | 月度趋势 | 近两月 | 预警 |")
        self.stdout.write("|---|---|---|---|---|---|---|---|")
        for t in result["topics"]:
            places = "、".join(f"{p}({n})" for p, n in t["places"][:3])
            months = [(k, v) for k, v in t["series"].items() if v]
            trend = " ".join(f"{k[2:]}:{v}" for k, v in months[-6:])
            terms = "、".join(t["terms"][:6])
            warn = "⚠ 增长" if t["warning"] else ""
            likes = "—" if t["likes"] is None else t["likes"]
            self.stdout.write(f"| {t['rank']} | {terms} | {t['count']} | {likes} | {places} | {trend} | "
                              f"{t['previous_count']}→{t['latest_count']} | {warn} |")
        if not result["topics"]:
            self.stdout.write("（该时间范围内没有形成主题的案件）")

