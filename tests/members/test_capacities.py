"""One account, several capacities: the active capacity decides what the account may see and do; the role
switcher changes it for the session, only to one of the account's own capacities; API tokens act in the
primary capacity; the migration keeps every existing profile as its account's primary one."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from lvzhi.core.api_auth import issue_token
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.core.models import AuditEntry
from lvzhi.members import actions as org
from lvzhi.members.access import SESSION_KEY, profile_of, profiles_of
from lvzhi.members.choices import CouncilKind, Role
from lvzhi.members.models import Profile
from lvzhi.proposals import actions as act
from lvzhi.proposals.access import visible_proposals
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def npc(world: Any) -> Any:
    """A people's congress beside the world's CPPCC, with one deputy."""
    from datetime import date

    council = org.create_council(None, name="测试市人大常委会", kind=CouncilKind.NPC, short_name="测试人大")
    term = org.create_term(None, council, number=16, start_date=date(2022, 1, 1))
    deputy = org.save_member(None, council, term, name="赵代表")
    return council, deputy


@pytest.fixture
def dual(world: Any, npc: Any) -> Any:
    """An account that is a deputy of the NPC (primary) and also leader of the CPPCC's unit 0."""
    council, deputy = npc
    user = org.create_account(None, username="dual", password=PASSWORD, role=Role.MEMBER, council=council,
                              member=deputy)
    org.add_capacity(None, user, role=Role.UNIT_LEADER, council=world.council, unit=world.units[0])
    return get_user_model().objects.get(pk=user.pk)


def _assigned_to_unit0(world: Any) -> Any:
    p = act.create_proposal(world.user("member1"), session=world.session, title="关于改善校园周边交通的建议",
                            situation="情况", analysis="分析", suggestions="建议")
    act.submit_proposal(world.user("member1"), p.pk)
    act.file_proposal(world.user("staff"), p.pk, category=world.categories[0])
    act.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "sole")])
    return p


def _as(user: Any, profile: Profile) -> Any:
    """A fresh user object acting in ``profile`` (as the middleware marks it from the session)."""
    fresh = get_user_model().objects.get(pk=user.pk)
    fresh.lvzhi_active_profile_id = profile.pk
    return fresh


def test_add_capacity_keeps_the_primary_and_the_display_name(dual, world):
    deputy, leader = profiles_of(dual)
    assert (deputy.primary, deputy.role, deputy.display_name) == (True, Role.MEMBER, "赵代表")
    assert (leader.primary, leader.role, leader.unit_id) == (False, Role.UNIT_LEADER, world.units[0].pk)
    assert leader.display_name == "赵代表"
    assert profile_of(dual) == deputy
    entry = AuditEntry.objects.get(event="capacity_added")
    assert entry.new_values["role"] == Role.UNIT_LEADER and entry.council_id == world.council.pk


def test_add_capacity_refuses_a_repeat_an_admin_role_and_a_foreign_unit(dual, world, npc):
    with pytest.raises(DomainError) as exc:
        org.add_capacity(None, dual, role=Role.UNIT_LEADER, council=world.council, unit=world.units[0])
    assert exc.value.field == "role"
    with pytest.raises(DomainError) as exc:
        org.add_capacity(None, dual, role=Role.ADMIN, council=world.council)
    assert exc.value.field == "role"
    with pytest.raises(DomainError) as exc:  # unit 1 belongs to the CPPCC, not to the NPC
        org.add_capacity(None, dual, role=Role.UNIT_CLERK, council=npc[0], unit=world.units[1])
    assert exc.value.field == "unit"
    with pytest.raises(DomainError) as exc:  # 张三 already has an account
        org.add_capacity(None, dual, role=Role.MEMBER, council=world.council, member=world.members[0])
    assert exc.value.field == "member"
    assert Profile.objects.filter(user=dual).count() == 2


def test_permission_follows_the_active_capacity(dual, world):
    p = _assigned_to_unit0(world)
    deputy, leader = profiles_of(dual)
    assert not visible_proposals(_as(dual, deputy)).filter(pk=p.pk).exists()
    assert visible_proposals(_as(dual, leader)).filter(pk=p.pk).exists()
    assert not visible_proposals(dual).filter(pk=p.pk).exists()  # no session choice: the primary (deputy)


