from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudiosConfig(AppConfig):
    name = "lvzhi.studios"
    label = "studios"
    verbose_name = _("委员工作室")

    def ready(self) -> None:
        from lvzhi.core import sections
        from lvzhi.studios.defaults import register_case_type
        from lvzhi.studios.queries import figures_section, register_acts

        register_case_type()
        register_acts()
        sections.register("studios", figures_section)
