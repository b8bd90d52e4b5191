"""``lvzhi restore PATH``: restore a ``lvzhi backup`` archive into an empty deployment and verify it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "把 lvzhi backup 生成的备份恢复到空部署（空数据库、空数据目录），并核对行数与文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="lvzhi backup 生成的 .tar.gz 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(Path(options["path"]))
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"已恢复 {manifest['created_at']} 的备份：{len(manifest['tables'])} 张表 {rows} 行、"
                          f"文件 {len(manifest['files'])} 个，已逐表核对行数、逐个核对文件。")
