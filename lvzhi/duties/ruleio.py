"""Scoring rules in and out of Excel (.xlsx): one workbook, five sheets.

- 规则: rows ``名称``, ``依据``, ``基础分``, ``满分`` (label in column A, value in B).
- 类别: ``类别``, ``上限`` (empty: no cap).
- 项目: ``类别``, ``项目``, ``履职事项`` (act kind: meeting, speech, proposal, suggestion, report …),
  ``条件`` (``attr=value`` separated by ``;``; several values with ``|``; 是/否 for yes/no),
  ``分值``, ``联名计分`` (full, first_only, co_share, half_split), ``联名人比例``, ``按属性计量``,
  ``前若干件不计``, ``上限``.
- 等次: ``等次``, ``最低分（含）``, ``最高分（不含）``.
- 基本要求: ``要求``, ``满足方式`` (alternatives separated by `` 或 ``, each ``kind`` or
  ``kind: conditions``), ``至少次数``.

:func:`read_rules` raises one :class:`DomainError` listing every problem with its sheet and row number;
:func:`write_rules` writes a spec back (so staff download, edit and re-import).
"""

from __future__ import annotations

import io
import zipfile
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from lvzhi.core.errors import DomainError
from lvzhi.duties.rules import RuleSetSpec, spec_from_dict, spec_to_dict

ITEM_HEADERS = ["类别", "项目", "履职事项", "条件", "分值", "联名计分", "联名人比例", "按属性计量", "前若干件不计", "上限"]
YES = {"是", "true", "True", "TRUE", "1"}
NO = {"否", "false", "False", "FALSE", "0"}


def _value(text: str) -> Any:
    text = text.strip()
    if text in YES and text != "1":
        return True
    if text in NO and text != "0":
        return False
    if text.lstrip("-").isdigit():
        return int(text)
    return text


def parse_conditions(text: str) -> dict[str, Any]:
    """``"meeting_kind=inspection|research; outcome=present"`` → ``{"meeting_kind": [...], "outcome": ...}``.
    Raises ValueError (Chinese) for a part without ``=``."""
    out: dict[str, Any] = {}
    for part in text.replace("；", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise ValueError(f"条件「{part}」应写成 属性=值。")
        key, value = (x.strip() for x in part.split("=", 1))
        values = [_value(v) for v in value.split("|")]
        out[key] = values if len(values) > 1 else values[0]
    return out


def format_conditions(conditions: dict[str, Any]) -> str:
    def one(v: Any) -> str:
        return ("是" if v else "否") if isinstance(v, bool) else str(v)
    return "; ".join(f"{k}={'|'.join(one(x) for x in v) if isinstance(v, list) else one(v)}"
                     for k, v in conditions.items())


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _rows(wb: Any, name: str) -> list[tuple[int, list[str]]]:
    if name not in wb.sheetnames:
        return []
    out = []
    for number, row in enumerate(wb[name].iter_rows(values_only=True), start=1):
        cells = [_cell(v) for v in row]
        if number > 1 and any(cells):
            out.append((number, cells + [""] * 12))
    return out


def read_rules(source: IO[bytes] | Any) -> RuleSetSpec:
    """Read a rules workbook (see the module docstring) into a spec. Raises :class:`DomainError` with every
    problem (sheet, row number, reason) in Chinese; the spec is then validated by the writer."""
    data = source.read()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        raise DomainError("考评规则有误：不是有效的 Excel（.xlsx）文件，请使用下载的模板。", field="file") from None
    problems: list[str] = []
    head: dict[str, str] = {}
    if "规则" not in wb.sheetnames or "项目" not in wb.sheetnames:
        raise DomainError("考评规则有误：缺少「规则」或「项目」工作表，请使用下载的模板。", field="file")
    for row in wb["规则"].iter_rows(values_only=True):
        if row and row[0]:
            head[_cell(row[0])] = _cell(row[1] if len(row) > 1 else "")
    spec: dict[str, Any] = {"name": head.get("名称", ""), "source": head.get("依据", ""),
                            "base_points": head.get("基础分") or "0", "max_total": head.get("满分") or None,
                            "groups": [], "items": [], "grades": [], "duties": []}
    for _n, c in _rows(wb, "类别"):
        spec["groups"].append({"name": c[0], "cap": c[1] or None})
    for n, c in _rows(wb, "项目"):
        try:
            conditions = parse_conditions(c[3])
        except ValueError as exc:
            problems.append(f"「项目」表第 {n} 行：{exc}")
            continue
        if not c[2]:
            problems.append(f"「项目」表第 {n} 行：请填写「履职事项」。")
            continue
        spec["items"].append({"group": c[0], "label": c[1], "act_kind": c[2], "conditions": conditions,
                              "points": c[4], "split": c[5] or "full", "co_share": c[6] or "1", "per": c[7],
                              "skip_first": c[8] or 0, "cap": c[9] or None, "_row": n})
    for _n, c in _rows(wb, "等次"):
        spec["grades"].append({"name": c[0], "min_score": c[1] or None, "max_score": c[2] or None})
    for n, c in _rows(wb, "基本要求"):
        alts = []
        for alt in c[1].split(" 或 "):
            kind, _sep, cond = alt.partition(":")
            try:
                alts.append({"kind": kind.strip(), "conditions": parse_conditions(cond)})
            except ValueError as exc:
                problems.append(f"「基本要求」表第 {n} 行：{exc}")
        spec["duties"].append({"label": c[0], "alternatives": alts, "min_count": c[2] or 1})
    for it in spec["items"]:
        row = it.pop("_row")
        if isinstance(it["skip_first"], str) and not it["skip_first"].isdigit():
            problems.append(f"「项目」表第 {row} 行：「前若干件不计」应为整数。")
    if problems:
        raise DomainError("考评规则有误：" + "；".join(problems), field="file")
    try:
        return spec_from_dict(spec)
    except (ValueError, KeyError) as exc:
        raise DomainError(f"考评规则有误：{exc}", field="file") from None


def write_rules(spec: RuleSetSpec) -> bytes:
    """The workbook of ``spec`` (the import format), as .xlsx bytes."""
    d = spec_to_dict(spec)
    wb = Workbook()
    ws = wb.active
    ws.title = "规则"
    for row in (["名称", d["name"]], ["依据", d["source"]], ["基础分", d["base_points"]], ["满分", d["max_total"]]):
        ws.append(row)
    sheets: list[tuple[str, list[str], list[list[Any]]]] = [
        ("类别", ["类别", "上限"], [[g["name"], g["cap"]] for g in d["groups"]]),
        ("项目", ITEM_HEADERS, [[i["group"], i["label"], i["act_kind"], format_conditions(i["conditions"]),
                                i["points"], i["split"], i["co_share"], i["per"], i["skip_first"], i["cap"]]
                               for i in d["items"]]),
        ("等次", ["等次", "最低分（含）", "最高分（不含）"], [[b["name"], b["min_score"], b["max_score"]]
                                                    for b in d["grades"]]),
        ("基本要求", ["要求", "满足方式", "至少次数"],
         [[x["label"], " 或 ".join(f"{a['kind']}: {format_conditions(a.get('conditions') or {})}".rstrip(": ")
                                  for a in x["alternatives"]), x["min_count"]] for x in d["duties"]]),
    ]
    for title, header, rows in sheets:
        sheet = wb.create_sheet(title)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
