"""The public-opinion channels of the demo council, built through ``lvzhi.opinions.actions`` only.

:class:`ChannelBuilder` adds, to a council built by :class:`lvzhi.demo.builder._Builder`:

- 社情民意 reports (:data:`lvzhi.demo.channel_data.REPORTS`) in every state of the report workflow — a member's
  draft, submitted, withdrawn, kept (留存), adopted, edited and signed off, published in 《社情民意》
  2024年第2/3/4期 (the 4th a combined issue of two reports) with where-sent records and city- and
  provincial-level instructions (批示), forwarded to units (the demo unit's answer drafted by the demo clerk
  and signed off by the demo unit leader), answered, closed with feedback — and one report converted from
  the demo's not-filed proposal;
- citizens' messages (:data:`lvzhi.demo.channel_data.MESSAGES`): portal messages, letters, visits and
  enterprise issues in every state of the message workflow (awaiting routing, routed with deadlines — one
  overdue —, a reply awaiting sign-off, replied and published, rated by the citizen through the tracking
  code, rated 不满意 and routed again, declined, returned by a unit), dated over the last three months;
- an archive of answered messages generated from templates (:data:`lvzhi.demo.channel_data.ARCHIVE`),
  stored through :func:`lvzhi.opinions.actions.import_messages` (channel 导入) and spread over
  :data:`~lvzhi.demo.channel_data.ARCHIVE_DAYS` days, so the recommendation models have enough history and
  the hot topics a trend.

Acts other than submission, routing and the import are done at build time (the actions take no date).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from lvzhi.demo import channel_data as cd
from lvzhi.demo import data
from lvzhi.members.access import profile_of
from lvzhi.members.models import HandlingUnit
from lvzhi.opinions import actions as op
from lvzhi.opinions.choices import SubmitterKind
from lvzhi.opinions.models import BulletinIssue, Informant, Message, Report
from lvzhi.opinions.sources import SourceMessage
from lvzhi.proposals.models import Proposal

if TYPE_CHECKING:
    from lvzhi.demo.builder import _Builder


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, dtime(hour, 0)))


def _days_ago(days: int, hour: int = 10) -> datetime:
    """``days`` calendar days before now at ``hour`` o'clock local time (never in the future)."""
    moment = _at(timezone.localdate() - timedelta(days=days), hour)
    return min(moment, timezone.now() - timedelta(minutes=5))


