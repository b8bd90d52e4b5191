"""``lvzhi import-draft PATH [--dry-run] [--json] [--council ID] [--source national|provincial|city]``:
read a draft regulation (.docx, .txt or the Markdown layout of shared/data/regulations) and print its
structure, or write it into the database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.core.errors import DomainError
from lvzhi.legislation import actions, parsing
from lvzhi.legislation.choices import SourceLegislature
from lvzhi.members.models import Council


class Command(BaseCommand):
    help = ("导入法规草案（Word .docx、纯文本或 Markdown），拆分为章、节、条、款、项。"
            "--dry-run 只显示结构不写入；--json 输出一个 JSON 对象 {title, chapters, sections, articles}。"
            "无法读取或没有条文时退出码为 2。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="草案文件路径（.docx / .txt / .md）")
        parser.add_argument("--dry-run", action="store_true", help="只解析并显示结构，不写入数据库")
        parser.add_argument("--json", action="store_true", help="以一个 JSON 对象输出结构")
        parser.add_argument("--council", type=int, help="机构 ID（默认：系统中唯一的人大常委会机构）")
        parser.add_argument("--source", default=SourceLegislature.CITY, choices=SourceLegislature.values,
                            help="草案来源：national 全国人大常委会法工委、provincial 省人大常委会法工委、city 本市")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            parsed = parsing.parse_file(path)
        except parsing.DraftError as exc:
            raise CommandError(f"{path.name}：{exc}", returncode=2) from None
        summary = parsed.summary()
        if not options["dry_run"]:
            council = self._council(options["council"])
            try:
                draft = actions.import_draft(None, council, path.read_bytes(), path.name, source=options["source"])
            except DomainError as exc:
                raise CommandError(exc.message, returncode=2) from None
            summary = {**summary, "id": draft.pk}
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(f"标题：{parsed.title}{'　' + parsed.draft_label if parsed.draft_label else ''}")
        self.stdout.write(f"章 {summary['chapters']} 个，节 {summary['sections']} 个，条 {summary['articles']} 条。")
        for warning in parsed.warnings:
            self.stderr.write(f"提示：{warning}")
        if "id" in summary:
            self.stdout.write(f"已导入，草案编号 {summary['id']}。")
        else:
            self.stdout.write("（试运行，未写入数据库）")

    def _council(self, pk: int | None) -> Council:
        if pk is not None:
            council = Council.objects.filter(pk=pk).first()
            if council is None:
                raise CommandError(f"机构不存在：{pk}", returncode=2)
            return council
        try:
            return actions.default_council()
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from None
