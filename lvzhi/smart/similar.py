"""Exact / near-duplicate detection and "most similar cases" search.

Representation: each text is reduced to its *matching form* (NFKC-like folding of full-width letters
and digits, lower case, traditional → simplified, punctuation and whitespace removed), cut into
character bigrams, hashed into ``2**22`` buckets, weighted by ``(1 + ln tf) · idf``, pruned to the
``terms_per_doc`` heaviest terms and L2-normalised. Similarity is the cosine of two such vectors, a
ratio in 0..1 (1.0 = same distinctive bigrams in the same proportions). Exact duplicates (same
matching form) are found through a 64-bit hash and always score 1.0.

Search uses an inverted index (a CSC sparse matrix: one posting list per bigram bucket) so a query only
touches documents sharing one of its distinctive bigrams; recently added documents sit in a small
tail that is scanned directly until it is merged. Memory is about ``16 · terms_per_doc`` bytes per
document (≈1 GB for 1,000,000 documents at the default 64 terms) plus the ids.

Pure Python (numpy/scipy); no Django.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from lvzhi.smart.text import to_simplified

__all__ = ["DUPLICATE_THRESHOLD", "TITLE_WEIGHT", "Match", "SimilarityIndex", "combine_parts", "find_duplicate_pairs",
           "find_same_matter_pairs", "matching_form", "place_codes", "places_compatible", "same_matter_parts",
           "same_matter_score"]

N_FEATURES_BITS = 22
#: Operating threshold of the same-matter score (:func:`same_matter_score`): pairs scoring at least this are
#: reported as duplicates (chosen on the pairs judged by reading in bench/data/duplicates_labelled.tsv; the
#: figures are cross-validated, see bench/bench_duplicates.py).
DUPLICATE_THRESHOLD = 0.25
#: Weight of the title cosine in :func:`same_matter_score` (chosen with the threshold, same bench).
TITLE_WEIGHT = 0.6
_NON_WORD_RE = re.compile(r"[\W_]+", re.UNICODE)
_FULLWIDTH_ALNUM_RE = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_HASH_MULT = np.uint64(0x9E3779B97F4A7C15)


def matching_form(text: str) -> str:
    """The string compared for similarity: full-width letters/digits folded to ASCII, lower case,
    traditional → simplified, every non-word character (punctuation, spaces, emoji) removed.

    Raises:
        TypeError: ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise TypeError(f"文本必须是字符串，收到 {type(text).__name__}")
    if _FULLWIDTH_ALNUM_RE.search(text):
        text = _FULLWIDTH_ALNUM_RE.sub(lambda m: chr(ord(m.group(0)) - 0xFEE0), text)
    return _NON_WORD_RE.sub("", to_simplified(text.lower()))


def _exact_key(form: str) -> int:
    return int.from_bytes(hashlib.blake2b(form.encode("utf-8"), digest_size=8).digest(), "little")


def _bigram_counts(forms: Sequence[str], bits: int) -> sp.csr_matrix:
    """Raw bigram-bucket counts, shape (len(forms), 2**bits), computed for the whole batch at once."""
    n = len(forms)
    n_features = 1 << bits
    if n == 0:
        return sp.csr_matrix((0, n_features), dtype=np.float32)
    joined = "\x00".join(forms) + "\x00"
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(f) + 1 for f in forms), dtype=np.int64, count=n)
    row_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
    left, right = cp[:-1], cp[1:]
    ok = (left != 0) & (right != 0)
    keys = (left[ok] << np.uint64(21)) | right[ok]
    cols = ((keys * _HASH_MULT) >> np.uint64(64 - bits)).astype(np.int64)
    rows = row_of[:-1][ok]
    # Single-character texts have no bigram: use the character itself so they are not empty.
    single = np.flatnonzero(lengths == 2)
    if single.size:
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])[single]
        k1 = cp[starts] << np.uint64(21)
        rows = np.concatenate([rows, single])
        cols = np.concatenate([cols, ((k1 * _HASH_MULT) >> np.uint64(64 - bits)).astype(np.int64)])
    data = np.ones(rows.shape[0], dtype=np.float32)
    m = sp.csr_matrix((data, (rows, cols)), shape=(n, n_features), dtype=np.float32)
    m.sum_duplicates()
    return m


