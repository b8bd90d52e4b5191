"""Excel exports of the organisation lists (委员/代表, 承办单位): the rows of the list page with its filters
(:mod:`lvzhi.members.queries`), written by :func:`lvzhi.core.workbooks.write_rows`."""

from __future__ import annotations

from typing import IO, Any

from django.db.models import QuerySet

from lvzhi.core.workbooks import write_rows
from lvzhi.members.choices import CouncilKind
from lvzhi.members.models import Council, HandlingUnit, Member

UNIT_HEADERS = ["单位名称", "简称", "常办分类", "发文机关代字", "答复函标注签发人", "启用", "经办账号数"]
UNIT_WIDTHS = [32, 14, 36, 14, 16, 8, 12]
MEMBER_WIDTHS = [12, 6, 10, 20, 20, 20, 16, 40, 16, 8]


def member_headers(council: Council) -> list[str]:
    """The member list's columns: the fourth is 界别 in a CPPCC, 代表团 in a people's congress."""
    group = "代表团" if council.kind == CouncilKind.NPC else "界别"
    return ["姓名", "性别", "届", group, "党派团体", "专门委员会", "联络组", "工作单位及职务", "联系电话", "在任"]


def member_row(m: Member, *, npc: bool) -> list[Any]:
    """One member's cells in the order of :func:`member_headers` (organisations by name, ``""`` when none)."""
    def name(org: Any) -> str:
        return org.name if org is not None else ""

    return [m.name, m.gender, str(m.term), name(m.delegation if npc else m.sector), name(m.party_group),
            name(m.special_committee), name(m.liaison_group), m.workplace, m.phone, "是" if m.active else "否"]


def unit_row(u: HandlingUnit) -> list[Any]:
    """One unit's cells in the order of :data:`UNIT_HEADERS` (``n_staff`` annotated by ``list_units``)."""
    return [u.name, u.short_name, u.categories, u.doc_prefix, "是" if u.doc_signer else "否",
            "是" if u.active else "否", getattr(u, "n_staff", None)]


def write_members(council: Council, qs: QuerySet[Member], target: str | IO[bytes]) -> int:
    """Write the members of ``qs`` (in its order) as the sheet 委员名单 (代表名单 in a people's congress)."""
    npc = council.kind == CouncilKind.NPC
    return write_rows(target, "代表名单" if npc else "委员名单", member_headers(council),
                      (member_row(m, npc=npc) for m in qs.iterator(chunk_size=2000)), widths=MEMBER_WIDTHS)


def write_units(qs: QuerySet[HandlingUnit], target: str | IO[bytes]) -> int:
    """Write the units of ``qs`` (in its order) as the sheet 承办单位."""
    return write_rows(target, "承办单位", UNIT_HEADERS, (unit_row(u) for u in qs), widths=UNIT_WIDTHS)
