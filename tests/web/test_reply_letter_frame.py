"""The reply letter's fixed greeting and 收悉 opening: the form says what the letter adds, and a text that
already begins with them does not get them twice (Word file and preview page)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Assignment

pytestmark = pytest.mark.django_db

BODY = "一、关于增加公交线路。我局已于今年三月新开两条线路。\n二、关于延长运营时间。将在年内试行。"


def _docx_text(client, reply_pk: int) -> str:
    response = client.get(reverse("reply-docx", args=[reply_pk]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def _reply(world, proposal, text: str):
    a = Assignment.objects.get(proposal=proposal)
    return act.draft_reply(world.user("clerk0"), a.pk, grade_code="B", text=text)


def test_form_shows_the_fixed_opening_and_closing(world, login, make_proposal):
    p = make_proposal("assigned", title="关于优化城区公交线网的建议")
    html = login("clerk0").get(reverse("proposal-detail", args=[p.pk])).content.decode()
    # the greeting to the first proposer (张三, member0) and the opening with the case's title and number
    assert "「张三委员：」" in html
    assert f"「您提出的《关于优化城区公交线网的建议》（第{p.number or p.serial}号）收悉。经认真研究，现答复如下：」" in html
    assert "承办单位署名" in html and "不再重复添加" in html


def test_plain_text_gets_greeting_and_opening_once(world, login, make_proposal):
    p = make_proposal("assigned", title="关于优化城区公交线网的建议")
    reply = _reply(world, p, BODY)
    text = _docx_text(login("clerk0"), reply.pk)
    assert text.count("张三委员：") == 1 and text.count("收悉。经认真研究，现答复如下：") == 1
    assert text.index("张三委员：") < text.index("收悉") < text.index("一、关于增加公交线路")


def test_text_that_begins_with_them_does_not_get_them_twice(world, login, make_proposal):
    p = make_proposal("assigned", title="关于优化城区公交线网的建议")
    own = f"张三委员：\n您提出的《关于优化城区公交线网的建议》（第{p.number or p.serial}号）收悉。经认真研究，现答复如下：\n{BODY}"
    reply = _reply(world, p, own)
    clerk = login("clerk0")
    text = _docx_text(clerk, reply.pk)
    assert text.count("张三委员：") == 1 and text.count("收悉") == 1
    page = clerk.get(reverse("reply-letter", args=[reply.pk])).content.decode()
    assert page.count("张三委员：") == 1 and page.count("收悉") == 1
    # only the acknowledgement, worded differently, without a greeting: the greeting is still added
    reply2 = _reply(world, p, f"贵委员提出的关于公交线网的提案收悉，现答复如下：\n{BODY}")
    text = _docx_text(clerk, reply2.pk)
    assert text.count("张三委员：") == 1 and text.count("收悉") == 1
