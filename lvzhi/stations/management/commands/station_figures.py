"""``lvzhi station-figures --council ID [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]``: print the liaison
stations' figures (数读) of a people's congress for a date range (the current year by default): stations,
receptions, deputies taking part, matters collected and by triage outcome, solved within the month, turned
into suggestions, fed back, stations by stars. ``--json`` prints one JSON object."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lvzhi.members.models import Council
from lvzhi.stations.choices import Outcome
from lvzhi.stations.queries import station_figures


def _date(value: str | None, default: date, flag: str) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{flag} 须为 YYYY-MM-DD 格式的日期。") from None


class Command(BaseCommand):
    help = "打印代表联络站的数读（接待、意见分类处理、当月解决、转为代表建议、星级）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", type=int, required=True)
        parser.add_argument("--from", dest="start")
        parser.add_argument("--to", dest="end")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        council = Council.objects.filter(pk=opts["council"]).first()
        if council is None:
            raise CommandError(f"机构 {opts['council']} 不存在。")
        year = timezone.localdate().year
        start = _date(opts["start"], date(year, 1, 1), "--from")
        end = _date(opts["end"], date(year, 12, 31), "--to")
        if end < start:
            raise CommandError("--to 不能早于 --from。")
        fig = station_figures(council, start, end)
        if opts["json"]:
            self.stdout.write(json.dumps(asdict(fig), ensure_ascii=False, default=str))
            return
        rows = [("联络站", f"{fig.stations}（中心站 {fig.central_stations}）"),
                ("进站接待", f"{fig.receptions}（来访群众 {fig.visitors}）"),
                ("参加代表", fig.deputies_taking_part), ("收集意见", fig.matters),
                *[(f"  {label}", fig.by_outcome.get(value, 0)) for value, label in Outcome.choices],
                ("  待处理", fig.untriaged), ("已解决", fig.solved), ("当月解决", fig.solved_within_month),
                ("转为代表建议", fig.converted), ("已反馈", fig.fed_back),
                *[(f"{stars} 星联络站", n) for stars, n in fig.stations_by_stars.items()]]
        self.stdout.write(f"{council.name} 代表联络站数读 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}")
        for label, value in rows:
            self.stdout.write(f"{label}\t{value}")
