"""``lvzhi beat``: the Celery beat scheduler of the production mode — sends the periodic tasks (daily
reminders at ``LVZHI_REMIND_AT``, similar-case index rebuilds) to the queue. Run exactly one per deployment.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.core.management.commands.worker import NO_REDIS, beat_schedule_file


class Command(BaseCommand):
    help = "启动定时任务调度（Celery beat，需要 LVZHI_REDIS_URL）：每日提醒、相似案件索引重建。整个部署只运行一个。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loglevel", default="INFO", help="日志级别（默认 INFO）")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.LVZHI_REDIS_URL:
            raise CommandError(NO_REDIS)
        from lvzhi.core.queue import app

        app.start(["beat", "--loglevel", options["loglevel"], "--schedule", beat_schedule_file()])
