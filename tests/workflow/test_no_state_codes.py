"""The code never compares a literal state code outside the default workflow definitions (issue 6 item 4).

Counted in ``lvzhi/`` except migrations (which fill existing data from the codes earlier releases created) and
the default workflow definitions (any ``<app>/defaults.py``):

- Python (AST): a keyword argument ``…state__code…=`` / ``from_state=`` / ``to_state=`` with a literal string
  (or a tuple/list/set of them); a comparison (``==``, ``!=``, ``in``, ``not in``) between a literal default
  state code (or a collection of them) and an expression that mentions ``state``, ``code`` or ``target``;
- templates: any ``{% … %}`` tag that reads ``state.code``, or compares an expression mentioning ``state``
  with a literal default code.

Run ``python tests/workflow/test_no_state_codes.py`` to print every hit and the count.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2] / "lvzhi"
MENTIONS_STATE = re.compile(r"state|code|target", re.IGNORECASE)


def default_codes() -> set[str]:
    """Every state code of every default workflow definition (``*_STATES`` lists of each ``defaults.py``)."""
    codes: set[str] = set()
    for path in ROOT.rglob("defaults.py"):
        module = importlib.import_module(".".join(path.relative_to(ROOT.parent).with_suffix("").parts))
        for name, value in vars(module).items():
            if name.endswith("_STATES") and isinstance(value, list):
                codes |= {spec["code"] for spec in value if isinstance(spec, dict) and "code" in spec}
    return codes


def _literals(node: ast.AST) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        return values if values and len(values) == len(node.elts) else None
    return None


def _python_hits(path: Path, codes: set[str]) -> list[str]:
    source = path.read_text(encoding="utf-8")
    hits = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.keyword) and node.arg and (
                "state__code" in node.arg or node.arg in ("from_state", "to_state")):
            if _literals(node.value) is not None:
                hits.append(f"{path}:{node.value.lineno}: {node.arg}={ast.get_source_segment(source, node.value)}")
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            literal = [o for o in operands if (_literals(o) or []) and set(_literals(o) or []) & codes]
            others = [o for o in operands if o not in literal]
            if literal and any(MENTIONS_STATE.search(ast.get_source_segment(source, o) or "") for o in others):
                hits.append(f"{path}:{node.lineno}: {ast.get_source_segment(source, node)}")
    return hits


TAG = re.compile(r"\{%.*?%\}", re.DOTALL)


def _template_hits(path: Path, codes: set[str]) -> list[str]:
    text = path.read_text(encoding="utf-8")
    hits = []
    compare = re.compile(r"(\S*state\S*)\s*(==|!=|in|not in)\s*[\"'](" + "|".join(map(re.escape, codes)) + r")[\"']")
    for m in TAG.finditer(text):
        tag = m.group(0)
        if "state.code" in tag or compare.search(tag):
            hits.append(f"{path}:{text.count(chr(10), 0, m.start()) + 1}: {tag[:120]}")
    return hits


def literal_state_code_comparisons() -> list[str]:
    """Every hit as ``path:line: source``."""
    codes = default_codes()
    hits: list[str] = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or path.name == "defaults.py":
            continue
        hits += _python_hits(path, codes)
    for path in sorted(ROOT.rglob("*.html")):
        hits += _template_hits(path, codes)
    return hits


def test_the_scanner_finds_what_it_looks_for(tmp_path: Any) -> None:
    """The scanner is not blind: each kind of comparison the code used to make is found."""
    codes = default_codes()
    assert {"draft", "filed", "submitted", "routed", "published"} <= codes
    py = tmp_path / "sample.py"
    py.write_text('qs.filter(state__code="filed")\nqs.exclude(state__code__in=("draft", "withdrawn"))\n'
                  'if p.state.code == "filed": pass\nif code in ("submitted", "filed"): pass\n'
                  'if "submitted" in targets: pass\nAuditEntry.objects.filter(to_state="filed")\n'
                  'if row["state__code"] == "kept": pass\n'
                  'if stage == "draft": pass\nif f.status == "answered": pass\n', encoding="utf-8")
    assert len(_python_hits(py, codes)) == 7
    html = tmp_path / "sample.html"
    html.write_text('{% if p.state.code == "filed" %}x{% endif %}{% with s=report.state.code %}{% endwith %}'
                    '{% if report.state == "draft" %}{% endif %}{% if f.status == "answered" %}{% endif %}',
                    encoding="utf-8")
    assert len(_template_hits(html, codes)) == 3


def test_no_literal_state_code_comparisons_outside_the_default_definitions() -> None:
    hits = literal_state_code_comparisons()
    assert hits == [], "\n".join(hits)


if __name__ == "__main__":
    import os
    import sys

    import django

    sys.path.insert(0, str(ROOT.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
    django.setup()
    found = literal_state_code_comparisons()
    print("\n".join(found))
    print(f"literal state-code comparisons outside the default definitions: {len(found)}")
