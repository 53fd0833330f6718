from django.apps import AppConfig


class DirectpaymentsConfig(AppConfig):
    name = "directpayments"

    def ready(self):
        from core.home import home_section_register
        from partnerships.models import Role

        # Finance has its own home page; finance staff with no other role go straight there.
        home_section_register(
            key="finance",
            roles=[Role.FINANCE_OFFICER, Role.FINANCE_APPROVER],
            order=60,
            template="directpayments/includes/_home_finance.html",
            own_page="directpayments:finance-home",
        )
