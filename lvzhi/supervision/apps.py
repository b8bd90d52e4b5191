from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "lvzhi.supervision"
    label = "supervision"
    verbose_name = _("监督与调研")

    def ready(self) -> None:
        from lvzhi.core import sections
        from lvzhi.core.inbox import register_provider
        from lvzhi.supervision.queries import figures_section, open_findings, register_acts

        register_acts()
        register_provider("supervision_findings", open_findings)

        from lvzhi.core import reminders
        from lvzhi.supervision.queries import finding_reminders

        reminders.register_provider("supervision_findings", finding_reminders)
        sections.register("supervision", figures_section)
