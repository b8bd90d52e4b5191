"""Excel (.xlsx) import of members (委员) or deputies (代表) and handling units (承办单位), and the templates.

Two passes: every row is validated first and every problem is reported with its Excel row number, its
column and the reason in Chinese; if there is any problem nothing is written. Otherwise all rows are written
in one transaction through the action functions of :mod:`lvzhi.members.actions` (so every created or
changed row has its audit entry), and the counts are reported.

- Members are matched by name within the term: a known name is updated, a new one created. Sectors, party
  groups, special committees and liaison groups named in the file are created as needed. A deputy's
  代表团 (delegation) must be one the people's congress already has (delegations follow the electoral
  districts: a misspelt one is an error, not a new delegation); a CPPCC's file leaves the column empty.
  A column the sheet does not have leaves that field of existing members untouched; an empty cell clears it.
- Units are matched by name within the council.

The first worksheet is read; its first non-empty row is the header. Fully empty rows are skipped.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from lvzhi.core import spreadsheets
from lvzhi.core.errors import DomainError
from lvzhi.members import actions
from lvzhi.members.choices import CouncilKind, OrganisationKind
from lvzhi.members.models import Council, HandlingUnit, Member, Organisation, Term

#: ``progress(phase, done, total)``: phase is ``"校验"`` (validating) or ``"导入"`` (writing).
Progress = Callable[[str, int, int], None]
Source = str | Path | IO[bytes]


@dataclass(frozen=True)
class Column:
    """One column of an import sheet: its Chinese header, the model field, whether a value is required,
    other headers accepted for it, and the explanation and example written into the template."""

    header: str
    field: str
    required: bool
    help: str
    example: str
    aliases: tuple[str, ...] = ()
    max_length: int | None = None


MEMBER_COLUMNS: list[Column] = [
    Column("姓名", "name", True, "委员（代表）姓名，必填；同一届内按姓名匹配：已有则更新，没有则新增。", "张三",
           ("委员姓名", "代表姓名"), 50),
    Column("性别", "gender", False, "填写“男”或“女”，可空。", "男"),
    Column("界别", "sector", False, "所属界别，系统中没有的将自动新建。", "经济界", (), 100),
    Column("党派团体", "party_group", False, "所属党派或团体，可空。", "民盟市委会", ("党派",), 100),
    Column("专门委员会", "special_committee", False, "所属专门委员会，可空。", "提案委员会", ("专委会",), 100),
    Column("联络组", "liaison_group", False, "所属联络组，可空。", "第一联络组", (), 100),
    Column("工作单位及职务", "workplace", False, "工作单位及职务，可空。", "市某公司董事长",
           ("工作单位", "单位及职务"), 200),
    Column("联系电话", "phone", False, "手机号或座机号（可带区号、分机），可空。", "13800138000",
           ("电话", "手机", "手机号码"), 30),
    Column("代表团", "delegation", False, "人大代表所在代表团，须为本机构已有的代表团；政协委员留空。", "蓬江区代表团",
           ("所属代表团",), 100),
]

UNIT_COLUMNS: list[Column] = [
    Column("单位名称", "name", True, "承办单位全称，必填；按名称匹配：已有则更新简称，没有则新增。",
           "市发展和改革局", ("承办单位", "名称"), 100),
    Column("简称", "short_name", False, "单位简称，可空。", "市发改局", (), 30),
]

_ORG_KINDS = {"sector": OrganisationKind.SECTOR, "party_group": OrganisationKind.PARTY_GROUP,
              "special_committee": OrganisationKind.SPECIAL_COMMITTEE,
              "liaison_group": OrganisationKind.LIAISON_GROUP, "delegation": OrganisationKind.DELEGATION}


@dataclass(frozen=True)
class RowError:
    """One problem: ``row`` is the Excel row number (``None`` for the whole file), ``column`` the header."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "文件"
        col = f"「{self.column}」列" if self.column else ""
        return f"{where}{col}：{self.message}"


