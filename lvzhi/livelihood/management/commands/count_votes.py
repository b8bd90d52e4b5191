"""``lvzhi count-votes BALLOTS.xlsx --places K --electorate N [--issued M] [--json]``: count a paper vote on
livelihood projects (民生实事票决) from its tally workbook, with the same code the app uses
(:mod:`lvzhi.livelihood.counting`), so that anyone can check a paper count. No database is used.

The workbook format is in :mod:`lvzhi.livelihood.tally`. ``--json`` prints exactly one JSON object (issue 7
§5); otherwise a Chinese table. A malformed workbook or bad arguments: a Chinese message on stderr and exit
code 2. A void vote (more ballots than issued) is a result, not an error: exit code 0.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from argparse import ArgumentParser
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from lvzhi.livelihood.counting import RESULT_LABELS, CountingError, VoteCount, count_votes
from lvzhi.livelihood.tally import read_tally

EXIT_BAD_INPUT = 2


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"错误：{message}\n")
    raise SystemExit(EXIT_BAD_INPUT)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(0, width - _width(text))
    return space + text if right else text + space


def render_table(result: VoteCount) -> str:
    """The count as a readable Chinese table (one line per candidate in ballot order) with a summary."""
    if result.void:
        issued = result.electorate if result.issued is None else result.issued
        label = "全体代表人数" if result.issued is None else "发出选票数"
        return (f"表决无效：收回选票 {result.ballots} 张，多于{label} {issued} 张"
                "（选举法第四十四条：所投票数多于投票人数的无效）。\n")
    lines = [
        f"收回选票 {result.ballots} 张" + ("" if result.issued is None else f"（发出 {result.issued} 张）")
        + f"，有效 {result.valid} 张，无效 {result.invalid} 张。",
        f"应选 {result.places} 项，全体代表 {result.electorate} 名，"
        f"赞成票须超过全体代表的半数（至少 {result.electorate // 2 + 1} 票）方为通过。",
        "",
    ]
    header = ["编号", "赞成", "反对", "弃权", "结果"]
    rows = [[c.code, str(c.yes), str(c.no), str(c.abstain), RESULT_LABELS[c.result]] for c in result.candidates]
    widths = [max(_width(r[i]) for r in [header, *rows]) + 2 for i in range(len(header))]
    for row in [header, *rows]:
        lines.append("".join(_pad(v, widths[i], right=0 < i < 4) + ("  " if 0 < i < 4 else "")
                             for i, v in enumerate(row)).rstrip())
    lines.append("")
    lines.append(f"当选 {len(result.elected)} 项：{'、'.join(result.elected) or '无'}。")
    if result.tied:
        lines.append(f"票数相等、需就其再次投票：{'、'.join(result.tied)}。")
    lines.append(f"空缺名额 {result.unfilled} 个。")
    return "\n".join(lines) + "\n"


def _count_option(value: str | None, name: str, label: str) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        _fail(f"{name}（{label}）应为整数，收到“{value}”。")


class Command(BaseCommand):
    help = "统计民生实事项目票决的纸质选票（计票表 xlsx），按选举法的计票规则给出当选结果；不使用数据库。"
    requires_system_checks: list[str] = []  # runs without a database: no system checks
    requires_migrations_checks = False

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message: str) -> NoReturn:  # argparse's own messages are English: say it in Chinese first
            parser.print_usage(sys.stderr)
            _fail(f"参数有误（{message}）。用法：lvzhi count-votes 计票表.xlsx --places 应选名额 "
                  "--electorate 全体代表人数 [--issued 发出选票数] [--json]")

        parser.error = error  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("ballots", nargs="?", help="计票表（xlsx）：表头“选票编号”和各候选项目编号，每行一张选票")
        parser.add_argument("--places", help="应选名额（正整数）")
        parser.add_argument("--electorate", help="全体代表人数（过半数以此为准，不是出席人数）")
        parser.add_argument("--issued", help="发出选票数；收回多于发出则表决无效（不给出时以全体代表人数为限）")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["ballots"]
        if not path:
            _fail("请给出计票表文件：lvzhi count-votes 计票表.xlsx --places 应选名额 --electorate 全体代表人数")
        places = _count_option(options["places"], "--places", "应选名额")
        electorate = _count_option(options["electorate"], "--electorate", "全体代表人数")
        issued = _count_option(options["issued"], "--issued", "发出选票数")
        if places is None:
            _fail("缺少 --places（应选名额）。")
        if electorate is None:
            _fail("缺少 --electorate（全体代表人数）。")
        try:
            tally = read_tally(path)
            result = count_votes(tally.codes, tally.ballots, places=places, electorate=electorate, issued=issued)
        except CountingError as error:
            _fail(error.message)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(render_table(result), ending="")
