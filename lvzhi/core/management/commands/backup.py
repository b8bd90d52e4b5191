"""``lvzhi backup PATH``: one archive of the database, attachments, trained models and signing key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份整个部署（数据库、附件、模型、签名密钥）到一个 .tar.gz 文件；运行中也可安全备份。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="备份文件路径，如 /backup/lvzhi-2026-12-01.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(Path(options["path"]))
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"已备份到 {options['path']}：{manifest['vendor']} 数据库 {len(manifest['tables'])} 张表 "
                          f"{rows} 行，文件 {len(manifest['files'])} 个。")