def _weight_and_prune(counts: sp.csr_matrix, idf: np.ndarray, keep: int | None) -> sp.csr_matrix:
    """(1 + ln tf) · idf, keep the ``keep`` heaviest terms per row, L2-normalise rows."""
    x = counts.copy()
    x.data = (1.0 + np.log(x.data)) * idf[x.indices]
    n = x.shape[0]
    if keep is not None and x.nnz:
        row_len = np.diff(x.indptr)
        if row_len.max(initial=0) > keep:
            rows = np.repeat(np.arange(n), row_len)
            order = np.lexsort((-x.data, rows))
            rank = np.arange(x.nnz) - np.repeat(x.indptr[:-1], row_len)
            chosen = order[rank < keep]
            chosen.sort()  # stays grouped by row, indices ascending inside rows
            new_len = np.minimum(row_len, keep)
            indptr = np.concatenate([[0], np.cumsum(new_len)])
            x = sp.csr_matrix((x.data[chosen], x.indices[chosen], indptr), shape=x.shape)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    x.data = (x.data / np.repeat(norms, np.diff(x.indptr))).astype(np.float32)
    return x


@dataclass(frozen=True, slots=True)
class Match:
    """A search hit: document id, cosine similarity in 0..1, and whether it is an exact duplicate."""

    id: str
    score: float
    exact: bool = False


