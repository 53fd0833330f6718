from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "boards"

    def ready(self):
        from core.home import home_section_register
        from partnerships.models import Role

        # The secretariat has its own home page; a secretary with no other role goes straight there.
        home_section_register(
            key="secretariat",
            roles=[Role.BOARD_SECRETARY],
            order=50,
            template="boards/includes/_home_secretariat.html",
            own_page="boards:home",
        )
