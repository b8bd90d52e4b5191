"""Training and checking the recommendation models (Django side: the council's history, the store, jobs).

Training data of each kind (:data:`lvzhi.smart.store.KINDS`):

==================  =====================================================  ===========================================
kind                from labelled files                                    from the council's own history
==================  =====================================================  ===========================================
message-category    ``text<TAB>label`` TSV/CSV/xlsx or a message export     messages with a category (title + body)
                    with 一级分类 (:func:`lvzhi.opinions.sources.read_labelled`)
message-unit        ``text<TAB>label`` files whose label is a unit name    messages routed to a unit, else answered by
                                                                           a matched unit; reports forwarded to units
proposal-category   ``proposals.csv`` (the real 14 categories,             submitted proposals with a category
                    :func:`lvzhi.opinions.sources.read_proposals`) or TSV
==================  =====================================================  ===========================================

Figures: macro-F1 and accuracy are ratios in 0..1 (3-fold stratified cross-validation, skipped with
``cv=False`` or under 30 samples). Nothing is downloaded.
"""

from __future__ import annotations

import csv
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from lvzhi.core import audit, tasks
from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.core.models import Job
from lvzhi.members.access import is_council_staff
from lvzhi.members.models import Council
from lvzhi.opinions.sources import SourceFormatError, clean_text, read_labelled, read_proposals, read_taxonomy
from lvzhi.smart import store

if TYPE_CHECKING:  # scikit-learn (lvzhi.smart.classify) is imported when training starts, not with the URLs
    from lvzhi.smart.classify import CVReport, Model

logger = logging.getLogger(__name__)

JOB_KIND = "smart_train"
#: Smallest training set accepted (texts), and fewest classes.
MIN_SAMPLES = 10
MIN_CLASSES = 2

Progress = Callable[[int, int, str], None]


def message_text(title: str, body: str) -> str:
    """The text a message model sees: title and body on two lines."""
    return f"{title or ''}\n{body or ''}".strip()


def proposal_text(title: str, *parts: str) -> str:
    """The text a proposal model sees: 案由 and the body sections, one per line."""
    return "\n".join(p for p in (title, *parts) if p).strip()


# ---------------------------------------------------------------------------------------------- reading files


def _is_proposals_csv(path: Path) -> bool:
    if path.suffix.lower() != ".csv":
        return False
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh), [])
    names = {h.strip().lower() for h in header}
    return {"reason", "type", "content"} <= names


def read_training_file(path: str | Path, kind: str) -> list[tuple[str, str]]:
    """``[(text, label)]`` from a labelled file for ``kind``: ``proposals.csv`` for proposal-category, any
    ``text``/``label`` TSV, CSV or xlsx, or a message export with 一级分类.

    Raises:
        FileNotFoundError: no such file.
        SourceFormatError: wrong columns or extension (Chinese message naming them).
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"文件不存在：{path}")
    if _is_proposals_csv(path):
        if kind != "proposal-category":
            raise SourceFormatError(f"{path.name} 是提案文件，只能用于训练提案类别模型（--kind proposal-category）")
        return [(proposal_text(p.title, p.content), p.category) for p in read_proposals(path) if p.category]
    return read_labelled(path)


def taxonomy_tree(path: str | Path) -> dict[str, list[str]]:
    """The category tree of ``taxonomy_附件1.xlsx`` as ``{level 1: [level 2, …]}`` (first-seen order)."""
    tree: dict[str, list[str]] = {}
    for level1, level2, _level3 in read_taxonomy(path):
        items = tree.setdefault(level1, [])
        if level2 and level2 not in items:
            items.append(level2)
    return tree


def history_samples(council_id: int, kind: str) -> list[tuple[str, str]]:
    """``[(text, label)]`` from the council's own records for ``kind`` (see the module table)."""
    from lvzhi.opinions.models import Message, ReportForward
    from lvzhi.proposals.models import Proposal

    store._check_kind(kind)
    out: list[tuple[str, str]] = []
    if kind == "message-category":
        rows = Message.objects.filter(council_id=council_id).exclude(category="").values_list(
            "title", "body", "category").order_by("pk")
        out = [(message_text(t, b), c) for t, b, c in rows.iterator(chunk_size=2000)]
    elif kind == "message-unit":
        rows = Message.objects.filter(council_id=council_id).filter(
            unit__isnull=False).values_list("title", "body", "unit__name").order_by("pk")
        out = [(message_text(t, b), u) for t, b, u in rows.iterator(chunk_size=2000)]
        replied = Message.objects.filter(council_id=council_id, unit__isnull=True, reply_unit__isnull=False
                                         ).values_list("title", "body", "reply_unit__name").order_by("pk")
        out += [(message_text(t, b), u) for t, b, u in replied.iterator(chunk_size=2000)]
        forwards = ReportForward.objects.filter(report__council_id=council_id).values_list(
            "report__title", "report__situation", "report__analysis", "report__suggestion", "unit__name")
        out += [(proposal_text(t, s, a, g), u) for t, s, a, g, u in forwards]
    elif kind == "proposal-category":
        proposals = Proposal.objects.filter(council_id=council_id, category__isnull=False).exclude(
            state__is_draft=True).values_list("title", "situation", "analysis", "suggestions", "category__name")
        out = [(proposal_text(t, s, a, g), c) for t, s, a, g, c in proposals.order_by("pk")]
    return [(clean_text(t), lab) for t, lab in out if clean_text(t) and lab]


