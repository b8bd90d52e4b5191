"""``lvzhi demo`` and ``lvzhi setup`` through ``call_command`` on the test database."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from lvzhi.core.errors import DomainError
from lvzhi.core.models import AuditEntry
from lvzhi.demo import channel_data, data
from lvzhi.demo.builder import ACCOUNTS
from lvzhi.members import actions as org
from lvzhi.members.access import profile_of
from lvzhi.members.models import Council, Member, Organisation
from lvzhi.opinions import actions as op
from lvzhi.opinions.defaults import MESSAGE_STATES, REPORT_STATES
from lvzhi.opinions.models import BulletinIssue, Informant, Instruction, Message, Report, ReportForward
from lvzhi.proposals.models import Proposal
from lvzhi.smart import service, store
from lvzhi.workflow.defaults import PROPOSAL_STATES
from lvzhi.workflow.models import ReplyGrade, Workflow
from tests.states import plain, state_code

pytestmark = pytest.mark.django_db

ALL_STATES = {s["code"] for s in PROPOSAL_STATES}
REPORT_CODES = {s["code"] for s in REPORT_STATES}
MESSAGE_CODES = {s["code"] for s in MESSAGE_STATES}
FICTIONAL = re.compile(r"演示|示例|样例|模拟|演练|示范|样本")
PHONE = "13800138000"


@pytest.fixture(autouse=True)
def _models_in_tmp(settings: Any, tmp_path: Path) -> Any:
    """Trained models go to a temporary directory; per-process caches start empty."""
    settings.LVZHI_MODELS_DIR = str(tmp_path / "models")
    store.clear_cache()
    service.reset_indexes()
    service._topics_cache.clear()
    yield
    store.clear_cache()
    service.reset_indexes()
    service._topics_cache.clear()


def _demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_builds_every_state_through_the_actions_and_prints_the_accounts() -> None:
    output = _demo()
    council = Council.objects.get(name=data.COUNCIL_NAME)
    assert council.short_name == "江门市政协"
    proposals = Proposal.objects.filter(council=council)
    states = Counter(plain(c) for c in proposals.values_list("state__code", flat=True))
    assert set(states) == ALL_STATES == {"draft", "submitted", "returned", "filed", "not_filed", "merged",
                                         "withdrawn", "assigned", "replied", "rehandling", "evaluated", "closed",
                                         "archived"}
    assert proposals.count() == Proposal.objects.count() and not proposals.filter(is_demo=False).exists()
    # The seeds' proposals, with the 一号提案 supervised as a key proposal.
    first = proposals.get(title="关于加快提升四大功能 彰显中国侨都新担当的建议")
    assert first.is_key and "市委主要领导" in first.supervising_leader and first.session.number == 2
    assert first.state.code == state_code("archived") and first.assignments.filter(role="lead", unit__name="江门市侨务局").exists()
    assert proposals.filter(session__number=2).count() == len(data.SEED_PROPOSALS)
    # Built through the actions: every submitted proposal has its submission in the audit log.
    submitted = proposals.exclude(state__code=state_code("draft"))
    transitions = AuditEntry.objects.filter(council=council, event="transition", to_state=state_code("submitted"))
    assert set(transitions.values_list("target_id", flat=True)) >= set(submitted.values_list("pk", flat=True))
    # Fictional members only; the real organisation names of the city.
    assert all(FICTIONAL.search(name) for name in Member.objects.filter(council=council).values_list("name", flat=True))
    assert set(Organisation.objects.filter(council=council, kind="sector").values_list("name", flat=True)) == set(
        data.SECTORS)
    # One account per role, each with its password, printed as a table.
    users = get_user_model()
    for _key, role, username, password, _name, _acts_for in ACCOUNTS:
        user = users.objects.get(username=username)
        assert profile_of(user).role == role and profile_of(user).council_id == council.pk
        assert user.check_password(password)
        assert re.search(rf"{username}\s+{re.escape(password)}", output)
    assert len({role for _k, role, *_ in ACCOUNTS}) == 6 and len(ACCOUNTS) == 7  # two members: proposer, co-signer
    member = users.objects.get(username="demo-member")
    assert proposals.filter(first_proposer=profile_of(member).member).count() >= 5
    assert proposals.filter(cosigners__member__name=data.DEMO_COSIGNER, cosigners__status="confirmed").exists()
    clerk = users.objects.get(username="demo-clerk")
    assert proposals.filter(assignments__unit=profile_of(clerk).unit,
                            state__code__in=[state_code("assigned"), state_code("rehandling")]).exists()


def _opinion_counts(council_id: int | None = None) -> tuple[int, ...]:
    scope: dict[str, Any] = {} if council_id is None else {"council_id": council_id}
    return (Report.objects.filter(**scope).count(), Message.objects.filter(**scope).count(),
            BulletinIssue.objects.filter(**scope).count(), Informant.objects.filter(**scope).count())


def test_demo_twice_is_idempotent_and_reset_rebuilds() -> None:
    first = _demo()
    council = Council.objects.get(name=data.COUNCIL_NAME)
    counts = (Proposal.objects.count(), Member.objects.count(), AuditEntry.objects.count(),
              get_user_model().objects.count())
    opinions = _opinion_counts()
    assert all(opinions) and _opinion_counts(council.pk) == opinions
    old_models = Path(store.models_dir()) / store.scope_of(council.pk)
    assert (old_models / "message-category" / "current.json").is_file()
    output = _demo()
    assert "已存在" in output and "demo-staff" in output
    assert (Proposal.objects.count(), Member.objects.count(), AuditEntry.objects.count(),
            get_user_model().objects.count()) == counts
    assert _opinion_counts() == opinions
    # The same contents line both times; the existing models are kept (not trained again).
    line = next(x for x in first.splitlines() if x.startswith("演示内容"))
    assert line in output and len(list((old_models / "message-category").glob("v*.joblib"))) == 1
    output = _demo("--reset")
    assert "已建立演示数据" in output
    rebuilt = Council.objects.get(name=data.COUNCIL_NAME)
    assert rebuilt.pk != council.pk and Council.objects.count() == 3  # the CPPCC, the city and county congress
    assert (Proposal.objects.count(), Member.objects.count(), get_user_model().objects.count()) == counts[:2] + counts[3:]
    # --reset removed the old council's reports, messages, issues, informants and models, and rebuilt them.
    assert _opinion_counts(council.pk) == (0, 0, 0, 0) and _opinion_counts() == opinions
    assert not ReportForward.objects.filter(report__council_id=council.pk).exists()
    assert not old_models.exists()
    assert store.current_info("message-category", store.scope_of(rebuilt.pk)) is not None


def test_reset_leaves_other_councils_alone(world) -> None:
    from tests.proposals.test_lifecycle import _draft

    mine = _draft(world)
    message = op.submit_portal_message(world.council, title="路灯不亮", body="小区门口路灯坏了。")
    _demo()
    _demo("--reset")
    assert Proposal.objects.filter(pk=mine.pk).exists()
    assert Message.objects.filter(pk=message.pk).exists()
    assert Council.objects.filter(pk=world.council.pk).exists() and profile_of(world.user("staff")).council_id


def test_setup_is_idempotent_and_installs_missing_defaults() -> None:
    council = org.create_council(None, name="测试市政协")
    legacy = Council.objects.create(name="旧机构", kind="cppcc")  # a council from before the defaults existed
    out = StringIO()
    call_command("setup", stdout=out)
    call_command("setup", stdout=out)
    assert "数据库已就绪" in out.getvalue()
    for c in (council, legacy):
        assert Workflow.objects.filter(council=c, case_type="proposal").count() == 1
        assert list(ReplyGrade.objects.filter(council=c).values_list("code", flat=True)) == ["A", "B", "C", "D"]


def test_demo_reports_in_every_state_through_the_actions() -> None:
    _demo()
    council = Council.objects.get(name=data.COUNCIL_NAME)
    reports = Report.objects.filter(council=council)
    assert {plain(c) for c in reports.values_list("state__code", flat=True)} == REPORT_CODES == {
        "draft", "submitted", "adopted", "kept", "withdrawn", "signed_off", "published", "forwarded", "answered",
        "closed"}
    users = get_user_model().objects
    member, leader = users.get(username="demo-member"), users.get(username="demo-leader")
    clerk, unit_head = users.get(username="demo-clerk"), users.get(username="demo-unithead")
    # A member's own draft; the signed-off one edited (original title kept) and signed off by the leader.
    assert reports.filter(state__code=state_code("draft"), created_by=member, member=profile_of(member).member).exists()
    signed = reports.get(state__code=state_code("signed_off"))
    assert signed.original_title and signed.title.startswith("关于") and signed.signed_off_by == leader
    assert reports.filter(submitter_kind="informant", informant__name=channel_data.INFORMANT[0]).exists()
    # 2024年第3期 (one report) and a combined issue with two reports.
    third = BulletinIssue.objects.get(council=council, year=2024, number=3)
    assert third.reports.count() == 1 and third.kind == "single"
    combined = BulletinIssue.objects.get(council=council, kind="combined")
    assert sorted(combined.reports.values_list("piece", flat=True)) == [1, 2]
    answered = third.reports.get()
    assert answered.state.code == state_code("answered")
    assert set(answered.deliveries.values_list("recipient_kind", flat=True)) == {
        "party_committee", "government", "higher_cppcc"}
    instructions = Instruction.objects.filter(report=answered)
    assert set(instructions.values_list("level", flat=True)) == {"city", "province"}
    assert all(re.fullmatch(r"[市省]领导[甲乙丙丁]", n) for n in Instruction.objects.filter(
        report__council=council).values_list("leader_name", flat=True))
    forward = answered.forwards.get()
    assert forward.unit.name == data.DEMO_UNIT and forward.status == "answered"
    assert forward.drafted_by == clerk and forward.signed_by == unit_head
    closed = reports.get(state__code=state_code("closed"))
    assert closed.outcome and closed.forwards.filter(status="answered").exists()
    partly = reports.get(state__code=state_code("forwarded"))
    assert set(partly.forwards.values_list("status", flat=True)) == {"answered", "handling"}
    # The not-filed proposal converted into a report (waiting for screening).
    converted = reports.get(source_proposal__isnull=False)
    assert converted.source_proposal.state.code == state_code("not_filed") and converted.state.code == state_code("submitted")
    # Timelines are real: every submitted report has its submission in the audit log.
    report_type = ContentType.objects.get_for_model(Report)
    submitted = set(AuditEntry.objects.filter(target_type=report_type, event="transition", to_state=state_code("submitted"))
                    .values_list("target_id", flat=True))
    assert submitted == set(reports.exclude(state__code=state_code("draft")).values_list("pk", flat=True))


def test_demo_messages_in_every_state_portal_masks_and_models_recommend() -> None:
    output = _demo()
    council = Council.objects.get(name=data.COUNCIL_NAME)
    messages = Message.objects.filter(council=council)
    written = messages.exclude(channel="imported")
    assert {plain(c) for c in written.values_list("state__code", flat=True)} == MESSAGE_CODES == {
        "received", "routed", "replied", "rejected", "closed"}
    assert 20 <= written.count() <= 40
    assert set(written.values_list("channel", flat=True)) == {"portal", "letter", "visit", "enterprise"}
    assert set(written.exclude(category="").values_list("category", flat=True)) == set(
        channel_data.MESSAGE_CATEGORIES)
    assert set(messages.exclude(category="").values_list("category", flat=True)) == set(
        channel_data.MESSAGE_CATEGORIES)
    today = timezone.localdate()
    # Routed with deadlines, one of them overdue; one reply awaiting the demo unit leader's sign-off.
    routed = written.filter(state__code=state_code("routed"))
    assert routed.count() >= 5 and not routed.filter(deadline__isnull=True).exists()
    assert routed.filter(deadline__lt=today).count() == 1
    assert written.filter(reply_status="pending_signoff", unit__name=data.DEMO_UNIT).exists()
    # Answered, published and rated by the citizen through the tracking code (an act without an actor).
    rated = written.filter(state__code=state_code("closed")).exclude(rating="")
    assert rated.count() >= 5 and written.filter(published=True, state__code=state_code("replied")).exists()
    message_type = ContentType.objects.get_for_model(Message)
    for m in rated:
        assert AuditEntry.objects.filter(target_type=message_type, target_id=m.pk, event="rated",
                                         actor__isnull=True).exists()
    assert written.filter(rating="unsatisfied", state__code=state_code("routed")).exists()  # 不满意, routed again
    # Submission dates spread over the last months (the hot-topic trend has a shape).
    months = {timezone.localtime(d).strftime("%Y-%m") for d in messages.values_list("submitted_at", flat=True)}
    assert len(months) >= 4
    assert service.hot_topics(council.pk)["topics"]
    # The near-duplicate message finds the answered one with the same matter.
    duplicate = written.get(title__startswith="白沙街道老旧小区加装电梯，")
    hits = service.similar_cases(duplicate)
    assert hits and hits[0]["title"] == "白沙街道老旧小区加装电梯协调难" and hits[0]["score"] > 0.5
    # The portal shows the published message with the phone number masked.
    with_phone = written.get(body__contains=PHONE)
    assert with_phone.published
    client = Client()
    for url in ("/portal/", f"/portal/m/{with_phone.pk}/"):
        page = client.get(url).content.decode()
        assert "138****8000" in page and PHONE not in page
    # The recommendation models were trained from the demo's own history: 3 categories for a demo message.
    waiting = written.filter(state__code=state_code("received"), category="").exclude(title__contains="电梯").first()
    assert waiting is not None
    suggestions = service.recommend(waiting, record=False)
    categories = [s["label"] for s in suggestions if s["kind"] == "category"]
    assert len(categories) == 3 and set(categories) <= set(channel_data.MESSAGE_CATEGORIES)
    assert [s for s in suggestions if s["kind"] == "unit"]
    info = store.current_info("message-category", store.scope_of(council.pk))
    assert info is not None and info.meta["council_id"] == council.pk
    assert not any("shared" in str(src) or "tipdm" in str(src) for src in info.meta["sources"])
    # The contents line after the accounts table.
    line = output.strip().splitlines()[-1]
    assert line.startswith("演示内容") and f"群众意见 {messages.count()} 件" in line
    assert f"社情民意信息 {Report.objects.filter(council=council).count()} 篇" in line and "智能推荐模型 3 个" in line


def test_route_message_at_records_an_earlier_routing(world) -> None:
    staff, unit = world.user("staff"), world.units[1]
    now = timezone.now()
    message = op.register_message(staff, world.council, channel="letter", title="路灯不亮", body="村道路灯坏了。",
                                  submitted_at=now - timedelta(days=40))
    for at, field in ((now + timedelta(days=1), "at"), (now - timedelta(days=41), "at")):
        with pytest.raises(DomainError) as exc:
            op.route_message(staff, message.pk, unit=unit, at=at)
        assert exc.value.field == field
    message.refresh_from_db()
    assert message.state.code == state_code("received") and message.unit_id is None
    op.route_message(staff, message.pk, unit=unit, category="城乡建设", at=now - timedelta(days=39))
    message.refresh_from_db()
    assert message.state.code == state_code("routed") and message.deadline < timezone.localdate()
    assert message.routed_at < now - timedelta(days=38)


def test_demo_channel_pages_open_for_the_demo_accounts() -> None:
    _demo()
    council = Council.objects.get(name=data.COUNCIL_NAME)
    staff = Client()
    staff.force_login(get_user_model().objects.get(username="demo-staff"))
    written = Message.objects.filter(council=council).exclude(channel="imported")
    urls = ["/opinions/", "/opinions/stats/", "/smart/topics/", "/smart/models/"]
    reports = Report.objects.filter(council=council)
    urls += [f"/opinions/reports/{pk}/" for pk in reports.exclude(state__code=state_code("draft")).values_list("pk", flat=True)]
    urls += [f"/opinions/messages/{pk}/" for pk in written.values_list("pk", flat=True)]
    for url in urls:
        response = staff.get(url)
        assert response.status_code == 200, url
    # The member's draft is the member's own (staff see it once submitted).
    draft = reports.get(state__code=state_code("draft"))
    assert staff.get(f"/opinions/reports/{draft.pk}/").status_code == 404
    member = Client()
    member.force_login(get_user_model().objects.get(username="demo-member"))
    assert member.get(f"/opinions/reports/{draft.pk}/").status_code == 200
    # The demo clerk sees the messages routed to the demo unit, not the others.
    clerk = Client()
    clerk.force_login(get_user_model().objects.get(username="demo-clerk"))
    mine = written.filter(unit__name=data.DEMO_UNIT).first()
    other = written.filter(unit__isnull=False).exclude(unit__name=data.DEMO_UNIT).first()
    assert clerk.get(f"/opinions/messages/{mine.pk}/").status_code == 200
    assert clerk.get(f"/opinions/messages/{other.pk}/").status_code == 404


def test_demo_proposals_are_marked_as_demo_data_on_the_pages() -> None:
    _demo()
    staff = Client()
    staff.force_login(get_user_model().objects.get(username="demo-staff"))
    listing = staff.get("/proposals/").content.decode()
    assert listing.count('class="tag tag-demo"') >= 10  # every row of the first page
    filed = Proposal.objects.filter(is_demo=True).exclude(number="").first()
    assert filed is not None
    assert 'class="tag tag-demo">演示数据' in staff.get(f"/proposals/{filed.pk}/").content.decode()
