from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "lvzhi.proposals"
    label = "proposals"
    verbose_name = _("提案")

    def ready(self) -> None:
        from lvzhi.core import reminders
        from lvzhi.core.inbox import register_provider
        from lvzhi.proposals.inbox import proposal_inbox

        register_provider("proposal", proposal_inbox)
        from lvzhi.proposals.reminders import proposal_reminders

        reminders.register_provider("proposal", proposal_reminders)
