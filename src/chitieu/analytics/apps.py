from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "chitieu.analytics"
    label = "analytics"
    verbose_name = "Phân tích"
