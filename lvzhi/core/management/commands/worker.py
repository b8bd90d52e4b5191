"""``lvzhi worker [--concurrency N] [--beat]``: the Celery worker of the production mode (``LVZHI_REDIS_URL``).

Runs the background jobs the web processes queue (imports, exports, model training) and, with ``--beat``,
also the periodic tasks (daily reminders, similar-case index rebuilds) — give ``--beat`` to one worker only,
or run ``lvzhi beat`` as its own service (docs/deployment.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

NO_REDIS = ("未设置环境变量 LVZHI_REDIS_URL（例如 redis://127.0.0.1:6379/0）。内嵌模式下后台任务在网站进程内运行，"
            "无需启动 worker；生产部署请见 docs/deployment.md。")


def beat_schedule_file() -> str:
    """Where beat keeps the last run time of each periodic task (in the data directory)."""
    return str(settings.DATA_DIR / "celerybeat-schedule")


class Command(BaseCommand):
    help = "启动后台任务进程（Celery worker，需要 LVZHI_REDIS_URL）：导入、导出、模型训练；--beat 同时运行定时任务。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--concurrency", "-c", type=int, default=2, help="并行任务数（默认 2）")
        parser.add_argument("--beat", action="store_true", help="同时运行定时任务（每日提醒、相似案件索引重建）；只在一台机器上使用")
        parser.add_argument("--loglevel", default="INFO", help="日志级别（默认 INFO）")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.LVZHI_REDIS_URL:
            raise CommandError(NO_REDIS)
        if options["concurrency"] < 1:
            raise CommandError(f"并行任务数须为正整数：{options['concurrency']}")
        from lvzhi.core.queue import app

        argv = ["worker", "--loglevel", options["loglevel"], "--concurrency", str(options["concurrency"]),
                "--hostname", "lvzhi@%h"]
        if options["beat"]:
            argv += ["--beat", "--schedule", beat_schedule_file()]
        app.worker_main(argv)
