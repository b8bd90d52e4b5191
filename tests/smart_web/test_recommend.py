"""Category and unit recommendation on the message page after training on the council's history (real 附件2
messages, routed through the actions), the clerk's choice recorded, accuracy in use checked against an
independent count, the models page and retraining as a background job."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from lvzhi.core.models import Job
from lvzhi.opinions import actions as op
from lvzhi.opinions.models import Message
from lvzhi.opinions.sources import read_messages
from lvzhi.smart import service, store, training
from lvzhi.smart.models import SuggestionRecord

from .conftest import TIPDM

pytestmark = pytest.mark.django_db

UNIT_OF = {"交通运输": 1, "教育文体": 2}  # world.units index by category; the rest go to unit 0


def _history(world: Any) -> None:
    """附件2 (400 real labelled messages) imported, 60 of them routed by the staff to a unit per category."""
    messages, _ = read_messages(TIPDM / "messages_labelled_sample_附件2.xlsx")
    op.import_messages(world.council, messages)
    staff = world.user("staff")
    taken = {0: 0, 1: 0, 2: 0}
    for m in Message.objects.filter(council=world.council).order_by("pk"):
        unit = UNIT_OF.get(m.category, 0)
        if taken[unit] >= 20:
            continue
        op.route_message(staff, m.pk, unit=world.units[unit], category=m.category)
        taken[unit] += 1
    assert taken == {0: 20, 1: 20, 2: 20}


def _train(world: Any) -> str:
    out = io.StringIO()
    call_command("train_models", "--council", str(world.council.pk), "--no-cv", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_recommendation_panel_choice_recorded_and_accuracy_in_use(world, login):
    _history(world)
    out = _train(world)
    assert "群众意见分类" in out and "群众意见承办单位" in out
    unit_model = store.model_for("message-unit", world.council.pk)
    assert unit_model is not None and sorted(unit_model.model.labels) == sorted(u.name for u in world.units)
    clerk = world.user("staff")
    a = op.register_message(clerk, world.council, channel="letter", title="K8县公交车长期不按站点停靠",
                            body="K8县3路公交车经常不进站停靠，乘客只能在马路中间上下车，非常危险。")
    b = op.register_message(clerk, world.council, channel="letter", title="A市某小学违规收取课后辅导费",
                            body="孩子所在小学要求每个学生交课后辅导费，请教育部门查处。")
    staff = login("staff")
    shown: dict[int, dict[str, list[tuple[str, float]]]] = {}
    signed: dict[int, str] = {}
    for m in (a, b):
        page = staff.get(reverse("opinions-message", args=[m.pk]))
        assert page.status_code == 200
        rec = page.context["recommend"]
        cats = [(r["label"], r["score"]) for r in rec if r["kind"] == "category"]
        units = [(r["label"], r["score"]) for r in rec if r["kind"] == "unit"]
        assert len(cats) == 3 and len(units) == 3
        assert all(0 <= s <= 1 for _, s in cats + units) and cats[0][1] > 0 and sum(s for _, s in cats) <= 1.0001
        assert [s for _, s in cats] == sorted((s for _, s in cats), reverse=True)
        assert {u for u, _ in units} == {u.name for u in world.units}
        html = page.content.decode()
        assert "推荐分类与承办单位" in html and f"{cats[0][0]}（{cats[0][1]:.2f}）" in html
        shown[m.pk] = {"category": cats, "unit": units}
        signed[m.pk] = page.context["shown"]  # the routing form's signed record of what it showed
    # One click on 转办 with the suggestion for a; for b a unit ranked third and a category outside the top 3.
    unit_pk = {u.name: u.pk for u in world.units}
    choices = {
        a.pk: (shown[a.pk]["unit"][0][0], shown[a.pk]["category"][0][0]),
        b.pk: (shown[b.pk]["unit"][2][0], next(c for c in ("城乡建设", "环境保护", "交通运输", "教育文体", "劳动和社会保障",
                                                       "商贸旅游", "卫生计生")
                                              if c not in [x for x, _ in shown[b.pk]["category"]])),
    }
    for pk, (unit, category) in choices.items():
        m = Message.objects.get(pk=pk)
        resp = staff.post(reverse("opinions-message-act", args=[pk]),
                          {"action": "route", "unit": unit_pk[unit], "category": category, "version": m.version,
                           "shown": signed[pk]})
        assert resp.status_code == 302
        m.refresh_from_db()
        assert m.state.code == "routed" and m.unit.name == unit and m.category == category
    # What was shown is recorded once per case, kind and model version.
    records = SuggestionRecord.objects.filter(case_type="message", case_id__in=[a.pk, b.pk])
    assert records.count() == 4
    assert {tuple(r.labels) for r in records if r.kind == "unit"} == {
        tuple(u for u, _ in shown[a.pk]["unit"]), tuple(u for u, _ in shown[b.pk]["unit"])}
    # Accuracy in use, counted here from what the page showed and what was chosen (plus the 60 routings of the
    # history, which had no suggestion shown before them and do not count).
    expected: dict[str, dict[str, int]] = {"message-category": {"n": 0, "top1": 0, "top3": 0},
                                           "message-unit": {"n": 0, "top1": 0, "top3": 0}}
    for pk, (unit, category) in choices.items():
        for kind, chosen in (("unit", unit), ("category", category)):
            labels = [x for x, _ in shown[pk][kind]]
            e = expected[f"message-{kind}"]
            e["n"] += 1
            e["top1"] += labels[0] == chosen
            e["top3"] += chosen in labels
    figures = service.accuracy_in_use(world.council.pk)
    for key, e in expected.items():
        assert {k: figures[key][k] for k in ("n", "top1", "top3")} == e
    assert figures["message-unit"] == {"n": 2, "top1": 1, "top3": 2, "top1_rate": 0.5, "top3_rate": 1.0}
    assert figures["message-category"]["top1"] == 1 and figures["message-category"]["top3"] == 1
    # The models page shows the council's models and these figures.
    page = staff.get(reverse("smart-models"))
    assert page.status_code == 200
    assert page.context["accuracy"] == figures
    html = page.content.decode()
    assert f"council-{world.council.pk}/message-unit/v1" in html and "使用准确率" in html
    api = staff.get("/api/smart/models")
    assert api.status_code == 200 and api.json()["accuracy_in_use"]["message-unit"]["top3"] == 2


def test_suggestions_never_change_the_case(world):
    _history(world)
    _train(world)
    m = op.submit_portal_message(world.council, title="小区垃圾无人清运", body="A3区某小区垃圾堆积一周无人清运。")
    before = Message.objects.filter(pk=m.pk).values().get()
    assert len(service.recommend(m)) == 6
    service.similar_cases(m)
    assert Message.objects.filter(pk=m.pk).values().get() == before


def test_retrain_from_the_page_runs_as_a_job(world, login, django_capture_on_commit_callbacks):
    _history(world)
    staff = login("staff")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        resp = staff.post(reverse("smart-models"))
    assert resp.status_code == 302 and len(callbacks) == 1
    job = Job.objects.get(kind=training.JOB_KIND)
    assert resp.url == reverse("smart-job", args=[job.pk]) and job.status == Job.Status.PENDING
    training.run_training_job(job.pk)  # what the thread runs
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.percent == 100 and "群众意见承办单位" in job.message
    status = staff.get(reverse("smart-job-status", args=[job.pk])).json()
    assert status["finished"] and status["percent"] == 100
    assert store.current_info("message-unit", store.scope_of(world.council.pk)) is not None
    assert staff.get(reverse("smart-job", args=[job.pk])).status_code == 200
