"""List-page benchmark: render time and SQL queries per page of the proposal list as the table grows.

Usage: ``.venv/bin/python bench/bench_list.py [--rows 100000] [--pages 40]``

Builds a fresh SQLite database in a temporary directory (or uses ``DATABASE_URL`` if set — give it a scratch
database), creates one council through the action functions, then bulk-inserts proposals in several states
(bulk insertion is a benchmark shortcut: going through the actions for 100,000 rows would take the better part of an
hour; the rows are shaped exactly like the actions make them, search text included). It renders the list page as a
staff user through Django's test client at two table sizes — a baseline of 1,000 rows and ``--rows`` — and prints, for
each: p50/p95 render time in milliseconds and the number of SQL queries per page (first page, deep pages, a filter,
a full-text search), each with the count uncapped (exact ``COUNT`` and deep ``OFFSET``, as before) and capped
(:class:`lvzhi.core.paging.CappedPaginator`, what the page does). The query count must be the same at both sizes
(no N+1); render time is reported as a ratio to the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


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


TITLES = ["关于加快{}建设的建议", "关于完善{}机制的建议", "关于推进{}高质量发展的建议", "关于加强{}管理的建议",
          "关于优化{}服务的建议", "关于解决{}难题的建议"]
TOPICS = ["城市更新", "侨乡文化", "养老服务", "职业教育", "交通枢纽", "海洋经济", "乡村振兴", "医疗保障", "营商环境",
          "生态环境", "数字政府", "住房保障", "农村供水", "中小企业融资", "社区治理", "旅游品牌"]


def _grow(world: object, target: int, rng: random.Random) -> None:
    """Insert proposals until the council has ``target`` of them (bulk, shaped like the actions make them)."""
    from django.utils import timezone

    from lvzhi.core.search import index_text
    from lvzhi.proposals.choices import AssignmentRole, AssignmentStatus
    from lvzhi.proposals.models import Assignment, Proposal
    from lvzhi.workflow.models import State

    council, session = world.council, world.session  # type: ignore[attr-defined]
    units, members, categories = world.units, world.members, world.categories  # type: ignore[attr-defined]
    states = {s.code: s for s in State.objects.filter(workflow__council=council, workflow__case_type="proposal")}
    workflow_id = next(iter(states.values())).workflow_id
    have = Proposal.objects.filter(council=council).count()
    batch: list[Proposal] = []
    now = timezone.now()
    codes = ["submitted", "filed", "assigned", "assigned", "replied", "evaluated", "closed"]
    while have < target:
        n = have + len(batch)
        code = codes[n % len(codes)]
        title = rng.choice(TITLES).format(rng.choice(TOPICS))
        member = members[n % len(members)]
        batch.append(Proposal(
            council=council, session=session, workflow_id=workflow_id, state=states[code], title=title,
            category=categories[n % len(categories)], first_proposer=member, proposer_kind="member",
            suggestions="建议", submitted_at=now, number=f"14-3-{n + 1:06d}" if code != "submitted" else "",
            search_text=index_text(title, member.name), source="bench"))
        if len(batch) == 5000 or have + len(batch) >= target:
            created = Proposal.objects.bulk_create(batch)
            assignments = [Assignment(proposal=p, unit=units[i % len(units)], role=AssignmentRole.SOLE,
                                      status=AssignmentStatus.HANDLING, deadline=now.date(),
                                      sendback_deadline=now.date())
                           for i, p in enumerate(created) if p.state.code not in ("submitted", "filed")]
            Assignment.objects.bulk_create(assignments)
            have += len(batch)
            batch = []
            print(f"  … {have:,} proposals", file=sys.stderr)


def _measure(client: object, urls: list[str], pages: int) -> dict[str, tuple[float, float, int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = {}
    for url in urls:
        times, queries = [], set()
        for _ in range(pages):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url)  # type: ignore[attr-defined]
                times.append((time.perf_counter() - t0) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            queries.add(len(ctx.captured_queries))
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        out[url] = (statistics.median(times), p95, max(queries))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument("--pages", type=int, default=40, help="renders per URL and size")
    args = parser.parse_args()
    _setup_django()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from tests.conftest import build_world

    setup_test_environment()
    rng = random.Random(7)
    world = build_world("基准测试市政协")
    client = Client()
    client.force_login(world.user("staff"))
    base = reverse("proposal-list")
    from lvzhi.core import paging

    capped_at = paging.COUNT_CAP
    results: dict[tuple[int, str], dict[str, tuple[float, float, int]]] = {}
    for size in (args.baseline, args.rows):
        _grow(world, size, rng)
        last_page = max(1, size // 25)
        urls = [base, f"{base}?page={last_page // 2}", f"{base}?page={last_page}",
                f"{base}?state=assigned&unit={world.units[0].pk}", f"{base}?q=养老服务"]
        # "exact": the count and the pages uncapped, as before CappedPaginator (exact COUNT, deep OFFSET);
        # "capped": what the page does (at most COUNT_CAP rows counted; a page past the cap serves the last).
        for mode, cap in (("exact", 10**15), ("capped", capped_at)):
            paging.COUNT_CAP = cap
            results[size, mode] = _measure(client, urls, args.pages)
    paging.COUNT_CAP = capped_at
    print(f"\nproposal list page, {args.pages} renders per URL, database {os.environ['DATABASE_URL'].split(':')[0]}")
    print(f"count cap {capped_at:,} rows; ×base: p50 against the same URL at {args.baseline:,} rows, counted exactly")
    print(f"{'URL':<42}{'rows':>10}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'p50 ×base':>11}")
    for (size, mode), rows in results.items():
        for i, (url, (p50, p95, q)) in enumerate(rows.items()):
            base_p50 = list(results[args.baseline, "exact"].values())[i][0]
            print(f"{url[:41]:<42}{size:>10,}{mode:>8}{p50:>9.1f}{p95:>9.1f}{q:>9}{p50 / base_p50:>11.2f}")
    grew = [url for (url, big), small in zip(results[args.rows, "capped"].items(),
                                             results[args.baseline, "capped"].values(), strict=True)
            if big[2] != small[2]]
    print("queries per page independent of table size:", "yes" if not grew else f"NO for {grew}")


if __name__ == "__main__":
    main()
