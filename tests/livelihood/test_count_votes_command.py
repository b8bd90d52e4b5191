"""``lvzhi count-votes`` run as the real console command in a subprocess, with a database that does not
exist (it must not need one). Workbooks are built with openpyxl; expected results worked out by hand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

Y, N, A = "赞成", "反对", "弃权"
LVZHI = str(Path(sys.executable).parent / "lvzhi")
ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # A PostgreSQL server that is not there and a fresh data directory: any database access would fail.
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:9/no_such_database"
    env["LVZHI_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([LVZHI, "count-votes", *args], capture_output=True, text=True, env=env, timeout=120,
                          cwd=tmp_path)


def workbook(tmp_path: Path, rows: list[list[object]], name: str = "ballots.xlsx",
             header_format: str | None = None) -> str:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if header_format:
        for cell in ws[1][1:]:
            cell.number_format = header_format
    path = tmp_path / name
    wb.save(path)
    return str(path)


def test_tie_invalid_ballots_and_trailing_blank_rows(tmp_path: Path) -> None:
    # 7 deputies, 7 ballots issued, 6 returned, 2 places.
    path = workbook(tmp_path, [
        ["选票编号", "01", "02", "03", "04"],
        ["001", Y, Y, None, N],
        ["002", Y, " 赞成 ", None, None],   # whitespace around a mark is ignored
        ["003", Y, None, Y, None],
        ["004", Y, None, Y, N],
        ["005", None, Y, Y, None],
        ["006", None, None, None, None],     # a numbered ballot left blank: valid, abstains on every candidate
        ["007", "√", None, None, None],      # unknown mark → invalid
        ["008", Y, Y, Y, None],              # 3 Y > 2 places → invalid
        [None, None, None, None, None],      # blank rows after the last ballot are not ballots
        [None, None, None, None, None],
    ])
    done = run(tmp_path, path, "--places", "2", "--electorate", "9", "--issued", "8", "--json")
    assert done.returncode == 0, done.stderr
    # Valid: 001-006 (6), invalid: 007, 008. Y: 01 = 001-004 = 4; 02 = 001 002 005 = 3; 03 = 003 004 005 = 3;
    # 04 = 0, N 04 = 001 004. More than half of 9 is 5 or more: nobody passes → 2 places unfilled.
    assert json.loads(done.stdout) == {"void": False, "ballots": 8, "valid": 6, "invalid": 2, "unfilled": 2,
                                       "candidates": [
        {"code": "01", "yes": 4, "no": 0, "abstain": 2, "result": "not_elected"},
        {"code": "02", "yes": 3, "no": 0, "abstain": 3, "result": "not_elected"},
        {"code": "03", "yes": 3, "no": 0, "abstain": 3, "result": "not_elected"},
        {"code": "04", "yes": 0, "no": 2, "abstain": 4, "result": "not_elected"}]}
    # Without --issued at most one ballot per deputy can have been issued: with 8 deputies (more than half
    # is 5 or more) nobody passes; with 7 deputies the 8 ballots returned make the vote void.
    done = run(tmp_path, path, "--places", "2", "--electorate", "8", "--json")
    assert [c["result"] for c in json.loads(done.stdout)["candidates"]] == ["not_elected"] * 4
    done = run(tmp_path, path, "--places", "2", "--electorate", "7", "--json")
    assert json.loads(done.stdout) == {"void": True, "ballots": 8}


def test_tie_at_the_last_place(tmp_path: Path) -> None:
    # 5 deputies, 2 places: Y 01 = 4, 02 = 3, 03 = 3 (see test_counting) → 01 elected, 02 and 03 tie.
    path = workbook(tmp_path, [["选票编号", 1, 2, 3, 4],
                               [1, Y, Y, None, N], [2, Y, Y, None, None], [3, Y, None, Y, None],
                               [4, Y, None, Y, N], [5, None, Y, Y, None]], header_format="00")
    done = run(tmp_path, path, "--places", "2", "--electorate", "5", "--issued", "5", "--json")
    out = json.loads(done.stdout)
    # Header numbers formatted "00" in Excel show as 01 … 04: the codes are what the ballot shows.
    assert [(c["code"], c["yes"], c["result"]) for c in out["candidates"]] == [
        ("01", 4, "elected"), ("02", 3, "tie"), ("03", 3, "tie"), ("04", 0, "not_elected")]
    assert out["unfilled"] == 1
    # Readable Chinese table without --json.
    done = run(tmp_path, path, "--places", "2", "--electorate", "5")
    assert done.returncode == 0
    assert "当选 1 项：01" in done.stdout and "02、03" in done.stdout and "空缺名额 1 个" in done.stdout


def test_numeric_header_without_format_keeps_the_number_as_shown(tmp_path: Path) -> None:
    path = workbook(tmp_path, [["选票编号", 1.0, 2], ["a", Y, None]])
    out = json.loads(run(tmp_path, path, "--places", "1", "--electorate", "1", "--json").stdout)
    # 1 deputy, 1 Y > 0.5 → elected.
    assert [(c["code"], c["result"]) for c in out["candidates"]] == [("1", "elected"), ("2", "not_elected")]


def test_void_when_more_returned_than_issued(tmp_path: Path) -> None:
    path = workbook(tmp_path, [["选票编号", "01", "02"], [1, Y, None], [2, Y, None], [3, None, Y]])
    done = run(tmp_path, path, "--places", "1", "--electorate", "10", "--issued", "2", "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout) == {"void": True, "ballots": 3}
    done = run(tmp_path, path, "--places", "1", "--electorate", "10", "--issued", "2")
    assert "表决无效" in done.stdout


@pytest.mark.parametrize(("rows", "args", "words"), [
    ([], (), "表头"),                                                   # empty sheet: no header
    ([["编号", "01"], [1, Y]], (), "选票编号"),                          # wrong first cell
    ([["选票编号", "01", "01"], [1, Y, None]], (), "重复"),               # duplicate candidate numbers
    ([["选票编号", "01", "02"]], (), "没有选票"),                         # no ballots
    ([["选票编号", "01", None, "03"], [1, Y, None, None]], (), "C1"),    # hole in the header
    ([["选票编号", "01"], [1, Y, "赞成"]], (), "超出"),                  # a mark beyond the last candidate
    ([["选票编号", "01", "02"], [1, Y, None]], ("--places", "0"), "应选名额"),
    ([["选票编号", "01", "02"], [1, Y, None]], ("--places", "x"), "--places"),
    ([["选票编号", "01", "02"], [1, Y, None]], ("--issued", "11"), "发出选票数"),
])
def test_malformed_workbook_or_arguments_exit_2(tmp_path: Path, rows, args, words) -> None:
    path = workbook(tmp_path, rows)
    base = {"--places": "1", "--electorate": "10"}
    argv = [path]
    given = dict(zip(args[::2], args[1::2], strict=True))
    for key, value in {**base, **given}.items():
        argv += [key, value]
    done = run(tmp_path, *argv, "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "错误" in done.stderr and words in done.stderr


def test_not_an_xlsx_and_missing_file_and_missing_option(tmp_path: Path) -> None:
    text = tmp_path / "ballots.xlsx"
    text.write_text("选票编号,01\n1,赞成\n", encoding="utf-8")
    done = run(tmp_path, str(text), "--places", "1", "--electorate", "3")
    assert done.returncode == 2 and "不是有效的 Excel" in done.stderr
    done = run(tmp_path, str(tmp_path / "none.xlsx"), "--places", "1", "--electorate", "3")
    assert done.returncode == 2 and "找不到" in done.stderr
    path = workbook(tmp_path, [["选票编号", "01", "02"], [1, Y, None]])
    done = run(tmp_path, path, "--places", "1")
    assert done.returncode == 2 and "--electorate" in done.stderr
