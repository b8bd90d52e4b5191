"""``lvzhi find-duplicates FILE.xlsx [--threshold T] [--json]``: the pairs of messages of a message export that
the duplicate detector takes for the same matter (:func:`lvzhi.smart.duplicates.duplicate_pairs`).

With ``--json`` stdout is exactly one JSON object ``{"pairs": [{"a": id, "b": id, "score": float}, …]}`` (ids as
the file shows them, ``a < b`` as strings, each pair once, best first); without it a readable Chinese list. A file
that cannot be read (not an .xlsx, over the limits, a required column missing) gives a Chinese message on stderr
and exit code 2.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.core.errors import DomainError
from lvzhi.smart.duplicates import duplicate_pairs, read_export
from lvzhi.smart.similar import DUPLICATE_THRESHOLD


class Command(BaseCommand):
    help = "找出留言导出文件（.xlsx，含留言编号、留言主题、留言详情列）中的重复留言对。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="留言导出文件（.xlsx）")
        parser.add_argument("--threshold", default=None,
                            help=f"相似度阈值 0–1（默认 {DUPLICATE_THRESHOLD}，即检测器的工作阈值）")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象 {\"pairs\": [...]}")

    def handle(self, *args: Any, **options: Any) -> None:
        threshold = DUPLICATE_THRESHOLD
        if options["threshold"] is not None:
            try:
                threshold = float(options["threshold"])
            except ValueError:
                threshold = math.nan
            if not 0.0 <= threshold <= 1.0:
                raise CommandError(f"阈值（--threshold）必须是 0 到 1 之间的数，收到 {options['threshold']!r}。",
                                   returncode=2)
        try:
            messages = read_export(options["path"])
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from None
        for row, msg_id in messages.repeated[:20]:
            self.stderr.write(f"注意：第 {row} 行的留言编号 {msg_id} 与前面的行重复，已跳过该行。")
        pairs = duplicate_pairs(messages, threshold)
        if options["json"]:
            payload = {"pairs": [{"a": a, "b": b, "score": round(s, 4)} for a, b, s in pairs]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(f"共 {len(messages.ids)} 条留言，相似度阈值 {threshold}：找到 {len(pairs)} 对重复留言。")
        title = dict(zip(messages.ids, messages.titles, strict=True))
        for n, (a, b, s) in enumerate(pairs, start=1):
            self.stdout.write(f"{n}. 留言 {a} 与 留言 {b}，相似度 {s:.3f}\n"
                              f"   {a}：{title[a][:40]}\n   {b}：{title[b][:40]}")
