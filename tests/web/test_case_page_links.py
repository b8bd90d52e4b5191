"""What a case page shows and links: every timeline event in Chinese (the acts' recorded event names walked
in their source), and the proposals merged into one linked only for those who may open them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from lvzhi.core.events import EVENT_LABELS, event_label
from lvzhi.opinions import actions as op
from lvzhi.opinions import views as opinion_views
from lvzhi.proposals import actions as act
from lvzhi.proposals import views as proposal_views
from lvzhi.suggestions import views as suggestion_views

ROOT = Path(__file__).resolve().parents[2] / "lvzhi"
# the modules whose acts record audit entries on cases (proposals, suggestions and the core's types,
# reports and messages, case links, the workflow engine's moves and updates, imports)
ACT_MODULES = ["proposals/actions.py", "proposals/importing.py", "suggestions/actions.py", "cases/actions.py",
               "opinions/actions.py", "smart/actions.py", "workflow/engine.py"]


def recorded_events() -> set[str]:
    """Every literal event name passed to ``audit.record(target, event, …)`` or as ``event=`` to a call, and
    the default of an ``event`` keyword argument."""
    found: set[str] = set()
    for name in ACT_MODULES:
        for node in ast.walk(ast.parse((ROOT / name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):  # a default such as ``event: str = "transition"``
                kw = dict(zip([a.arg for a in node.args.kwonlyargs], node.args.kw_defaults, strict=True))
                default = kw.get("event")
                if isinstance(default, ast.Constant) and isinstance(default.value, str):
                    found.add(default.value)
            if not isinstance(node, ast.Call):
                continue
            args = [k.value for k in node.keywords if k.arg == "event"]
            func = node.func
            if ((isinstance(func, ast.Attribute) and func.attr == "record") or
                    (isinstance(func, ast.Name) and func.id == "record")) and len(node.args) > 1:
                args.append(node.args[1])
            for arg in args:
                for value in ([arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]):
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        found.add(value.value)
    return found


def test_every_recorded_event_has_a_chinese_label():
    events = recorded_events()
    # the walk finds what the acts are known to record (so it cannot pass by finding nothing)
    assert {"converted_to_report", "merged_in", "reply_signed", "routed", "transition", "edited"} <= events
    own_maps = [proposal_views.EVENT_LABELS, suggestion_views.EVENT_LABELS, opinion_views.EVENT_LABELS]
    missing = sorted(e for e in events if e not in EVENT_LABELS)
    assert not missing, missing
    with translation.override("zh-hans"):
        for own in [None, *own_maps]:
            for e in events:
                label = event_label(e, own)
                assert re.search(r"[\u4e00-\u9fff]", label) and e not in label, (e, label)


@pytest.mark.django_db
def test_converted_proposal_timeline_shows_a_chinese_label(world, login, make_proposal):
    p = make_proposal("submitted")
    act.not_file_proposal(world.user("staff"), p.pk, ground="vague", comment="内容空泛")
    op.convert_proposal_to_report(world.user("staff"), p.pk)
    for who in ("staff", "member0"):
        html = login(who).get(reverse("proposal-detail", args=[p.pk])).content.decode()
        assert "converted_to_report" not in html and "转为社情民意信息" in html


@pytest.mark.django_db
def test_merged_proposals_linked_only_for_those_who_may_open_them(world, login, make_proposal):
    main = make_proposal("submitted", member="member0", title="关于优化城区公交线网的建议")
    other = make_proposal("submitted", member="member1", title="关于开通夜间公交的建议")
    act.merge_proposals(world.user("staff"), main.pk, [other.pk])
    main_url, other_url = (reverse("proposal-detail", args=[x.pk]) for x in (main, other))
    member0 = login("member0")
    page = member0.get(main_url).content.decode()
    assert "关于开通夜间公交的建议" in page and f'href="{other_url}"' not in page
    assert member0.get(other_url).status_code == 404  # indeed not theirs to open
    staff_page = login("staff").get(main_url).content.decode()
    assert f'href="{other_url}"' in staff_page
    member1 = login("member1")  # the merged proposal's proposer follows the main case only if they may see it
    main_open = member1.get(main_url).status_code == 200
    page = member1.get(other_url).content.decode()
    assert "关于优化城区公交线网的建议" in page and (f'href="{main_url}"' in page) == main_open
