"""Liaison stations at the seeds' scale, measured in one run.

    .venv/bin/python bench/bench_stations.py --stations 605 --central 73 --matters 967

Sets up a fresh SQLite database in a temporary directory, builds a people's congress the way the tests do
(``tests.cases.npc.build_npc``), then through the real writers: creates ``--stations`` stations (``--central``
of them central), registers receptions of three matters each until ``--matters`` matters are in, and triages
them (a quarter each answered on the spot, referred to the town, turned into suggestions, declined). Prints:

1. stations created per second, matters registered per second and triage acts per second;
2. the 数读 (:func:`lvzhi.stations.queries.station_figures`) time against a baseline that counts the same
   figures with plain Python loops over every row (the ratio: < 1 means the query is faster), and checks they
   agree.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup_django(data_dir: Path) -> None:
    os.environ["LVZHI_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "lvzhi.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def run(stations: int, central: int, matters: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from django.utils import timezone

    from lvzhi.core.calendar import add_months
    from lvzhi.stations import actions as st
    from lvzhi.stations.models import Matter, Reception
    from lvzhi.stations.queries import station_figures
    from tests.cases.npc import build_npc

    npc = build_npc("基准测试市人大常委会")
    staff = npc.user("staff")
    today = timezone.localdate()
    t0 = time.perf_counter()
    made = [st.save_station(staff, npc.council, name=f"第{i + 1}联络站", level="central" if i < central else "ordinary",
                            district=f"{i % 7 + 1}区", town=f"{i % 60 + 1}镇", address=f"某路{i + 1}号",
                            deputies=[npc.deputies[i % 5]]) for i in range(stations)]
    t_stations = time.perf_counter() - t0
    t0 = time.perf_counter()
    registered = 0
    i = 0
    while registered < matters:
        n = min(3, matters - registered)
        st.register_reception(staff, made[i % len(made)], date=today - timedelta(days=i % 28),
                              deputies=[npc.deputies[i % 5]], visitors=n,
                              matters=[{"content": f"第{registered + k + 1}件群众意见"} for k in range(n)])
        registered += n
        i += 1
    t_matters = time.perf_counter() - t0
    t0 = time.perf_counter()
    acts = 0
    for k, m in enumerate(Matter.objects.order_by("id").select_related("reception")):
        kind = k % 4
        if kind == 0:
            st.answer_on_spot(staff, m.pk, answer="当场答复")
        elif kind == 1:
            st.refer(staff, m.pk, to="town", referred_to="街道")
        elif kind == 2:
            deputy = m.reception.deputies.get()  # type: ignore[union-attr]
            st.convert_to_suggestion(staff, m.pk, deputy=deputy, title=f"关于第{k}件的建议")
        else:
            st.decline(staff, m.pk, ground="litigation", reason="已进入诉讼")
        acts += 1
    t_acts = time.perf_counter() - t0

    start, end = today - timedelta(days=60), today
    t0 = time.perf_counter()
    fig = station_figures(npc.council, start, end)
    t_query = time.perf_counter() - t0
    t0 = time.perf_counter()
    receptions = [r for r in Reception.objects.all() if start <= r.date <= end]
    deputies = {d.pk for r in receptions for d in r.deputies.all()}
    rows = [(m, m.reception.date) for m in Matter.objects.all() if m.reception and start <= m.reception.date <= end]
    within = sum(1 for m, raised in rows if m.solved_at and timezone.localdate(m.solved_at) <= add_months(raised, 1))
    converted = sum(1 for m, _ in rows if m.suggestion_id)
    t_loop = time.perf_counter() - t0
    assert (fig.receptions, fig.deputies_taking_part, fig.matters, fig.solved_within_month, fig.converted) == (
        len(receptions), len(deputies), len(rows), within, converted), "figures disagree with the plain loops"
    return {"stations_per_s": stations / t_stations, "matters_per_s": registered / t_matters,
            "acts_per_s": acts / t_acts, "figures_ms": t_query * 1000, "loops_ms": t_loop * 1000,
            "ratio": t_query / t_loop if t_loop else float("inf")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=605)
    parser.add_argument("--central", type=int, default=73)
    parser.add_argument("--matters", type=int, default=967)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _setup_django(Path(tmp))
        r = run(args.stations, args.central, args.matters)
    print(f"stations: {args.stations} ({args.central} central), matters: {args.matters}")
    print(f"create stations      {r['stations_per_s']:8.1f} /s")
    print(f"register matters     {r['matters_per_s']:8.1f} /s (receptions of 3)")
    print(f"triage acts          {r['acts_per_s']:8.1f} /s (a quarter turned into suggestions)")
    print(f"数读 station_figures  {r['figures_ms']:8.1f} ms")
    print(f"baseline plain loops {r['loops_ms']:8.1f} ms")
    print(f"ratio figures/loops  {r['ratio']:8.2f}")


if __name__ == "__main__":
    main()
