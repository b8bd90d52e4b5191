"""``lvzhi import-messages PATH [--council ID] [--user NAME]``: import citizens' messages from a TipDM-style
export (any of the four shapes of ``shared/data/tipdm2020c``: labelled, unlabelled, with likes, with
replies), read by :func:`lvzhi.opinions.sources.read_messages` and stored by
:func:`lvzhi.opinions.actions.import_messages`. Re-running it creates nothing new (duplicates are counted).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from lvzhi.members.commands import council_from_option
from lvzhi.opinions.actions import import_messages
from lvzhi.opinions.sources import SourceFormatError, read_messages


class Command(BaseCommand):
    help = "导入群众留言（TipDM 2020 C 题格式的 Excel 文件：附件2、附件3、附件4、测试数据）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Excel 文件路径（.xlsx）")
        parser.add_argument("--council", type=int, default=None, help="机构编号（默认：唯一的机构）")
        parser.add_argument("--user", default=None, help="记为操作人的用户名（默认：系统）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        council = council_from_option(options["council"])
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"没有用户名为「{options['user']}」的账号。")
        try:
            messages, report = read_messages(options["path"])
        except (SourceFormatError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from None
        with tqdm(total=len(messages), desc="导入留言", unit="条", file=self.stderr,
                  disable=options["no_progress"]) as bar:
            result = import_messages(council, messages, actor=actor, progress=bar.update)
        for problem in result.errors:
            self.stderr.write(problem)
        self.stdout.write(self.style.SUCCESS(
            f"{report.shape}：读取 {result.read} 条，新建 {result.created} 条，跳过重复 {result.duplicates} 条，"
            f"含答复 {result.with_reply} 条（落款识别单位 {result.unit_from_signature} 条，"
            f"匹配承办单位 {result.unit_matched} 条），无留言时间 {result.undated} 条。"))

