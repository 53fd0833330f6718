from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core (notifications and audit)"

    def ready(self):
        from .home import home_section_register

        home_section_register(key="admin", roles=["admin"], order=90, template="core/includes/_home_admin.html")
