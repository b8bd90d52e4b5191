"""``lvzhi setup``: create or upgrade the database and give every council its defaults (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from lvzhi.members.actions import ensure_defaults
from lvzhi.members.models import Council


class Command(BaseCommand):
    help = "建立或升级数据库（migrate），并为每个机构安装默认的办理流程和答复类别。可重复运行。"

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options.get("verbosity", 1))
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        councils = list(Council.objects.order_by("id"))
        for council in councils:
            ensure_defaults(council)
        self.stdout.write(self.style.SUCCESS(
            f"数据库已就绪；已检查 {len(councils)} 个机构的默认流程和答复类别。"))
