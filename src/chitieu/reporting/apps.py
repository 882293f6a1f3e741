from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "chitieu.reporting"
    label = "reporting"

    def ready(self) -> None:
        from chitieu.core import hooks
        from chitieu.reporting.obligations import plan_activated

        hooks.plan_activated.register(plan_activated)