class SimilarityIndex:
    """Incremental index of ``(id, text)`` documents answering "most similar" queries.

    Typical use::

        index = SimilarityIndex()
        index.fit_idf(historical_texts)      # optional but recommended (see below)
        index.add_many(pairs)                # [(id, text), ...]
        index.query("小区噪音扰民", k=5)       # [Match(id, score, exact), ...]

    IDF weights come from :meth:`fit_idf`; when it was not called, the first :meth:`add_many` batch
    (or first :meth:`add`) is used and the weights are then frozen so scores stay comparable.

    Not thread-safe for concurrent writes; concurrent queries are safe between writes.
    """

    def __init__(self, *, terms_per_doc: int | None = 64, bits: int = N_FEATURES_BITS,
                 tail_limit: int = 20_000) -> None:
        """Args:
            terms_per_doc: keep this many heaviest bigrams per document (None = all; more memory).
            bits: log2 of the number of hash buckets (22 → 4,194,304).
            tail_limit: documents kept outside the inverted index before it is rebuilt.
        """
        if terms_per_doc is not None and terms_per_doc < 1:
            raise ValueError("terms_per_doc 必须为正整数或 None")
        self.terms_per_doc = terms_per_doc
        self.bits = bits
        self.tail_limit = tail_limit
        self._idf: np.ndarray | None = None
        self._ids: list[str] = []
        self._id_pos: dict[str, int] = {}
        self._exact: dict[int, int | list[int]] = {}
        self._main: sp.csc_matrix | None = None  # rows [0, _n_main)
        self._n_main = 0
        self._tail: list[sp.csr_matrix] = []
        self._tail_rows = 0

    # -- building --------------------------------------------------------------------------------
    def fit_idf(self, texts: Iterable[str]) -> SimilarityIndex:
        """Set the IDF weights from a reference corpus (``idf = ln((1+N)/(1+df)) + 1``).

        Call before adding documents; calling it later re-weights only documents added afterwards.
        Raises ``ValueError`` (Chinese) when ``texts`` is empty.
        """
        forms = [matching_form(t) for t in texts]
        if not forms:
            raise ValueError("计算 IDF 需要至少一条文本")
        df = np.zeros(1 << self.bits, dtype=np.float64)
        for start in range(0, len(forms), 20_000):
            counts = _bigram_counts(forms[start : start + 20_000], self.bits)
            np.add.at(df, counts.indices, 1.0)
        self._idf = (np.log((1.0 + len(forms)) / (1.0 + df)) + 1.0).astype(np.float32)
        return self

    def vectorize(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Weighted, pruned, L2-normalised vectors, shape ``(len(texts), 2**bits)`` (float32).

        Raises ``RuntimeError`` when no IDF is set yet (call :meth:`fit_idf` or add documents).
        """
        if self._idf is None:
            raise RuntimeError("索引尚未计算 IDF：请先调用 fit_idf() 或添加文档")
        forms = [matching_form(t) for t in texts]
        return _weight_and_prune(_bigram_counts(forms, self.bits), self._idf, self.terms_per_doc)

    def add(self, doc_id: str, text: str) -> None:
        """Add one document. Raises ``ValueError`` if ``doc_id`` is already in the index."""
        self.add_many([(doc_id, text)])

    def add_many(self, docs: Iterable[tuple[str, str]], *, batch_size: int = 20_000) -> int:
        """Add ``(id, text)`` pairs; returns how many were added.

        Raises:
            ValueError: an id is already present or repeated in ``docs`` (Chinese message); documents
                before the offending one are kept.
        """
        added = 0
        batch: list[tuple[str, str]] = []
        for item in docs:
            batch.append(item)
            if len(batch) >= batch_size:
                added += self._add_batch(batch)
                batch = []
        if batch:
            added += self._add_batch(batch)
        return added

    def _add_batch(self, batch: list[tuple[str, str]]) -> int:
        ids = [str(i) for i, _ in batch]
        for i in ids:
            if i in self._id_pos:
                raise ValueError(f"文档编号重复：{i}")
        if len(set(ids)) != len(ids):
            raise ValueError("同一批次中文档编号重复")
        forms = [matching_form(t) for _, t in batch]
        counts = _bigram_counts(forms, self.bits)
        if self._idf is None:
            df = np.zeros(1 << self.bits, dtype=np.float64)
            np.add.at(df, counts.indices, 1.0)
            self._idf = (np.log((1.0 + len(forms)) / (1.0 + df)) + 1.0).astype(np.float32)
        vectors = _weight_and_prune(counts, self._idf, self.terms_per_doc)
        base = len(self._ids)
        for offset, (doc_id, form) in enumerate(zip(ids, forms, strict=True)):
            pos = base + offset
            self._id_pos[doc_id] = pos
            key = _exact_key(form)
            prev = self._exact.get(key)
            if prev is None:
                self._exact[key] = pos
            elif isinstance(prev, list):
                prev.append(pos)
            else:
                self._exact[key] = [prev, pos]
        self._ids.extend(ids)
        self._tail.append(vectors)
        self._tail_rows += vectors.shape[0]
        # Rebuild when the tail is large in absolute terms *and* relative to the index (amortised
        # O(n) for bulk loads); call optimize() after a bulk load for the fastest queries.
        if self._tail_rows > max(self.tail_limit, self._n_main // 4):
            self.optimize()
        return len(ids)

    def optimize(self) -> None:
        """Merge the tail into the inverted index (done automatically when the tail grows too big)."""
        if not self._tail:
            return
        tail = sp.vstack(self._tail, format="csc")
        self._main = tail if self._main is None else sp.vstack([self._main, tail], format="csc")
        self._main.sort_indices()
        self._n_main = self._main.shape[0]
        self._tail = []
        self._tail_rows = 0

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._id_pos

    @property
    def nbytes(self) -> int:
        """Approximate bytes held by the vector structures (not counting ids and hashes)."""
        total = 0
        mats: list[sp.spmatrix] = [*self._tail] + ([self._main] if self._main is not None else [])
        for m in mats:
            total += m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
        return total

    @property
    def idf(self) -> np.ndarray | None:
        """The IDF weights (shape ``2**bits``), or None before :meth:`fit_idf` / the first documents."""
        return self._idf

    def same_matter(self, text_a: str, text_b: str) -> float:
        """:func:`same_matter_score` of two ``title + "\\n" + body`` texts with this index's IDF weights (0.0
        before any IDF is set)."""
        if self._idf is None:
            return 0.0
        return same_matter_score(text_a, text_b, self._idf, bits=self.bits)

    # -- querying --------------------------------------------------------------------------------
    def exact_duplicates(self, text: str) -> list[str]:
        """Ids of documents whose matching form equals that of ``text`` (in insertion order)."""
        hit = self._exact.get(_exact_key(matching_form(text)))
        if hit is None:
            return []
        return [self._ids[p] for p in (hit if isinstance(hit, list) else [hit])]

    def query(self, text: str, k: int = 10, *, min_score: float = 0.0,
              exclude: Iterable[str] = ()) -> list[Match]:
        """The ``k`` documents most similar to ``text``, best first.

        Args:
            text: query text (any length; an empty text matches nothing and returns ``[]``).
            k: number of hits wanted (≥ 1).
            min_score: drop hits below this cosine (0..1).
            exclude: ids never returned (e.g. the query document itself).
        Returns:
            ``[Match(id, score, exact)]``; exact duplicates come first with score 1.0.
        Raises:
            ValueError: ``k`` < 1.
        """
        if k < 1:
            raise ValueError("k 必须是正整数")
        if not self._ids or self._idf is None:
            return []
        excluded = {self._id_pos[i] for i in exclude if i in self._id_pos}
        form = matching_form(text)
        if not form:
            return []
        exact_hit = self._exact.get(_exact_key(form))
        exact_pos = [] if exact_hit is None else (exact_hit if isinstance(exact_hit, list) else [exact_hit])
        exact_pos = [p for p in exact_pos if p not in excluded]

        qv = _weight_and_prune(_bigram_counts([form], self.bits), self._idf, self.terms_per_doc)
        qcols, qvals = qv.indices, qv.data
        want = k + len(excluded) + len(exact_pos)
        cand_pos: list[np.ndarray] = []
        cand_score: list[np.ndarray] = []
        if self._main is not None and qcols.size:
            pos, score = _score_postings(self._main, qcols, qvals)
            cand_pos.append(pos)
            cand_score.append(score)
        if self._tail:
            offset = self._n_main
            for chunk in self._tail:
                tail_scores = np.asarray((chunk @ qv.T).todense()).ravel()
                nz = np.flatnonzero(tail_scores)
                cand_pos.append(nz + offset)
                cand_score.append(tail_scores[nz])
                offset += chunk.shape[0]
        out: list[Match] = [Match(self._ids[p], 1.0, True) for p in exact_pos[:k]]
        if not cand_pos or len(out) >= k:
            return out
        all_pos = np.concatenate(cand_pos)
        all_score = np.concatenate(cand_score)
        if all_pos.size > want:
            top = np.argpartition(-all_score, want - 1)[:want]
            all_pos, all_score = all_pos[top], all_score[top]
        order = np.lexsort((all_pos, -all_score))
        seen = set(exact_pos) | excluded
        for i in order:
            p = int(all_pos[i])
            if p in seen:
                continue
            s = min(1.0, float(all_score[i]))
            if s < min_score or len(out) >= k:
                break
            out.append(Match(self._ids[p], round(s, 6), False))
        return out


def _score_postings(index: sp.csc_matrix, cols: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Accumulate ``weights[j] * index[:, cols[j]]`` over the posting lists; returns (rows, scores)."""
    indptr = index.indptr
    starts, ends = indptr[cols], indptr[cols + 1]
    lens = ends - starts
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    # Gather all postings with one fancy index.
    seg = np.repeat(np.arange(cols.size), lens)
    within = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
    flat = starts[seg] + within
    rows = index.indices[flat]
    vals = index.data[flat] * weights[seg]
    n = index.shape[0]
    if total * 8 < n:
        uniq, inv = np.unique(rows, return_inverse=True)
        return uniq, np.bincount(inv, weights=vals).astype(np.float32)
    acc = np.bincount(rows, weights=vals, minlength=n)
    nz = np.flatnonzero(acc)
    return nz, acc[nz].astype(np.float32)


