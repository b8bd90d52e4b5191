"""Benchmark of lvzhi.smart on the real data in shared/data (nothing hard-coded: every figure is measured).

Usage::

    .venv/bin/python bench/bench_smart.py [--size N] [--data DIR] [--skip classify,proposals,dups,similar,topics]

Sections:
  1. classification: 5-fold CV macro-F1 / per-class F1 on titles_labelled.tsv and bodies_labelled.tsv;
     messages classified per second on one core (batch top-3 on bodies).
  2. proposals: 5-fold CV macro-F1 on the 14 categories of jszx2019-proposals/proposals.csv.
  3. duplicates: agreement of find_duplicate_pairs on 附件3 with a Jaccard heuristic (not duplicates judged by
     reading: for those see bench/bench_duplicates.py and bench/data/duplicates_labelled.tsv).
  4. similar: "most similar" query latency p50/p95 over an index of --size generated messages.
  5. topics: seconds to cluster 附件3 and the top-10 topics.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import resource
import sys
import time
from pathlib import Path

# Single core for the throughput figures (must be set before numpy/scipy load their BLAS).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from lvzhi.opinions.sources import read_labelled, read_messages, read_proposals  # noqa: E402
from lvzhi.smart.classify import cross_validate, train  # noqa: E402
from lvzhi.smart.similar import SimilarityIndex, find_duplicate_pairs, matching_form  # noqa: E402
from lvzhi.smart.text import mask_personal_data  # noqa: E402
from lvzhi.smart.topics import TopicDoc, hot_topics  # noqa: E402


def rss_mb() -> float:
    """Peak resident memory of this process in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def header(title: str) -> None:
    print(f"\n=== {title} " + "=" * max(0, 70 - len(title)), flush=True)


def bench_classify(data: Path, seed: int) -> None:
    for name in ("titles", "bodies"):
        pairs = read_labelled(data / "tipdm2020c" / f"{name}_labelled.tsv")
        texts, labels = [t for t, _ in pairs], [y for _, y in pairs]
        header(f"classification: {name}_labelled.tsv ({len(texts)} texts, {len(set(labels))} classes)")
        report = cross_validate(texts, labels, folds=5, seed=seed)
        print(report.format())
        if name == "bodies":
            rng = random.Random(seed)
            idx = list(range(len(texts)))
            rng.shuffle(idx)
            train_idx, test_idx = idx[:5000], idx[5000:]
            t0 = time.perf_counter()
            model = train([texts[i] for i in train_idx], [labels[i] for i in train_idx], seed=seed)
            fit_s = time.perf_counter() - t0
            test = [texts[i] for i in test_idx]
            t0, c0 = time.perf_counter(), time.process_time()
            model.top_k_batch(test, k=3)
            dt, cpu = time.perf_counter() - t0, time.process_time() - c0
            mean_len = sum(map(len, test)) / len(test)
            print(f"throughput: trained on 5,000 bodies in {fit_s:.1f} s (incl. calibration); "
                  f"top-3 for {len(test)} bodies (mean {mean_len:.0f} chars) in {dt:.2f} s wall / "
                  f"{cpu:.2f} s CPU = {len(test) / dt:.0f} messages/s wall, {len(test) / cpu:.0f} per CPU-second "
                  f"(one thread; wall < CPU rate when the machine is shared)")
            t0 = time.perf_counter()
            for text in test[:200]:
                model.top_k(text, k=3)
            single = (time.perf_counter() - t0) / 200
            print(f"single-message top_k latency: {single * 1000:.1f} ms")


def bench_proposals(data: Path, seed: int) -> None:
    props = read_proposals(data / "jszx2019-proposals" / "proposals.csv")
    header(f"proposal categories: proposals.csv ({len(props)} proposals, "
           f"{len({p.category for p in props})} classes, text = 案由 + content)")
    report = cross_validate([p.text for p in props], [p.category for p in props], folds=5, seed=seed)
    print(report.format())


def _shingles(s: str, n: int = 3) -> set[str]:
    return {s[i : i + n] for i in range(max(1, len(s) - n + 1))}


