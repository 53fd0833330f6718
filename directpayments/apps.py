from django.apps import AppConfig


class DirectpaymentsConfig(AppConfig):
    name = "directpayments"
