"""A people's congress beside the CPPCC: councils under a parent council (市 → 县/区), delegations (代表团)
of deputies, the deputies' pages and the 代表团 column of the member import."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from lvzhi.core.errors import DomainError
from lvzhi.core.models import AuditEntry
from lvzhi.members import actions as org
from lvzhi.members.choices import CouncilKind, OrganisationKind, Role
from lvzhi.members.importing import import_members
from lvzhi.members.models import Member, Organisation
from tests.conftest import PASSWORD
from tests.members.test_importing import MEMBER_HEADER, counts, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def npc(world):
    city = org.create_council(None, name="某市人大常委会", kind=CouncilKind.NPC, short_name="某市人大")
    term = org.create_term(None, city, number=16, start_date=date(2022, 1, 1))
    for name in ("甲区代表团", "乙县代表团"):
        org.get_or_create_organisation(None, city, OrganisationKind.DELEGATION, name)
    return city, term


def _delegation(city, name):
    return Organisation.objects.get(council=city, kind=OrganisationKind.DELEGATION, name=name)


def test_council_parent_chain_and_cycle_refused(npc):
    city, _term = npc
    county = org.create_council(None, name="某县人大常委会", kind=CouncilKind.NPC, parent=city)
    town = org.create_council(None, name="某镇人大主席团", kind=CouncilKind.NPC, parent=county)
    assert town.ancestors() == [county, city] and city.ancestors() == []
    assert list(city.children.all()) == [county]
    assert AuditEntry.objects.get(event="council_created", target_id=county.pk).new_values["parent"] == city.pk
    with pytest.raises(DomainError) as exc:  # the city under its own grandchild: a cycle
        org.update_council_policy(None, city, parent=town)
    assert exc.value.field == "parent"
    with pytest.raises(DomainError):
        org.update_council_policy(None, city, parent=city)
    city.refresh_from_db()
    assert city.parent is None
    town = org.update_council_policy(None, town, parent=city)  # re-attached one level up: allowed
    assert town.ancestors() == [city]


def test_councils_page_shows_the_parent(npc, root, login):
    city, _term = npc
    org.create_council(None, name="某县人大常委会", kind=CouncilKind.NPC, parent=city)
    html = login(root).get(reverse("org-councils")).content.decode()
    assert "<td>某县人大常委会</td>" in html and "<td>某市人大常委会</td><td>某市人大</td>" in html
    home = login(root).get(reverse("org-home")).content.decode()
    assert "上级机构：某市人大常委会" in home and "下级机构：某县人大常委会" in home


def test_create_council_form_takes_a_parent(npc, root, login):
    city, _term = npc
    r = login(root).post(reverse("org-councils"), {"name": "某区人大常委会", "short_name": "", "kind": "npc",
                                                   "parent": city.pk, "grade_scale": "abcd"})
    assert r.status_code == 302
    assert city.children.get().name == "某区人大常委会"


def test_deputy_belongs_to_a_delegation_of_a_peoples_congress_only(world, npc):
    city, term = npc
    deputy = org.save_member(None, city, term, name="钱代表", delegation=_delegation(city, "甲区代表团"))
    assert deputy.delegation.name == "甲区代表团" and deputy.organisations() == [deputy.delegation]
    with pytest.raises(DomainError) as exc:  # a sector passed as delegation
        sector = org.get_or_create_organisation(None, city, OrganisationKind.SECTOR, "经济界")
        org.save_member(None, city, term, name="孙代表", delegation=sector)
    assert exc.value.field == "delegation"
    cppcc_delegation = org.get_or_create_organisation(None, world.council, OrganisationKind.DELEGATION, "误建代表团")
    with pytest.raises(DomainError) as exc:  # a CPPCC member has no delegation
        org.save_member(None, world.council, world.session.term, name="周委员", delegation=cppcc_delegation)
    assert exc.value.field == "delegation"


def test_deputies_page_says_deputies_and_filters_by_delegation(npc, root, login):
    city, term = npc
    org.save_member(None, city, term, name="钱代表", delegation=_delegation(city, "甲区代表团"))
    org.save_member(None, city, term, name="孙代表", delegation=_delegation(city, "乙县代表团"))
    client = login(root)
    html = client.get(reverse("org-members", args=[city.pk])).content.decode()
    assert "新增代表" in html and "<th>代表团</th>" in html and "<td>甲区代表团</td>" in html
    page = client.get(reverse("org-members", args=[city.pk]), {"delegation": _delegation(city, "乙县代表团").pk})
    assert "孙代表" in page.content.decode() and "钱代表" not in page.content.decode()
    form = client.get(reverse("org-member-create", args=[city.pk])).content.decode()
    assert 'name="delegation"' in form


def test_cppcc_member_form_has_no_delegation(world, root, login):
    html = login(root).get(reverse("org-member-create", args=[world.council.pk])).content.decode()
    assert 'name="delegation"' not in html and "新增代表" not in html


def test_deputy_role_is_labelled_deputy(npc, login):
    city, term = npc
    deputy = org.save_member(None, city, term, name="钱代表")
    user = org.create_account(None, username="deputy", password=PASSWORD, role=Role.MEMBER, council=city,
                              member=deputy)
    assert "钱代表 · 代表" in login(user).get(reverse("inbox")).content.decode()


HEADER = [*MEMBER_HEADER, "代表团"]


def test_import_deputies_with_delegations(npc, tmp_path: Path):
    city, term = npc
    rows = [["钱代表", "男", "", "", "", "", "甲区某公司", "", "甲区代表团"],
            ["孙代表", "女", "", "", "", "", "乙县某学校", "", "乙县代表团"],
            ["李代表", "女", "", "", "", "", "", "", ""]]
    report = import_members(None, city, term, xlsx(tmp_path / "d.xlsx", HEADER, rows))
    assert report.ok, report.errors
    assert report.created == 3 and report.organisations_created == 0
    got = dict(Member.objects.filter(council=city).values_list("name", "delegation__name"))
    assert got == {"钱代表": "甲区代表团", "孙代表": "乙县代表团", "李代表": None}


@pytest.mark.parametrize(("row", "reason"), [
    (["孙代表", "女", "", "", "", "", "", "", "丙区代表团"], "没有名为「丙区代表团」的代表团"),
    (["孙代表", "女", "", "", "", "", "", "", "代" * 101], "不能超过 100 个字"),
])
def test_import_refuses_an_unknown_delegation_naming_row_and_column(npc, tmp_path, row, reason):
    city, term = npc
    rows = [["钱代表", "男", "", "", "", "", "", "", "甲区代表团"], row]
    before = counts()
    report = import_members(None, city, term, xlsx(tmp_path / "bad.xlsx", HEADER, rows))
    assert [(e.row, e.column) for e in report.errors] == [(3, "代表团")], report.errors
    assert reason in report.errors[0].message and "第 3 行「代表团」列" in str(report.errors[0])
    assert counts() == before  # the good first row was not imported either


def test_import_refuses_a_delegation_in_a_cppcc_file(world, tmp_path):
    rows = [["周委员", "男", "经济界", "", "", "", "", "", "甲区代表团"]]
    before = counts()
    report = import_members(None, world.council, world.session.term, xlsx(tmp_path / "c.xlsx", HEADER, rows))
    assert [(e.row, e.column) for e in report.errors] == [(2, "代表团")]
    assert counts() == before
