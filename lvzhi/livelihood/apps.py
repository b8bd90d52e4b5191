from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivelihoodConfig(AppConfig):
    name = "lvzhi.livelihood"
    label = "livelihood"
    verbose_name = _("民生实事")

    def ready(self) -> None:
        from lvzhi.core import reminders
        from lvzhi.core.inbox import register_provider
        from lvzhi.livelihood.defaults import register_case_type, register_micro_type
        from lvzhi.livelihood.queries import milestone_reminders, open_findings, overdue_milestones

        register_case_type()
        register_micro_type()
        register_provider("livelihood", overdue_milestones)
        register_provider("livelihood_findings", open_findings)
        reminders.register_provider("livelihood", milestone_reminders)

        from lvzhi.core import sections
        from lvzhi.livelihood.queries import figures_section

        sections.register("livelihood", figures_section)
