"""Receptions and their matters: registered on the spot, triaged (on the spot, to the town, to the standing
committee, into a deputy suggestion, declined with the reason), followed to feedback; the triage moves the
workflow by acts, with permission, version and audit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from lvzhi.core.models import AuditEntry
from lvzhi.stations import actions as st
from lvzhi.stations.access import visible_matters
from lvzhi.stations.choices import Outcome
from lvzhi.stations.models import Matter, Reception
from lvzhi.suggestions.access import visible_suggestions
from lvzhi.suggestions.models import Suggestion
from tests.states import state_code

pytestmark = pytest.mark.django_db

TWO = [{"content": "小区门口路灯坏了三个月", "visitor_name": "王阿姨", "visitor_contact": "13800000000"},
       {"content": "建议增开社区到市区的公交线路", "visitor_name": "", "visitor_contact": ""}]


def _reception(world: Any, actor: Any = None, **kw: Any) -> Reception:
    d = world.npc.deputies
    args = dict(date=timezone.localdate(), deputies=[d[0], d[1]], visitors=5, matters=TWO)
    args.update(kw)
    return st.register_reception(actor or world.station_staff, world.central, **args)


def test_station_staff_register_a_reception_with_two_matters(world: Any) -> None:
    r = _reception(world, token="form-1")
    matters = list(r.matters.order_by("id"))
    assert [m.content for m in matters] == [t["content"] for t in TWO]
    assert all(m.state.is_initial for m in matters)
    assert matters[0].state.code == state_code("registered")
    assert AuditEntry.objects.filter(event="reception_registered", target_id=r.pk).count() == 1
    # a double submit of the same form registers once
    with pytest.raises(ConflictError):
        _reception(world, token="form-1")
    assert Reception.objects.count() == 1 and Matter.objects.count() == 2


def test_bad_receptions_write_nothing(world: Any) -> None:
    with pytest.raises(DomainError) as e:
        _reception(world, matters=[TWO[0], {"content": "  "}])
    assert e.value.field == "matters.2.content" and e.value.message == "第 2 件事项：请填写「反映内容」。"
    with pytest.raises(DomainError) as e:
        _reception(world, date=timezone.localdate() + timedelta(days=1))
    assert e.value.field == "date"
    with pytest.raises(DomainError) as e:
        _reception(world, deputies=[])
    assert e.value.field == "deputies"
    with pytest.raises(ForbiddenError):  # a deputy registers only receptions they attended
        _reception(world, actor=world.user("deputy4"))
    with pytest.raises(ForbiddenError):
        st.register_reception(world.user("clerk0"), world.central, date=timezone.localdate(),
                              deputies=[world.npc.deputies[0]], visitors=1, matters=TWO)
    assert Reception.objects.count() == 0 and Matter.objects.count() == 0


def test_a_deputy_registers_their_own_reception(world: Any) -> None:
    r = _reception(world, actor=world.user("deputy1"))
    assert r.matters.count() == 2


def test_triage_on_the_spot_then_feedback(world: Any) -> None:
    m = _reception(world).matters.order_by("id").first()
    st.answer_on_spot(world.station_staff, m.pk, answer="已联系物业当天维修", expected_version=m.version)
    m.refresh_from_db()
    assert (m.outcome, m.state.code) == (Outcome.ON_SPOT, state_code("answered"))
    assert m.solved_at is not None
    st.record_feedback(world.user("deputy0"), m.pk, to_citizen="电话告知王阿姨", to_deputy="已告知陈、林代表")
    m.refresh_from_db()
    assert m.state.is_closed and m.fed_back_at is not None
    events = list(AuditEntry.objects.filter(target_id=m.pk, to_state__gt="").order_by("id")
                  .values_list("to_state", flat=True))
    assert events[-2:] == [state_code("answered"), state_code("fed_back")]


def test_refer_to_the_town_then_resolve(world: Any) -> None:
    m = _reception(world).matters.order_by("id").first()
    with pytest.raises(DomainError) as e:
        st.refer(world.station_staff, m.pk, to="town", referred_to="")
    assert e.value.field == "referred_to"
    st.refer(world.station_staff, m.pk, to="town", referred_to="白沙街道办事处")
    m.refresh_from_db()
    assert m.outcome == Outcome.TOWN and m.solved_at is None
    with pytest.raises(ForbiddenError):  # recording the result is the staff's
        st.resolve(world.user("deputy0"), m.pk, result="已修复")
    st.resolve(world.station_staff, m.pk, result="街道已更换路灯")
    m.refresh_from_db()
    assert m.solved_at is not None and m.answer == "街道已更换路灯"


def test_decline_needs_a_ground_and_a_reason(world: Any) -> None:
    m = _reception(world).matters.order_by("id").first()
    with pytest.raises(DomainError) as e:
        st.decline(world.station_staff, m.pk, ground="litigation", reason=" ")
    assert e.value.field == "reason"
    with pytest.raises(DomainError) as e:
        st.decline(world.station_staff, m.pk, ground="other", reason="已起诉")
    assert e.value.field == "ground"
    m.refresh_from_db()
    assert m.state.is_initial and not m.outcome
    st.decline(world.station_staff, m.pk, ground="litigation", reason="该纠纷已由法院立案审理，请依法通过诉讼程序解决")
    m.refresh_from_db()
    assert (m.outcome, m.decline_ground) == (Outcome.DECLINED, "litigation")
    with pytest.raises(DomainError):  # triaged once
        st.answer_on_spot(world.station_staff, m.pk, answer="x")


def test_turn_a_matter_into_the_deputys_draft_suggestion(world: Any) -> None:
    m = _reception(world).matters.order_by("id").last()
    staff = world.user("staff")
    with pytest.raises(DomainError) as e:  # the deputy must be one who received it
        st.convert_to_suggestion(staff, m.pk, deputy=world.npc.deputies[4], title="关于增开公交线路的建议")
    assert e.value.field == "deputy"
    st.convert_to_suggestion(staff, m.pk, deputy=world.npc.deputies[0], title="关于增开公交线路的建议",
                             expected_version=m.version)
    m.refresh_from_db()
    s = m.suggestion
    assert m.outcome == Outcome.SUGGESTION and s is not None
    assert list(s.station_matters.all()) == [m]  # linked both ways
    assert s.state.is_initial and s.leading_deputy == world.npc.deputies[0]
    assert "建议增开社区到市区的公交线路" in s.content and "白沙街道中心联络站" in s.content
    assert s in visible_suggestions(world.user("deputy0"))  # among the deputy's drafts
    # a double submit of the conversion (same version) is a conflict, and makes no second suggestion
    with pytest.raises(ConflictError):
        st.convert_to_suggestion(staff, m.pk, deputy=world.npc.deputies[0], title="关于增开公交线路的建议",
                                 expected_version=m.version - 1)
    assert Suggestion.objects.count() == 1


def test_the_deputy_converts_on_their_phone_but_station_staff_cannot_draft_for_them(world: Any) -> None:
    first, second = _reception(world).matters.order_by("id")
    with pytest.raises(ForbiddenError):  # a street-office clerk may not draft a suggestion in a deputy's name
        st.convert_to_suggestion(world.station_staff, first.pk, deputy=world.npc.deputies[0], title="关于路灯的建议")
    assert Suggestion.objects.count() == 0
    first.refresh_from_db()
    assert first.state.is_initial
    st.convert_to_suggestion(world.user("deputy1"), second.pk, deputy=world.npc.deputies[1], title="关于公交的建议")
    assert Suggestion.objects.get().leading_deputy == world.npc.deputies[1]


def test_who_sees_which_matters(world: Any) -> None:
    r = _reception(world)
    other = st.register_reception(world.user("staff"), world.ordinary, date=timezone.localdate(),
                                  deputies=[world.npc.deputies[3]], visitors=1, matters=[{"content": "噪音扰民"}])
    assert set(visible_matters(world.station_staff)) == set(r.matters.all())
    assert set(visible_matters(world.user("deputy0"))) == set(r.matters.all())
    assert set(visible_matters(world.user("deputy3"))) == set(other.matters.all())
    assert visible_matters(world.user("clerk0")).count() == 0
    assert visible_matters(world.user("staff")).count() == 3
    with pytest.raises(NotFoundError):
        st.answer_on_spot(world.station_staff, other.matters.get().pk, answer="x")


def test_portal_matter_with_tracking_code(world: Any) -> None:
    with pytest.raises(DomainError) as e:
        st.submit_portal_matter(world.central, content="")
    assert (e.value.field, e.value.message) == ("content", "请填写「反映内容」。")
    m = st.submit_portal_matter(world.central, content="公园健身器材损坏", visitor_contact="138")
    assert m.reception is None and len(m.tracking_code) == 12
    assert st.matter_by_code(m.tracking_code.lower()) == m
    assert m in visible_matters(world.station_staff) and m in visible_matters(world.user("deputy2"))
    assert m not in visible_matters(world.user("deputy3"))
