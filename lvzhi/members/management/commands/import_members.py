"""``lvzhi import-members PATH --council ID --term N [--user NAME]``: import members from an .xlsx sheet.

All rows or none: every bad row is listed (Excel row number, column, reason) and the command exits with
status 1 without importing anything. The template: ``/org/members/template.xlsx`` on the site.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.members.importing import import_members
from lvzhi.members.management.commands._importcmd import ProgressBars, actor_arg, council_arg, finish
from lvzhi.members.models import Term


class Command(BaseCommand):
    help = "从 Excel（.xlsx）导入委员名单（全部成功或全部不导入）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Excel 文件路径（.xlsx）")
        parser.add_argument("--council", required=True, help="机构编号")
        parser.add_argument("--term", required=True, type=int, help="届次，如 14")
        parser.add_argument("--user", default="", help="记录为操作人的用户名（默认：系统）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        council = council_arg(options["council"])
        term = Term.objects.filter(council=council, number=options["term"]).first()
        if term is None:
            raise CommandError(f"{council.name}没有第{options['term']}届。")
        actor = actor_arg(options["user"])
        bars = ProgressBars(self.stderr, disable=options["no_progress"])
        try:
            with open(options["path"], "rb") as fh:
                report = import_members(actor, council, term, fh, progress=bars)
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from None
        finally:
            bars.close()
        finish(self, report)
