"""``lvzhi yearly-report --council ID --year YYYY --docx PATH [--xlsx PATH]``: write the year's work-report
figures (年度工作数读) of a council — every module's 数读 (:func:`lvzhi.duties.yearreport.year_sections`) — as a
Word document and optionally an Excel workbook (one sheet per module), and print each module's headline figures.

An unknown council, a year outside 1949–2200 or a path that cannot be written: a Chinese message on stderr and
exit code 2 (nothing written).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lvzhi.core.sections import render_text
from lvzhi.duties.yearreport import year_sections, yearly_docx, yearly_xlsx
from lvzhi.members.models import Council


class Command(BaseCommand):
    help = "生成一个机构某年度的工作数读（各模块数读）：Word 文档，可选 Excel 工作簿（每个模块一个工作表）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", required=True, help="机构 ID")
        parser.add_argument("--year", required=True, help="年度，如 2025")
        parser.add_argument("--docx", required=True, help="Word 文档路径")
        parser.add_argument("--xlsx", help="Excel 工作簿路径（可选）")

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(2)

    def handle(self, *args: Any, **opts: Any) -> None:
        raw_council, raw_year = str(opts["council"]), str(opts["year"])
        council = Council.objects.filter(pk=int(raw_council)).first() if raw_council.isdigit() else None
        if council is None:
            self._fail(f"机构不存在：{raw_council}")
            return
        if not raw_year.isdigit() or not 1949 <= int(raw_year) <= 2200:
            self._fail(f"年度无效：{raw_year}（应为四位年份，如 2025）")
            return
        targets = [Path(opts["docx"])] + ([Path(opts["xlsx"])] if opts.get("xlsx") else [])
        for target in targets:
            if not target.parent.is_dir():
                self._fail(f"无法写入 {target}：目录不存在。")
                return
        year = int(raw_year)
        sections = year_sections(council, year)
        contents = [yearly_docx(council, year, sections)] + ([yearly_xlsx(sections)] if len(targets) > 1 else [])
        for target, content in zip(targets, contents, strict=True):
            try:
                target.write_bytes(content)
            except OSError as exc:
                self._fail(f"无法写入 {target}：{exc.strerror}")
                return
        self.stdout.write("\n\n".join(render_text(s) for s in sections))
        self.stdout.write("\n" + "、".join(str(t) for t in targets) + " 已写入。")
