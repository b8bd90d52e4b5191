from django.apps import AppConfig
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "lvzhi.suggestions"
    label = "suggestions"
    verbose_name = _("代表建议")

    def ready(self) -> None:
        from lvzhi.suggestions.defaults import register_case_type

        register_case_type()
        from lvzhi.core import search
        from lvzhi.suggestions.steps import search_suggestions

        search.register_provider("suggestion", _("代表建议"), search_suggestions, list_url=reverse_lazy("suggestion-list"))
