"""How much personal data the portal's masking leaves visible in the real citizens' messages (附件3, 附件4).

For every message body (and every published reply of 附件4) it applies ``mask_personal_data`` — the function the
portal pages and the public API use — and prints:

- per pattern family, how many texts it masked something in, and a sample of what was masked (to read: a name,
  a room number, a plate — or a false alarm);
- what a broader candidate detector still finds unmasked afterwards (Han text before a form of address or a
  verb of complaint, digits before 室/户/号, plate-like strings), with the share of texts holding such a
  candidate and a sample to read. The candidates are deliberately loose: reading the sample tells how many are
  real personal data.

Usage: ``python bench/bench_masking.py [--sample 15]`` (reads ../shared/data/tipdm2020c relative to the project).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")

import openpyxl  # noqa: E402

from lvzhi.smart import text as T  # noqa: E402

DATA = ROOT / ".." / "shared" / "data" / "tipdm2020c"
FAMILIES = {
    "name before a form of address": T._NAME_TITLE_RE,
    "name before what the person did": T._NAME_ACT_RE,
    "name in a greeting": T._NAME_GREETING_RE,
    "name after a self-introduction": T._NAME_STRICT_RE,
    "room number": T._ROOM_RE,
    "room number (plain)": T._ROOM_PLAIN_RE,
    "house number": T._HOUSE_RE,
    "licence plate": T._PLATE_RE,
    "mobile": T._MOBILE_RE,
    "landline": T._LANDLINE_RE,
    "ID card": T._ID_CARD_RE,
}
CANDIDATES = {
    "Han before a form of address": re.compile(r"[\u4e00-\u9fff]{2,3}(?=同志|先生|女士|小姐|师傅)"),
    "Han before a verb of complaint": re.compile(r"[\u4e00-\u9fff]{2,3}(?=反映|投诉|来信|举报)"),
    "digits before 室/户/号": re.compile(r"\d{2,5}(?=室|户|号)"),
    "plate-like": re.compile(r"[\u4e00-\u9fff][A-Z][·. ]?[A-Z0-9]{5,6}"),
}


def texts() -> list[tuple[str, str]]:
    found = []
    for name, columns in (("messages_with_likes_附件3.xlsx", ("留言详情",)),
                          ("messages_with_replies_附件4.xlsx", ("留言详情", "答复意见"))):
        sheet = openpyxl.load_workbook(DATA / name, read_only=True).worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        head = [str(c).strip() for c in next(rows)]
        for row in rows:
            for column in columns:
                value = row[head.index(column)]
                if value:
                    found.append(("reply" if column == "答复意见" else "body", str(value)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=15)
    args = parser.parse_args()
    corpus = texts()
    print(f"{len(corpus)} texts ({sum(k == 'body' for k, _ in corpus)} bodies, "
          f"{sum(k == 'reply' for k, _ in corpus)} replies)\n")
    hits: Counter[str] = Counter()
    samples: dict[str, list[str]] = {k: [] for k in FAMILIES}
    left: Counter[str] = Counter()
    left_samples: dict[str, list[str]] = {k: [] for k in CANDIDATES}
    for kind, text in corpus:
        for family, pattern in FAMILIES.items():
            ms = list(pattern.finditer(text))
            if ms:
                hits[family] += 1
                if len(samples[family]) < args.sample:
                    m = ms[0]
                    samples[family].append(text[max(0, m.start() - 6):m.end() + 4].replace("\n", " "))
        masked = T.mask_personal_data(text, keep_public_phones=kind == "reply")
        for family, pattern in CANDIDATES.items():
            ms = [m for m in pattern.finditer(masked) if "*" not in m.group(0)]
            if ms:
                left[family] += 1
                if len(left_samples[family]) < args.sample:
                    m = ms[0]
                    left_samples[family].append(masked[max(0, m.start() - 4):m.end() + 4].replace("\n", " "))
    n = len(corpus)
    print("masked, by pattern: texts with at least one (share), and what was masked")
    for family in FAMILIES:
        print(f"  {family:34s} {hits[family]:5d} ({hits[family] / n:.2%})")
        for example in samples[family][:args.sample]:
            print(f"      {example}")
    print("\nleft visible after masking, by loose candidate detector (read the samples)")
    for family in CANDIDATES:
        print(f"  {family:34s} {left[family]:5d} ({left[family] / n:.2%})")
        for example in left_samples[family][:args.sample]:
            print(f"      {example}")


if __name__ == "__main__":
    main()