# ---------------------------------------------------------------------------------------------- training


@dataclass
class TrainResult:
    """One trained and stored model: its :class:`~lvzhi.smart.store.ModelInfo` and figures."""

    kind: str
    info: store.ModelInfo
    n_samples: int
    classes: list[str]
    cv: CVReport | None
    seconds: float
    sources: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line in Chinese: kind, version, samples, classes, CV macro-F1/accuracy, seconds."""
        cv = (f"，3 折交叉验证 macro-F1 {self.cv.macro_f1:.4f}，准确率 {self.cv.accuracy:.4f}" if self.cv
              else "，未做交叉验证")
        return (f"{store.KINDS[self.kind]}（{self.info.label}）：样本 {self.n_samples} 条，类别 {len(self.classes)} 个"
                f"{cv}，用时 {self.seconds:.1f} 秒")


def train_kind(kind: str, *, labelled: Sequence[str | Path] = (), council_id: int | None = None,
               history: bool = True, cv: bool = True, taxonomy: str | Path | None = None,
               progress: Progress | None = None, seed: int = 0) -> TrainResult:
    """Train the ``kind`` model from the ``labelled`` files and, when ``council_id`` is given and ``history``
    is true, from that council's records; store it (council scope, or shared without council) and return the
    figures.

    Raises:
        DomainError: unknown kind, a file's wrong columns, fewer than :data:`MIN_SAMPLES` texts or fewer than
            two classes (Chinese message, ``field`` names the input).
    """
    if kind not in store.KINDS:
        raise DomainError(f"未知的模型类型：{kind}（可选：{'、'.join(store.KINDS)}）", field="kind")
    started = time.perf_counter()
    report = progress or (lambda done, total, msg: None)
    samples: list[tuple[str, str]] = []
    sources: list[str] = []
    for path in labelled:
        try:
            rows = read_training_file(path, kind)
        except (SourceFormatError, FileNotFoundError, UnicodeDecodeError) as exc:
            raise DomainError(f"{Path(path).name}：{exc}", field="labelled") from None
        samples += rows
        sources.append(str(Path(path).resolve()))
    if council_id is not None and history:
        own = history_samples(council_id, kind)
        samples += own
        sources.append(f"council-{council_id} history ({len(own)})")
    report(1, 4, "已读取训练数据")
    labels = [lab for _, lab in samples]
    counts = Counter(labels)
    if len(samples) < MIN_SAMPLES or len(counts) < MIN_CLASSES:
        raise DomainError(f"{store.KINDS[kind]}：训练数据不足（{len(samples)} 条，{len(counts)} 个类别），"
                          f"至少需要 {MIN_SAMPLES} 条、{MIN_CLASSES} 个类别。", field="labelled")
    texts = [t for t, _ in samples]
    tree = taxonomy_tree(taxonomy) if taxonomy else None
    from lvzhi.smart.classify import cross_validate, train  # scikit-learn: loaded when training starts

    cv_report: CVReport | None = None
    if cv and len(samples) >= 30:
        cv_report = cross_validate(texts, labels, folds=3, seed=seed)
    report(2, 4, "交叉验证完成" if cv_report else "跳过交叉验证")
    model: Model = train(texts, labels, seed=seed)
    report(3, 4, "模型训练完成")
    meta: dict[str, Any] = {
        "trained_at": timezone.now().isoformat(timespec="seconds"),
        "n_samples": len(samples), "classes": sorted(counts), "class_counts": dict(sorted(counts.items())),
        "cv_macro_f1": cv_report.macro_f1 if cv_report else None,
        "cv_accuracy": cv_report.accuracy if cv_report else None,
        "cv_folds": cv_report.folds if cv_report else None,
        "sources": sources, "council_id": council_id,
    }
    if tree is not None:
        meta["taxonomy"] = tree
        meta["outside_taxonomy"] = sorted(set(counts) - set(tree))
    info = store.save_model(model, kind, council_id=council_id, meta=meta)
    report(4, 4, "已保存")
    return TrainResult(kind, info, len(samples), sorted(counts), cv_report, time.perf_counter() - started, sources)


def base_sources(kind: str) -> list[str]:
    """The labelled files the shared model of ``kind`` was trained on that still exist (so retraining a
    council keeps the real data and adds its own)."""
    info = store.current_info(kind, store.SHARED)
    if info is None:
        return []
    return [s for s in info.meta.get("sources", []) if Path(s).is_file()]


def retrain_council(council_id: int, *, progress: Progress | None = None, cv: bool = True) -> list[TrainResult]:
    """Retrain every kind for ``council_id`` from its history plus the shared model's files; kinds without
    enough data are skipped. Returns the stored results."""
    out: list[TrainResult] = []
    kinds = list(store.KINDS)
    for i, kind in enumerate(kinds):
        def step(done: int, total: int, msg: str, i: int = i) -> None:
            if progress is not None:
                progress(i * 4 + done, len(kinds) * 4, f"{store.KINDS[kinds[i]]}：{msg}")
        try:
            out.append(train_kind(kind, labelled=base_sources(kind), council_id=council_id, cv=cv, progress=step))
        except DomainError as exc:
            step(4, 4, exc.message)
    return out


# ---------------------------------------------------------------------------------------------- jobs


def start_training_job(actor: Any, council: Council) -> Job:
    """Record a training :class:`~lvzhi.core.models.Job` for ``council`` and run :func:`retrain_council` in
    the background once the transaction commits (:func:`lvzhi.core.tasks.start`); the page polls
    ``done``/``total``. Only the council's staff may start it (:class:`ForbiddenError`)."""
    if not is_council_staff(actor, council.pk):
        raise ForbiddenError("只有本机构工作人员可以重新训练模型。")
    job = Job.objects.create(kind=JOB_KIND, created_by=actor, council=council, total=len(store.KINDS) * 4)
    audit.record(job, "job_started", actor=actor, council_id=council.pk, new={"kind": JOB_KIND})
    tasks.start(run_training_job, job.pk)
    return job


