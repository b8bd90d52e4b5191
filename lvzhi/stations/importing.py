"""Importing the station registry from Excel (.xlsx): a downloadable template, and a whole-file import
that writes every row or none.

Columns (the template's header row, in this order): 站名, 类型 (中心站/普通站), 所在区（县）, 所在镇（街道）,
地址, 开放时间, 联系人, 联系电话, 进站代表 (deputies' names separated by 、，, or ;). A station whose name
exists in the council is updated, others are created. Any bad row is reported in Chinese with its row
number and nothing is imported.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from lvzhi.core.errors import DomainError
from lvzhi.members.models import Council, Member
from lvzhi.stations import actions
from lvzhi.stations.choices import StationLevel
from lvzhi.stations.models import Station

COLUMNS: list[tuple[str, str]] = [
    ("name", "站名"), ("level", "类型"), ("district", "所在区（县）"), ("town", "所在镇（街道）"),
    ("address", "地址"), ("opening_hours", "开放时间"), ("contact_name", "联系人"), ("phone", "联系电话"),
    ("deputies", "进站代表"),
]
LEVELS = {str(label): value for value, label in StationLevel.choices}
EXAMPLE = ["白沙街道中心联络站", "中心站", "蓬江区", "白沙街道", "江门市蓬江区白沙大道 1 号", "每月第一个周三上午",
           "李工作人员", "0750-3000000", "陈代表、林代表"]
MAX_ROWS = 5000
_SPLIT = re.compile(r"[、，,;；\s]+")


class ImportRefused(DomainError):
    """The file was refused: ``errors`` lists every bad row (``第 n 行：…``); nothing was imported."""

    def __init__(self, errors: list[str]) -> None:
        shown = errors[:20] + ([f"……另有 {len(errors) - 20} 处错误"] if len(errors) > 20 else [])
        super().__init__("导入失败，未导入任何数据：\n" + "\n".join(shown), field="file")
        self.errors = errors


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def template() -> bytes:
    """The template workbook (.xlsx): the header row and one example row."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "联络站"
    ws.append([label for _, label in COLUMNS])
    ws.append(EXAMPLE)
    for col, width in zip("ABCDEFGHI", (24, 8, 12, 14, 32, 22, 12, 16, 28), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(file: IO[bytes]) -> list[tuple[int, dict[str, str]]]:
    """The data rows of the workbook as ``(row number, {field: text})``; blank rows skipped. Raises
    :class:`DomainError` for a file that is not an .xlsx workbook or whose header is not the template's."""
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, TypeError) as exc:
        raise DomainError("文件不是有效的 Excel（.xlsx）文件，请使用下载的模板填写。", field="file") from exc
    except Exception as exc:  # zipfile.BadZipFile and other damaged-file errors
        raise DomainError("文件不是有效的 Excel（.xlsx）文件，请使用下载的模板填写。", field="file") from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [_cell(v) for v in next(rows, ())]
    expected = [label for _, label in COLUMNS]
    if header[:len(expected)] != expected:
        raise DomainError("表头与模板不一致，第 1 行应为：" + "、".join(expected) + "。", field="file")
    out: list[tuple[int, dict[str, str]]] = []
    for number, row in enumerate(rows, start=2):
        values = [_cell(v) for v in (row or ())][:len(COLUMNS)]
        if not any(values):
            continue
        values += [""] * (len(COLUMNS) - len(values))
        out.append((number, {name: values[i] for i, (name, _) in enumerate(COLUMNS)}))
        if len(out) > MAX_ROWS:
            raise DomainError(f"一次最多导入 {MAX_ROWS} 个联络站。", field="file")
    wb.close()
    if not out:
        raise DomainError("文件中没有联络站数据。", field="file")
    return out


def import_stations(actor: Any, council: Council, file: IO[bytes]) -> ImportResult:
    """Import the stations of ``file`` into ``council`` (the council's staff only): every row is checked
    first — required fields, 类型 中心站/普通站, a name not repeated in the file, each deputy an active deputy
    of the council found by name (unique) — and then all are written in one transaction, each through
    :func:`lvzhi.stations.actions.save_station` (audited). Raises :class:`ImportRefused` listing the bad
    rows, with nothing written."""
    actions._staff_only(actor, council, "导入联络站")
    rows = read_rows(file)
    by_name: dict[str, list[Member]] = {}
    for m in Member.objects.filter(council=council, active=True):
        by_name.setdefault(m.name, []).append(m)
    errors: list[str] = []
    plans: list[tuple[int, dict[str, Any], list[Member]]] = []
    seen: dict[str, int] = {}
    for number, values in rows:
        try:
            level_text = values["level"]
            if level_text not in LEVELS:
                raise DomainError(f"「类型」须为中心站或普通站（现为「{level_text}」）。", field="level")
            fields = actions.clean_station_fields({**values, "level": LEVELS[level_text]})
            if fields["name"] in seen:
                raise DomainError(f"站名「{fields['name']}」与第 {seen[fields['name']]} 行重复。", field="name")
            seen[fields["name"]] = number
            members: list[Member] = []
            for name in filter(None, _SPLIT.split(values["deputies"])):
                found = by_name.get(name, [])
                if not found:
                    raise DomainError(f"代表「{name}」不是本机构的在任代表。", field="deputies")
                if len(found) > 1:
                    raise DomainError(f"代表「{name}」有重名，请在系统中逐个关联。", field="deputies")
                members.append(found[0])
        except DomainError as exc:
            errors.append(f"第 {number} 行：{exc.message}")
            continue
        plans.append((number, fields, members))
    if errors:
        raise ImportRefused(errors)
    result = ImportResult()
    existing = {s.name: s for s in Station.objects.filter(council=council)}
    with transaction.atomic():
        for number, fields, members in plans:
            station = existing.get(fields["name"])
            try:
                actions.save_station(actor, council, station=station, deputies=members, **fields)
            except DomainError as exc:
                raise ImportRefused([f"第 {number} 行：{exc.message}"]) from None
            (result.updated if station else result.created).append(fields["name"])
    return result
