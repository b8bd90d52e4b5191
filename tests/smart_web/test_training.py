"""Training from the real titles, the model store, evaluate-model on real rows (with and without labels, bad
columns), proposal categories from the real proposals."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from lvzhi.smart import store, training
from lvzhi.smart.classify import train

from .conftest import PROPOSALS, TIPDM, stratified, write_tsv

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_train_models_from_real_titles_subset(title_rows, tmp_path):
    subset = stratified(title_rows, 60)
    path = write_tsv(tmp_path / "titles.tsv", subset)
    out = _run("train_models", "--labelled", str(path), "--taxonomy", str(TIPDM / "taxonomy_附件1.xlsx"))
    assert "macro-F1" in out and "shared/message-category/v1" in out
    info = store.current_info("message-category", store.SHARED)
    assert info is not None and info.version == 1
    labels = sorted({lab for _, lab in subset})
    assert len(labels) == 7
    assert info.meta["n_samples"] == len(subset) and info.meta["classes"] == labels
    assert 0.0 < info.meta["cv_macro_f1"] <= 1.0 and info.meta["cv_folds"] == 3
    assert set(labels) <= set(info.meta["taxonomy"]) and info.meta["outside_taxonomy"] == []
    # Held-out real titles (not in the subset) are classified well above chance (1/7).
    used = set(subset)
    held = [r for r in stratified(title_rows, 30, seed=1) if r not in used]
    loaded = store.model_for("message-category", None)
    assert loaded is not None
    predicted = loaded.model.predict([t for t, _ in held])
    accuracy = sum(p == y for p, (_, y) in zip(predicted, held, strict=True)) / len(held)
    assert accuracy > 0.5
    # Training again makes version 2 current; a council without its own model uses the shared one.
    _run("train_models", "--labelled", str(path), "--no-cv")
    assert store.model_for("message-category", 12345).info.version == 2


def test_train_models_errors():
    with pytest.raises(CommandError, match="请用 --labelled"):
        call_command("train_models")
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("train_models", "--labelled", "/nonexistent/x.tsv")
    with pytest.raises(CommandError, match="没有编号为"):
        call_command("train_models", "--council", "999999")


def test_store_round_trip_versions_and_reload(title_rows):
    rows = stratified(title_rows, 10)
    texts, labels = [t for t, _ in rows], [y for _, y in rows]
    model = train(texts, labels, calibrate=False)
    info = store.save_model(model, "message-category", council_id=7, meta={"n_samples": len(rows)})
    assert info.label == "council-7/message-category/v1" and info.path.exists()
    first = store.load("message-category", "council-7")
    assert first is not None and first.info.meta["n_samples"] == len(rows)
    assert first.model.top_k(texts[0]) == model.top_k(texts[0])
    assert store.load("message-category", "council-7") is first  # loaded once per process
    other = train(texts[::-1], labels[::-1], calibrate=False, c=2.0)
    store.save_model(other, "message-category", council_id=7)
    second = store.load("message-category", "council-7")  # the file changed: reloaded
    assert second is not first and second.info.version == 2
    assert store.model_for("message-category", 7).info.version == 2
    assert store.model_for("message-unit", 7) is None
    assert [i.label for i in store.list_models(7)] == ["council-7/message-category/v2"]
    with pytest.raises(ValueError, match="未知的模型类型"):
        store.save_model(model, "nonsense")


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_evaluate_model_with_and_without_labels(title_rows, tmp_path):
    write_tsv(tmp_path / "train.tsv", stratified(title_rows, 40))
    _run("train_models", "--labelled", str(tmp_path / "train.tsv"), "--no-cv")
    check = stratified(title_rows, 8, seed=3)
    labelled = write_tsv(tmp_path / "check.tsv", check)
    out = _run("evaluate_model", str(labelled), "--out", str(tmp_path / "pred.tsv"))
    rows = _read_tsv(tmp_path / "pred.tsv")
    assert len(rows) == len(check)
    assert [r["label"] for r in rows] == [y for _, y in check]
    assert all(0 < float(r["confidence"]) <= 1 and r["top3"].count(":") == 3 for r in rows)
    accuracy = sum(r["label"] == r["predicted"] for r in rows) / len(rows)
    assert f"准确率 {accuracy:.4f}" in out and "macro-F1" in out and "混淆矩阵" in out
    # The confusion matrix rows add up to the number of rows checked.
    matrix_lines = out.split("混淆矩阵（行：实际，列：预测）：\n")[1].splitlines()[1:]
    assert sum(sum(int(v) for v in line.split()[2:]) for line in matrix_lines) == len(check)

    unlabelled = write_tsv(tmp_path / "new.tsv", [(t,) for t, _ in check[:5]], header=("text",))
    out = _run("evaluate_model", str(unlabelled), "--out", str(tmp_path / "pred.xlsx"))
    assert "不计算指标" in out
    wb = load_workbook(tmp_path / "pred.xlsx", read_only=True)
    sheet = list(wb.worksheets[0].iter_rows(values_only=True))
    assert sheet[0] == ("row", "text", "predicted", "confidence", "top3") and len(sheet) == 6
    assert {r[2] for r in sheet[1:]} <= {lab for _, lab in check}


def test_evaluate_model_wrong_columns_and_no_model(title_rows, tmp_path):
    bad = write_tsv(tmp_path / "bad.tsv", [("城管乱收费", "城乡建设")], header=("标题", "分类x"))
    with pytest.raises(CommandError, match="尚无"):
        call_command("evaluate_model", str(bad), "--out", str(tmp_path / "o.tsv"))
    write_tsv(tmp_path / "train.tsv", stratified(title_rows, 5))
    _run("train_models", "--labelled", str(tmp_path / "train.tsv"), "--no-cv")
    with pytest.raises(CommandError, match=r"列不对.*text.*实际表头为：标题、分类x"):
        call_command("evaluate_model", str(bad), "--out", str(tmp_path / "o.tsv"))
    with pytest.raises(CommandError, match=r"输出文件须为 \.tsv 或 \.xlsx"):
        call_command("evaluate_model", str(tmp_path / "train.tsv"), "--out", str(tmp_path / "o.doc"))
    (tmp_path / "in.doc").write_text("text\tlabel\n", encoding="utf-8")
    with pytest.raises(CommandError, match="不支持的文件类型"):
        call_command("evaluate_model", str(tmp_path / "in.doc"), "--out", str(tmp_path / "o.tsv"))
    # A real message export (附件2) is accepted as it is: 留言主题 + 留言详情, labels from 一级分类.
    rows = training.read_eval_rows(TIPDM / "messages_labelled_sample_附件2.xlsx")
    assert len(rows.texts) == 400 and rows.labels is not None and len(set(rows.labels)) == 7


def test_proposal_categories_from_real_proposals():
    out = _run("train_models", "--labelled", str(PROPOSALS), "--no-cv")
    info = store.current_info("proposal-category", store.SHARED)
    assert info is not None and "提案类别" in out
    assert len(info.meta["classes"]) == 14 and info.meta["n_samples"] == 350