@tasks.background_task
def run_training_job(job_pk: int) -> None:
    """The body of a training job (run in the background by :func:`start_training_job`, or directly by a test); ends ``done`` with the figures in ``message`` or ``failed``."""
    try:
        job = Job.objects.get(pk=job_pk)
        Job.objects.filter(pk=job_pk).update(status=Job.Status.RUNNING)
        notes: list[str] = []

        def progress(done: int, total: int, msg: str) -> None:
            notes.append(msg)
            Job.objects.filter(pk=job_pk).update(done=done, total=total, message="\n".join(notes[-6:]))

        assert job.council_id is not None
        results = retrain_council(job.council_id, progress=progress)
        lines = [r.summary() for r in results] or ["没有足够的数据训练任何模型。"]
        Job.objects.filter(pk=job_pk).update(status=Job.Status.DONE if results else Job.Status.FAILED,
                                             done=len(store.KINDS) * 4, message="\n".join(lines),
                                             finished_at=timezone.now())
    except Exception:  # a crash must still end the job, or the page would poll forever
        logger.exception("training job %s crashed", job_pk)
        Job.objects.filter(pk=job_pk).update(status=Job.Status.FAILED, message="训练过程中发生系统错误，请联系管理员。",
                                             finished_at=timezone.now())


# ---------------------------------------------------------------------------------------------- evaluation


