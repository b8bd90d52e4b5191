"""Writing help shared by the forms members and deputies fill in (issue 11, item 8): live character counters
(``lvzhi.js`` reads the ``data-count*`` attributes set here) and the recommended lengths they show."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def counter_attrs(max_length: int | None = None, *, group: str = "") -> dict[str, object]:
    """Widget attributes for a live counter under a text field: the count, and the limit when
    ``max_length`` is given; ``group`` adds the field to a total shown by :func:`total_attrs`."""
    attrs: dict[str, object] = {
        "data-count": "1",
        "data-count-label": _("已写 {n} 字（上限 {max} 字）") if max_length else _("已写 {n} 字")}
    if group:
        attrs["data-count-group"] = group
    return attrs

