"""The longest text (in characters) each kind of free text may have, shared by the API schemas, the page forms
and the actions so that a page never accepts what the API refuses, or the reverse.

A field stored in a ``CharField`` takes the column's own ``max_length`` (:func:`column_max`); a field stored
in a ``TextField`` takes the constant of its kind below. The values are the limits the actions and the
suggestion-handling API already applied before they were shared (``lvzhi.cases.api``: 2000 for a comment,
1000 for a reason, 5000 for an answer, 20000 for a formal reply or record). Source: issue "Production …",
item 3 ("every text field has a length limit").
"""

from __future__ import annotations

from django.db import models

#: A comment on one step of handling (交办意见、立案意见、退回意见、并案说明、评价意见、审查意见…).
COMMENT_MAX = 2000
#: A reason for refusing or sending back (申退理由、退回理由、不予受理理由).
REASON_MAX = 1000
#: A handling text of some length: an answer, a co-handling opinion (会办意见), a finding, a correction, a
#: follow-up note (跟踪情况), an assessment opinion.
ANSWER_MAX = 5000
#: The content of a submission described in prose (项目内容 of a livelihood project).
CONTENT_MAX = 5000
#: A long formal text: a reply (答复内容), a record of an activity (情况记录), an agenda.
RECORD_MAX = 20000
#: A code chosen from a fixed list that is not itself a column (an API ``action`` such as ``answer_sign_off``).
CODE_MAX = 50
#: A number a client may send as text (an amount in 万元 such as ``"12.50"``).
NUMBER_TEXT_MAX = 30
#: A value the server signed for a hidden form field (e.g. the smart suggestions shown, ``shown``).
SIGNED_MAX = 10000


def column_max(model: type[models.Model], field: str) -> int:
    """The ``max_length`` of ``model``'s ``CharField`` ``field`` (characters). Raises ``ValueError`` when the
    field has none (a ``TextField``: use the constant of its kind instead)."""
    limit = model._meta.get_field(field).max_length  # type: ignore[union-attr]
    if not limit:
        raise ValueError(f"{model.__name__}.{field} has no max_length")
    return int(limit)
