"""Similar cases across channels: an exact duplicate body among imported 附件3 messages, the incremental index,
the proposal panel (staff at review, the proposer at the draft), merge and link from the panel with audit
entries, the live duplicate check."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lvzhi.core.audit import timeline
from lvzhi.opinions import actions as op
from lvzhi.opinions.models import Message
from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Proposal
from lvzhi.smart import service
from lvzhi.smart.models import CaseLink
from lvzhi.smart.text import strip_for_matching
from tests.states import state_code

pytestmark = pytest.mark.django_db


def _import_slice(world: Any, file3_messages: list[Any], n: int = 450) -> None:
    result = op.import_messages(world.council, file3_messages[:n])
    assert result.created > 0


def _same_body_pair(file3_messages: list[Any], n: int) -> tuple[Any, Any]:
    """The first two rows of the slice with the same body but another title (found here, not hard-coded)."""
    seen: dict[str, Any] = {}
    for m in file3_messages[:n]:
        key = strip_for_matching(m.body)
        if key in seen and strip_for_matching(seen[key].title) != strip_for_matching(m.title):
            return seen[key], m
        seen.setdefault(key, m)
    raise AssertionError("no pair in the slice")


def test_similar_finds_imported_exact_duplicate_and_updates_incrementally(world, login, file3_messages):
    _import_slice(world, file3_messages)
    first, second = _same_body_pair(file3_messages, 450)
    a = Message.objects.get(council=world.council, external_id=first.external_id)
    b = Message.objects.get(council=world.council, external_id=second.external_id)
    hits = service.similar_cases(a)
    assert hits[0]["kind"] == "message" and hits[0]["id"] == b.pk
    assert hits[0]["score"] >= 0.8 and hits[0]["duplicate"] == "same_body"
    assert hits[0]["url"] == reverse("opinions-message", args=[b.pk]) and hits[0]["snippet"]
    assert all(h["id"] != a.pk for h in hits) and len(hits) <= service.SIMILAR_K
    # The staff's message page lights up the opinions hook with the duplicate.
    page = login("staff").get(reverse("opinions-message", args=[a.pk]))
    assert page.status_code == 200
    assert page.context["similar"][0]["id"] == b.pk and reverse("opinions-message", args=[b.pk]) in page.content.decode()
    # A new letter with the same text is found without rebuilding the index.
    entry = service._indexes[world.council.pk]
    size = len(entry.index)
    c = op.register_message(world.user("staff"), world.council, channel="letter", title=a.title, body=a.body)
    hits = service.similar_cases(c)
    assert service._indexes[world.council.pk] is entry and len(entry.index) == size + 1
    assert hits[0]["id"] == a.pk and hits[0]["duplicate"] == "same_text" and hits[0]["score"] == 1.0


def test_exact_and_near_duplicates_in_the_real_file(file3_messages):
    """附件3 holds over a hundred repeated titles and bodies: the index finds each repeated body."""
    from lvzhi.smart.similar import SimilarityIndex

    index = SimilarityIndex()
    index.add_many((f"{i}", f"{m.title}\n{m.body}") for i, m in enumerate(file3_messages))
    groups: dict[str, list[int]] = {}
    for i, m in enumerate(file3_messages):
        groups.setdefault(strip_for_matching(m.body), []).append(i)
    repeated = [g for k, g in groups.items() if len(g) > 1 and len(k) >= 20]
    assert len(repeated) > 100
    for g in repeated[:40]:
        m = file3_messages[g[0]]
        found = {h.id for h in index.query(f"{m.title}\n{m.body}", k=len(g) + 3, exclude=[str(g[0])])}
        assert {str(i) for i in g[1:]} <= found


def _proposal(world: Any, member: str, title: str, text: str, *, submit: bool = True) -> Proposal:
    p = act.create_proposal(world.user(member), session=world.session, title=title, situation=text,
                            suggestions="建议市政府统筹推进。")
    if submit:
        act.submit_proposal(world.user(member), p.pk)
    return Proposal.objects.get(pk=p.pk)


TEXT = "本市老旧小区加装电梯推进缓慢，居民意见分歧大，资金分摊机制不明确，审批流程复杂，需要统一政策。"


def test_proposal_panel_merge_and_link(world, login, file3_messages):
    _import_slice(world, file3_messages, 120)
    main = _proposal(world, "member0", "关于加快老旧小区加装电梯的建议", TEXT)
    other = _proposal(world, "member1", "关于推进老旧小区加装电梯工作的提案", TEXT + "建议财政给予补贴。")
    staff = login("staff")
    page = staff.get(reverse("proposal-detail", args=[main.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "可能重复的提案/案件" in html and other.title in html and "并入本案" in html
    panel = service.proposal_panel(world.user("staff"), main)
    hit = next(h for h in panel["similar"] if h["kind"] == "proposal")
    assert hit["id"] == other.pk and hit["mergeable"] and hit["score"] > 0.5
    # Link the proposal to a message of the portal archive (any channel), then merge the other proposal.
    message = Message.objects.filter(council=world.council).order_by("pk").first()
    resp = staff.post(reverse("smart-link"), {"from_type": "proposal", "from_id": main.pk, "to_type": "message",
                                              "to_id": message.pk, "score": "0.42"})
    assert resp.status_code == 302 and resp.url == reverse("proposal-detail", args=[main.pk])
    link = CaseLink.objects.get()
    assert (link.from_type, link.from_id, link.to_type, link.to_id, link.score) == (
        "proposal", main.pk, "message", message.pk, 0.42)
    assert [e.new_values["to_id"] for e in timeline(main) if e.event == "case_linked"] == [message.pk]
    assert [e.new_values["to_id"] for e in timeline(message) if e.event == "case_linked"] == [main.pk]
    staff.post(reverse("smart-link"), {"from_type": "proposal", "from_id": main.pk, "to_type": "message",
                                       "to_id": message.pk})
    assert CaseLink.objects.count() == 1  # idempotent
    resp = staff.post(reverse("smart-merge", args=[main.pk]), {"other": other.pk})
    assert resp.status_code == 302
    other.refresh_from_db()
    assert other.state.code == state_code("merged") and other.merged_into_id == main.pk
    assert any(e.event == "merged_in" and e.new_values["merged"] == [str(other.pk)] for e in timeline(main))
    # A refusal is shown, nothing changes: linking a case to itself, merging again.
    resp = staff.post(reverse("smart-link"), {"from_type": "proposal", "from_id": main.pk, "to_type": "proposal",
                                              "to_id": main.pk}, follow=True)
    assert "不能关联案件本身" in resp.content.decode() and CaseLink.objects.count() == 1
    resp = staff.post(reverse("smart-merge", args=[main.pk]), {"other": other.pk}, follow=True)
    assert "已并入其他提案" in resp.content.decode() or "不能" in resp.content.decode()


def test_panel_visibility_for_members_and_units(world, login, file3_messages):
    _import_slice(world, file3_messages, 60)
    mine = _proposal(world, "member0", "关于加快老旧小区加装电梯的建议", TEXT, submit=False)
    theirs = _proposal(world, "member1", "关于推进老旧小区加装电梯工作的提案", TEXT)
    draft_of_other = _proposal(world, "member2", "关于老旧小区加装电梯的意见", TEXT, submit=False)
    member = login("member0")
    page = member.get(reverse("proposal-detail", args=[mine.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "可能重复的提案/案件" in html
    # A submitted proposal of another member is not visible to this member yet: not shown; nor is a draft.
    panel = service.proposal_panel(world.user("member0"), mine)
    assert panel["show"] and not panel["staff"] and panel["categories"] == []
    assert all(h["kind"] == "proposal" for h in panel["similar"])
    assert theirs.pk not in [h["id"] for h in panel["similar"]]
    assert draft_of_other.pk not in [h["id"] for h in panel["similar"]]
    assert "并入本案" not in html and "关联" not in html
    # Once filed, the other proposal is published to members and is shown as a possible duplicate.
    act.file_proposal(world.user("staff"), theirs.pk)
    panel = service.proposal_panel(world.user("member0"), mine)
    assert [h["id"] for h in panel["similar"]][:1] == [theirs.pk]
    # The live check on the new-proposal page (JSON): same visibility.
    live = member.get(reverse("smart-similar"), {"title": "老旧小区加装电梯", "text": TEXT}).json()["results"]
    assert live and {h["kind"] for h in live} == {"proposal"} and theirs.title in [h["title"] for h in live]
    assert "smart-live" in member.get(reverse("proposal-new")).content.decode()
    # Units, leaders and the public get no smart pages or actions.
    for name in ("clerk0", "head1", "member1", "leader"):
        client = login(name)
        assert client.get(reverse("smart-similar"), {"title": "电梯"}).status_code in (404, 200)
        assert client.post(reverse("smart-merge", args=[theirs.pk]), {"other": mine.pk}).status_code == 404
        assert client.post(reverse("smart-link"), {"from_type": "proposal", "from_id": theirs.pk,
                                                   "to_type": "proposal", "to_id": mine.pk}).status_code == 404
    assert CaseLink.objects.count() == 0
