from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self):
        from core.home import home_section_register
        from partnerships.models import Role

        from .selectors import drafts_home_for_user

        # After the officer's visits and referrals (order 20).
        home_section_register(
            key="assessment-drafts",
            roles=[Role.VISITING_OFFICER],
            order=25,
            template="assessments/includes/_home_drafts.html",
            selector=drafts_home_for_user,
        )
