"""The reception rota: published at least the policy's days ahead (2 by default [C1][C2]), confirmed by the
deputies on duty, and each deputy's receptions counted per year."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from lvzhi.core.errors import DomainError, ForbiddenError, NotFoundError
from lvzhi.stations import actions as st
from lvzhi.stations.models import RotaTurn, StationPolicy
from lvzhi.stations.queries import receptions_per_deputy, upcoming_turns

pytestmark = pytest.mark.django_db


def test_a_turn_must_be_published_two_days_ahead(world: Any) -> None:
    today = date(2026, 5, 4)  # a Monday
    d = world.npc.deputies
    with pytest.raises(DomainError) as e:  # Wednesday is 2 days ahead: allowed; Tuesday is 1 day: refused
        st.publish_turn(world.user("staff"), world.central, date=date(2026, 5, 5), half_day="am", deputies=[d[0]],
                        today=today)
    assert e.value.field == "date" and "至少提前 2 天" in e.value.message
    assert not RotaTurn.objects.exists()
    turn = st.publish_turn(world.station_staff, world.central, date=date(2026, 5, 6), half_day="am",
                           deputies=[d[0], d[1]], hours="09:00-11:30", today=today)
    assert [t.member for t in turn.duty.all()] == [d[0], d[1]]


def test_the_notice_is_a_policy_value(world: Any) -> None:
    StationPolicy.objects.create(council=world.npc.council, rota_notice_days=3)
    today = date(2026, 5, 4)
    with pytest.raises(DomainError):
        st.publish_turn(world.user("staff"), world.central, date=date(2026, 5, 6), half_day="pm",
                        deputies=[world.npc.deputies[0]], today=today)
    st.publish_turn(world.user("staff"), world.central, date=date(2026, 5, 7), half_day="pm",
                    deputies=[world.npc.deputies[0]], today=today)


def test_wrong_role_duplicate_turn_and_no_deputy(world: Any) -> None:
    day = timezone.localdate() + timedelta(days=5)
    d = world.npc.deputies
    with pytest.raises(ForbiddenError):
        st.publish_turn(world.user("deputy0"), world.central, date=day, half_day="am", deputies=[d[0]])
    with pytest.raises(ForbiddenError):  # the central station's staff do not keep the other station
        st.publish_turn(world.station_staff, world.ordinary, date=day, half_day="am", deputies=[d[3]])
    with pytest.raises(DomainError) as e:
        st.publish_turn(world.user("staff"), world.central, date=day, half_day="am", deputies=[])
    assert e.value.field == "deputies"
    st.publish_turn(world.user("staff"), world.central, date=day, half_day="am", deputies=[d[0]])
    with pytest.raises(DomainError) as e:
        st.publish_turn(world.user("staff"), world.central, date=day, half_day="am", deputies=[d[1]])
    assert e.value.field == "half_day" and "已有排班" in e.value.message


def test_deputies_confirm_their_turns(world: Any) -> None:
    day = timezone.localdate() + timedelta(days=3)
    turn = st.publish_turn(world.user("staff"), world.central, date=day, half_day="pm",
                           deputies=[world.npc.deputies[0]])
    row = st.confirm_turn(world.user("deputy0"), turn.pk)
    assert row.confirmed_at is not None
    first = row.confirmed_at
    assert st.confirm_turn(world.user("deputy0"), turn.pk).confirmed_at == first  # twice: unchanged
    with pytest.raises(NotFoundError):
        st.confirm_turn(world.user("deputy1"), turn.pk)  # not on duty
    assert [t.pk for t in upcoming_turns(station=world.central)] == [turn.pk]
    st.cancel_turn(world.user("staff"), turn.pk, reason="台风停课")
    assert upcoming_turns(station=world.central) == []


def test_receptions_per_deputy_per_year(world: Any) -> None:
    d = world.npc.deputies
    staff = world.user("staff")
    for day, present in ((date(2025, 3, 1), [d[0], d[1]]), (date(2025, 9, 1), [d[0]]), (date(2024, 12, 31), [d[1]])):
        st.register_reception(staff, world.central, date=day, deputies=present, visitors=3, matters=[])
    counts = {m.name: n for m, n in receptions_per_deputy(world.npc.council, 2025)}
    # by hand: 陈 twice in 2025, 林 once (the 2024 one does not count), the rest none
    assert counts["陈代表"] == 2 and counts["林代表"] == 1 and counts["黄代表"] == 0
    assert receptions_per_deputy(world.npc.council, 2025)[0][1] == 0  # fewest first


def test_a_reception_on_a_turns_day_is_linked_to_the_turn(world: Any) -> None:
    d = world.npc.deputies
    # a turn for today, published two days ago
    turn = st.publish_turn(world.user("staff"), world.central, date=timezone.localdate(), half_day="pm", deputies=[d[1]],
                           today=timezone.localdate() - timedelta(days=2))
    r = st.register_reception(world.user("staff"), world.central, date=timezone.localdate(), deputies=[d[1]], visitors=1,
                              matters=[])
    other = st.register_reception(world.user("staff"), world.central, date=timezone.localdate(), deputies=[d[2]],
                                  visitors=1, matters=[])
    assert (r.turn_id, other.turn_id) == (turn.pk, None)
