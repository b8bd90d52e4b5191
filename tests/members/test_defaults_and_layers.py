"""``lvzhi setup`` installs the defaults of every council, including what apps registered per council kind;
the core layer imports neither ``members`` nor ``demo``."""

from __future__ import annotations

import ast
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from lvzhi.members import actions as org
from lvzhi.members import defaults
from lvzhi.members.choices import CouncilKind
from lvzhi.workflow.models import Workflow

pytestmark = pytest.mark.django_db

LVZHI = Path(__file__).resolve().parents[2] / "lvzhi"


@pytest.fixture
def registered(monkeypatch):
    """The apps' installers plus one for people's congresses that records the councils it saw."""
    seen: list[str] = []
    monkeypatch.setattr(defaults, "_installers", list(defaults._installers))
    defaults.register_defaults(CouncilKind.NPC, lambda council: seen.append(council.name))
    return seen


def test_setup_runs_the_installers_registered_for_the_councils_kind(world, registered):
    npc = org.create_council(None, name="某市人大常委会", kind=CouncilKind.NPC)
    assert registered == ["某市人大常委会"]  # on creation
    Workflow.objects.filter(council=npc).delete()
    out = io.StringIO()
    call_command("setup", stdout=out)
    assert registered == ["某市人大常委会", "某市人大常委会"]  # the CPPCC world council was not passed
    assert "已检查 2 个机构" in out.getvalue()
    assert Workflow.objects.filter(council=npc).exists()  # the common defaults came back too


def test_registering_twice_is_one_installer(monkeypatch):
    monkeypatch.setattr(defaults, "_installers", [])

    def install(council):
        return None

    defaults.register_defaults(CouncilKind.NPC, install)
    defaults.register_defaults(CouncilKind.NPC, install)
    defaults.register_defaults(None, install)
    assert defaults.installers_for(CouncilKind.NPC) == [install, install]
    assert defaults.installers_for(CouncilKind.CPPCC) == [install]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_core_imports_neither_members_nor_demo():
    offending = {str(p.relative_to(LVZHI)): sorted(m for m in _imports(p)
                                                    if m.startswith(("lvzhi.members", "lvzhi.demo")))
                 for p in (LVZHI / "core").rglob("*.py")}
    assert {k: v for k, v in offending.items() if v} == {}
    assert any(m.startswith("lvzhi.members") for m in _imports(LVZHI / "members" / "context_processors.py"))


def test_lower_layers_import_no_case_type():
    """workflow and cases know no case type; proposals import nothing of opinions (a shared date parser lives in
    core). Issue 6, "Layers"."""
    case_types = ("lvzhi.proposals", "lvzhi.opinions", "lvzhi.suggestions")
    for layer in ("workflow", "cases"):
        offending = {str(p.relative_to(LVZHI)): sorted(m for m in _imports(p) if m.startswith(case_types))
                     for p in (LVZHI / layer).rglob("*.py") if "migrations" not in p.parts}
        assert {k: v for k, v in offending.items() if v} == {}, layer
    offending = {str(p.relative_to(LVZHI)): sorted(m for m in _imports(p) if m.startswith("lvzhi.opinions"))
                 for p in (LVZHI / "proposals").rglob("*.py")}
    assert {k: v for k, v in offending.items() if v} == {}


def test_proposals_belong_to_cppcc_councils_only(db):
    """A people's congress gets no proposal workflow and no proposals menu; reports and messages serve both
    bodies (docs/decisions.md); a proposal cannot be drafted in a people's congress."""
    from django.test import Client

    from lvzhi.core.errors import DomainError
    from lvzhi.members.choices import Role
    from lvzhi.proposals import actions as pact

    cppcc = org.create_council(None, name="甲市政协")
    npc = org.create_council(None, name="甲市人大常委会", kind=CouncilKind.NPC)
    call_command("setup", stdout=io.StringIO())  # setup again installs nothing new for either
    kinds = {c: set(Workflow.objects.filter(council=c).values_list("case_type", flat=True)) for c in (cppcc, npc)}
    assert kinds[cppcc] == {"proposal", "opinion_report", "message", "consultation_item"}
    assert kinds[npc] == {"opinion_report", "message", "suggestion", "livelihood_project", "micro_project"}
    pages = {}
    for council in (cppcc, npc):
        staff = org.create_account(None, username=f"staff-{council.pk}", password="Lvzhi-test-2026",
                                   role=Role.STAFF, council=council)
        client = Client()
        client.force_login(staff)
        pages[council.kind] = client.get("/").content.decode()
    assert 'href="/proposals/"' in pages["cppcc"] and "提案管理" in pages["cppcc"]
    assert 'href="/proposals/' not in pages["npc"] and "提案管理" not in pages["npc"]
    assert "社情民意" in pages["npc"]
    term = org.create_term(None, npc, number=16, start_date=date(2022, 1, 1))
    session = org.create_session(None, term, number=3, window_start=date(2024, 1, 1),
                                 plenary_start=date(2024, 1, 10), plenary_end=date(2024, 1, 13))
    member = org.save_member(None, npc, term, name="陈代表")
    deputy = org.create_account(None, username="deputy-x", password="Lvzhi-test-2026", role=Role.MEMBER,
                                council=npc, member=member)
    with pytest.raises(DomainError) as err:
        pact.create_proposal(deputy, session=session, title="关于某事的建议", situation="情况", analysis="分析",
                             suggestions="建议")
    assert err.value.field == "session"
