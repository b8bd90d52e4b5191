"""``lvzhi setup`` installs the defaults of every council, including what apps registered per council kind;
the core layer imports neither ``members`` nor ``demo``."""

from __future__ import annotations

import ast
import io
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
    """A fresh registry holding one installer for people's congresses that records the councils it saw."""
    seen: list[str] = []
    monkeypatch.setattr(defaults, "_installers", [])
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
