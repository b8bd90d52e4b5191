"""Importing the real Jiangsu 2019 proposals (350 rows) and taking a sample through the whole workflow.

The expected figures are computed here, independently: from the CSV read with the ``csv`` module, and from
the plan of acts the test carries out, never from the importer's own output.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from lvzhi.core.models import AuditEntry
from lvzhi.members import actions as org
from lvzhi.members.choices import Role
from lvzhi.members.models import Member, Organisation
from lvzhi.proposals import actions as act
from lvzhi.proposals import importing
from lvzhi.proposals.models import Assignment, Category, Proposal
from lvzhi.reports.queries import proposal_statistics
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

# The real data sets beside the project (../shared/data from the project root).
SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
CSV_PATH = SHARED_DATA / "jszx2019-proposals" / "proposals.csv"


def _csv_rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _import() -> tuple[Any, Any, importing.ImportResult]:
    rows = importing.read_proposals_file(CSV_PATH)
    session = importing.default_session(rows)
    actor = importing.import_account(session.term.council)
    return session, actor, importing.import_proposals(actor, rows, session=session)


def test_real_file_import_counts_proposers_sections_and_idempotence() -> None:
    source = _csv_rows()
    session, actor, result = _import()
    council = session.term.council
    assert (result.total, result.created, result.skipped) == (len(source), 350, 0)
    assert council.name == importing.DEFAULT_COUNCIL_NAME and session.term.number == 12 and session.number == 2

    proposals = Proposal.objects.filter(council=council)
    assert proposals.count() == 350
    assert set(proposals.values_list("state__code", flat=True)) == {"submitted"}
    assert set(proposals.values_list("source", flat=True)) == {"import"}
    assert set(proposals.values_list("external_id", flat=True)) == {r["pkid"] for r in source}

    # Categories: the 14 of the file, with the file's counts.
    expected_categories = Counter(r["type"] for r in source)
    assert len(expected_categories) == 14
    assert Category.objects.filter(council=council).count() == 14
    assert Counter(proposals.values_list("category__name", flat=True)) == expected_categories

    # Dates, numbers and titles as in the file; all within the plenary window taken from the file.
    by_pkid = {p.external_id: p for p in proposals.select_related("first_proposer", "organisation")}
    for r in source:
        p = by_pkid[r["pkid"]]
        assert p.title == r["reason"].strip()
        assert p.serial == r["proposal_number"]
        assert timezone.localtime(p.submitted_at).strftime("%Y-%m-%d %H:%M:%S") == r["publish_time"]
        assert p.is_plenary

    # Proposers: organisations vs persons, on rows checked by hand.
    def proposer_of(name: str) -> Proposal:
        return by_pkid[next(r["pkid"] for r in source if r["personnel_name"] == name)]

    for name, kind in [("民进江苏省委", "party_group"), ("九三学社江苏省委", "party_group"),
                       ("省工商联", "party_group"), ("省台联", "peoples_org"),
                       ("省政协教卫体委员会", "special_committee"), ("省政协学习委员会", "special_committee")]:
        p = proposer_of(name)
        assert (p.proposer_kind, p.organisation.name, p.organisation.kind, p.first_proposer) == (kind, name, kind, None)
    for name, member in [("邹正", "邹正"), ("业成", "业成"), ("蒋沁等11人", "蒋沁"), ("王黎明等15人", "王黎明")]:
        p = proposer_of(name)
        assert (p.proposer_kind, p.first_proposer.name, p.organisation) == ("member", member, None)
    # The file's organisations (independently: names of party provincial committees or starting with 省).
    org_names = {r["personnel_name"] for r in source
                 if r["personnel_name"].endswith("江苏省委") or r["personnel_name"].startswith("省")}
    assert set(Organisation.objects.filter(council=council).values_list("name", flat=True)) == org_names
    org_rows = sum(1 for r in source if r["personnel_name"] in org_names)
    assert proposals.filter(organisation__isnull=False).count() == org_rows
    persons = {r["personnel_name"].split("等")[0] for r in source if r["personnel_name"] not in org_names}
    assert set(Member.objects.filter(council=council).values_list("name", flat=True)) == persons

    # Sections: the text split into situation / analysis / suggestions.
    assert all(p.suggestions for p in by_pkid.values())
    labelled = [r for r in source if "调研情况：" in r["content"] and "具体建议：" in r["content"]]
    assert len(labelled) >= 320
    assert sum(1 for r in labelled if by_pkid[r["pkid"]].situation and by_pkid[r["pkid"]].analysis) >= 0.95 * len(labelled)
    first = by_pkid[source[0]["pkid"]]
    assert first.situation.startswith("2015年4月1日，习近平总书记首次提出")  # PDF spaces and line breaks rejoined
    assert "\n" not in first.situation.split("。")[0]
    assert first.analysis.startswith("由此，我们将从线上、线下两方面展开原因分析")
    assert "广泛学习他人经验" in first.suggestions and "调研情况" not in first.suggestions

    # Real audit trail: each proposal was created, imported and submitted through the actions.
    events = Counter(AuditEntry.objects.filter(council=council, target_id__in=[p.pk for p in by_pkid.values()])
                     .values_list("event", flat=True))
    assert events["created"] >= 350 and events["imported"] == 350 and events["transition"] == 350

    # Importing the same file again creates nothing.
    again = importing.import_proposals(actor, importing.read_proposals_file(CSV_PATH), session=session)
    assert (again.created, again.skipped) == (0, 350)
    assert Proposal.objects.filter(council=council).count() == 350


def _reply(staff: Any, proposal: Proposal, grade: str) -> None:
    handling = list(Assignment.objects.filter(proposal=proposal, status="handling").order_by("id"))
    # co-handling units first: the lead unit signs off only once their opinions are in (docs/decisions.md)
    for a in sorted(handling, key=lambda a: a.role != "co"):
        if a.role == "co":
            act.send_opinion(staff, a.pk, text="会办意见")
            continue
        reply = act.draft_reply(staff, a.pk, grade_code=grade, text=f"{a.unit.name}的答复")
        act.sign_off_reply(staff, reply.pk)


def _rate(proposal: Proposal, verdicts: list[str]) -> None:
    """The proposer rates each current reply (in assignment order) with ``verdicts``."""
    proposal.refresh_from_db()
    rater_id = next(iter(proposal.proposer_user_ids()))
    rater = type(proposal.created_by).objects.get(pk=rater_id)
    replies = [a.replies.get(round=a.round)
               for a in Assignment.objects.filter(proposal=proposal, status="replied").order_by("id")]
    unrated = [r for r in replies if not r.evaluations.filter(evaluator=rater).exists()]
    for reply, verdict in zip(unrated, verdicts, strict=True):
        act.evaluate_reply(rater, reply.pk, attitude="satisfied", relevance=verdict, result=verdict, overall=verdict)


def test_sample_through_the_workflow_matches_independent_figures() -> None:
    session, importer, _ = _import()
    council = session.term.council
    staff = org.create_account(None, username="js-staff", password=PASSWORD, role=Role.STAFF, council=council)
    units = [org.save_unit(None, council, name=n) for n in
             ["江苏省发展和改革委员会", "江苏省教育厅", "江苏省卫生健康委员会", "江苏省财政厅", "江苏省生态环境厅"]]
    sample = list(Proposal.objects.filter(council=council).order_by("submitted_at", "id")[:40])

    # Member accounts for the proposers of the sample (they rate their replies); organisations' proposals are
    # rated by the account that entered them (the import account).
    for i, p in enumerate(sample):
        if p.first_proposer_id and not hasattr(p.first_proposer, "profile"):
            org.create_account(None, username=f"js-m{i}", password=PASSWORD, role=Role.MEMBER, council=council,
                               member=p.first_proposer)
    sample = [Proposal.objects.select_related("first_proposer__profile").get(pk=p.pk) for p in sample]
    for p in sample[:3]:  # returned for revision, revised by the proposer, resubmitted
        act.return_for_revision(staff, p.pk, comment="请补充具体建议")
        proposer = type(staff).objects.get(pk=next(iter(p.proposer_user_ids())))
        act.update_draft(proposer, p.pk, suggestions=p.suggestions + "\n补充建议。")
        act.submit_proposal(proposer, p.pk)
    grounds = ["vague", "outside_remit", "personal"]
    for p, ground in zip(sample[3:6], grounds, strict=True):
        act.not_file_proposal(staff, p.pk, ground=ground, comment="不予立案说明")
    main = sample[8]
    act.file_proposal(staff, main.pk)
    act.merge_proposals(staff, main.pk, [sample[6].pk, sample[7].pk], comment="内容相近")
    to_file = sample[:3] + sample[9:40]
    for p in to_file:
        act.file_proposal(staff, p.pk)
    filed = [*sample[:3], *sample[8:40]]

    plans: dict[int, list[tuple[Any, str]]] = {}
    for i, p in enumerate(filed):
        if i < 16:
            plans[p.pk] = [(units[i % 5], "sole")]
        elif i < 26:
            plans[p.pk] = [(units[i % 5], "lead"), (units[(i + 1) % 5], "co")]
        elif i < 31:
            plans[p.pk] = [(units[i % 5], "separate"), (units[(i + 2) % 5], "separate")]
    for pk, plan in plans.items():
        act.assign_proposal(staff, pk, plan)
    assigned = [p for p in filed if p.pk in plans]
    not_replied = {p.pk for p in assigned[13:16]}  # three sole ones still being handled
    grades = "ABCD"
    expected_grades: Counter[str] = Counter()
    expected_satisfaction: Counter[str] = Counter()
    first_round: Counter[str] = Counter()
    verdict_cycle = ["satisfied", "basically", "unsatisfied", "satisfied"]
    rehandled = 0
    for i, p in enumerate(assigned):
        if p.pk in not_replied:
            continue
        grade = grades[i % 4]
        _reply(staff, p, grade)
        n_replies = sum(1 for _, role in plans[p.pk] if role != "co")
        verdicts = [verdict_cycle[(i + k) % 4] for k in range(n_replies)]
        _rate(p, verdicts)
        first_round.update(verdicts)
        if "unsatisfied" in verdicts:
            # Re-handled: the unsatisfied units reply again (grade A) and the proposer is satisfied.
            rehandled += 1
            p.refresh_from_db()
            assert p.state.code == "rehandling"
            _reply(staff, p, "A")
            _rate(p, ["satisfied"] * verdicts.count("unsatisfied"))
            final = ["satisfied" if v == "unsatisfied" else v for v in verdicts]
            finals_grades = ["A" if v == "unsatisfied" else grade for v in verdicts]
        else:
            final, finals_grades = verdicts, [grade] * n_replies
        expected_grades.update(finals_grades)
        expected_satisfaction.update(final)
        p.refresh_from_db()
        assert p.state.code == "evaluated"

    # Independent figures from the plan above.
    received, n_filed, n_merged, n_not_filed = 350, len(filed), 2, 3
    assert (n_filed, len(assigned), len(assigned) - len(not_replied)) == (35, 31, 28)
    states = Counter(Proposal.objects.filter(council=council).values_list("state__code", flat=True))
    assert states == Counter({"submitted": received - n_filed - n_merged - n_not_filed, "evaluated": 28,
                              "assigned": 3, "filed": n_filed - 31, "not_filed": 3, "merged": 2})
    stats = proposal_statistics(council, session=session)
    # The three returned proposals were resubmitted today, after the plenary window: ordinary proposals now.
    assert (stats.received, stats.plenary, stats.ordinary, stats.withdrawn) == (received, received - 3, 3, 0)
    assert (stats.filed, stats.merged, stats.not_filed) == (n_filed, n_merged, n_not_filed)
    assert stats.under_review == received - n_filed - n_merged - n_not_filed
    assert stats.filing_rate == pytest.approx(n_filed / received)
    assert {r.key: r.count for r in stats.not_filed_by_ground if r.count} == dict.fromkeys(grounds, 1)
    assert (stats.assigned, stats.replied) == (31, 28)
    assert stats.reply_rate == pytest.approx(28 / 31)
    assert {r.key: r.count for r in stats.grades if r.count} == dict(expected_grades)
    assert {r.key: r.count for r in stats.satisfaction if r.count} == dict(expected_satisfaction)
    first_ok = first_round["satisfied"] + first_round["basically"]
    assert (stats.first_evaluated, stats.first_satisfied) == (sum(first_round.values()), first_ok)
    assert rehandled > 0 and first_round["unsatisfied"] > 0
    expected_categories = Counter(r["type"] for r in _csv_rows())
    assert {r.label: r.received for r in stats.by_category} == dict(expected_categories)
    filed_categories = Counter(p.category.name for p in filed)
    assert {r.label: r.filed for r in stats.by_category if r.filed} == dict(filed_categories)
    kinds = Counter(Proposal.objects.filter(council=council).values_list("proposer_kind", flat=True))
    assert {r.key: r.count for r in stats.by_proposer_kind if r.count} == dict(kinds)
    assert importer.username.startswith("import-")
