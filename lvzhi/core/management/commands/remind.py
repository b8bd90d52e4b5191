"""``lvzhi remind``: in-app reminders of approaching and passed deadlines of every case type (run it daily,
e.g. from cron). What is due comes from the providers registered with :mod:`lvzhi.core.reminders`
(proposals, reports and messages, and every case type of the handling core, deputies' suggestions
included). Each user is reminded at most once per case per day. Prints the number of notifications sent.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.core.reminders import send_reminders


class Command(BaseCommand):
    help = "发送各类案件临期、超期提醒（答复、会办意见、转办办理、满意度测评或反馈期限）；每人每案每天至多一次。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按该日期（YYYY-MM-DD）计算，默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['date']}") from exc
        sent = send_reminders(today)
        self.stdout.write(f"已发送 {sent} 条提醒。")