def find_duplicate_pairs(docs: Sequence[tuple[str, str]], threshold: float = 0.8, *,
                         terms_per_doc: int | None = 64) -> list[tuple[str, str, float]]:
    """All pairs of documents whose similarity is at least ``threshold``.

    Args:
        docs: ``[(id, text), ...]`` (ids unique). IDF is computed from these documents.
        threshold: cosine similarity ratio in 0..1 (1.0 = exact duplicates only).
        terms_per_doc: see :class:`SimilarityIndex`.
    Returns:
        ``[(id_a, id_b, score)]`` with ``id_a`` before ``id_b`` in ``docs``, sorted by decreasing score
        then input order; exact duplicates (same matching form) score 1.0.
    Raises:
        ValueError: threshold outside 0..1 or repeated ids (Chinese message).
    """
    if not 0.0 <= threshold <= 1.0 or math.isnan(threshold):
        raise ValueError("阈值必须在 0 到 1 之间")
    ids = [str(i) for i, _ in docs]
    if len(set(ids)) != len(ids):
        raise ValueError("文档编号重复")
    if len(docs) < 2:
        return []
    forms = [matching_form(t) for _, t in docs]
    counts = _bigram_counts(forms, N_FEATURES_BITS)
    df = np.zeros(1 << N_FEATURES_BITS, dtype=np.float64)
    np.add.at(df, counts.indices, 1.0)
    idf = (np.log((1.0 + len(forms)) / (1.0 + df)) + 1.0).astype(np.float32)
    x = _weight_and_prune(counts, idf, terms_per_doc)
    xt = x.T.tocsr()
    pairs: dict[tuple[int, int], float] = {}
    groups: dict[str, list[int]] = {}
    for i, f in enumerate(forms):
        if f:
            groups.setdefault(f, []).append(i)
    for members in groups.values():
        for a_i, a in enumerate(members):
            for b in members[a_i + 1 :]:
                pairs[(a, b)] = 1.0
    step = 2000
    for start in range(0, x.shape[0], step):
        block = (x[start : start + step] @ xt).tocoo()
        r = block.row + start
        keep = (block.col > r) & (block.data >= threshold - 1e-6)
        for a, b, s in zip(r[keep], block.col[keep], block.data[keep], strict=True):
            key = (int(a), int(b))
            if key not in pairs:
                pairs[key] = min(1.0, round(float(s), 6))
    out = [(ids[a], ids[b], s) for (a, b), s in pairs.items()]
    order = {doc_id: n for n, doc_id in enumerate(ids)}
    out.sort(key=lambda t: (-t[2], order[t[0]], order[t[1]]))
    return out


