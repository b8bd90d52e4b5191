"""``lvzhi demo`` and ``lvzhi setup`` through ``call_command`` on the test database."""

from __future__ import annotations

import re
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from lvzhi.core.models import AuditEntry
from lvzhi.demo import data
from lvzhi.demo.builder import ACCOUNTS
from lvzhi.members import actions as org
from lvzhi.members.models import Council, Member, Organisation
from lvzhi.proposals.models import Proposal
from lvzhi.workflow.defaults import PROPOSAL_STATES
from lvzhi.workflow.models import ReplyGrade, Workflow

pytestmark = pytest.mark.django_db

ALL_STATES = {s["code"] for s in PROPOSAL_STATES}
FICTIONAL = re.compile(r"演示|示例|样例|模拟|演练|示范|样本")


def _demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_builds_every_state_through_the_actions_and_prints_the_accounts() -> None:
    output = _demo()
    council = Council.objects.get(name=data.COUNCIL_NAME)
    assert council.short_name == "江门市政协"
    proposals = Proposal.objects.filter(council=council)
    states = Counter(proposals.values_list("state__code", flat=True))
    assert set(states) == ALL_STATES == {"draft", "submitted", "returned", "filed", "not_filed", "merged",
                                         "withdrawn", "assigned", "replied", "rehandling", "evaluated", "closed",
                                         "archived"}
    assert proposals.count() == Proposal.objects.count() and not proposals.filter(is_demo=False).exists()
    # The seeds' proposals, with the 一号提案 supervised as a key proposal.
    first = proposals.get(title="关于加快提升四大功能 彰显中国侨都新担当的建议")
    assert first.is_key and "市委主要领导" in first.supervising_leader and first.session.number == 2
    assert first.state.code == "archived" and first.assignments.filter(role="lead", unit__name="江门市侨务局").exists()
    assert proposals.filter(session__number=2).count() == len(data.SEED_PROPOSALS)
    # Built through the actions: every submitted proposal has its submission in the audit log.
    submitted = proposals.exclude(state__code="draft")
    transitions = AuditEntry.objects.filter(council=council, event="transition", to_state="submitted")
    assert set(transitions.values_list("target_id", flat=True)) >= set(submitted.values_list("pk", flat=True))
    # Fictional members only; the real organisation names of the city.
    assert all(FICTIONAL.search(name) for name in Member.objects.filter(council=council).values_list("name", flat=True))
    assert set(Organisation.objects.filter(council=council, kind="sector").values_list("name", flat=True)) == set(
        data.SECTORS)
    # One account per role, each with its password, printed as a table.
    users = get_user_model()
    for _key, role, username, password, _name, _acts_for in ACCOUNTS:
        user = users.objects.get(username=username)
        assert user.profile.role == role and user.profile.council_id == council.pk
        assert user.check_password(password)
        assert re.search(rf"{username}\s+{re.escape(password)}", output)
    assert len({role for _k, role, *_ in ACCOUNTS}) == 6 and len(ACCOUNTS) == 7  # two members: proposer, co-signer
    member = users.objects.get(username="demo-member")
    assert proposals.filter(first_proposer=member.profile.member).count() >= 5
    assert proposals.filter(cosigners__member__name=data.DEMO_COSIGNER, cosigners__status="confirmed").exists()
    clerk = users.objects.get(username="demo-clerk")
    assert proposals.filter(assignments__unit=clerk.profile.unit, state__code__in=["assigned", "rehandling"]).exists()


def test_demo_twice_is_idempotent_and_reset_rebuilds() -> None:
    _demo()
    council = Council.objects.get(name=data.COUNCIL_NAME)
    counts = (Proposal.objects.count(), Member.objects.count(), AuditEntry.objects.count(),
              get_user_model().objects.count())
    output = _demo()
    assert "已存在" in output and "demo-staff" in output
    assert (Proposal.objects.count(), Member.objects.count(), AuditEntry.objects.count(),
            get_user_model().objects.count()) == counts
    output = _demo("--reset")
    assert "已建立演示数据" in output
    rebuilt = Council.objects.get(name=data.COUNCIL_NAME)
    assert rebuilt.pk != council.pk and Council.objects.count() == 1
    assert (Proposal.objects.count(), Member.objects.count(), get_user_model().objects.count()) == counts[:2] + counts[3:]


def test_reset_leaves_other_councils_alone(world) -> None:
    from tests.proposals.test_lifecycle import _draft

    mine = _draft(world)
    _demo()
    _demo("--reset")
    assert Proposal.objects.filter(pk=mine.pk).exists()
    assert Council.objects.filter(pk=world.council.pk).exists() and world.user("staff").profile.council_id


def test_setup_is_idempotent_and_installs_missing_defaults() -> None:
    council = org.create_council(None, name="测试市政协")
    legacy = Council.objects.create(name="旧机构")  # a council from before the defaults existed
    out = StringIO()
    call_command("setup", stdout=out)
    call_command("setup", stdout=out)
    assert "数据库已就绪" in out.getvalue()
    for c in (council, legacy):
        assert Workflow.objects.filter(council=c, case_type="proposal").count() == 1
        assert list(ReplyGrade.objects.filter(council=c).values_list("code", flat=True)) == ["A", "B", "C", "D"]
