"""The fixed parts of a proposal's reply letter (答复函) around the clerk's text, and when to leave them out.

The letter is: the addressee's greeting (``李四委员：`` or the organisation's name), the usual opening
(``您提出的《…》（第14-3-001号）收悉。经认真研究，现答复如下：``), the clerk's text, then the unit's name, the
date, the contact line and the copy line (抄送). Clerks who paste a finished letter often begin with the
greeting and the 收悉 sentence themselves; those parts are then not added a second time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lvzhi.proposals.models import Proposal

# a salutation line: short, ends with a full-width or ASCII colon, no sentence or clause inside (李四委员： /
# 尊敬的民盟市委会：), and not the acknowledgement itself (…提案收悉，现答复如下：)
_GREETING = re.compile(r"^(?!.*(?:收悉|答复如下))[^。！？，,\n]{1,30}[：:]\s*$")
# the acknowledgement sentence: "……收悉" within the first sentence of the text after the greeting
_OPENING = re.compile(r"^[^。！？]{0,200}收悉")


@dataclass(frozen=True)
class LetterFrame:
    """``addressee`` (without the colon; ``""`` when none is known) and ``opening`` of the letter."""

    addressee: str
    opening: str


def letter_frame(proposal: Proposal) -> LetterFrame:
    """The greeting's addressee (the organisation, else ``<first proposer>委员``) and the usual opening."""
    if proposal.organisation_id:
        addressee = proposal.organisation.name  # type: ignore[union-attr]
    else:
        addressee = f"{proposal.first_proposer.name}委员" if proposal.first_proposer_id else ""  # type: ignore[union-attr]
    number = proposal.number or proposal.serial
    return LetterFrame(addressee, f"您提出的《{proposal.title}》（第{number}号）收悉。经认真研究，现答复如下：")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").strip().splitlines() if line.strip()]


def starts_with_greeting(text: str) -> bool:
    """Whether ``text`` begins with its own salutation line (``李四委员：``)."""
    lines = _lines(text)
    return bool(lines) and bool(_GREETING.match(lines[0]))


def starts_with_opening(text: str) -> bool:
    """Whether ``text`` (after its own salutation line, if any) begins with the acknowledgement sentence
    (``您提出的《…》收悉``, ``贵委员提出的…提案收悉``)."""
    lines = _lines(text)
    if lines and _GREETING.match(lines[0]):
        lines = lines[1:]
    return bool(lines) and bool(_OPENING.match(lines[0]))
