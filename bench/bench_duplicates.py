"""Duplicate detection measured on pairs judged by reading, and the similar-case latency of the pages.

Usage::

    nice -n 10 .venv/bin/python bench/bench_duplicates.py [--data DIR] [--skip latency] [--queries 200]

Ground truth: ``bench/data/duplicates_labelled.tsv`` — 311 pairs of messages of 附件3 and 附件4, sampled across
the similarity range and each judged "same matter or not" by reading both messages (the rule is at the top of the
file). The labelled pairs are a stratified sample, richer in near pairs than the files; precision and recall are
printed on the labelled pairs and, as a rough estimate for a whole file, weighted by the size of the score stratum
each pair was drawn from (very uncertain: the lowest stratum, 0.05-0.2, holds tens of thousands of pairs of which
2 of the 24 read were the same matter, so each of those weighs thousands).

Sections:
  1. the old detector (cosine of pruned bigram vectors, ``find_duplicate_pairs``) at its threshold 0.8, the
     baseline of this run;
  2. the same-matter score shipped (``find_same_matter_pairs``, used by ``lvzhi find-duplicates`` and the
     similar-case panel) at its operating threshold, then 5-fold cross-validated figures: title weight and
     threshold chosen on four folds (highest recall with precision >= 0.95), counted on the fifth; the
     precision/recall curve over thresholds;
  3. speed of ``lvzhi find-duplicates``' code path on 附件3 against the baseline's;
  4. similar-case latency through ``lvzhi.smart.service.similar_cases`` (the pages' path: index built from the
     database on first use, then kept), cold and warm, against an in-memory ``SimilarityIndex.query`` baseline.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LABELLED = ROOT / "bench" / "data" / "duplicates_labelled.tsv"
FILES = {"附件3": "messages_with_likes_附件3.xlsx", "附件4": "messages_with_replies_附件4.xlsx"}
#: The strata the pairs were drawn from (old cosine score) and how many were drawn from each, per file.
STRATA = [(0.8, 1.01), (0.6, 0.8), (0.4, 0.6), (0.2, 0.4), (0.05, 0.2)]
MIN_PRECISION = 0.95


def _setup_django() -> None:
    if "DATABASE_URL" not in os.environ:
        data_dir = tempfile.mkdtemp(prefix="lvzhi-bench-")
        os.environ["LVZHI_DATA_DIR"] = data_dir
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
    import django

    django.setup()


def header(title: str) -> None:
    print(f"\n=== {title} " + "=" * max(0, 70 - len(title)), flush=True)


def read_labelled() -> list[tuple[str, str, str, int]]:
    """``[(file tag, a, b, same)]`` from the labelled file (comment lines skipped)."""
    with LABELLED.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"))
    return [(r["file"], r["a"], r["b"], int(r["same"])) for r in rows]


def pr(pred: list[bool], gold: list[int], weight: list[float] | None = None) -> tuple[float, float, int, int]:
    """(precision, recall, false positives, false negatives), optionally weighted."""
    w = weight or [1.0] * len(gold)
    tp = sum(wi for p, g, wi in zip(pred, gold, w, strict=True) if p and g)
    fp = sum(wi for p, g, wi in zip(pred, gold, w, strict=True) if p and not g)
    fn = sum(wi for p, g, wi in zip(pred, gold, w, strict=True) if not p and g)
    n_fp = sum(1 for p, g in zip(pred, gold, strict=True) if p and not g)
    n_fn = sum(1 for p, g in zip(pred, gold, strict=True) if not p and g)
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0), n_fp, n_fn


def choose(scores: list[float], gold: list[int]) -> tuple[float, float]:
    """(threshold, recall): the threshold with the highest recall at precision >= MIN_PRECISION (ties: the
    higher threshold); 1.0 when none reaches it."""
    best = (1.0, -1.0)
    for th in sorted(set(scores), reverse=True):
        pred = [s >= th for s in scores]
        p, r, _, _ = pr(pred, gold)
        if p >= MIN_PRECISION and r > best[1]:
            best = (th, r)
    return best


def folds(gold: list[int], k: int, seed: int) -> list[list[int]]:
    """Stratified folds (indices), positives and negatives dealt round-robin after a seeded shuffle."""
    rng = random.Random(seed)
    out: list[list[int]] = [[] for _ in range(k)]
    for label in (0, 1):
        idx = [i for i, g in enumerate(gold) if g == label]
        rng.shuffle(idx)
        for n, i in enumerate(idx):
            out[n % k].append(i)
    return out


def bench_quality(data: Path) -> None:
    from lvzhi.smart.duplicates import read_export
    from lvzhi.smart.similar import (
        DUPLICATE_THRESHOLD,
        TITLE_WEIGHT,
        combine_parts,
        find_duplicate_pairs,
        find_same_matter_pairs,
        same_matter_parts,
    )

    labelled = read_labelled()
    gold = [y for *_, y in labelled]
    header(f"labelled pairs: {LABELLED.relative_to(ROOT)} ({len(labelled)} pairs, {sum(gold)} same matter)")
    old: list[float] = [0.0] * len(labelled)
    full: list[float] = [0.0] * len(labelled)
    title: list[float] = [0.0] * len(labelled)
    ok: list[bool] = [True] * len(labelled)
    weight: list[float] = [1.0] * len(labelled)
    shipped_found: dict[str, set[tuple[str, str]]] = {}
    for tag, name in FILES.items():
        msgs = read_export(data / "tipdm2020c" / name)
        docs = msgs.texts()
        rows = [i for i, r in enumerate(labelled) if r[0] == tag]
        old_pairs = find_duplicate_pairs(docs, 0.05)
        old_score = {(min(a, b), max(a, b)): s for a, b, s in old_pairs}
        for i in rows:
            old[i] = old_score.get((labelled[i][1], labelled[i][2]), 0.0)
        # Weight = pairs of the file in the stratum / labelled pairs drawn from it (pairs under 0.05: weight 1).
        for lo, hi in STRATA:
            in_file = sum(1 for s in old_score.values() if lo <= s < hi)
            drawn = [i for i in rows if lo <= old[i] < hi]
            for i in drawn:
                weight[i] = in_file / len(drawn)
        f, t, c = same_matter_parts(docs, [(labelled[i][1], labelled[i][2]) for i in rows])
        for j, i in enumerate(rows):
            full[i], title[i], ok[i] = float(f[j]), float(t[j]), bool(c[j])
        shipped_found[tag] = {(min(a, b), max(a, b)) for a, b, _ in find_same_matter_pairs(docs)}

    print("\n1. baseline: old detector (cosine of pruned bigram vectors) at its threshold 0.8")
    p, r, fp, fn = pr([s >= 0.8 - 1e-6 for s in old], gold)
    pw, rw, _, _ = pr([s >= 0.8 - 1e-6 for s in old], gold, weight)
    print(f"   on the labelled pairs: precision {p:.3f}, recall {r:.3f} ({fp} false positives, {fn} missed); "
          f"weighted to the files: precision {pw:.3f}, recall {rw:.3f}")

    shipped = [float(s) for s in combine_parts(*_arrays(full, title, ok), TITLE_WEIGHT)]
    pred = [s >= DUPLICATE_THRESHOLD - 1e-6 for s in shipped]
    via_command = [(r[1], r[2]) in shipped_found[r[0]] for r in labelled]
    assert via_command == pred, "find_same_matter_pairs and the pair scores disagree"
    print(f"\n2. same-matter score shipped: max(full cosine, {TITLE_WEIGHT} x title cosine), 0 when the titles name "
          f"different places; threshold {DUPLICATE_THRESHOLD}")
    p, r, fp, fn = pr(pred, gold)
    pw, rw, _, _ = pr(pred, gold, weight)
    print(f"   at the operating threshold (chosen on all labelled pairs, so optimistic): precision {p:.3f}, recall "
          f"{r:.3f} ({fp} false positives, {fn} missed); weighted to the files: precision {pw:.3f}, recall {rw:.3f}")
    print("   (find-duplicates' pairs on the two files contain exactly the labelled pairs scored >= threshold)")

    weights = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
    for seed in (0, 1, 2):
        held_pred = [False] * len(labelled)
        chosen = []
        for test in folds(gold, 5, seed):
            train = [i for i in range(len(labelled)) if i not in set(test)]
            best = (-1.0, 1.0, 0.0)
            for w in weights:
                sc = [float(s) for s in combine_parts(*_arrays([full[i] for i in train], [title[i] for i in train],
                                                               [ok[i] for i in train]), w)]
                th, rec = choose(sc, [gold[i] for i in train])
                if rec > best[0]:
                    best = (rec, th, w)
            _, th, w = best
            chosen.append((w, round(th, 3)))
            sc = combine_parts(*_arrays([full[i] for i in test], [title[i] for i in test], [ok[i] for i in test]), w)
            for i, s in zip(test, sc, strict=True):
                held_pred[i] = bool(s >= th)
        p, r, fp, fn = pr(held_pred, gold)
        pw, rw, _, _ = pr(held_pred, gold, weight)
        print(f"   5-fold cross-validated (seed {seed}; weight, threshold per fold {chosen}): precision {p:.3f}, "
              f"recall {r:.3f} ({fp} false positives, {fn} missed); weighted to the files: precision {pw:.3f}, "
              f"recall {rw:.3f}")
    print("   target: recall >= 0.95 at precision >= 0.95")
    best = (-1.0, 1.0, 0.0)
    for w in weights:
        th, rec = choose([float(s) for s in combine_parts(*_arrays(full, title, ok), w)], gold)
        if rec > best[0]:
            best = (rec, th, w)
    print(f"   chosen the same way on all labelled pairs (what ships): title weight {best[2]}, threshold "
          f"{best[1]:.3f} (shipped: {TITLE_WEIGHT}, {DUPLICATE_THRESHOLD})")

    print("\n   precision / recall on the labelled pairs by threshold (shipped score | old cosine):")
    print(f"   {'threshold':>9} {'precision':>9} {'recall':>7} | {'precision':>9} {'recall':>7}")
    for k in range(20, 101, 5):
        th = k / 100
        p, r, _, _ = pr([s >= th - 1e-6 for s in shipped], gold)
        po, ro, _, _ = pr([s >= th - 1e-6 for s in old], gold)
        print(f"   {th:>9.2f} {p:>9.3f} {r:>7.3f} | {po:>9.3f} {ro:>7.3f}")
    wrong = [(labelled[i], round(shipped[i], 3)) for i in range(len(labelled)) if pred[i] != bool(gold[i])]
    print(f"   pairs the shipped score gets wrong at {DUPLICATE_THRESHOLD} (file, a, b, same, score):")
    for (tag, a, b, y), s in wrong:
        print(f"     {tag} {a} {b} same={y} score={s}")


def _arrays(full: list[float], title: list[float], ok: list[bool]):  # type: ignore[no-untyped-def]
    import numpy as np

    return np.array(full, dtype=np.float64), np.array(title, dtype=np.float64), np.array(ok, dtype=bool)


def bench_speed(data: Path) -> None:
    from lvzhi.smart.duplicates import duplicate_pairs, read_export
    from lvzhi.smart.similar import find_duplicate_pairs

    header("speed: 附件3 (4,326 messages), one thread")
    path = data / "tipdm2020c" / FILES["附件3"]
    t0 = time.process_time()
    msgs = read_export(path)
    read_s = time.process_time() - t0
    t0 = time.process_time()
    pairs = duplicate_pairs(msgs)
    new_s = time.process_time() - t0
    t0 = time.process_time()
    old = find_duplicate_pairs(msgs.texts(), 0.8)
    old_s = time.process_time() - t0
    print(f"reading the workbook {read_s:.2f} s CPU; same-matter pairs {new_s:.2f} s CPU ({len(pairs)} pairs) vs "
          f"old cosine pairs {old_s:.2f} s CPU ({len(old)} pairs): {new_s / old_s:.1f}x the baseline")


def bench_latency(data: Path, queries: int, seed: int) -> None:
    from django.core.management import call_command

    from lvzhi.members import actions as org
    from lvzhi.opinions import actions as op
    from lvzhi.opinions.models import Message
    from lvzhi.opinions.sources import read_messages
    from lvzhi.smart import service
    from lvzhi.smart.similar import SimilarityIndex

    header("similar-case latency through lvzhi.smart.service.similar_cases (the pages' path)")
    call_command("migrate", verbosity=0)
    council = org.create_council(None, name="基准市政协", short_name="基准")
    msgs: list = []
    for name in FILES.values():
        msgs += read_messages(data / "tipdm2020c" / name)[0]
    t0 = time.perf_counter()
    result = op.import_messages(council, msgs)
    print(f"database: {os.environ['DATABASE_URL'].split(':')[0]}; imported {result.created} messages of 附件3 + "
          f"附件4 in {time.perf_counter() - t0:.1f} s")
    rng = random.Random(seed)
    cases = list(Message.objects.filter(council=council).order_by("pk"))
    sample = rng.sample(cases, min(queries, len(cases)))
    cold = []
    for case in sample[:5]:
        service.reset_indexes()
        t0 = time.perf_counter()
        service.similar_cases(case)
        cold.append(time.perf_counter() - t0)
    warm = []
    for case in sample:
        t0 = time.perf_counter()
        service.similar_cases(case)
        warm.append(time.perf_counter() - t0)
    index = SimilarityIndex()
    index.add_many((f"m{c.pk}", service.case_text(c)) for c in cases)
    index.optimize()
    base = []
    for case in sample:
        t0 = time.perf_counter()
        index.query(service.case_text(case), k=service.SIMILAR_K * 4 + 5, exclude=[f"m{case.pk}"])
        base.append(time.perf_counter() - t0)

    def q(xs: list[float], p: float) -> float:
        return statistics.quantiles(xs, n=100)[int(p) - 1] * 1000 if len(xs) > 1 else xs[0] * 1000

    print(f"cold (index built from the database on first use; 5 runs): median {statistics.median(cold) * 1000:.0f} ms,"
          f" max {max(cold) * 1000:.0f} ms for {len(cases)} cases")
    print(f"warm ({len(warm)} queries): p50 {q(warm, 50):.1f} ms, p95 {q(warm, 95):.1f} ms "
          f"(includes the check for new rows, the access query, the rows fetched and the same-matter marks)")
    print(f"baseline in-memory SimilarityIndex.query: p50 {q(base, 50):.1f} ms, p95 {q(base, 95):.1f} ms; "
          f"warm page path = {q(warm, 50) / q(base, 50):.1f}x the baseline at p50")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / ".." / "shared" / "data")
    parser.add_argument("--skip", default="", help="comma-separated: quality,speed,latency")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    _setup_django()
    if "quality" not in skip:
        bench_quality(args.data)
    if "speed" not in skip:
        bench_speed(args.data)
    if "latency" not in skip:
        bench_latency(args.data, args.queries, args.seed)


if __name__ == "__main__":
    main()
