from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Sign-in (single sign-on, two-factor, sessions)"

    def ready(self):
        from core.home import home_section_register

        from . import receivers  # noqa: F401  (connects the sign-in event receivers)
        from .selectors import people_awaiting_access_home

        home_section_register(
            key="accounts-people",
            roles=["admin", "team_manager"],
            order=5,
            template="accounts/includes/_home_people.html",
            selector=people_awaiting_access_home,
        )
        home_section_register(
            key="accounts-admin", roles=["admin"], order=91, template="accounts/includes/_home_sign_in_admin.html"
        )
