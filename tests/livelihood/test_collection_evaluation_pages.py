"""Pages and API of collection, screening, the satisfaction evaluation and 数读."""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.utils import timezone

from lvzhi.core.api_auth import issue_token
from lvzhi.livelihood import actions as act
from lvzhi.livelihood.models import Candidate, EvaluationForm, ProjectSuggestion, Screening, Source
from tests.cases.npc import NPC
from tests.livelihood.helpers import make_vote


def client(npc: NPC, name: str) -> Client:
    c = Client()
    c.force_login(npc.user(name))
    return c


def test_collection_pages(npc: NPC) -> None:
    today = timezone.localdate()
    window = act.open_collection(npc.user("staff"), npc.council, year=2030, opens=today, closes=today)
    url = f"/livelihood/collections/{window.pk}/"
    deputy = client(npc, "deputy0")
    page = deputy.post(url, {"title": "社区长者饭堂", "investment": "不是数字"}).content.decode()
    assert "error" in page and ProjectSuggestion.objects.count() == 0
    deputy.post(url, {"title": "社区长者饭堂", "investment": "800", "proposed_unit": npc.units[0].pk})
    # The public, without logging in.
    public = Client()
    answer = public.post(url + "propose/", {"title": "背街小巷改造", "proposer_name": "市民甲", "proposer_contact": "138"})
    assert "已收到" in answer.content.decode()
    answer = public.post(url + "propose/", {"title": "x", "proposer_name": "乙"})  # no contact: refused
    assert 'class="error"' in answer.content.decode() and ProjectSuggestion.objects.count() == 2
    assert sorted(ProjectSuggestion.objects.values_list("source", flat=True)) == [Source.DEPUTY, Source.PUBLIC]
    # A deputy sees only their own; staff see all and screen.
    assert "背街小巷改造" not in deputy.get(url).content.decode()
    staff = client(npc, "staff")
    assert "背街小巷改造" in staff.get(url).content.decode()
    item = ProjectSuggestion.objects.get(source=Source.PUBLIC)
    page = staff.post(url + f"screen/{item.pk}/", {"outcome": Screening.REJECTED, "reason": ""}, follow=True)
    assert "请填写「审查意见」" in page.content.decode()
    staff.post(url + f"screen/{item.pk}/", {"outcome": Screening.REJECTED, "reason": "增加债务风险"})
    assert ProjectSuggestion.objects.get(pk=item.pk).screening == Screening.REJECTED
    assert deputy.post(url + f"screen/{item.pk}/", {"outcome": Screening.ACCEPTED}).status_code == 302
    assert ProjectSuggestion.objects.get(pk=item.pk).screening == Screening.REJECTED  # refused: not staff


def test_evaluation_page_and_figures(npc: NPC) -> None:
    vote = make_vote(npc, places=1, candidates=3, electorate=5)
    for i in range(3):
        act.cast_ballot(npc.user(f"deputy{i}"), vote, {"01": "赞成"})
    act.close_vote(npc.user("leader"), vote)
    act.publish_result(npc.user("leader"), vote)
    project = Candidate.objects.get(vote=vote, code="01")
    ev = act.create_evaluation(npc.user("staff"), npc.council, year=vote.window.year, projects=[project],
                               electorate=5)
    url = f"/livelihood/evaluations/{ev.pk}/"
    leader = client(npc, "leader")
    leader.post(url, {"step": "open"})
    for i, rating in enumerate(["满意", "不满意", "满意"]):
        page = client(npc, f"deputy{i}").post(url, {f"rating-{project.pk}": rating}).content.decode()
        assert "回执码" in page
    page = client(npc, "deputy0").post(url, {f"rating-{project.pk}": "满意"}).content.decode()
    assert "只能提交一次" in page and EvaluationForm.objects.count() == 3
    leader.post(url, {"step": "close"})
    # 3 valid forms, 满意 2 > 1.5 → 满意.
    page = leader.get(url).content.decode()
    assert "<td>满意</td></tr>" in page.replace("\n", "")
    # 数读 on the page and in the API: 3 suggested by deputies, screened and listed; 1 place, 3 ballots,
    # 1 elected, rated 满意.
    assert client(npc, "deputy0").get("/livelihood/figures/").status_code == 404
    assert "票决产生项目" in leader.get("/livelihood/figures/").content.decode()
    key = issue_token(npc.user("leader"), name="t")[1]
    figures = Client().get("/api/livelihood/figures", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert figures == [{"year": vote.window.year, "suggestions": 3, "by_source": {"deputy": 3}, "screened": 3,
                        "listed": 3, "candidates": 3, "places": 1, "ballots": 3, "elected": 1,
                        "satisfaction": {project.title: "满意"}, "delivered": 0, "completed": 0,
                        "on_time": 0, "micro": 0, "micro_batches": 0,
                        "micro_people_served": 0}]
    detail = Client().get(f"/api/livelihood/evaluations/{ev.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert detail["result"][str(project.pk)]["result"] == "满意"
    # the same figures on the shared statistics page (lvzhi.core.sections), for the collection's year
    from lvzhi.core.sections import sections

    shown = {s.key: s for s in sections(npc.council.pk, None, date(vote.window.year, 12, 31))}["livelihood"]
    values = dict(shown.figures)
    assert (values["征集项目建议"], values["候选项目（名额）"], values["收回选票"], values["票决产生"]) == (3, "3（1）", 3, 1)
    assert shown.tables[0].rows == [[project.title, "满意"]]
