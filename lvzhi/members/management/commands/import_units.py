"""``lvzhi import-units PATH --council ID [--user NAME]``: import handling units from an .xlsx sheet.

All rows or none: every bad row is listed (Excel row number, column, reason) and the command exits with
status 1 without importing anything. The template: ``/org/units/template.xlsx`` on the site.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.members.importing import import_units
from lvzhi.members.management.commands._importcmd import ProgressBars, actor_arg, council_arg, finish


class Command(BaseCommand):
    help = "从 Excel（.xlsx）导入承办单位（全部成功或全部不导入）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Excel 文件路径（.xlsx）")
        parser.add_argument("--council", required=True, help="机构编号")
        parser.add_argument("--user", default="", help="记录为操作人的用户名（默认：系统）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        council = council_arg(options["council"])
        actor = actor_arg(options["user"])
        bars = ProgressBars(self.stderr, disable=options["no_progress"])
        try:
            with open(options["path"], "rb") as fh:
                report = import_units(actor, council, fh, progress=bars)
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from None
        finally:
            bars.close()
        finish(self, report)
