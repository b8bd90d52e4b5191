from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FirmVisitsConfig(AppConfig):
    name = "lvzhi.firmvisits"
    label = "firmvisits"
    verbose_name = _("领导联系委员企业")

    def ready(self) -> None:
        from lvzhi.core import sections
        from lvzhi.core.inbox import register_provider
        from lvzhi.firmvisits.queries import figures_section, open_issues

        register_provider("firm_issues", open_issues)

        from lvzhi.core import reminders
        from lvzhi.firmvisits.queries import issue_reminders

        reminders.register_provider("firm_issues", issue_reminders)
        sections.register("firm_visits", figures_section)
