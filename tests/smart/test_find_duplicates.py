"""``lvzhi find-duplicates``: pairs judged by reading in a workbook built here, the a<b / once-only rules and the
JSON shape on a real export, Chinese errors with exit code 2 for a malformed file."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from lvzhi.opinions.sources import read_messages
from lvzhi.smart.similar import DUPLICATE_THRESHOLD

ROOT = Path(__file__).resolve().parents[2]
TIPDM = ROOT / ".." / "shared" / "data" / "tipdm2020c"

NOISE = ("A7区丽发新城小区旁边的搅拌站每天晚上施工到凌晨两三点，噪音和粉尘非常大，居民无法入睡，"
         "多次向环保部门反映都没有结果，请求相关部门依法查处，还我们一个安静的夜晚。")
# 1001 and 1002 are the same message (1002 only changes punctuation, spacing and width); 988 is a repeat
# complaint with another title and added sentences: all three are the same matter. 1003, 1004 and 1005 are other
# matters (a school fee, a bus route, and the same kind of noise complaint about another county and cause).
ROWS = [
    ("1001", "A7区丽发新城搅拌站噪音扰民", NOISE),
    ("1002", "A7区丽发新城搅拌站噪音扰民！", NOISE.replace("，", ", ").replace("A7", "Ａ７")),
    ("988", "丽发新城搅拌站夜间噪音扰民", "再次反映：" + NOISE + "已经一个月了，希望尽快给我们答复。"),
    ("1003", "A市某中学违规收取补课费", "A市第一中学利用暑假组织学生补课，每人收取补课费1200元，"
                                  "家长反映强烈，请教育局调查处理。"),
    ("1004", "建议增开A市到B县的公交线路", "目前A市到B县只有一条公交线路，每天班次少，"
                                   "群众出行很不方便，建议增开线路、增加班次。"),
    ("1005", "K3县广场舞音响扰民", "K3县人民广场每天早上六点就有人跳广场舞，音响开得很大，"
                              "周边住户休息受到影响，希望城管管一管。"),
]
SAME = {("1001", "1002"), ("1001", "988"), ("1002", "988")}


def _workbook(path: Path, header: tuple[str, ...], rows: list[tuple[object, ...]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("find_duplicates", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def built(tmp_path: Path) -> Path:
    # Header cells with spaces, an extra column first, ids as numbers and as text.
    rows = [(None, int(i) if i != "1003" else i, t, "2019-01-01", b) for i, t, b in ROWS]
    return _workbook(tmp_path / "msgs.xlsx", ("留言用户", "留言 编号", " 留言主题", "留言时间", "留言详情 "), rows)


def test_same_matter_pairs_found_once_with_string_order(built: Path) -> None:
    payload = json.loads(_run(str(built), "--json"))
    assert list(payload) == ["pairs"]
    found = {(p["a"], p["b"]) for p in payload["pairs"]}
    # "1001" < "988" as strings although 988 < 1001 as numbers.
    assert found == SAME
    scores = {(p["a"], p["b"]): p["score"] for p in payload["pairs"]}
    assert scores[("1001", "1002")] == 1.0  # same text once width and punctuation are folded
    assert all(DUPLICATE_THRESHOLD <= s <= 1.0 for s in scores.values())


def test_threshold_one_keeps_only_identical_text(built: Path) -> None:
    payload = json.loads(_run(str(built), "--json", "--threshold", "1"))
    assert [(p["a"], p["b"]) for p in payload["pairs"]] == [("1001", "1002")]


def test_readable_list_names_the_pairs(built: Path) -> None:
    text = _run(str(built))
    assert "共 6 条留言" in text and "找到 3 对重复留言" in text
    assert "留言 1001 与 留言 1002" in text


def test_missing_column_and_bad_threshold(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "bad.xlsx", ("留言编号", "留言主题"), [("1", "标题")])
    with pytest.raises(CommandError, match="缺少列：留言详情") as err:
        _run(str(path), "--json")
    assert err.value.returncode == 2
    ok = _workbook(tmp_path / "ok.xlsx", ("留言编号", "留言主题", "留言详情"), [("1", "标题", "正文")])
    with pytest.raises(CommandError, match="阈值") as err:
        _run(str(ok), "--threshold", "1.5")
    assert err.value.returncode == 2


def test_not_an_xlsx_exits_2_with_chinese_message(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("留言编号,留言主题,留言详情\n1,a,b\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "lvzhi.cli", "find-duplicates", str(path), "--json"],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "不是有效的 Excel" in proc.stderr


def test_real_export_shape_order_and_known_repeats() -> None:
    path = TIPDM / "messages_with_replies_附件4.xlsx"
    payload = json.loads(_run(str(path), "--json"))
    pairs = payload["pairs"]
    assert pairs and all(set(p) == {"a", "b", "score"} for p in pairs)
    assert all(isinstance(p["a"], str) and isinstance(p["b"], str) and p["a"] < p["b"] for p in pairs)
    keys = [(p["a"], p["b"]) for p in pairs]
    assert len(keys) == len(set(keys))
    assert all(isinstance(p["score"], float) and DUPLICATE_THRESHOLD <= p["score"] <= 1.0 for p in pairs)
    msgs, report = read_messages(path)
    ids = {m.external_id for m in msgs}
    assert {k for pair in keys for k in pair} <= ids
    # Rows the reader found with the very same title and body are duplicates by any rule: all reported.
    assert report.duplicate_groups
    for group in report.duplicate_groups:
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                assert (min(a, b), max(a, b)) in keys
