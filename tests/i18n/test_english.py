"""The English user interface: a member switches to English and the inbox, the proposal list and a case page
speak English (workflow state names are data and stay as configured); the zh-Hans default still speaks Chinese;
the English catalog (lvzhi/locale/en) translates every msgid with the same placeholders, its compiled .mo matches
the .po, and every string marked for translation in the source is in the catalog.

When a catalog test fails after adding UI text, refresh and translate the catalog:
``cd lvzhi && ../.venv/bin/lvzhi makemessages -l en --ignore "migrations/*"``, fill the new msgstr (no
``#, fuzzy`` left), then compile (``msgfmt`` or polib's ``save_as_mofile``) and commit both .po and .mo.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation.template import templatize

from lvzhi.core.management.commands.makemessages import EXTRA_KEYWORDS
from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Assignment

PACKAGE = Path(settings.BASE_DIR)  # lvzhi/, where makemessages runs
PO_PATH = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# printf-style named/positional placeholders ("%%" is a literal percent, not a placeholder) and str.format fields
PRINTF = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifeEgGxXoc]")
BRACE = re.compile(r"(?<!\{)\{[^{}]*\}(?!\})")
# Inside these elements a template only writes translated labels, never data.
CHROME_TAGS = {"title", "nav", "th", "label", "h2", "dt", "legend"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _catalog() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def _placeholders(text: str, brace: bool) -> list[str]:
    found = PRINTF.findall(text.replace("%%", ""))
    if brace:
        found += BRACE.findall(text)
    return sorted(found)


def _translations(entry: polib.POEntry | polib.MOEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


class _ChromeText(HTMLParser):
    """Collects the text found inside CHROME_TAGS, except inside <option> (option labels can be data)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID_TAGS:
            self.stack.append(tag)
        for name, value in attrs:  # accessible names are chrome too
            if name in ("aria-label", "title", "placeholder") and value and self._in_chrome():
                self.text.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._in_chrome() and "option" not in self.stack:
            self.text.append(data)

    def _in_chrome(self) -> bool:
        return any(t in CHROME_TAGS for t in self.stack)


def _chrome(html: str) -> str:
    parser = _ChromeText()
    parser.feed(html)
    return " ".join(t.strip() for t in parser.text if t.strip())


def _nav(html: str) -> str:
    match = re.search(r'<nav id="site-nav".*?</nav>', html, re.S)
    assert match, "the main navigation is missing"
    return match.group(0)


def _replied_proposal(world):
    """A proposal of member0, assigned to unit 0 and replied (signed off): the member's inbox asks for a
    satisfaction evaluation."""
    p = act.create_proposal(world.user("member0"), session=world.session, title="关于完善社区养老服务的建议",
                            situation="情况", analysis="分析", suggestions="建议")
    act.submit_proposal(world.user("member0"), p.pk)
    act.file_proposal(world.user("staff"), p.pk, category=world.categories[0])
    act.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "sole")])
    reply = act.draft_reply(world.user("clerk0"), Assignment.objects.get(proposal=p).pk, grade_code="A",
                            text="答复正文")
    act.sign_off_reply(world.user("head0"), reply.pk)
    return p


@pytest.mark.django_db
def test_member_switches_to_english(world):
    p = _replied_proposal(world)
    client = Client()
    client.force_login(world.user("member0"))
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and client.cookies["django_language"].value == "en"

    inbox = client.get(reverse("inbox")).content.decode()
    assert '<html lang="en">' in inbox
    nav = _nav(inbox)
    assert not CJK.search(nav), CJK.findall(nav)
    for label in ("Inbox", "Proposals", "New proposal", "Public portal"):
        assert f">{label}</a>" in nav
    assert "Reply awaiting satisfaction evaluation" in inbox  # the inbox item, gettext at request time
    assert "Deadline" in inbox and "Log out" in inbox and "Skip to content" in inbox
    assert not CJK.search(_chrome(inbox)), _chrome(inbox)

    listing = client.get(reverse("proposal-list")).content.decode()
    assert not CJK.search(_nav(listing))
    for label in ("Filter and search", "Full-text search", "Category", "Status", "Handling unit"):
        assert label in listing
    assert not CJK.search(_chrome(listing)), _chrome(listing)

    case = client.get(reverse("proposal-detail", args=[p.pk])).content.decode()
    assert not CJK.search(_nav(case))
    for label in ("Basic information", "Proposal text", "Situation", "Specific suggestions", "Proposer",
                  "Download proposal (Word)", "Download reply letter (Word)", "Replied at", "Signed off by",
                  "Satisfaction evaluation"):
        assert label in case, label
    # the satisfaction evaluation form: labels and the choices
    for label in ("Handling attitude", "Overall evaluation", "Basically satisfied", "Unsatisfied"):
        assert label in case, label
    chrome = _chrome(case)
    assert not CJK.search(chrome.replace(p.title, "")), chrome  # the title is data (page <title>)
    # the default workflow's state and grade names are data stored in Chinese, translated when shown
    assert "Replied, awaiting evaluation" in case and "Resolved or basically resolved" in case
    assert "Awaiting review → Filed, awaiting assignment" in case  # the timeline

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    again = client.get(reverse("inbox")).content.decode()
    assert '<html lang="zh-hans">' in again and ">待办</a>" in _nav(again)