class ChannelBuilder:
    """Builds the reports, messages and message archive of the demo council on top of ``base``."""

    def __init__(self, base: _Builder) -> None:
        self.base = base
        self.council = base.council
        self.staff = base.users["staff"]
        self.issues: dict[str, BulletinIssue] = {}
        self.informant: Informant | None = None

    # -------------------------------------------------------------------------------------------- actors

    def _unit(self, name: str) -> HandlingUnit:
        return self.base.units[name]

    def _clerk(self, unit: HandlingUnit) -> Any:
        return self.base.unit_actor(unit, leader=False)

    def _unit_leader(self, unit: HandlingUnit) -> Any:
        return self.base.unit_actor(unit, leader=True)

    def _member_account(self, name: str) -> Any | None:
        for key in ("member", "cosigner"):
            if getattr(profile_of(self.base.users[key]), "member_id", None) == self.base.members[name].pk:
                return self.base.users[key]
        return None

    # -------------------------------------------------------------------------------------------- reports

    def reports(self) -> None:
        """Informant, bulletin issues, the reports of :data:`channel_data.REPORTS` and the converted one."""
        name, workplace = cd.INFORMANT
        self.informant = op.save_informant(self.staff, self.council, name=name, organisation=workplace,
                                           appointed_on=date(2024, 1, 1))
        for key, (year, number, day, kind, title) in cd.ISSUES.items():
            self.issues[key] = op.create_issue(self.staff, self.council, year=year, number=number, date=day,
                                               kind=kind, title=title)
        for spec in cd.REPORTS:
            self.report(spec)
        proposal = Proposal.objects.get(council=self.council, title=cd.CONVERTED_PROPOSAL, state__code="not_filed")
        op.convert_proposal_to_report(self.staff, proposal.pk)

    def _author(self, spec: str) -> tuple[Any, dict[str, Any]]:
        """The account entering a report for ``spec`` and the submitter arguments of ``create_report``."""
        if spec == "informant":
            return self.staff, {"submitter_kind": SubmitterKind.INFORMANT, "informant": self.informant}
        if spec.startswith("org:"):
            _, kind, name = spec.split(":", 2)
            return self.staff, {"submitter_kind": kind, "organisation": self.base.orgs[(kind, name)]}
        name = spec.split(":", 1)[1]
        account = self._member_account(name)
        if account is not None:
            return account, {"submitter_kind": SubmitterKind.MEMBER}
        return self.staff, {"submitter_kind": SubmitterKind.MEMBER, "member": self.base.members[name]}

    def report(self, spec: dict[str, Any]) -> Report:
        """Create one report and take it to ``spec["state"]`` one action at a time."""
        staff, state = self.staff, spec["state"]
        author, who = self._author(spec["submitter"])
        report = op.create_report(author, council=self.council, title=spec["title"], situation=spec["situation"],
                                  analysis=spec["analysis"], suggestion=spec["suggestion"], **who)
        if state == "draft":
            return report
        submitted = spec["submitted"]
        when = _at(submitted) if isinstance(submitted, date) else _days_ago(submitted, 9)
        op.submit_report(author, report.pk, at=when)
        if state == "submitted":
            return report
        if state == "withdrawn":
            op.withdraw_report(author, report.pk)
            return report
        if state == "kept":
            op.screen_report(staff, report.pk, decision="keep", comment="与近期已采用信息内容相近，留存参考。")
            return report
        op.screen_report(staff, report.pk, decision="adopt", comment="反映问题具体，建议可行，予以采用。")
        if spec.get("edited_title"):
            op.edit_report(staff, report.pk, title=spec["edited_title"])
        if state == "adopted":
            return report
        op.sign_off_report(self.base.users["leader"], report.pk, comment="同意刊发。")
        if state == "signed_off":
            return report
        issue = self.issues[spec["issue"]]
        op.publish_report(staff, report.pk, issue=issue)
        for kind, recipient in spec.get("deliveries", []):
            op.record_delivery(staff, report.pk, recipient_kind=kind, recipient=recipient,
                               sent_on=issue.date + timedelta(days=1))
        for leader, level, day, text in spec.get("instructions", []):
            op.record_instruction(staff, report.pk, leader_name=leader, level=level, date=day, text=text)
        if state == "published":
            return report
        plan = spec["forwards"]
        forwards = op.forward_report(staff, report.pk, [self._unit(u) for u, _by, _text in plan],
                                     comment="请研究办理并反馈办理情况。")
        for forward, (_unit, by, text) in zip(forwards, plan, strict=True):
            if by is None:
                continue
            op.draft_forward_answer(self._clerk(forward.unit), forward.pk, text=text)
            op.sign_off_forward_answer(self._unit_leader(forward.unit), forward.pk)
        if state in ("forwarded", "answered"):
            return report
        op.close_report(staff, report.pk, outcome=spec["outcome"])
        return report

    # -------------------------------------------------------------------------------------------- messages

    def messages(self) -> None:
        """The hand-written messages of :data:`channel_data.MESSAGES`, oldest first."""
        for spec in sorted(cd.MESSAGES, key=lambda s: -int(s.get("days", 0))):
            self.message(spec)

    def message(self, spec: dict[str, Any]) -> Message:
        """Create one message (portal action for today's, staff registration otherwise) and take it to
        ``spec["state"]``."""
        staff, state = self.staff, spec["state"]
        if spec.get("today"):
            message = op.submit_portal_message(self.council, title=spec["title"], body=spec["body"],
                                               place=spec.get("place", ""), contact=spec.get("contact", ""))
        else:
            member = spec.get("member")
            message = op.register_message(
                staff, self.council, channel=spec["channel"], title=spec["title"], body=spec["body"],
                place=spec.get("place", ""), contact=spec.get("contact", ""), submitter_name=spec.get("name", ""),
                enterprise_name=spec.get("enterprise", ""), member=self.base.members[member] if member else None,
                visit_leader=spec.get("visit_leader", ""), submitted_at=_days_ago(int(spec["days"]), 9))
        if state == "received":
            return message
        if state == "rejected":
            op.reject_message(staff, message.pk, reason=spec["reason"])
            return message
        unit = self._unit(spec["unit"])
        routed_at = _days_ago(int(spec["days"]) - 1, 15) if state == "overdue" else None
        op.route_message(staff, message.pk, unit=unit, category=spec.get("category", ""), at=routed_at)
        if state in ("routed", "overdue"):
            return message
        if state == "returned":
            op.return_message(self._clerk(unit), message.pk, reason=spec["reason"])
            return message
        op.draft_message_reply(self._clerk(unit), message.pk, text=spec["reply"])
        if state == "pending_signoff":
            return message
        op.sign_off_message_reply(self._unit_leader(unit), message.pk)
        if spec.get("publish"):
            op.publish_message(staff, message.pk)
        if state == "replied":
            return message
        if state == "rerouted":
            op.rate_message(message.tracking_code, rating="unsatisfied")
            op.route_message(staff, message.pk, unit=unit, category=spec.get("category", ""), comment=spec["reason"])
        elif state == "closed":
            op.rate_message(message.tracking_code, rating=spec["rating"])
        elif state == "closed_by_staff":
            op.close_message(staff, message.pk, comment="已电话回访，群众对答复无异议，予以办结。")
        return message

    # -------------------------------------------------------------------------------------------- archive

    def archive(self, *, seed: int = 2024) -> op.ImportResult:
        """Generate :data:`channel_data.ARCHIVE_PER_CATEGORY` answered messages per category (templates ×
        places, each reply signed by its unit), plus a burst of the growing topic in the latest month, and
        store them through :func:`lvzhi.opinions.actions.import_messages`."""
        rng = random.Random(seed)
        rows: list[SourceMessage] = []

        def add(category: str, issue: int, place: str, days: int) -> None:
            units, issues = cd.ARCHIVE[category]
            title, body = (t.format(place=place) for t in issues[issue])
            unit = units[cd.ARCHIVE_UNIT[category][issue]]
            submitted = timezone.localtime(_days_ago(days, 8 + rng.randrange(10)))
            replied = min(submitted + timedelta(days=3 + rng.randrange(12)), timezone.localtime())
            short = dict(data.UNITS).get(unit, unit)
            reply = (f"您好！您反映的“{title}”问题已收悉。经{short}会同属地核查，已督促有关责任单位处理，"
                     f"并将加强日常监管。感谢您对我们工作的支持！\n{unit}\n{replied:%Y年%m月%d日}")
            rows.append(SourceMessage(
                external_id=f"DEMO-{len(rows) + 1:04d}", user=f"A{rng.randrange(10**6):06d}", title=title,
                body=body, submitted_at=submitted.replace(tzinfo=None), category=category,
                likes=rng.choice([0, 0, 1, 2, 3, 5, 8, 12]), dislikes=rng.choice([0, 0, 0, 1]), reply=reply,
                replied_at=replied.replace(tzinfo=None)))

        for category in cd.MESSAGE_CATEGORIES:
            _units, issues = cd.ARCHIVE[category]
            pairs = [(i, p) for i in range(len(issues)) for p in cd.ARCHIVE_PLACES]
            for issue, place in rng.sample(pairs, cd.ARCHIVE_PER_CATEGORY):
                add(category, issue, place, 5 + rng.randrange(cd.ARCHIVE_DAYS - 5))
        category, issue = cd.GROWING_TOPIC
        used = {(r.category, r.title) for r in rows}
        burst = [p for p in cd.ARCHIVE_PLACES
                 if (category, cd.ARCHIVE[category][1][issue][0].format(place=p)) not in used]
        for place in burst[:cd.GROWING_BURST]:
            add(category, issue, place, 2 + rng.randrange(25))
        return op.import_messages(self.council, rows, actor=self.staff)