@dataclass
class ImportReport:
    """The outcome: counts of what was written, or the problems (then nothing was written)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organisations_created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """One line in Chinese: the counts, or the number of problems."""
        if self.errors:
            return f"发现 {len(self.errors)} 处错误，未导入任何数据。"
        text = f"共 {self.rows} 行：新增 {self.created}，更新 {self.updated}，无变化 {self.unchanged}"
        if self.organisations_created:
            text += f"，新建组织 {self.organisations_created}"
        return text + "。"


class _Rollback(Exception):
    pass


# ---------------------------------------------------------------------------------------------- reading


def _cell_text(value: Any) -> str:
    """A cell as text: integers stored as floats (phone numbers) lose their ``.0``; dates become ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def _norm_header(value: Any) -> str:
    return _cell_text(value).replace(" ", "").replace("*", "").replace("＊", "")


def read_rows(source: Source, columns: list[Column]) -> tuple[list[tuple[int, dict[str, str]]], list[RowError],
                                                                set[str]]:
    """Read the first worksheet of ``source`` (a path or a binary file object).

    Returns ``(rows, errors, present)``: ``rows`` as ``(excel_row_number, {field: text})`` for non-empty
    rows, file-level ``errors`` (not an .xlsx file, empty file or sheet, missing required columns), and the
    fields whose column is present.
    """
    if hasattr(source, "read"):
        data = source.read()  # type: ignore[union-attr]
    else:
        data = Path(source).read_bytes()  # type: ignore[arg-type]
    if not data:
        return [], [RowError(None, "", "文件为空。")], set()
    try:
        spreadsheets.check_xlsx(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except spreadsheets.SpreadsheetError as exc:
        return [], [RowError(None, "", exc.message)], set()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        return [], [RowError(None, "", "不是有效的 Excel（.xlsx）文件，请使用下载的模板填写后上传。")], set()
    try:
        sheet = workbook.worksheets[0]
        raw_rows = [(i, row) for i, row in enumerate(spreadsheets.rows(sheet), start=1)
                    if any(_cell_text(v) for v in row)]
    except spreadsheets.SpreadsheetError as exc:
        return [], [RowError(None, "", exc.message)], set()
    finally:
        workbook.close()
    if not raw_rows:
        return [], [RowError(None, "", "工作表为空，没有表头和数据。")], set()
    header_row, header = raw_rows[0]
    by_header: dict[str, Column] = {}
    for col in columns:
        for name in (col.header, *col.aliases):
            by_header[name] = col
    positions: dict[str, int] = {}
    for idx, value in enumerate(header):
        found = by_header.get(_norm_header(value))
        if found is not None and found.field not in positions:
            positions[found.field] = idx
    missing = [c.header for c in columns if c.required and c.field not in positions]
    if missing:
        present = spreadsheets.clip("、".join(h for h in (_cell_text(v) for v in header) if h) or "无", 100)
        return [], [RowError(header_row, m, f"缺少必需的列「{m}」（第 {header_row} 行表头为：{present}）。")
                    for m in missing], set()
    rows = []
    for number, row in raw_rows[1:]:
        values = {f: _cell_text(row[i]) if i < len(row) else "" for f, i in positions.items()}
        if any(values.values()):
            rows.append((number, values))
    if not rows:
        return [], [RowError(None, "", "表格中没有数据行。")], set(positions)
    return rows, [], set(positions)


def _check_lengths(number: int, values: dict[str, str], columns: list[Column], errors: list[RowError]) -> None:
    for col in columns:
        value = values.get(col.field, "")
        if col.required and not value:
            errors.append(RowError(number, col.header, f"{col.header}不能为空。"))
        elif col.max_length and len(value) > col.max_length:
            errors.append(RowError(number, col.header, f"不能超过 {col.max_length} 个字（现为 {len(value)} 个）。"))


# ---------------------------------------------------------------------------------------------- members


def import_members(actor: Any, council: Council, term: Term, source: Source, *,
                   progress: Progress | None = None) -> ImportReport:
    """Import the members sheet ``source`` into ``term`` of ``council`` (all rows or none).

    Validation per row: 姓名 present (≤ 50 characters); 性别 男/女 or blank; 联系电话 a phone number
    (:func:`lvzhi.members.actions.normalise_phone`); organisation names ≤ 100 characters; 代表团 one of the
    council's delegations (people's congress) or empty (CPPCC); no name twice in the file; a name matching
    several existing members of the term is ambiguous. Returns the
    :class:`ImportReport`; when it has errors nothing was written. Raises :class:`DomainError` only when
    ``term`` is not a term of ``council``.
    """
    if term.council_id != council.pk:
        raise DomainError("所选届次不属于本机构。", field="term")
    report = ImportReport()
    rows, errors, _present = read_rows(source, MEMBER_COLUMNS)
    if errors:
        report.errors = errors
        return report
    report.rows = len(rows)
    headers = {c.field: c.header for c in MEMBER_COLUMNS}
    existing: dict[str, list[Member]] = {}
    delegations = set(Organisation.objects.filter(council=council, kind=OrganisationKind.DELEGATION)
                      .values_list("name", flat=True))
    for m in Member.objects.filter(council=council, term=term).select_related(
            "sector", "party_group", "special_committee", "liaison_group", "delegation"):
        existing.setdefault(m.name, []).append(m)
    seen: dict[str, int] = {}
    clean_rows: list[tuple[int, dict[str, str]]] = []
    for done, (number, values) in enumerate(rows, start=1):
        row_errors: list[RowError] = []
        _check_lengths(number, values, MEMBER_COLUMNS, row_errors)
        name = values["name"]
        if name:
            if name in seen:
                row_errors.append(RowError(number, "姓名", f"姓名「{name}」与第 {seen[name]} 行重复。"))
            else:
                seen[name] = number
            if len(existing.get(name, [])) > 1:
                row_errors.append(RowError(number, "姓名", f"系统中本届有多名委员名为「{name}」，无法确定更新哪一位，"
                                                           "请在页面上逐一修改。"))
        delegation = values.get("delegation", "")
        if delegation and council.kind != CouncilKind.NPC:
            row_errors.append(RowError(number, headers["delegation"], "政协委员不属于代表团，请留空。"))
        elif delegation and delegation not in delegations and len(delegation) <= 100:
            known = "、".join(sorted(delegations)) or "无"
            row_errors.append(RowError(number, headers["delegation"],
                                       f"没有名为「{delegation}」的代表团（本机构的代表团：{known}）。"))
        for fname, normalise in (("gender", actions.normalise_gender), ("phone", actions.normalise_phone)):
            if fname in values:
                try:
                    values[fname] = normalise(values[fname])
                except DomainError as exc:
                    row_errors.append(RowError(number, headers[fname], exc.message))
        errors.extend(row_errors)
        if not row_errors:
            clean_rows.append((number, values))
        if progress:
            progress("校验", done, len(rows))
    if errors:
        report.errors = errors
        return report

    orgs: dict[tuple[str, str], Organisation] = {
        (o.kind, o.name): o for o in Organisation.objects.filter(council=council)}
    try:
        with transaction.atomic():
            for done, (number, values) in enumerate(clean_rows, start=1):
                fields: dict[str, Any] = {}
                for fname, value in values.items():
                    if fname == "name":
                        continue
                    if fname in _ORG_KINDS:
                        org = None
                        if value:
                            key = (_ORG_KINDS[fname], value)
                            org = orgs.get(key)
                            if org is None:
                                org = actions.get_or_create_organisation(actor, council, key[0], value)
                                orgs[key] = org
                                report.organisations_created += 1
                        fields[fname] = org
                    else:
                        fields[fname] = value
                matches = existing.get(values["name"], [])
                member = matches[0] if matches else None
                if member is not None and all(getattr(member, k) == v for k, v in fields.items()):
                    report.unchanged += 1
                else:
                    try:
                        actions.save_member(actor, council, term, name=values["name"], member=member, **fields)
                    except DomainError as exc:
                        report.errors.append(RowError(number, headers.get(exc.field or "", ""), exc.message))
                        raise _Rollback() from None
                    if member is None:
                        report.created += 1
                    else:
                        report.updated += 1
                if progress:
                    progress("导入", done, len(clean_rows))
    except _Rollback:
        report.created = report.updated = report.unchanged = report.organisations_created = 0
    return report


# ---------------------------------------------------------------------------------------------- units


def import_units(actor: Any, council: Council, source: Source, *,
                 progress: Progress | None = None) -> ImportReport:
    """Import the handling-units sheet ``source`` into ``council`` (all rows or none).

    Validation per row: 单位名称 present (≤ 100 characters), 简称 ≤ 30 characters, no name twice in the file.
    Existing units (matched by name) get the new short name; an absent 简称 column leaves it untouched.
    Returns the :class:`ImportReport`; when it has errors nothing was written.
    """
    report = ImportReport()
    rows, errors, _present = read_rows(source, UNIT_COLUMNS)
    if errors:
        report.errors = errors
        return report
    report.rows = len(rows)
    existing = {u.name: u for u in HandlingUnit.objects.filter(council=council)}
    seen: dict[str, int] = {}
    for done, (number, values) in enumerate(rows, start=1):
        _check_lengths(number, values, UNIT_COLUMNS, errors)
        name = values["name"]
        if name and name in seen:
            errors.append(RowError(number, "单位名称", f"单位名称「{name}」与第 {seen[name]} 行重复。"))
        elif name:
            seen[name] = number
        if progress:
            progress("校验", done, len(rows))
    if errors:
        report.errors = errors
        return report
    try:
        with transaction.atomic():
            for done, (number, values) in enumerate(rows, start=1):
                unit = existing.get(values["name"])
                short_name = values.get("short_name", unit.short_name if unit else "")
                if unit is not None and unit.short_name == short_name:
                    report.unchanged += 1
                else:
                    try:
                        actions.save_unit(actor, council, name=values["name"], short_name=short_name, unit=unit,
                                          active=unit.active if unit else True)
                    except DomainError as exc:
                        report.errors.append(RowError(number, "单位名称", exc.message))
                        raise _Rollback() from None
                    if unit is None:
                        report.created += 1
                    else:
                        report.updated += 1
                if progress:
                    progress("导入", done, len(rows))
    except _Rollback:
        report.created = report.updated = report.unchanged = 0
    return report


# ---------------------------------------------------------------------------------------------- templates


def build_template(columns: list[Column], sheet_title: str) -> bytes:
    """An .xlsx template: the first sheet has the header row (required columns marked in the explanation,
    phone column formatted as text, 性别 with a 男/女 drop-down), the second sheet ``填写说明`` explains each
    column with an example. Returns the file's bytes."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for idx, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=idx, value=col.header)
        cell.font = bold
        cell.fill = fill
        letter = get_column_letter(idx)
        ws.column_dimensions[letter].width = max(12, 2 * len(col.header) + 4, 2 * len(col.example) + 2)
        if col.field == "phone":
            for row in range(2, 1001):
                ws.cell(row=row, column=idx).number_format = "@"
        if col.field == "gender":
            dv = DataValidation(type="list", formula1='"男,女"', allow_blank=True,
                                error="性别应填写“男”或“女”", errorTitle="性别")
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}1000")
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "说明", "示例"])
    for cell in notes[1]:
        cell.font = bold
        cell.fill = fill
    for col in columns:
        notes.append([col.header, "必填" if col.required else "可空", col.help, col.example])
    notes.append([])
    notes.append(["说明", "", "请在第一个工作表中从第 2 行起逐行填写，不要修改表头；"
                  "任何一行有错误时整批都不会导入，系统会列出每个错误所在的行号和列。", ""])
    for letter, width in (("A", 16), ("B", 10), ("C", 70), ("D", 20)):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def member_template() -> bytes:
    """The members import template (.xlsx bytes): 姓名, 性别, 界别, 党派团体, 专门委员会, 联络组, 工作单位及职务, 联系电话,
    代表团 (one template for CPPCC members and deputies: deputies fill 代表团)."""
    return build_template(MEMBER_COLUMNS, "委员名单")


def unit_template() -> bytes:
    """The handling-units import template (.xlsx bytes): 单位名称, 简称."""
    return build_template(UNIT_COLUMNS, "承办单位")
