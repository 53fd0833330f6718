from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals (clients and consent)"

    def ready(self):
        from core.home import home_section_register
        from partnerships.models import Role

        from . import selectors

        # A partner organisation's officer sees what their organisation has received first.
        home_section_register(
            key="partner-inbox",
            roles=[Role.VISITING_OFFICER],
            order=10,
            template="referrals/includes/_home_partner_inbox.html",
            selector=selectors.inbox_home_for_user,
        )
        home_section_register(
            key="officer",
            roles=[Role.VISITING_OFFICER],
            order=20,
            template="referrals/includes/_home_officer.html",
            selector=selectors.officer_home_for_user,
        )
        home_section_register(
            key="team",
            roles=[Role.TEAM_MANAGER],
            order=30,
            template="referrals/includes/_home_team.html",
            selector=selectors.team_home_for_user,
        )
        home_section_register(
            key="partnerships",
            roles=[Role.PARTNERSHIP_MANAGER],
            order=40,
            template="referrals/includes/_home_partnerships.html",
            selector=selectors.partnership_home_for_user,
        )