# ------------------------------------------------------------------------------------------- same matter
# Pseudonymised or coded places in the tipdm exports and in real titles: "A市", "A3区", "K11县", "B9市", "L5县".
# The letter is the city, the number a district or county of it.
_PLACE_CODE_RE = re.compile(r"([A-Z])(\d{0,3})\s*[市区县镇]")


def place_codes(title: str) -> set[tuple[str, str]]:
    """The coded places a title names, as ``(letter, number)``: ``"A3区金晖优步花园"`` → ``{("A", "3")}``,
    ``"A市"`` → ``{("A", "")}``. Full-width letters and digits are folded first."""
    text = _FULLWIDTH_ALNUM_RE.sub(lambda m: chr(ord(m.group(0)) - 0xFEE0), title)
    return {(m.group(1), m.group(2)) for m in _PLACE_CODE_RE.finditer(text)}


def places_compatible(title_a: str, title_b: str) -> bool:
    """False when the two titles name different coded places, i.e. no city letter in common (``B市`` vs
    ``C市``), or both name districts/counties and none in common (``A2区`` vs ``A5区``); True otherwise, also
    when either names none or one names a city and the other a district of it (``A市`` vs ``A3区``).

    Rule (bench/data/duplicates_labelled.tsv): the same complaint about another place is another matter."""
    pa, pb = place_codes(title_a), place_codes(title_b)
    if not pa or not pb:
        return True
    if not {c for c, _ in pa} & {c for c, _ in pb}:
        return False
    da, db = {p for p in pa if p[1]}, {p for p in pb if p[1]}
    return not (da and db and not da & db)


def _title_of(text: str) -> str:
    return text.split("\n", 1)[0]