def test_switcher_in_the_browser_session(dual, world):
    p = _assigned_to_unit0(world)
    deputy, leader = profiles_of(dual)
    client = Client()
    client.force_login(dual)
    page = client.get(reverse("inbox"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="profile"' in html and f'value="{leader.pk}"' in html and "代表 · 测试人大" in html
    assert client.get(reverse("proposal-detail", args=[p.pk])).status_code == 404

    r = client.post(reverse("switch-profile"), {"profile": leader.pk, "next": "/proposals/"})
    assert r.status_code == 302 and r["Location"] == "/proposals/"
    assert client.session[SESSION_KEY] == leader.pk
    assert client.get(reverse("proposal-detail", args=[p.pk])).status_code == 200
    entry = AuditEntry.objects.get(event="profile_switched")
    assert entry.actor_id == dual.pk and entry.new_values == {"profile": leader.pk, "role": Role.UNIT_LEADER}

    r = client.post(reverse("switch-profile"), {"profile": deputy.pk, "next": "https://evil.example/"})
    assert r["Location"] == reverse("inbox")  # only local targets
    assert client.get(reverse("proposal-detail", args=[p.pk])).status_code == 404


def test_switching_to_someone_elses_profile_is_refused(dual, world):
    client = Client()
    client.force_login(dual)
    other = profile_of(world.user("staff"))
    for bad in (other.pk, "x", "", 999999):
        assert client.post(reverse("switch-profile"), {"profile": bad}).status_code == 404
    assert SESSION_KEY not in client.session
    assert not AuditEntry.objects.filter(event="profile_switched").exists()
    with pytest.raises(NotFoundError):
        org.switch_profile(dual, other.pk)
    # a stale or forged session value is ignored: the account acts in its primary capacity
    forged = _as(dual, other)
    assert profile_of(forged) == profiles_of(dual)[0]


def test_switching_needs_post_and_csrf(dual):
    client = Client(enforce_csrf_checks=True)
    client.force_login(dual)
    leader = profiles_of(dual)[1]
    assert client.get(reverse("switch-profile")).status_code == 405
    assert client.post(reverse("switch-profile"), {"profile": leader.pk}).status_code == 403
    assert SESSION_KEY not in client.session


def test_single_capacity_accounts_see_no_switcher(world):
    client = Client()
    client.force_login(world.user("staff"))
    assert 'name="profile"' not in client.get(reverse("inbox")).content.decode()


def test_api_tokens_act_in_the_primary_capacity(dual):
    _token, key = issue_token(dual)
    client = Client(headers={"Authorization": f"Bearer {key}"})
    client.force_login(dual)
    client.post(reverse("switch-profile"), {"profile": profiles_of(dual)[1].pk})
    me = client.get("/api/org/me").json()
    assert me["role"] == Role.MEMBER and me["member"]["name"] == "赵代表"


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_each_existing_profile_as_the_primary_one():
    """Populate the schema before 0003 (one profile per account), migrate, compare."""
    before = [("members", "0002_unit_categories")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user_model = old.get_model("auth", "User")
    council = old.get_model("members", "Council").objects.create(kind="cppcc", name="迁移测试市政协")
    unit = old.get_model("members", "HandlingUnit").objects.create(council=council, name="迁移测试局")
    old_profile = old.get_model("members", "Profile")
    rows = {}
    for i, (role, unit_id) in enumerate([("staff", None), ("unit_clerk", unit.pk), ("leader", None)]):
        u = user_model.objects.create(username=f"migrated{i}")
        p = old_profile.objects.create(user=u, role=role, council=council, unit_id=unit_id,
                                       display_name=f"迁移{i}")
        rows[u.pk] = (p.pk, role, council.pk, unit_id, f"迁移{i}")
    bare = user_model.objects.create(username="no-profile").pk

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    after = {p.user_id: (p.pk, p.role, p.council_id, p.unit_id, p.display_name)
             for p in Profile.objects.filter(user_id__in=rows)}
    assert after == rows
    assert set(Profile.objects.filter(user_id__in=rows).values_list("primary", flat=True)) == {True}
    users = get_user_model().objects
    for uid, row in rows.items():
        assert profile_of(users.get(pk=uid)).pk == row[0]
    assert profile_of(users.get(pk=bare)) is None
