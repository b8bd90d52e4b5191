"""``lvzhi serve [--port N]``: serve the site with waitress (static files through WhiteNoise)."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def _port(value: str | None) -> int:
    try:
        port = int(value or "8000")
    except ValueError:
        raise CommandError(f"端口号无效：{value}") from None
    if not 1 <= port <= 65535:
        raise CommandError(f"端口号须在 1–65535 之间：{port}")
    return port


def _fail_abandoned_jobs() -> int:
    """In the embedded mode background jobs run in threads of the serving process: any still pending or
    running when a new server starts were cut off with the old one. Mark them failed (so their pages stop polling) and return how many."""
    from django.utils import timezone

    from lvzhi.core.models import Job

    return Job.objects.filter(status__in=[Job.Status.PENDING, Job.Status.RUNNING]).update(
        status=Job.Status.FAILED, finished_at=timezone.now(),
        message="服务重启时任务尚未完成，已中止。请重新发起。")


class Command(BaseCommand):
    help = ("用 waitress 提供网站服务（默认 127.0.0.1:8000；端口取 --port 或环境变量 PORT）。"
            "静态文件由 WhiteNoise 直接提供，无需 collectstatic。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default=None, help="端口（默认取环境变量 PORT，否则 8000）")
        parser.add_argument("--host", default="127.0.0.1",
                            help="监听地址（默认 127.0.0.1；对外服务请放在反向代理之后，并设置 ALLOWED_HOSTS）")
        parser.add_argument("--threads", type=int, default=8, help="工作线程数（默认 8）")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings
        from waitress import serve

        # WhiteNoise serves from the finders (WHITENOISE_USE_FINDERS) and warns when STATIC_ROOT is missing.
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        from lvzhi.wsgi import application

        port = _port(options["port"] or os.environ.get("PORT"))
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("数据库尚未建立或需要升级，请先运行：lvzhi setup")
        from lvzhi.core.tasks import queue_enabled

        # In the production mode the worker runs the jobs, not this process: restarting a web process must not
        # touch them.
        abandoned = 0 if queue_enabled() else _fail_abandoned_jobs()
        if abandoned:
            self.stdout.write(f"上次运行中断的后台任务 {abandoned} 个已标记为失败，请重新发起。")
        host = options["host"]
        self.stdout.write(f"履职平台已启动：http://{host}:{port}/ （按 Ctrl+C 停止）")
        self.stdout.flush()
        serve(application, host=host, port=port, threads=options["threads"], ident="lvzhi")