@dataclass
class EvalRows:
    """Texts to check and their labels (``None`` when the file has no label column)."""

    texts: list[str]
    labels: list[str] | None


_TEXT_NAMES = ("text", "文本", "内容")
_LABEL_NAMES = ("label", "标签", "一级分类", "类别")


def _pick(header: list[str], names: Sequence[str]) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None


def _wrong_columns(path: Path, header: Sequence[str]) -> DomainError:
    found = "、".join(h for h in header if h) or "（空）"
    return DomainError(f"文件 {path.name} 的列不对：需要表头 text（文本）和可选的 label（标签），"
                       f"或留言导出的「留言主题」「留言详情」「一级分类」；实际表头为：{found}。", field="path")


def read_eval_rows(path: str | Path) -> EvalRows:
    """Rows to check from a TSV/CSV (header ``text`` [``label``]) or an xlsx (``text`` [``label``] or a
    message export with 留言主题 / 留言详情 [一级分类]). Rows with an empty text are skipped; when a label
    column exists, rows without a label are skipped too.

    Raises:
        DomainError: missing file, unknown extension or wrong columns (Chinese, ``field="path"``).
    """
    path = Path(path)
    if not path.is_file():
        raise DomainError(f"文件不存在：{path}", field="path")
    suffix = path.suffix.lower()
    rows: list[list[str]]
    if suffix in (".tsv", ".txt", ".csv"):
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.reader(fh, delimiter="," if suffix == ".csv" else "\t",
                                    quoting=csv.QUOTE_MINIMAL if suffix == ".csv" else csv.QUOTE_NONE)
                rows = [list(r) for r in reader]
        except UnicodeDecodeError:
            raise DomainError(f"文件 {path.name} 不是 UTF-8 编码的文本。", field="path") from None
    elif suffix in (".xlsx", ".xlsm"):
        from lvzhi.core import spreadsheets

        wb = spreadsheets.open_xlsx(path)
        try:
            rows = [["" if c is None else str(c) for c in r] for r in spreadsheets.rows(wb.worksheets[0])]
        finally:
            wb.close()
        rows = [r for r in rows if any(c.strip() for c in r)]
    else:
        raise DomainError(f"不支持的文件类型：{path.suffix or '(无扩展名)'}，请使用 .tsv、.csv 或 .xlsx", field="path")
    if not rows:
        raise DomainError(f"文件 {path.name} 是空的，没有表头。", field="path")
    header = [clean_text(h).lower() for h in rows[0]]
    body = rows[1:]
    text_idx = _pick(header, _TEXT_NAMES)
    parts: list[int] = []
    if text_idx is not None:
        parts = [text_idx]
    else:
        parts = [header.index(c) for c in ("留言主题", "留言详情") if c in header]
    if not parts:
        raise _wrong_columns(path, rows[0])
    label_idx = _pick(header, _LABEL_NAMES)

    def cell(r: list[str], i: int) -> str:
        return clean_text(r[i]) if i < len(r) else ""

    texts: list[str] = []
    labels: list[str] = []
    for r in body:
        text = "\n".join(p for p in (cell(r, i) for i in parts) if p)
        if not text:
            continue
        if label_idx is not None:
            label = cell(r, label_idx)
            if not label:
                continue
            labels.append(label)
        texts.append(text)
    has_labels = label_idx is not None and bool(labels)
    if label_idx is not None and not labels:  # an empty label column (e.g. 测试数据): predict all rows
        texts = [t for t in ("\n".join(p for p in (cell(r, i) for i in parts) if p) for r in body) if t]
    return EvalRows(texts, labels if has_labels else None)


