from django.apps import AppConfig
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "lvzhi.proposals"
    label = "proposals"
    verbose_name = _("提案")

    def ready(self) -> None:
        from lvzhi.core import reminders
        from lvzhi.members.choices import CouncilKind
        from lvzhi.members.defaults import register_defaults
        from lvzhi.workflow.defaults import install_proposal_workflow

        # proposals (提案) belong to the CPPCC: only its councils get the proposal workflow
        register_defaults(CouncilKind.CPPCC, install_proposal_workflow)
        from lvzhi.core.inbox import register_provider
        from lvzhi.proposals.inbox import proposal_inbox

        register_provider("proposal", proposal_inbox)
        from lvzhi.proposals.reminders import proposal_reminders

        reminders.register_provider("proposal", proposal_reminders)
        from lvzhi.core import search
        from lvzhi.proposals.queries import search_proposals

        search.register_provider("proposal", _("提案"), search_proposals, list_url=reverse_lazy("proposal-list"))