def bench_duplicates(data: Path) -> None:
    from datasketch import MinHash, MinHashLSH

    msgs, report = read_messages(data / "tipdm2020c" / "messages_with_likes_附件3.xlsx")
    header(f"duplicates: 附件3 ({len(msgs)} messages; reader found {report.duplicate_rows} rows repeating "
           f"an earlier title+body)")
    print("ground truth (independent of the detector): a pair is a duplicate when")
    print("  (a) the character-3-gram Jaccard of the normalised BODIES is >= 0.8 (candidates from")
    print("      datasketch MinHash-LSH at 0.5, each verified by the exact Jaccard), or")
    print("  (b) the normalised TITLES are identical and the body 3-gram Jaccard is >= 0.5.")
    print("  Both rules are checkable by hand on any listed pair. The detector instead scores the cosine")
    print("  of idf-weighted character-bigram vectors of title + body.")
    ids = [m.external_id for m in msgs]
    body = {m.external_id: matching_form(m.body) for m in msgs}
    title = {m.external_id: matching_form(m.title) for m in msgs}
    full = {m.external_id: matching_form(m.title + m.body) for m in msgs}
    sh = {i: _shingles(body[i]) for i in ids}
    order = {i: n for n, i in enumerate(ids)}

    def jac(a: str, b: str) -> float:
        return len(sh[a] & sh[b]) / max(1, len(sh[a] | sh[b]))

    def key(a: str, b: str) -> tuple[str, str]:
        return (a, b) if order[a] < order[b] else (b, a)

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    hashes = {}
    for i in ids:
        mh = MinHash(num_perm=128, seed=1)
        mh.update_batch([s.encode("utf-8") for s in sh[i]])
        hashes[i] = mh
        lsh.insert(i, mh)
    truth: set[tuple[str, str]] = set()
    for i in ids:
        for j in lsh.query(hashes[i]):
            if j != i and jac(i, j) >= 0.8:
                truth.add(key(i, j))
    by_title: dict[str, list[str]] = {}
    for i in ids:
        by_title.setdefault(title[i], []).append(i)
    for group in by_title.values():
        for a, b in itertools.combinations(group, 2):
            if jac(a, b) >= 0.5:
                truth.add(key(a, b))
    exact = {p for p in truth if full[p[0]] == full[p[1]]}
    print(f"ground truth: {len(truth)} pairs, of which {len(exact)} exact duplicates (same normalised "
          f"title + body)")
    docs = [(m.external_id, f"{m.title}\n{m.body}") for m in msgs]
    print(f"{'threshold':>9} {'pairs':>6} {'precision':>9} {'recall':>7} {'exact recall':>12} {'seconds':>7}")
    for threshold in (0.6, 0.7, 0.8, 0.9, 1.0):
        t0 = time.perf_counter()
        found = {key(a, b) for a, b, _ in find_duplicate_pairs(docs, threshold)}
        dt = time.perf_counter() - t0
        tp = len(found & truth)
        precision = tp / len(found) if found else 0.0
        recall = tp / len(truth) if truth else 0.0
        exact_recall = len(found & exact) / len(exact) if exact else 0.0
        print(f"{threshold:>9.1f} {len(found):>6} {precision:>9.3f} {recall:>7.3f} {exact_recall:>12.3f} "
              f"{dt:>7.2f}")
        if threshold == 0.8:
            fps = sorted(found - truth)[:5]
            if fps:
                print("  sample detector pairs outside the ground truth at 0.8 (ids, masked titles):")
                for a, b in fps:
                    ta = mask_personal_data(next(m.title for m in msgs if m.external_id == a))[:24]
                    tb = mask_personal_data(next(m.title for m in msgs if m.external_id == b))[:24]
                    print(f"    {a} / {b}: {ta} | {tb}")


_SENT_RE = re.compile(r"(?<=[。！？!?；;])")


def generate_corpus(data: Path, size: int, seed: int) -> tuple[list[str], list[str], list[str]]:
    """``size`` synthetic messages recombined from the real ones: a real title + 2–6 real sentences from
    random messages, with 0–3 random characters replaced. Returns (generated, real titles, real bodies)."""
    titles: list[str] = []
    bodies: list[str] = []
    for name in ("messages_with_likes_附件3.xlsx", "messages_with_replies_附件4.xlsx",
                 "messages_unlabelled_测试数据.xlsx", "messages_labelled_sample_附件2.xlsx"):
        msgs, _ = read_messages(data / "tipdm2020c" / name)
        titles += [m.title for m in msgs]
        bodies += [m.body for m in msgs]
    bodies += [t for t, _ in read_labelled(data / "tipdm2020c" / "bodies_labelled.tsv")]
    sentences = [s for b in bodies for s in _SENT_RE.split(b) if len(s) >= 6]
    rng = np.random.default_rng(seed)
    n_s, n_t = len(sentences), len(titles)
    counts = rng.integers(2, 7, size=size)
    sent_idx = rng.integers(0, n_s, size=int(counts.sum()))
    title_idx = rng.integers(0, n_t, size=size)
    n_mut = rng.integers(0, 4, size=size)
    alphabet = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    out: list[str] = []
    pos = 0
    for i in range(size):
        c = int(counts[i])
        parts = [titles[title_idx[i]], "\n"]
        parts.extend(sentences[j] for j in sent_idx[pos : pos + c])
        pos += c
        text = "".join(parts)
        m = int(n_mut[i])
        if m:
            chars = list(text)
            for p in rng.integers(0, len(chars), size=m):
                chars[p] = alphabet[int(p) % len(alphabet)]
            text = "".join(chars)
        out.append(text)
    return out, titles, bodies


