"""Hot topics: cluster recent messages into events, label them, count them over time, warn on growth.

Method: TF-IDF on jieba words of ``title`` (counted twice) + body, then average-linkage hierarchical
clustering on cosine distance (scipy), cut at ``distance_threshold``. Each cluster with at least
``min_size`` messages is a topic, labelled with the terms of the highest mean TF-IDF weight, with
member ids, a per-period time series, the places mentioned, the sum of likes and the number of
distinct users. Memory is O(n²) for the distance matrix, so the input is capped at ``max_docs``
(20,000 ≈ 1.6 GB); narrow the time window for more. Pure Python; no Django.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer

from lvzhi.smart.text import STOPWORDS, filter_tokens, segment

__all__ = ["Topic", "TopicDoc", "TopicsResult", "extract_places", "hot_topics", "period_key"]


@dataclass(frozen=True, slots=True)
class TopicDoc:
    """One message fed to :func:`hot_topics`. ``likes`` is a count (None when unknown)."""

    id: str
    title: str
    body: str = ""
    submitted_at: datetime | None = None
    likes: int | None = None
    user: str | None = None


@dataclass
class Topic:
    """A hot topic.

    - ``terms``: key terms, most characteristic first; ``label`` joins the first three with "、".
    - ``count``: number of member messages; ``users``: distinct submitting users (None if unknown).
    - ``series``: ``{period key: count}`` in chronological order (keys from :func:`period_key`), with
      zero-count periods between the first and the last period of the *whole input* included.
    - ``places``: ``[(place, mentions)]`` most mentioned first.
    - ``likes``: sum of member likes, None when no member has a like count.
    - ``growth``: latest-period count / previous-period count (a ratio; 2.0 = doubled), None when the
      previous period had no message; ``warning``: growth above the threshold (or a new topic with at
      least ``min_growth_count`` messages in the latest period).
    """

    rank: int
    terms: list[str]
    label: str
    count: int
    member_ids: list[str]
    series: dict[str, int]
    places: list[tuple[str, int]]
    likes: int | None
    users: int | None
    first_seen: datetime | None
    last_seen: datetime | None
    latest_count: int
    previous_count: int
    growth: float | None
    warning: bool


@dataclass
class TopicsResult:
    """:func:`hot_topics` output: topics (hottest first: most distinct users, then count, then likes), the periods compared, timing in seconds."""

    topics: list[Topic]
    latest_period: str | None
    previous_period: str | None
    n_docs: int
    n_clustered: int
    seconds: float
    params: dict[str, object] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------------------

_CODE_PLACE_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z]\d{0,3}[市区县]")
_PLACE_SUFFIXES = ("小区", "花园", "社区", "街道", "大道", "公路", "路", "街", "村", "镇", "乡", "广场",
                   "公寓", "家园", "新村", "新城", "华府", "苑", "园", "城", "湖", "桥", "站", "学校", "中学",
                   "小学", "医院", "公园", "市场")
_BARE_SUFFIXES = frozenset({"小区", "社区", "街道", "大道", "路", "街", "村", "镇", "乡", "广场", "公寓", "花园"})
_NOT_PLACE = frozenset({"道路", "马路", "公路", "小区", "社区", "街道", "农村", "城市", "城乡", "城管", "进城",
                        "县城", "省城", "全城", "花园", "广场", "市场", "学校", "医院", "公园", "乡镇", "村民",
                        "新城", "出路", "思路", "线路", "网站", "车站", "门路", "一路", "沿路", "路段", "走路"})
_NOT_PLACE_PREFIX = ("别的", "周边", "附近", "该", "本", "整个", "各", "每个", "我们", "所在", "其他", "这个",
                     "那个", "一个", "多个", "全市", "全县", "全区", "我市", "我县", "我区")
_PLACE_TOKEN_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]+$")


def extract_places(text: str) -> list[str]:
    """Place mentions in ``text`` in order of appearance (repeats kept).

    Recognised: pseudonymised codes (``A市``, ``A1区``, ``K3县``) and jieba words ending in a place
    suffix (``XX路``, ``XX小区``, ``XX街道``, ``XX村``, ...), a bare suffix being glued to the word before
    it (``景蓉华苑`` + ``小区``). Generic words (``道路``, ``小区`` alone, ``周边小区``) are not places.
    """
    return places_from_segments(segment(text))


def places_from_segments(tokens: Sequence[str]) -> list[str]:
    """:func:`extract_places` on already segmented text (output of :func:`lvzhi.smart.text.segment`)."""
    out: list[str] = []
    prev = ""
    for tok in tokens:
        if _CODE_PLACE_RE.fullmatch(tok):
            out.append(tok)
        elif tok in _BARE_SUFFIXES and len(prev) >= 2 and _PLACE_TOKEN_RE.match(prev) \
                and prev not in STOPWORDS and prev not in _NOT_PLACE_PREFIX and not prev.isdigit():
            cand = prev + tok
            if out and out[-1] == prev:
                out[-1] = cand
            elif cand not in _NOT_PLACE:
                out.append(cand)
        elif len(tok) >= 3 and tok.endswith(_PLACE_SUFFIXES) and tok not in _NOT_PLACE \
                and _PLACE_TOKEN_RE.match(tok) and not tok.startswith(_NOT_PLACE_PREFIX):
            out.append(tok)
        prev = tok
    return out


# --------------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------------


def period_key(when: datetime, period: str) -> str:
    """``"2019-08"`` for ``period="month"``, ISO week ``"2019-W33"`` for ``"week"``, ``"2019-08-14"``
    for ``"day"``. Raises ``ValueError`` for another period."""
    if period == "month":
        return f"{when.year:04d}-{when.month:02d}"
    if period == "week":
        iso = when.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    if period == "day":
        return when.strftime("%Y-%m-%d")
    raise ValueError(f"不支持的周期：{period}（可选 month、week、day）")


def _period_range(first: datetime, last: datetime, period: str) -> list[str]:
    keys: list[str] = []
    if period == "month":
        y, m = first.year, first.month
        while (y, m) <= (last.year, last.month):
            keys.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return keys
    step = timedelta(days=7 if period == "week" else 1)
    cur = first - timedelta(days=first.weekday()) if period == "week" else first
    cur = cur.replace(hour=0, minute=0, second=0, microsecond=0)
    while cur <= last:
        keys.append(period_key(cur, period))
        cur += step
    return keys


# --------------------------------------------------------------------------------------------------
# Clustering
# --------------------------------------------------------------------------------------------------


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def hot_topics(
    docs: Sequence[TopicDoc],
    *,
    distance_threshold: float = 0.8,
    min_size: int = 3,
    period: str = "month",
    growth_threshold: float = 1.5,
    min_growth_count: int = 3,
    top_terms: int = 6,
    top_n: int | None = None,
    max_docs: int = 20_000,
) -> TopicsResult:
    """Cluster messages into hot topics.

    Args:
        docs: messages (typically the last months); ids must be unique.
        distance_threshold: cosine distance (0..1) at which average-linkage clusters stop merging;
            lower gives tighter, smaller topics.
        min_size: smallest cluster reported as a topic.
        period: ``"month"``, ``"week"`` or ``"day"`` for the time series and the growth check.
        growth_threshold: ratio latest/previous period above which ``warning`` is set (1.5 = +50 %).
        min_growth_count: minimum messages in the latest period for a warning.
        top_terms: number of key terms per topic.
        top_n: keep only the ``top_n`` hottest topics (None = all).
        max_docs: refuse larger inputs (memory is O(n²)).
    Returns:
        :class:`TopicsResult`, topics sorted by distinct users (count when users are unknown), then
        count, then likes — a topic pushed by one user repeatedly ranks below a shared concern.
    Raises:
        ValueError: empty input, repeated ids, more than ``max_docs`` messages, bad period/threshold
            (Chinese message).
    """
    started = time.perf_counter()
    if not docs:
        raise ValueError("没有可分析的留言：输入为空")
    if len(docs) > max_docs:
        raise ValueError(f"留言数 {len(docs)} 超过上限 {max_docs}，请缩小时间范围")
    if not 0.0 < distance_threshold <= 1.0:
        raise ValueError("distance_threshold 必须在 0 到 1 之间")
    if growth_threshold <= 0:
        raise ValueError("growth_threshold 必须大于 0")
    period_key(datetime(2000, 1, 1), period)  # validates the period
    ids = [d.id for d in docs]
    if len(set(ids)) != len(ids):
        raise ValueError("留言编号重复")

    title_segs = [segment(d.title) for d in docs]
    segments = [t + segment(d.body) for t, d in zip(title_segs, docs, strict=True)]
    # The title counts twice: its tokens are repeated.
    token_lists = [filter_tokens(t) + filter_tokens(seg) for t, seg in zip(title_segs, segments, strict=True)]
    params: dict[str, object] = {"distance_threshold": distance_threshold, "min_size": min_size,
                                 "period": period, "growth_threshold": growth_threshold}
    labels = np.arange(len(docs))
    vocab: np.ndarray = np.array([], dtype=object)
    x = None
    if len(docs) >= 2 and any(token_lists):
        vec = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=2 if len(docs) >= 20 else 1,
                              max_df=0.5 if len(docs) >= 20 else 1.0, dtype=np.float32)
        try:
            x = vec.fit_transform(token_lists)
        except ValueError:  # vocabulary empty after pruning
            x = None
        if x is not None:
            vocab = vec.get_feature_names_out()
            sim = (x @ x.T).toarray()
            np.clip(sim, 0.0, 1.0, out=sim)
            dist = 1.0 - sim
            np.fill_diagonal(dist, 0.0)
            # Documents with no vector are at distance 1 from everything.
            condensed = squareform(dist, checks=False).astype(np.float64)
            del sim, dist
            z = linkage(condensed, method="average")
            labels = fcluster(z, t=distance_threshold, criterion="distance") - 1

    dated = [d.submitted_at for d in docs if d.submitted_at is not None]
    all_periods = _period_range(min(dated), max(dated), period) if dated else []
    latest = all_periods[-1] if all_periods else None
    previous = all_periods[-2] if len(all_periods) >= 2 else None

    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    topics: list[Topic] = []
    for members in groups.values():
        if len(members) < min_size:
            continue
        terms: list[str]
        if x is not None and len(vocab):
            centroid = np.asarray(x[members].mean(axis=0)).ravel()
            best = np.argsort(-centroid, kind="stable")[:top_terms]
            terms = [str(vocab[j]) for j in best if centroid[j] > 0]
        else:
            terms = [t for t, _ in Counter(t for i in members for t in token_lists[i]).most_common(top_terms)]
        member_docs = [docs[i] for i in members]
        when = [d.submitted_at for d in member_docs if d.submitted_at is not None]
        counts = Counter(period_key(w, period) for w in when)
        series = {p: counts.get(p, 0) for p in all_periods}
        latest_count = series.get(latest, 0) if latest else 0
        previous_count = series.get(previous, 0) if previous else 0
        growth = latest_count / previous_count if previous_count else None
        warning = latest_count >= min_growth_count and (growth is None or growth > growth_threshold)
        like_values = [d.likes for d in member_docs if d.likes is not None]
        users = {d.user for d in member_docs if d.user}
        topics.append(
            Topic(
                rank=0,
                terms=terms,
                label="、".join(terms[:3]),
                count=len(members),
                member_ids=[d.id for d in member_docs],
                series=series,
                places=[],
                likes=sum(like_values) if like_values else None,
                users=len(users) if users else None,
                first_seen=min(when) if when else None,
                last_seen=max(when) if when else None,
                latest_count=latest_count,
                previous_count=previous_count,
                growth=growth,
                warning=warning,
            )
        )
    topics.sort(key=lambda t: (-(t.users or t.count), -t.count, -(t.likes or 0), t.member_ids[0]))
    if top_n is not None:
        topics = topics[:top_n]
    pos_of = {doc_id: i for i, doc_id in enumerate(ids)}
    for rank, t in enumerate(topics, start=1):
        t.rank = rank
        place_counts = Counter(p for m in t.member_ids for p in places_from_segments(segments[pos_of[m]]))
        t.places = place_counts.most_common(10)
    return TopicsResult(
        topics=topics,
        latest_period=latest,
        previous_period=previous,
        n_docs=len(docs),
        n_clustered=sum(t.count for t in topics),
        seconds=time.perf_counter() - started,
        params=params,
    )
