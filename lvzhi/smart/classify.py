"""Text classification for category and handling-unit recommendation.

Model: TF-IDF on jieba words (sublinear tf) concatenated with TF-IDF on character 1–3-grams of the
normalised text, fed to a one-vs-rest linear SVM (``LinearSVC``, balanced class weights). Confidences
are a softmax over the SVM margins with a temperature fitted on out-of-fold margins (3-fold) so that
they behave like probabilities (sum to 1 over all labels, each in 0..1).

Works with any string labels, including classes with a single example (they can be recommended but
are excluded from nothing), and with a single label (every text gets it with confidence 1.0).
Pure Python; no Django.
"""

from __future__ import annotations

import time
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import confusion_matrix, f1_score
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.svm import LinearSVC

from lvzhi.smart.text import normalize, tokenize

__all__ = ["MODEL_FORMAT", "CVReport", "Model", "cross_validate", "train"]

#: Stamp written into saved models; :meth:`Model.load` refuses other formats.
MODEL_FORMAT = "lvzhi.smart.classify/1"

_MISSING_CLASS_MARGIN = -5.0


def _split(text: str) -> list[str]:
    return text.split(" ")


@dataclass(frozen=True, slots=True)
class _Prepared:
    chars: list[str]  # normalised text, one line
    words: list[str]  # space-joined jieba tokens


def _prepare(texts: Sequence[str]) -> _Prepared:
    chars: list[str] = []
    words: list[str] = []
    for t in texts:
        if not isinstance(t, str):
            raise TypeError(f"文本必须是字符串，收到 {type(t).__name__}")
        n = normalize(t, keep_newlines=False)
        chars.append(n)
        words.append(" ".join(tokenize(n, normalized=True)))
    return _Prepared(chars, words)


def _check_training_input(texts: Sequence[str], labels: Sequence[str]) -> None:
    if len(texts) == 0:
        raise ValueError("训练数据为空：至少需要一条带标签的文本")
    if len(texts) != len(labels):
        raise ValueError(f"文本数（{len(texts)}）与标签数（{len(labels)}）不一致")
    for lab in labels:
        if not isinstance(lab, str) or not lab.strip():
            raise ValueError("标签必须是非空字符串")


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class Model:
    """A trained classifier. Create with :func:`train` or :meth:`Model.load`.

    Attributes:
        labels: all labels seen in training, sorted.
        temperature: softmax temperature applied to SVM margins (fitted, > 0).
        meta: training facts (n_samples, class counts, seconds, sklearn version, created time).
    """

    labels: list[str]
    word_vectorizer: TfidfVectorizer | None
    char_vectorizer: TfidfVectorizer | None
    svm: LinearSVC | None
    temperature: float = 1.0
    meta: dict[str, Any] = field(default_factory=dict)

    # -- inference -------------------------------------------------------------------------------
    def _features(self, prepared: _Prepared) -> sp.csr_matrix:
        assert self.word_vectorizer is not None and self.char_vectorizer is not None
        return sp.hstack(
            [self.word_vectorizer.transform(prepared.words), self.char_vectorizer.transform(prepared.chars)],
            format="csr",
        )

    def _margins(self, prepared: _Prepared) -> np.ndarray:
        if self.svm is None:
            return np.zeros((len(prepared.chars), 1))
        return _margins_for(self.svm, self._features(prepared), self.labels)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Confidence matrix of shape ``(len(texts), len(self.labels))``; rows sum to 1, values 0..1.

        Columns follow :attr:`labels`. Empty or whitespace-only texts get the same (prior-like) row.
        Raises ``TypeError`` for non-string items.
        """
        if len(texts) == 0:
            return np.zeros((0, len(self.labels)))
        return _softmax(self._margins(_prepare(texts)) * self.temperature)

    def top_k_batch(self, texts: Sequence[str], k: int = 3) -> list[list[tuple[str, float]]]:
        """:meth:`top_k` for many texts at once (much faster per text)."""
        if k < 1:
            raise ValueError("k 必须是正整数")
        proba = self.predict_proba(texts)
        k = min(k, len(self.labels))
        out = []
        for row in proba:
            idx = np.argsort(-row, kind="stable")[:k]
            out.append([(self.labels[i], float(row[i])) for i in idx])
        return out

    def top_k(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """The ``k`` most likely labels for ``text`` as ``[(label, confidence), ...]``.

        Ordered by decreasing confidence; confidences are ratios in 0..1 whose sum over *all* labels is
        1 (so the top-k sum is ≤ 1). Fewer than ``k`` items when the model knows fewer labels.

        Raises:
            ValueError: ``k`` < 1.
            TypeError: ``text`` is not a string.
        """
        if not isinstance(text, str):
            raise TypeError(f"文本必须是字符串，收到 {type(text).__name__}")
        return self.top_k_batch([text], k)[0]

    def predict(self, texts: Sequence[str]) -> list[str]:
        """Most likely label for each text."""
        if len(texts) == 0:
            return []
        if self.svm is None:
            return [self.labels[0]] * len(texts)
        margins = self._margins(_prepare(texts))
        return [self.labels[i] for i in margins.argmax(axis=1)]

    # -- persistence -----------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the model with joblib (compressed), stamped with :data:`MODEL_FORMAT` and versions."""
        payload = {
            "format": MODEL_FORMAT,
            "sklearn": sklearn.__version__,
            "model": self,
        }
        joblib.dump(payload, Path(path), compress=3)

    @classmethod
    def load(cls, path: str | Path) -> Model:
        """Load a model written by :meth:`save`.

        Raises:
            FileNotFoundError: no such file.
            ValueError: the file is not a lvzhi model or has another format version (Chinese message);
                a different scikit-learn version only triggers a ``UserWarning``.
        """
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"模型文件不存在：{path}")
        try:
            payload = joblib.load(path)
        except Exception as exc:
            raise ValueError(f"无法读取模型文件 {path.name}：{exc}") from exc
        if not isinstance(payload, dict) or payload.get("format") != MODEL_FORMAT:
            found = payload.get("format") if isinstance(payload, dict) else type(payload).__name__
            raise ValueError(f"模型文件格式不符：需要 {MODEL_FORMAT}，实际为 {found}，请重新训练")
        if payload.get("sklearn") != sklearn.__version__:
            warnings.warn(
                f"模型由 scikit-learn {payload.get('sklearn')} 训练，当前为 {sklearn.__version__}",
                UserWarning,
                stacklevel=2,
            )
        model = payload["model"]
        if not isinstance(model, cls):
            raise ValueError("模型文件内容不是分类模型")
        return model