def _row_dots(x: sp.csr_matrix, y: sp.csr_matrix) -> np.ndarray:
    """Row-wise dot products of two CSR matrices of the same shape."""
    return np.asarray(x.multiply(y).sum(axis=1)).ravel()


def _same_matter(full: np.ndarray, title: np.ndarray, compatible: np.ndarray, title_weight: float) -> np.ndarray:
    score = np.maximum(full, title_weight * title)
    return np.where(compatible, np.minimum(score, 1.0), 0.0)


def same_matter_score(text_a: str, text_b: str, idf: np.ndarray, *, title_weight: float = TITLE_WEIGHT,
                      bits: int = N_FEATURES_BITS) -> float:
    """How likely two messages are about the same matter, a ratio in 0..1 (1.0 = same text).

    Each text is ``title + "\\n" + body`` (the first line is the title). Score = ``max(cos_full, title_weight ·
    cos_title)``, where ``cos_full`` is the cosine of the idf-weighted character-bigram vectors of the whole
    texts (all bigrams, not pruned) and ``cos_title`` that of the titles, both with the weights ``idf`` (shape
    ``2**bits``, e.g. :attr:`SimilarityIndex.idf`); 0.0 when the titles name different coded places
    (:func:`places_compatible`). Same code as :func:`find_same_matter_pairs`.
    """
    fa, fb = matching_form(text_a), matching_form(text_b)
    if not fa or not fb:
        return 0.0
    if fa == fb:
        return 1.0
    ta, tb = _title_of(text_a), _title_of(text_b)
    x = _weight_and_prune(_bigram_counts([fa, fb], bits), idf, None)
    t = _weight_and_prune(_bigram_counts([matching_form(ta), matching_form(tb)], bits), idf, None)
    full = _row_dots(x[0], x[1])
    title = _row_dots(t[0], t[1])
    ok = np.array([places_compatible(ta, tb)])
    return round(float(_same_matter(full, title, ok, title_weight)[0]), 6)


@dataclass
class _Prepared:
    ids: list[str]
    titles: list[str]
    forms: list[str]
    x: sp.csr_matrix
    t: sp.csr_matrix


def _prepare(docs: Sequence[tuple[str, str]]) -> _Prepared:
    ids = [str(i) for i, _ in docs]
    if len(set(ids)) != len(ids):
        raise ValueError("文档编号重复")
    texts = [t for _, t in docs]
    titles = [_title_of(t) for t in texts]
    forms = [matching_form(t) for t in texts]
    counts = _bigram_counts(forms, N_FEATURES_BITS)
    df = np.zeros(1 << N_FEATURES_BITS, dtype=np.float64)
    np.add.at(df, counts.indices, 1.0)
    idf = (np.log((1.0 + len(forms)) / (1.0 + df)) + 1.0).astype(np.float32)
    x = _weight_and_prune(counts, idf, None)
    t = _weight_and_prune(_bigram_counts([matching_form(s) for s in titles], N_FEATURES_BITS), idf, None)
    return _Prepared(ids, titles, forms, x, t)


