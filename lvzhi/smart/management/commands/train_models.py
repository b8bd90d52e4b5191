"""``lvzhi train-models [--labelled PATH ...] [--council ID] [--kind KIND] [--taxonomy PATH] [--no-cv]``:
train the recommendation models from labelled files (TSV/CSV/xlsx via
:func:`lvzhi.opinions.sources.read_labelled`, or ``proposals.csv``) and/or a council's own history, store them
(:mod:`lvzhi.smart.store`) and print their figures.

Without ``--council`` the models are the shared ones every council starts with; with it they belong to that
council and also learn from its records (messages with their final category and routed unit, proposals with
their category). Without ``--kind``: message-category from the labelled files (proposal-category for
``proposals.csv``), and every kind with enough history for a council.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.core.errors import DomainError
from lvzhi.members.models import Council
from lvzhi.smart import store, training


class Command(BaseCommand):
    help = "训练智能推荐模型（分类、承办单位、提案类别），可用真实标注文件和/或本机构历史数据。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--labelled", nargs="*", default=[], metavar="PATH",
                            help="标注文件：text<TAB>label 的 TSV、CSV、xlsx，或提案 proposals.csv")
        parser.add_argument("--council", type=int, default=None, help="机构编号：训练该机构自己的模型（含其历史数据）")
        parser.add_argument("--kind", choices=list(store.KINDS), default=None, help="只训练这一种模型")
        parser.add_argument("--taxonomy", default=None, help="分类体系文件（taxonomy_附件1.xlsx），记入模型并检查标签")
        parser.add_argument("--no-history", action="store_true", help="指定 --council 时不使用其历史数据")
        parser.add_argument("--no-cv", action="store_true", help="不做交叉验证（更快）")

    def handle(self, *args: Any, **options: Any) -> None:
        labelled = [str(p) for p in options["labelled"]]
        council_id = options["council"]
        if council_id is not None and not Council.objects.filter(pk=council_id).exists():
            raise CommandError(f"没有编号为 {council_id} 的机构。")
        if not labelled and council_id is None:
            raise CommandError("请用 --labelled 指定标注文件，或用 --council 指定用其历史数据训练的机构。")
        for path in labelled:
            if not Path(path).is_file():
                raise CommandError(f"文件不存在：{path}")
        kinds = [options["kind"]] if options["kind"] else self._kinds(labelled, council_id)
        trained = 0
        for kind in kinds:
            files = [p for p in labelled if self._fits(p, kind, explicit=bool(options["kind"]))]
            try:
                result = training.train_kind(kind, labelled=files, council_id=council_id,
                                             history=not options["no_history"], cv=not options["no_cv"],
                                             taxonomy=options["taxonomy"])
            except DomainError as exc:
                if options["kind"]:
                    raise CommandError(exc.message) from None
                self.stderr.write(f"跳过 {kind}：{exc.message}")
                continue
            trained += 1
            self.stdout.write(self.style.SUCCESS(result.summary()))
            if result.cv is not None:
                self.stdout.write(result.cv.format())
            outside = result.info.meta.get("outside_taxonomy")
            if outside:
                self.stderr.write(f"注意：以下标签不在分类体系的一级分类中：{'、'.join(outside)}")
        if not trained:
            raise CommandError("没有训练任何模型：数据不足。")

    @staticmethod
    def _fits(path: str, kind: str, *, explicit: bool) -> bool:
        """Which labelled files feed ``kind``: proposals.csv the proposal model, other files the message
        category model, and the unit model only when asked for by ``--kind message-unit``."""
        is_proposals = training._is_proposals_csv(Path(path))
        if kind == "message-unit":
            return explicit and not is_proposals
        return is_proposals == (kind == "proposal-category")

    def _kinds(self, labelled: list[str], council_id: int | None) -> list[str]:
        kinds: list[str] = []
        for path in labelled:
            kind = "proposal-category" if training._is_proposals_csv(Path(path)) else "message-category"
            if kind not in kinds:
                kinds.append(kind)
        if council_id is not None:
            kinds += [k for k in store.KINDS if k not in kinds]
        return kinds
