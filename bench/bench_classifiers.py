"""The shipped message classifier against a character n-gram TF-IDF + LinearSVC baseline, same folds, same run.

Usage::

    nice -n 10 .venv/bin/python bench/bench_classifiers.py [--sample N] [--folds 5] [--data DIR]

For titles_labelled.tsv and bodies_labelled.tsv of ../shared/data/tipdm2020c (7 classes): stratified k-fold
cross-validated macro-F1 and accuracy of

- ``lvzhi`` — :func:`lvzhi.smart.classify.train` (jieba words + character 1–3-grams, LinearSVC C=0.5), and
- ``char`` — character 1–4-grams of the normalised text, sublinear TF-IDF, LinearSVC (C=0.5, balanced), no jieba;

and the speed of classifying bodies on one thread (bodies per CPU-second, top-3, model trained on the other
bodies). ``--sample N`` draws N rows per file (stratified) for a quick run first.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

from lvzhi.opinions.sources import read_labelled  # noqa: E402
from lvzhi.smart.classify import train  # noqa: E402
from lvzhi.smart.text import normalize  # noqa: E402


class CharModel:
    """Character 1–4-gram TF-IDF + LinearSVC (the baseline)."""

    def __init__(self) -> None:
        self.vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 4), sublinear_tf=True, min_df=2,
                                   max_features=400_000, dtype=np.float32)
        self.svm = LinearSVC(C=0.5, class_weight="balanced")

    def fit(self, texts: list[str], labels: list[str]) -> CharModel:
        self.svm.fit(self.vec.fit_transform([normalize(t, keep_newlines=False) for t in texts]), labels)
        return self

    def top3(self, texts: list[str]) -> list[list[str]]:
        margins = self.svm.decision_function(self.vec.transform([normalize(t, keep_newlines=False) for t in texts]))
        order = np.argsort(-margins, axis=1)[:, :3]
        return [[str(self.svm.classes_[j]) for j in row] for row in order]

    def predict(self, texts: list[str]) -> list[str]:
        return [row[0] for row in self.top3(texts)]


def stratified_sample(rows: list[tuple[str, str]], n: int, seed: int) -> list[tuple[str, str]]:
    by: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in rows:
        by[r[1]].append(r)
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    for label in sorted(by):
        k = max(5, round(n * len(by[label]) / len(rows)))
        out += rng.sample(by[label], min(k, len(by[label])))
    return out


def evaluate(rows: list[tuple[str, str]], folds: int, seed: int) -> None:
    texts, labels = [t for t, _ in rows], [y for _, y in rows]
    y = np.array(labels, dtype=object)
    pred = {"lvzhi": np.empty(len(y), dtype=object), "char": np.empty(len(y), dtype=object)}
    seconds = {"lvzhi": 0.0, "char": 0.0}
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        train_t, train_y, test_t = [texts[i] for i in tr], [labels[i] for i in tr], [texts[i] for i in te]
        c0 = time.process_time()
        model = train(train_t, train_y, seed=seed, calibrate=False)
        pred["lvzhi"][te] = model.predict(test_t)
        seconds["lvzhi"] += time.process_time() - c0
        c0 = time.process_time()
        pred["char"][te] = CharModel().fit(train_t, train_y).predict(test_t)
        seconds["char"] += time.process_time() - c0
    for name in ("lvzhi", "char"):
        f1 = f1_score(y, pred[name], average="macro")
        acc = float(np.mean(pred[name] == y))
        print(f"  {name:>5}: macro-F1 {f1:.4f}, accuracy {acc:.4f} ({seconds[name]:.0f} s CPU for the {folds} folds)")


def speed(rows: list[tuple[str, str]], seed: int) -> None:
    rng = random.Random(seed)
    idx = list(range(len(rows)))
    rng.shuffle(idx)
    cut = len(idx) * 4 // 5
    train_rows, test = [rows[i] for i in idx[:cut]], [rows[i][0] for i in idx[cut:]]
    lv = train([t for t, _ in train_rows], [y for _, y in train_rows], seed=seed)
    ch = CharModel().fit([t for t, _ in train_rows], [y for _, y in train_rows])
    rates = {}
    for name, fn in (("lvzhi", lambda: lv.top_k_batch(test, k=3)), ("char", lambda: ch.top3(test))):
        c0 = time.process_time()
        fn()
        rates[name] = len(test) / (time.process_time() - c0)
    mean_len = sum(map(len, test)) / len(test)
    print(f"  top-3 for {len(test)} bodies (mean {mean_len:.0f} characters), one thread: lvzhi "
          f"{rates['lvzhi']:.0f} bodies per CPU-second, char {rates['char']:.0f} "
          f"({rates['char'] / rates['lvzhi']:.1f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / ".." / "shared" / "data")
    parser.add_argument("--sample", type=int, default=0, help="rows per file (stratified); 0 = all")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for name in ("titles", "bodies"):
        rows = read_labelled(args.data / "tipdm2020c" / f"{name}_labelled.tsv")
        if args.sample:
            rows = stratified_sample(rows, args.sample, args.seed)
        print(f"\n=== {name}_labelled.tsv: {len(rows)} rows, {len({y for _, y in rows})} classes, "
              f"{args.folds}-fold CV ===", flush=True)
        evaluate(rows, args.folds, args.seed)
        if name == "bodies":
            speed(rows, args.seed)


if __name__ == "__main__":
    main()