def _margins_for(svm: LinearSVC, x: sp.csr_matrix, labels: Sequence[str]) -> np.ndarray:
    """SVM margins as an (n, len(labels)) matrix, filling classes unknown to ``svm`` with a low margin."""
    d = svm.decision_function(x)
    classes = list(svm.classes_)
    if d.ndim == 1:
        d = np.column_stack([-d, d])
    if classes == list(labels):
        return d
    out = np.full((x.shape[0], len(labels)), _MISSING_CLASS_MARGIN)
    pos = {lab: i for i, lab in enumerate(labels)}
    for j, c in enumerate(classes):
        out[:, pos[c]] = d[:, j]
    return out


def _make_vectorizers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    words = TfidfVectorizer(analyzer=_split, sublinear_tf=True, min_df=1, dtype=np.float32)
    chars = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2, max_features=300_000,
        dtype=np.float32,
    )
    return words, chars


def _make_svm(c: float) -> LinearSVC:
    return LinearSVC(C=c, class_weight="balanced", max_iter=5000)


def _fit_temperature(margins: np.ndarray, y_idx: np.ndarray) -> float:
    grid = np.geomspace(0.25, 64.0, 41)
    best_t, best_nll = 1.0, np.inf
    rows = np.arange(len(y_idx))
    for t in grid:
        p = _softmax(margins * t)
        nll = -np.mean(np.log(np.clip(p[rows, y_idx], 1e-12, 1.0)))
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return best_t


