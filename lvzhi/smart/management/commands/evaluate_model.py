"""``lvzhi evaluate-model PATH --out FILE [--kind KIND] [--council ID]``: check a stored model on labelled (or
unlabelled) data: writes the predicted top category and its confidence per row to FILE (TSV or xlsx, by
extension) and, when PATH has labels, prints macro-F1, accuracy and the confusion matrix.

PATH: a TSV/CSV with the header ``text<TAB>label`` (label optional) or an xlsx with ``text``/``label`` columns
or a message export (留言主题, 留言详情, 一级分类).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.core.errors import DomainError
from lvzhi.smart import store, training


class Command(BaseCommand):
    help = "用标注数据检验模型：逐行写出预测类别与置信度，有标签时输出 macro-F1、准确率和混淆矩阵。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="待检验的文件：TSV（表头 text<TAB>label，label 可省略）或 xlsx")
        parser.add_argument("--out", required=True, help="预测结果文件（.tsv 或 .xlsx）")
        parser.add_argument("--kind", choices=list(store.KINDS), default="message-category", help="模型类型")
        parser.add_argument("--council", type=int, default=None, help="机构编号（默认：共享模型）")

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = store.model_for(options["kind"], options["council"])
        if loaded is None:
            raise CommandError(f"尚无「{store.KINDS[options['kind']]}」模型，请先运行 lvzhi train-models。")
        try:
            rows = training.read_eval_rows(options["path"])
            if not rows.texts:
                raise DomainError("文件中没有可预测的文本行。", field="path")
            result = training.evaluate(loaded.model, rows)
            out = training.write_predictions(options["out"], rows, result)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"模型 {loaded.info.label}：已写出 {len(rows.texts)} 行预测到 {out}")
        self.stdout.write(result.format())
