from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "chitieu.reporting"
    label = "reporting"

    def ready(self) -> None:
        from chitieu.core import hooks
        from chitieu.reporting.chain import plan_imported
        from chitieu.reporting.obligations import obligations_generate, plan_activated

        hooks.plan_activated.register(plan_activated)
        hooks.plan_imported.register(plan_imported)
        hooks.plan_changed.register(obligations_generate)
