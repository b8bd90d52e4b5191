"""Cases in a given stage, reached through the real actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from lvzhi.cases import actions as cases
from lvzhi.cases.models import Assignment, Reply
from lvzhi.suggestions import actions as act
from lvzhi.suggestions.models import Suggestion
from tests.cases.npc import NPC


def accepted(npc: NPC, *, deputy: str = "deputy0", seconders: tuple[int, ...] = (), title: str = "关于公交线网优化的建议") -> Suggestion:
    s = act.create_suggestion(npc.user(deputy), session=npc.session, title=title, content="建议增开社区微循环公交。",
                              seconders=[npc.deputies[i] for i in seconders])
    for i in seconders:
        act.respond_to_invitation(npc.user(f"deputy{i}"), s.pk, accept=True)
    act.submit(npc.user(deputy), s.pk)
    return act.accept(npc.user("staff"), s.pk)


def assigned(npc: NPC, plan: list[tuple[int, str]], **kw: Any) -> tuple[Suggestion, list[Assignment]]:
    s = accepted(npc, **kw)
    made = cases.assign(npc.user("staff"), Suggestion, s.pk, [(npc.units[i], r) for i, r in plan])
    s.refresh_from_db()
    return s, made


def answer(npc: NPC, a: Assignment, grade: str = "A", *, unit: int | None = None, sign: bool = True) -> Reply:
    """The unit of ``a`` talks with the deputy, drafts a reply and (``sign``) its leader signs it off."""
    i = npc.units.index(a.unit) if unit is None else unit
    clerk, head = npc.user(f"clerk{i}"), npc.user(f"head{i}")
    if not a.contacts.exists():
        cases.record_contact(clerk, a.pk, contacted_on=timezone.localdate(), way="meeting", with_whom="陈代表",
                             notes="当面听取代表意见")
    version = Suggestion.objects.get(pk=a.object_id).version
    reply = cases.draft_reply(clerk, a.pk, grade=grade, text="经研究，答复如下……", contact_person="李科长",
                              contact_phone="0750-3000000", expected_version=version)
    if sign:
        reply = cases.sign_off_reply(head, reply.pk)
    return reply


def today() -> date:
    return timezone.localdate()