@dataclass
class Evaluation:
    """Predictions for every row and, when labels were given, the figures (ratios in 0..1).

    ``confusion[i][j]``: rows of true label ``labels[i]`` predicted ``labels[j]``."""

    predictions: list[list[tuple[str, float]]]
    true: list[str] | None
    labels: list[str] = field(default_factory=list)
    macro_f1: float | None = None
    accuracy: float | None = None
    confusion: list[list[int]] = field(default_factory=list)

    def format(self) -> str:
        """The figures and the confusion matrix as plain text (Chinese headings)."""
        if self.true is None:
            return f"已预测 {len(self.predictions)} 条（文件无标签列，不计算指标）。"
        lines = [f"样本 {len(self.true)} 条：macro-F1 {self.macro_f1:.4f}，准确率 {self.accuracy:.4f}",
                 "混淆矩阵（行：实际，列：预测）："]
        width = max(len(lab) for lab in self.labels) + 2
        lines.append(" " * width + "".join(f"{i:>6}" for i in range(len(self.labels))))
        for i, (lab, row) in enumerate(zip(self.labels, self.confusion, strict=True)):
            lines.append(f"{lab:<{width - 2}}{i:>2}" + "".join(f"{v:>6}" for v in row))
        return "\n".join(lines)


def evaluate(model: Model, rows: EvalRows, *, k: int = 3) -> Evaluation:
    """Top-``k`` predictions of ``model`` for ``rows`` and, when labelled, macro-F1 and accuracy over the union
    of true and predicted labels (sklearn), and the confusion matrix."""
    from sklearn.metrics import confusion_matrix, f1_score

    predictions: list[list[tuple[str, float]]] = []
    for start in range(0, len(rows.texts), 2000):
        predictions += model.top_k_batch(rows.texts[start:start + 2000], k=k)
    result = Evaluation(predictions, rows.labels)
    if rows.labels is not None and predictions:
        pred = [p[0][0] for p in predictions]
        labels = sorted(set(rows.labels) | set(pred))
        result.labels = labels
        result.macro_f1 = float(f1_score(rows.labels, pred, labels=sorted(set(rows.labels)), average="macro",
                                         zero_division=0))
        result.accuracy = sum(a == b for a, b in zip(rows.labels, pred, strict=True)) / len(pred)
        result.confusion = confusion_matrix(rows.labels, pred, labels=labels).tolist()
    return result


def write_predictions(path: str | Path, rows: EvalRows, result: Evaluation) -> Path:
    """Write one line per row — ``row``, ``text``, [``label``], ``predicted``, ``confidence`` (0..1),
    ``top3`` — as TSV (``.tsv``/``.txt``/``.csv`` → tab separated) or xlsx (``.xlsx``). Returns the path.

    Raises ``DomainError`` for another extension."""
    path = Path(path)
    header = ["row", "text", *(["label"] if rows.labels is not None else []), "predicted", "confidence", "top3"]
    lines: list[list[Any]] = []
    for i, (text, preds) in enumerate(zip(rows.texts, result.predictions, strict=True)):
        top = "；".join(f"{lab}:{score:.3f}" for lab, score in preds)
        label = [rows.labels[i]] if rows.labels is not None else []
        lines.append([i + 1, text, *label, preds[0][0], round(preds[0][1], 4), top])
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix in (".tsv", ".txt", ".csv"):
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow(header)
            for line in lines:
                writer.writerow([str(v).replace("\t", " ").replace("\n", " ") for v in line])
    elif suffix == ".xlsx":
        from lvzhi.core.workbooks import write_rows

        write_rows(str(path), "预测结果", header, lines)
    else:
        raise DomainError(f"输出文件须为 .tsv 或 .xlsx：{path.name}", field="out")
    return path
