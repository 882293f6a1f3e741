from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "chitieu.analytics"
    label = "analytics"
    verbose_name = "Phân tích"

    def ready(self) -> None:
        from chitieu.analytics import refresh
        from chitieu.core import hooks

        hooks.values_changed.register(refresh.values_changed)
        hooks.values_batch.register(refresh.batch)
        hooks.targets_changed.register(refresh.targets_changed)
