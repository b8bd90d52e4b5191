from django.apps import AppConfig
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "lvzhi.opinions"
    label = "opinions"
    verbose_name = _("社情民意与群众意见")

    def ready(self) -> None:
        from lvzhi.core import delivery, reminders
        from lvzhi.opinions.following import notify_followers

        delivery.register_sender("portal_followers", notify_followers)
        from lvzhi.members.defaults import register_defaults
        from lvzhi.opinions.defaults import install_opinion_workflows

        # public-opinion reports and citizens' messages serve both bodies (docs/decisions.md)
        register_defaults(None, install_opinion_workflows)
        from lvzhi.core.inbox import register_provider
        from lvzhi.opinions.inbox import opinion_inbox

        register_provider("opinions", opinion_inbox)
        from lvzhi.opinions.reminders import opinion_reminders

        reminders.register_provider("opinions", opinion_reminders)
        from lvzhi.core import search
        from lvzhi.opinions.queries import search_messages, search_reports

        search.register_provider("report", _("社情民意"), search_reports, list_url=reverse_lazy("opinions-home"),
                                 list_params={"tab": "reports"})
        search.register_provider("message", _("群众意见"), search_messages, list_url=reverse_lazy("opinions-home"),
                                 list_params={"tab": "messages"})