def bench_similar(data: Path, size: int, seed: int, queries: int) -> None:
    header(f"most-similar search over {size:,} messages")
    t0 = time.perf_counter()
    corpus, titles, bodies = generate_corpus(data, size, seed)
    gen_s = time.perf_counter() - t0
    print(f"generated {len(corpus):,} messages (real title + 2–6 real sentences, 0–3 chars mutated; "
          f"mean {sum(map(len, corpus)) / len(corpus):.0f} chars) in {gen_s:.1f} s")
    index = SimilarityIndex()
    t0 = time.perf_counter()
    reference = [f"{t}\n{b}" for t, b in zip(titles, bodies, strict=False)]
    index.fit_idf(reference)
    index.add_many((f"g{i}", text) for i, text in enumerate(corpus))
    index.optimize()
    build_s = time.perf_counter() - t0
    print(f"index built in {build_s:.1f} s ({size / build_s:,.0f} docs/s), vectors {index.nbytes / 2**20:,.0f} MB, "
          f"peak RSS of the benchmark process {rss_mb():,.0f} MB")
    rng = random.Random(seed)
    # Half the queries are generated documents with a few characters changed (their source must come
    # back at top-1), half are real messages (as a user typing a new message would send).
    lat: list[float] = []
    hits = 0
    n_dup = queries // 2
    for _ in range(n_dup):
        i = rng.randrange(size)
        chars = list(corpus[i])
        for _ in range(3):
            chars[rng.randrange(len(chars))] = "某"
        q = "".join(chars)
        t1 = time.perf_counter()
        res = index.query(q, k=10)
        lat.append(time.perf_counter() - t1)
        hits += bool(res) and res[0].id == f"g{i}"
    for _ in range(queries - n_dup):
        q = reference[rng.randrange(len(reference))]
        t1 = time.perf_counter()
        index.query(q, k=10)
        lat.append(time.perf_counter() - t1)
    arr = np.array(lat) * 1000
    print(f"{len(arr)} queries (k=10): p50 {np.percentile(arr, 50):.1f} ms, p95 {np.percentile(arr, 95):.1f} ms, "
          f"max {arr.max():.1f} ms")
    print(f"near-duplicate queries whose source came back at top-1: {hits}/{n_dup}")


def bench_topics(data: Path) -> None:
    msgs, _ = read_messages(data / "tipdm2020c" / "messages_with_likes_附件3.xlsx")
    header(f"hot topics: 附件3 ({len(msgs)} messages)")
    docs = [TopicDoc(m.external_id, m.title, m.body, m.submitted_at, m.likes, m.user) for m in msgs]
    result = hot_topics(docs, top_n=10)
    print(f"clustered in {result.seconds:.1f} s (jieba + TF-IDF + average linkage, cosine distance "
          f"{result.params['distance_threshold']}); periods compared: {result.previous_period} → "
          f"{result.latest_period}")
    for t in result.topics:
        places = "、".join(p for p, _ in t.places[:3])
        growth = "-" if t.growth is None else f"{t.growth:.2f}"
        print(f"{t.rank:>2}. {t.count:>3} msgs, {t.users or 0:>3} users, {t.likes or 0:>4} likes | "
              f"{'、'.join(t.terms)} | {places} | latest {t.latest_count} prev {t.previous_count} "
              f"growth {growth}{' ⚠' if t.warning else ''}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=200_000, help="similar-search corpus size (default 200,000)")
    parser.add_argument("--queries", type=int, default=400, help="number of similar-search queries")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip", default="", help="comma list of sections to skip")
    args = parser.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    started = time.perf_counter()
    if "classify" not in skip:
        bench_classify(args.data, args.seed)
    if "proposals" not in skip:
        bench_proposals(args.data, args.seed)
    if "dups" not in skip:
        bench_duplicates(args.data)
    if "similar" not in skip:
        bench_similar(args.data, args.size, args.seed, args.queries)
    if "topics" not in skip:
        bench_topics(args.data)
    header("total")
    print(f"{time.perf_counter() - started:.0f} s, peak RSS {rss_mb():,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