@pytest.mark.django_db
def test_chinese_is_the_default(world):
    client = Client()
    client.force_login(world.user("member0"))
    inbox = client.get(reverse("inbox")).content.decode()
    assert '<html lang="zh-hans">' in inbox
    nav = _nav(inbox)
    assert ">待办</a>" in nav and ">提案</a>" in nav and ">提出提案</a>" in nav
    assert "Inbox" not in nav and "Proposals" not in nav
    listing = client.get(reverse("proposal-list")).content.decode()
    assert "筛选与搜索" in listing and "Filter and search" not in listing


@pytest.mark.django_db
def test_accept_language_header_alone_selects_english(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.force_login(world.user("member0"))
    inbox = client.get(reverse("inbox")).content.decode()
    assert '<html lang="en">' in inbox and ">Proposals</a>" in _nav(inbox)


def test_every_catalog_entry_is_translated_with_the_same_placeholders():
    catalog = _catalog()
    assert catalog.metadata.get("Language") == "en"
    assert not catalog.metadata_is_fuzzy
    problems = []
    for entry in catalog:
        if entry.obsolete:
            continue
        brace = "python-brace-format" in entry.flags
        if "fuzzy" in entry.flags:
            problems.append(("fuzzy", entry.msgid))
        translations = _translations(entry)
        if entry.msgid_plural:
            assert len(translations) == 2, entry.msgid  # nplurals=2 for English
        for text in translations:
            if not text.strip():
                problems.append(("empty", entry.msgid))
            elif _placeholders(text, brace) != _placeholders(entry.msgid, brace):
                problems.append(("placeholders", entry.msgid, text))
            elif CJK.search(text):
                problems.append(("chinese left", entry.msgid, text))
            if entry.msgid_plural and _placeholders(entry.msgid_plural, brace) != _placeholders(entry.msgid, brace):
                problems.append(("plural placeholders", entry.msgid_plural))
    assert not problems, problems


def test_compiled_catalog_matches_the_po_file():
    catalog = _catalog()
    compiled = {(e.msgctxt, e.msgid): _translations(e) for e in polib.mofile(str(MO_PATH)) if e.msgid}
    expected = {(e.msgctxt, e.msgid): _translations(e) for e in catalog if not e.obsolete}
    stale = sorted(k[1] for k in expected if compiled.get(k) != expected[k])
    assert not stale, f"django.mo is out of date for {stale[:20]}: recompile the catalog"


# makemessages' keywords for the django domain (xgettext's Python defaults, Django's, the project's aliases).
SINGULAR = {"_", "gettext", "gettext_lazy", "gettext_noop", "ugettext", "ugettext_lazy", "ugettext_noop",
            *EXTRA_KEYWORDS}
PLURAL = {"ngettext", "ngettext_lazy", "ungettext", "ungettext_lazy"}
CONTEXT = {"pgettext", "pgettext_lazy"}
CONTEXT_PLURAL = {"npgettext", "npgettext_lazy"}
TEMPLATE_CALL = re.compile(
    r"\b(gettext|ngettext|pgettext|npgettext)\(((?:\s*,?\s*u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"))+)")


def _keys_from_call(name: str, args: list[object]) -> tuple[str | None, str] | None:
    """(msgctxt, msgid) of a gettext-family call whose message arguments are string literals."""
    strings = [a if isinstance(a, str) else None for a in args]
    if name in SINGULAR or name in PLURAL:
        return (None, strings[0]) if strings and strings[0] else None
    if name in CONTEXT or name in CONTEXT_PLURAL:
        return (strings[0], strings[1]) if len(strings) > 1 and strings[0] and strings[1] else None
    return None


def _source_messages() -> set[tuple[str | None, str]]:
    """The (msgctxt, msgid) pairs makemessages would extract from lvzhi/ (.py and .html/.txt, migrations
    ignored): Python through the AST, templates through Django's own ``templatize``."""
    found: set[tuple[str | None, str]] = set()
    for path in sorted(PACKAGE.rglob("*")):
        rel = path.relative_to(PACKAGE)
        if not path.is_file() or "migrations" in rel.parts or any(p.startswith(".") for p in rel.parts):
            continue
        if rel.parts[0] in ("var", "static", "locale"):
            continue
        if path.suffix == ".py":
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
                key = _keys_from_call(name, args)
                if key:
                    found.add(key)
        elif path.suffix in (".html", ".txt"):
            code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            for match in TEMPLATE_CALL.finditer(code):
                args = list(ast.literal_eval(f"({match.group(2).strip().lstrip(',')},)"))
                key = _keys_from_call(match.group(1), args)
                if key:
                    found.add(key)
    return found


def test_every_marked_string_in_the_source_is_in_the_catalog():
    catalog = {(e.msgctxt, e.msgid) for e in _catalog() if not e.obsolete and e.translated()}
    source = _source_messages()
    assert len(source) > 500  # the scan really sees the templates and the Python code
    missing = sorted(msgid for ctx, msgid in source - catalog)
    assert not missing, (
        f"{len(missing)} UI strings are not in the English catalog, e.g. {missing[:15]}: run "
        '`cd lvzhi && ../.venv/bin/lvzhi makemessages -l en --ignore "migrations/*"`, translate, recompile'
    )
