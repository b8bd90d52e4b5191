from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "lvzhi.duties"
    label = "duties"
    verbose_name = _("履职档案")

    def ready(self) -> None:
        from lvzhi.core.reminders import register_provider
        from lvzhi.duties.providers import register_builtin_providers
        from lvzhi.duties.reminders import instruction_reminders

        register_builtin_providers()
        register_provider("duty_instructions", instruction_reminders)

        from lvzhi.core import sections
        from lvzhi.duties.section import figures_section

        sections.register("duties", figures_section)
