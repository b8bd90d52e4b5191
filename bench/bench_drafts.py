"""Importing drafts and consolidating comments, measured in one run.

    .venv/bin/python bench/bench_drafts.py [--comments 10000] [--regulations ../shared/data/regulations]

Run from the project root (the regulations data set is read from ``../shared/data/regulations``). Sets up a
fresh SQLite database in a temporary directory (``DATABASE_URL`` set before ``django.setup()``; ``migrate``
runs; set ``BENCH_DATABASE_URL`` to measure PostgreSQL instead), then:

1. parse: every real regulation of ``guangdong/`` (88; the bodiless one refused; ``--with-rules`` adds the 8 of
   ``rules/``)
   with :func:`lvzhi.legislation.parsing.parse_file` — articles per second, the parser alone;
2. import: the same files through :func:`lvzhi.legislation.actions.import_draft` (parse + database rows +
   audit) — articles per second, and the ratio to (1);
3. consolidate: ``N`` comments on one draft (立法法, 120 articles; spread over the articles, a third of them
   near-duplicates of another), written with one bulk insert, then :func:`lvzhi.legislation.queries.consolidation`
   (comments per article, near-duplicates grouped with the smart engine) — seconds, peak Python memory
   (tracemalloc) and process RSS growth, and the ratio of its time to a baseline that only reads and buckets
   the same comments per article.

Timings are wall-clock: compare runs on the same machine only.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup_django(data_dir: Path) -> None:
    os.environ["LVZHI_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "lvzhi.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


PHRASES = ["建议明确", "应当规定", "建议删除", "建议增加", "表述不清", "处罚过重", "期限过短", "职责不明",
           "应当征求意见", "建议细化", "与上位法衔接", "操作性不强", "建议合并", "建议分款表述"]


def _comment_text(rng: random.Random, article: str) -> str:
    words = rng.sample(PHRASES, 4)
    return f"关于{article}，{words[0]}{words[1]}，{words[2]}；{words[3]}。编号{rng.randrange(10**6)}"


def run(regulations: Path, n_comments: int, include_rules: bool = False) -> None:
    from django.contrib.auth import get_user_model  # noqa: F401  (apps ready)
    from django.db import connection

    from lvzhi.legislation import actions, parsing, queries
    from lvzhi.legislation.models import Comment, Provision
    from lvzhi.members import actions as org
    from lvzhi.members.choices import CouncilKind

    files = sorted(regulations.glob("*/*.md" if include_rules else "guangdong/*.md"))
    print(f"数据库：{connection.vendor}；法规文件 {len(files)} 个（{regulations}）")
    # 1. parser alone
    t0 = time.perf_counter()
    parsed_articles, refused = 0, 0
    for f in files:
        try:
            parsed_articles += len(parsing.parse_file(f).articles)
        except parsing.DraftError:
            refused += 1
    parse_s = time.perf_counter() - t0
    print(f"1. 解析：{len(files) - refused} 个文件 {parsed_articles} 条，拒绝 {refused} 个（无正文）；"
          f"{parse_s:.2f} 秒，{parsed_articles / parse_s:,.0f} 条/秒")
    # 2. import into the database
    council = org.create_council(None, name="基准测试市人大常委会", kind=CouncilKind.NPC)
    t0 = time.perf_counter()
    imported = 0
    for f in files:
        try:
            actions.import_draft(None, council, f.read_bytes(), f.name)
        except Exception:
            continue
        imported += 1
    import_s = time.perf_counter() - t0
    rows = Provision.objects.count()
    print(f"2. 导入：{imported} 部草案，{parsed_articles} 条（{rows:,} 行条款结构）；{import_s:.2f} 秒，"
          f"{parsed_articles / import_s:,.0f} 条/秒；相对纯解析耗时 {import_s / parse_s:.1f} 倍")
    # 3. consolidation of N comments on one draft
    law = regulations / "rules" / "立法法(2023-03-13).md"
    draft = actions.import_draft(None, council, law.read_bytes(), law.name)
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    consultation = actions.create_consultation(None, draft.pk, opens_on=today, closes_on=today + timedelta(days=30))
    articles = list(Provision.objects.filter(draft=draft, kind="article").values_list("pk", "number"))
    rng = random.Random(8)
    texts: list[tuple[int, str]] = []
    for i in range(n_comments):
        if i % 3 == 2 and texts:
            pk, text = texts[rng.randrange(len(texts))]
            texts.append((pk, text.replace("，", "、", 1)))  # a near-duplicate of an earlier comment
        else:
            pk, number = articles[rng.randrange(len(articles))]
            texts.append((pk, _comment_text(rng, number)))
    t0 = time.perf_counter()
    Comment.objects.bulk_create([Comment(consultation=consultation, provision_id=pk, source="public", text=text)
                                 for pk, text in texts], batch_size=2000)
    insert_s = time.perf_counter() - t0
    # baseline: read and bucket per article
    t0 = time.perf_counter()
    buckets: dict[int | None, list[str]] = {}
    for c in Comment.objects.filter(consultation=consultation).only("provision_id", "text").order_by("id"):
        buckets.setdefault(c.provision_id, []).append(c.text)
    base_s = time.perf_counter() - t0
    rss_before = _rss_mb()
    tracemalloc.start()
    t0 = time.perf_counter()
    view = queries.consolidation(consultation)
    cons_s = time.perf_counter() - t0
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    groups = sum(len(a.groups) for a in view)
    grouped = sum(g.size for a in view for g in a.groups if g.size > 1)
    print(f"3. 汇总：{n_comments:,} 条意见（写入 {insert_s:.2f} 秒），{len(view)} 个条文，{groups:,} 组，"
          f"{grouped:,} 条归入相近意见组；{cons_s:.2f} 秒；Python 内存峰值 {peak / 1024 / 1024:.1f} MB，"
          f"进程 RSS 峰值 {_rss_mb():.0f} MB（汇总前 {rss_before:.0f} MB）；"
          f"基线（仅读取并按条分组）{base_s:.2f} 秒，汇总为基线的 {cons_s / base_s:.1f} 倍")
    t0 = time.perf_counter()
    for a in view:
        if a.article is not None and a.groups:
            ids = [c.pk for g in a.groups for c in g.comments][:50]
            actions.save_opinion(None, consultation.pk, provision_pk=a.article.pk, text="汇总意见", comment_ids=ids)
    data = queries.report_docx(consultation)
    print(f"   汇总意见 {len(view)} 条并生成 Word 汇总表（{len(data) / 1024:.0f} KB）：{time.perf_counter() - t0:.2f} 秒")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--regulations", type=Path, default=Path("../shared/data/regulations"))
    parser.add_argument("--with-rules", action="store_true", help="also the 8 national laws of rules/")
    args = parser.parse_args(argv)
    if not args.regulations.is_dir():
        print(f"找不到法规目录：{args.regulations}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        _setup_django(Path(tmp))
        run(args.regulations.resolve(), args.comments, args.with_rules)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