def _fit_prepared(prepared: _Prepared, labels: Sequence[str], *, c: float, seed: int,
                  calibrate: bool = True) -> Model:
    started = time.perf_counter()
    counts = Counter(labels)
    label_list = sorted(counts)
    meta: dict[str, Any] = {
        "n_samples": len(labels),
        "class_counts": dict(sorted(counts.items())),
        "sklearn": sklearn.__version__,
        "format": MODEL_FORMAT,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    if len(label_list) == 1:
        meta["seconds"] = time.perf_counter() - started
        return Model(label_list, None, None, None, 1.0, meta)

    wv, cv = _make_vectorizers()
    # min_df=2 can empty the char vocabulary on tiny corpora; fall back to min_df=1.
    try:
        xc = cv.fit_transform(prepared.chars)
    except ValueError:
        cv.set_params(min_df=1)
        xc = cv.fit_transform([c or " " for c in prepared.chars])
    try:
        xw = wv.fit_transform(prepared.words)
    except ValueError:  # no word at all (e.g. only digits) – keep a dummy vocabulary
        xw = wv.fit_transform([w or "_" for w in prepared.words])
    x = sp.hstack([xw, xc], format="csr")
    y = np.asarray(labels, dtype=object)
    svm = _make_svm(c).fit(x, y)

    temperature = 4.0
    if calibrate and len(labels) >= 30:
        y_idx = np.array([label_list.index(lab) for lab in labels])
        oof = np.zeros((len(labels), len(label_list)))
        min_count = min(counts.values())
        splitter: KFold | StratifiedKFold
        splitter = (StratifiedKFold(3, shuffle=True, random_state=seed) if min_count >= 3
                    else KFold(3, shuffle=True, random_state=seed))
        for tr, te in splitter.split(x, y):
            if len(set(y[tr])) < 2:
                oof[te] = 0.0
                continue
            fold_svm = _make_svm(c).fit(x[tr], y[tr])
            oof[te] = _margins_for(fold_svm, x[te], label_list)
        temperature = _fit_temperature(oof, y_idx)
    meta["temperature"] = temperature
    meta["seconds"] = time.perf_counter() - started
    return Model(label_list, wv, cv, svm, temperature, meta)


def train(texts: Sequence[str], labels: Sequence[str], *, c: float = 0.5, seed: int = 0,
          calibrate: bool = True) -> Model:
    """Train a classifier on raw texts and their labels.

    Args:
        texts: raw texts (titles, bodies, or title + body); any length, may contain emoji/traditional.
        labels: one non-empty string label per text (any number of classes; a class may have 1 sample).
        c: SVM regularisation (higher = fit training data more closely).
        seed: random seed for the calibration folds.
        calibrate: fit the softmax temperature on 3-fold out-of-fold margins (needs ≥ 30 samples;
            otherwise a fixed temperature of 4 is used). Disable to train ~4× faster.
    Returns:
        A :class:`Model`.
    Raises:
        ValueError: empty input, length mismatch, or an empty label (Chinese message).
        TypeError: a text is not a string.
    """
    _check_training_input(texts, labels)
    return _fit_prepared(_prepare(texts), list(labels), c=c, seed=seed, calibrate=calibrate)


@dataclass
class CVReport:
    """Result of :func:`cross_validate`. F1 values and accuracy are ratios in 0..1.

    ``confusion[i][j]`` counts samples of true label ``labels[i]`` predicted as ``labels[j]``.
    """

    labels: list[str]
    macro_f1: float
    accuracy: float
    weighted_f1: float
    per_class_f1: dict[str, float]
    support: dict[str, int]
    confusion: list[list[int]]
    folds: int
    n_samples: int
    seconds: float
    predictions: list[str] = field(repr=False, default_factory=list)

    def format(self) -> str:
        """A plain-text summary table (for CLIs and benchmarks)."""
        lines = [
            f"样本 {self.n_samples}，{self.folds} 折交叉验证：macro-F1 {self.macro_f1:.4f}，"
            f"accuracy {self.accuracy:.4f}，weighted-F1 {self.weighted_f1:.4f}（{self.seconds:.1f} s）",
        ]
        width = max((len(lab) for lab in self.labels), default=4)
        for lab in self.labels:
            lines.append(f"  {lab:<{width}}  F1 {self.per_class_f1[lab]:.4f}  n={self.support[lab]}")
        return "\n".join(lines)


def cross_validate(texts: Sequence[str], labels: Sequence[str], folds: int = 5, seed: int = 0, *,
                   c: float = 0.5, calibrate: bool = False) -> CVReport:
    """Stratified k-fold cross-validation of :func:`train` on ``texts``/``labels``.

    Classes with fewer samples than ``folds`` are kept (stratification is then best-effort and such a
    class may be absent from a training fold, which counts against the model).

    Args:
        folds: number of folds, 2..len(texts).
        seed: shuffling seed.
        calibrate: also fit temperatures inside each fold (does not change predictions; slower).
    Returns:
        A :class:`CVReport` with macro-F1, accuracy, weighted-F1, per-class F1, support and the
        confusion matrix (labels sorted).
    Raises:
        ValueError: empty input, length mismatch, fewer samples than folds, or folds < 2.
    """
    _check_training_input(texts, labels)
    if folds < 2:
        raise ValueError("折数至少为 2")
    if len(texts) < folds:
        raise ValueError(f"样本数（{len(texts)}）少于折数（{folds}）")
    started = time.perf_counter()
    prepared = _prepare(texts)
    y = np.asarray(labels, dtype=object)
    label_list = sorted(set(labels))
    counts = Counter(labels)
    splitter: KFold | StratifiedKFold
    if max(counts.values()) >= folds:
        splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    else:
        splitter = KFold(folds, shuffle=True, random_state=seed)
    pred = np.empty(len(y), dtype=object)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*least populated class.*")
        splits = list(splitter.split(np.zeros(len(y)), y))
    for tr, te in splits:
        sub = _Prepared([prepared.chars[i] for i in tr], [prepared.words[i] for i in tr])
        model = _fit_prepared(sub, list(y[tr]), c=c, seed=seed, calibrate=calibrate)
        test = _Prepared([prepared.chars[i] for i in te], [prepared.words[i] for i in te])
        if model.svm is None:
            pred[te] = model.labels[0]
        else:
            pred[te] = [model.labels[i] for i in model._margins(test).argmax(axis=1)]
    f1s = f1_score(y, pred, labels=label_list, average=None, zero_division=0)
    cm = confusion_matrix(y, pred, labels=label_list)
    return CVReport(
        labels=label_list,
        macro_f1=float(np.mean(f1s)),
        accuracy=float(np.mean(pred == y)),
        weighted_f1=float(f1_score(y, pred, labels=label_list, average="weighted", zero_division=0)),
        per_class_f1={lab: float(f) for lab, f in zip(label_list, f1s, strict=True)},
        support={lab: int(counts[lab]) for lab in label_list},
        confusion=cm.tolist(),
        folds=folds,
        n_samples=len(y),
        seconds=time.perf_counter() - started,
        predictions=[str(p) for p in pred],
    )
