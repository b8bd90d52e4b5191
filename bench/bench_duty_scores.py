"""Duty-score benchmark: time to score a whole council for a year, and how it grows with members and with
activities.

Usage: ``python bench/bench_duty_scores.py [--members 500] [--activities 200] [--repeat 3]``

Builds a fresh SQLite database in a temporary directory (or uses ``DATABASE_URL`` if set — give it a scratch
database). For each size it creates a council through the action functions, then bulk-inserts (a benchmark
shortcut, shaped exactly like the writers make them) the members, ``activities`` meetings and activities
of the year each inviting every member (about 85 % checked in, 5 % on approved leave, the rest absent; one
in ten meetings a plenary, one in ten a standing-committee meeting), and a year of cases: two proposals per
member (one in three joint with one or two confirmed co-signers; 80 % filed, 5 % key, 2 % excellent) and one
public-opinion report per member (half adopted). It installs the Tongcheng rules and times
:func:`lvzhi.duties.scoring.score_council` for the year (best of ``--repeat``), split into reading the acts
(the providers' queries and the acts made) and scoring them (both with the garbage collector paused as
:func:`score_council` does), and prints the figures with ratios to the smallest size.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

YEAR = 2025


def _setup_django() -> None:
    if "DATABASE_URL" not in os.environ:
        data_dir = tempfile.mkdtemp(prefix="lvzhi-bench-")
        os.environ["LVZHI_DATA_DIR"] = data_dir
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(n_members: int, n_activities: int, rng: random.Random) -> object:
    """A council with ``n_members`` members, ``n_activities`` meetings of the year and a year of cases."""
    from django.utils import timezone

    from lvzhi.duties import actions as act
    from lvzhi.duties.models import CheckIn, Invitee, Meeting
    from lvzhi.members import actions as org
    from lvzhi.members.choices import Role
    from lvzhi.members.models import Member
    from lvzhi.opinions.defaults import REPORT_CASE_TYPE
    from lvzhi.opinions.models import Report
    from lvzhi.proposals.models import CoSigner, Proposal
    from lvzhi.workflow.models import State

    name = f"基准市政协{n_members}x{n_activities}"
    council = org.create_council(None, name=name, short_name=name[:6])
    term = org.create_term(None, council, number=14, start_date=datetime(YEAR - 2, 1, 1).date())
    session = org.create_session(None, term, number=3, window_start=datetime(YEAR, 1, 1).date(),
                                 plenary_start=datetime(YEAR, 1, 8).date(), plenary_end=datetime(YEAR, 1, 12).date())
    staff = org.create_account(None, username=f"{name}-staff", password="Bench-2026-x", role=Role.STAFF,
                               council=council)
    members = Member.objects.bulk_create([Member(council=council, term=term, name=f"委员{i:04d}")
                                          for i in range(n_members)])
    kinds = ["plenary", "standing", "research", "inspection", "forum", "training", "consultation", "sector",
             "welfare", "research"]
    tz = timezone.get_current_timezone()
    meetings = []
    for k in range(n_activities):
        start = timezone.make_aware(datetime(YEAR, 1, 6, 9) + timedelta(days=k * 355 // max(1, n_activities)), tz)
        meetings.append(Meeting(council=council, kind=kinds[k % len(kinds)], title=f"活动{k:03d}", start=start,
                                end=start + timedelta(hours=3)))
    meetings = Meeting.objects.bulk_create(meetings)
    invitees, checkins = [], []
    for m in meetings:
        for member in members:
            r = rng.random()
            leave = "approved" if 0.85 <= r < 0.90 else ""
            invitees.append(Invitee(meeting=m, member=member, response="leave" if leave else "confirmed",
                                    leave_status=leave))
            if r < 0.85:
                checkins.append(CheckIn(meeting=m, member=member, slot="", method="staff", checked_in_at=m.start))
    Invitee.objects.bulk_create(invitees, batch_size=5000)
    CheckIn.objects.bulk_create(checkins, batch_size=5000)
    # a year of cases
    states = {s.code: s for s in State.objects.filter(workflow__council=council, workflow__case_type="proposal")}
    filed_state, submitted_state = states["filed"], states["submitted"]
    proposals, cos = [], []
    for i in range(2 * n_members):
        when = timezone.make_aware(datetime(YEAR, 1, 10, 10) + timedelta(days=i % 300), tz)
        filed = rng.random() < 0.8
        proposals.append(Proposal(
            council=council, session=session, workflow_id=filed_state.workflow_id,
            state=filed_state if filed else submitted_state, title=f"提案{i:05d}", first_proposer=members[i % n_members],
            proposer_kind="member", suggestions="建议", submitted_at=when, filed_at=when if filed else None,
            is_key=rng.random() < 0.05, excellent_year=YEAR if rng.random() < 0.02 else None, source="bench"))
    proposals = Proposal.objects.bulk_create(proposals, batch_size=2000)
    for i, p in enumerate(proposals):
        if i % 3 == 0:
            for j in range(1 + i % 2):
                cos.append(CoSigner(proposal=p, member=members[(i + 7 + j) % n_members], status="confirmed",
                                    expires_at=p.submitted_at.date()))  # type: ignore[union-attr]
    CoSigner.objects.bulk_create(cos, batch_size=5000)
    rstates = {s.code: s for s in State.objects.filter(workflow__council=council, workflow__case_type=REPORT_CASE_TYPE)}
    rstate = next(iter(rstates.values()))
    Report.objects.bulk_create([Report(
        council=council, workflow_id=rstate.workflow_id, state=rstate, title=f"社情民意{i:05d}", member=members[i],
        submitter_kind="member", submitted_at=timezone.make_aware(datetime(YEAR, 3, 1, 10) + timedelta(days=i % 250), tz),
        adopted_at=timezone.now() if i % 2 == 0 else None) for i in range(n_members)], batch_size=2000)
    act.install_example(staff, council, "tongcheng", activate=True)
    return council


def measure(council: object, repeat: int) -> tuple[float, float, float, int, int]:
    """Best of ``repeat``: (total s, reading acts s, scoring s, acts, members)."""
    from lvzhi.duties import acts as registry
    from lvzhi.duties.rules import spec_of
    from lvzhi.duties.scoring import active_rule_set, score_council, score_member, year_bounds

    start, end = year_bounds(YEAR)
    score_council(council, start, end)  # type: ignore[arg-type]  # warm-up (imports, URL resolver)
    totals, reads, scores = [], [], []
    n_acts = n_members = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = score_council(council, start, end)  # type: ignore[arg-type]
        totals.append(time.perf_counter() - t0)
        n_members = len(result.members)
        gc.disable()  # as score_council does
        t0 = time.perf_counter()
        acts = registry.acts_of(council, start, end)  # type: ignore[arg-type]
        reads.append(time.perf_counter() - t0)
        n_acts = len(acts)
        spec = spec_of(active_rule_set(council))  # type: ignore[arg-type]
        by: dict[int, list[object]] = {}
        for a in acts:
            by.setdefault(a.member_id, []).append(a)
        t0 = time.perf_counter()
        for mid, mine in by.items():
            score_member(spec, mid, "", mine)  # type: ignore[arg-type]
        scores.append(time.perf_counter() - t0)
        del acts, by
        gc.enable()
    return min(totals), min(reads), min(scores), n_acts, n_members


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--activities", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    _setup_django()
    rng = random.Random(11)
    m, a = args.members, args.activities
    sizes = [(m // 4, a), (m // 2, a), (m, a), (m, a // 4), (m, a // 2)]
    rows = []
    for members, activities in sizes:
        t0 = time.perf_counter()
        council = build(members, activities, rng)
        built = time.perf_counter() - t0
        total, read, score, n_acts, n_members = measure(council, args.repeat)
        rows.append((members, activities, n_acts, n_members, total, read, score, built))
        print(f"  … built {members} × {activities} in {built:.1f} s", file=sys.stderr)
    db = os.environ["DATABASE_URL"].split(":")[0]
    print(f"\nduty scores of a council for {YEAR} (Tongcheng rules), best of {args.repeat}, database {db}")
    print(f"{'members':>8}{'activities':>11}{'acts':>9}{'total s':>9}{'read s':>8}{'score s':>9}{'µs/act':>8}"
          f"{'× smallest':>11}")
    base = rows[0][4]
    for members, activities, n_acts, _n, total, read, score, _b in rows:
        print(f"{members:>8}{activities:>11}{n_acts:>9,}{total:>9.3f}{read:>8.3f}{score:>9.3f}"
              f"{total / n_acts * 1e6:>8.1f}{total / base:>11.2f}")


if __name__ == "__main__":
    main()
