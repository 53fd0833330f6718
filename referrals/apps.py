from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals (clients and consent)"

    def ready(self):
        from core.home import home_section_register
        from partnerships.models import Role

        from . import selectors

        # One section per role; `order` places it among other apps' sections on the page. A partner
        # organisation's officer sees what their organisation has received first.
        sections = [
            ("partner-inbox", Role.VISITING_OFFICER, 10, "_home_partner_inbox.html", selectors.inbox_home_for_user),
            ("officer", Role.VISITING_OFFICER, 20, "_home_officer.html", selectors.officer_home_for_user),
            ("team", Role.TEAM_MANAGER, 30, "_home_team.html", selectors.team_home_for_user),
            (
                "partnerships",
                Role.PARTNERSHIP_MANAGER,
                40,
                "_home_partnerships.html",
                selectors.partnership_home_for_user,
            ),
        ]
        for key, role, order, template, selector in sections:
            home_section_register(
                key=key, roles=[role], order=order, template=f"referrals/includes/{template}", selector=selector
            )