def _parts(prep: _Prepared, ca: np.ndarray, cb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    full = _row_dots(prep.x[ca], prep.x[cb])
    title = _row_dots(prep.t[ca], prep.t[cb])
    ok = np.fromiter((places_compatible(prep.titles[a], prep.titles[b]) for a, b in zip(ca, cb, strict=True)),
                     dtype=bool, count=len(ca))
    same = np.fromiter((bool(prep.forms[a]) and prep.forms[a] == prep.forms[b] for a, b in zip(ca, cb, strict=True)),
                       dtype=bool, count=len(ca))
    full = np.where(same, 1.0, full)
    return full, title, ok


def same_matter_parts(docs: Sequence[tuple[str, str]],
                      pairs: Sequence[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the given id pairs of ``docs`` (as :func:`find_same_matter_pairs`, IDF from ``docs``): the full-text
    cosine (1.0 for the same text), the title cosine and whether the places are compatible — the three parts
    of :func:`same_matter_score` (used by bench/bench_duplicates.py to choose the weight and threshold)."""
    prep = _prepare(docs)
    pos = {i: n for n, i in enumerate(prep.ids)}
    ca = np.array([pos[a] for a, _ in pairs], dtype=np.int64)
    cb = np.array([pos[b] for _, b in pairs], dtype=np.int64)
    return _parts(prep, ca, cb)


def combine_parts(full: np.ndarray, title: np.ndarray, compatible: np.ndarray,
                  title_weight: float = TITLE_WEIGHT) -> np.ndarray:
    """The same-matter score from its parts (see :func:`same_matter_score`)."""
    return _same_matter(full, title, compatible, title_weight)


def find_same_matter_pairs(docs: Sequence[tuple[str, str]], threshold: float = DUPLICATE_THRESHOLD, *,
                           title_weight: float = TITLE_WEIGHT) -> list[tuple[str, str, float]]:
    """All pairs of messages whose :func:`same_matter_score` is at least ``threshold`` — the duplicate detector
    of ``lvzhi find-duplicates`` and of the similar-case panel.

    Args:
        docs: ``[(id, title + "\\n" + body), ...]`` (ids unique); IDF is computed from these texts.
        threshold: ratio in 0..1 (default :data:`DUPLICATE_THRESHOLD`; 1.0 = same text only).
    Returns:
        ``[(id_a, id_b, score)]`` with ``id_a`` before ``id_b`` in ``docs``, by decreasing score then input order.
    Raises:
        ValueError: threshold outside 0..1 or repeated ids (Chinese message).

    Candidates come from the sparse products of the full and the title vectors in blocks of rows (at most 2,000,
    fewer for large files so a block's product stays near 20 million entries; only pairs over the threshold on one
    of them are kept): memory stays bounded, time grows about as n²: the 4,326 messages of 附件3 take about 1.3 s
    of CPU.
    """
    if not 0.0 <= threshold <= 1.0 or math.isnan(threshold):
        raise ValueError("阈值必须在 0 到 1 之间")
    prep = _prepare(docs)
    n = len(prep.ids)
    if n < 2:
        return []
    x, t = prep.x, prep.t
    xt, tt = x.T.tocsr(), t.T.tocsr()
    cand_a: list[np.ndarray] = []
    cand_b: list[np.ndarray] = []
    # Blocks of rows whose product with all n documents stays under about 20 million entries (most messages
    # share some common bigram, so a block's product is nearly dense): bounded memory for any file size.
    step = max(1, min(2000, 20_000_000 // n))
    for start in range(0, n, step):
        for mat, mat_t, weight in ((x, xt, 1.0), (t, tt, title_weight)):
            if weight <= 0:
                continue
            block = (mat[start : start + step] @ mat_t).tocoo()
            r = block.row + start
            keep = (block.col > r) & (weight * block.data >= threshold - 1e-6)
            cand_a.append(r[keep].astype(np.int64))
            cand_b.append(block.col[keep].astype(np.int64))
    groups: dict[str, list[int]] = {}
    for i, f in enumerate(prep.forms):
        if f:
            groups.setdefault(f, []).append(i)
    for members in groups.values():
        for a_i, a in enumerate(members):
            cand_a.append(np.full(len(members) - a_i - 1, a, dtype=np.int64))
            cand_b.append(np.array(members[a_i + 1 :], dtype=np.int64))
    ca, cb = np.concatenate(cand_a), np.concatenate(cand_b)
    out: list[tuple[str, str, float]] = []
    if ca.size:
        key = np.unique(ca * n + cb)
        ca, cb = key // n, key % n
        scores = _same_matter(*_parts(prep, ca, cb), title_weight)
        for a, b, s in zip(ca.tolist(), cb.tolist(), scores.tolist(), strict=True):
            if s >= threshold - 1e-6 and prep.forms[a] and prep.forms[b]:
                out.append((prep.ids[a], prep.ids[b], round(s, 6)))
    order = {doc_id: i for i, doc_id in enumerate(prep.ids)}
    out.sort(key=lambda p: (-p[2], order[p[0]], order[p[1]]))
    return out
