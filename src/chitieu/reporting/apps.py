from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "chitieu.reporting"
    label = "reporting"
