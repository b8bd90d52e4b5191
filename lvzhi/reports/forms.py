"""The statistics filter form: council (administrators of all councils only), term, session, date range."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from lvzhi.members.models import Council, Session, Term


class StatsFilterForm(forms.Form):
    """Filters of the statistics page and its workbook (GET parameters ``council``, ``term``, ``session``,
    ``date_from``, ``date_to``). Terms and sessions are limited to ``council``'s."""

    council = forms.ModelChoiceField(label=_("机构"), queryset=Council.objects.none(), required=False,
                                     empty_label=None)
    term = forms.ModelChoiceField(label=_("届次"), queryset=Term.objects.none(), required=False,
                                  empty_label=_("全部届次"))
    session = forms.ModelChoiceField(label=_("会次"), queryset=Session.objects.none(), required=False,
                                     empty_label=_("全部会次"))
    date_from = forms.DateField(label=_("提交日期自"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data: Any, *, council: Council, councils: Any) -> None:
        super().__init__(data)
        council_field = cast(forms.ModelChoiceField, self.fields["council"])
        council_field.queryset = councils
        council_field.initial = council.pk
        if councils.count() < 2:
            council_field.widget = forms.HiddenInput()
        cast(forms.ModelChoiceField, self.fields["term"]).queryset = Term.objects.filter(council=council)
        cast(forms.ModelChoiceField, self.fields["session"]).queryset = Session.objects.filter(
            term__council=council).select_related("term__council")

    def scope_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of ``proposal_statistics`` (call after ``is_valid()``)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "council" and v is not None}
