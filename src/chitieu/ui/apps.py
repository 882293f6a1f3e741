from django.apps import AppConfig


class UiConfig(AppConfig):
    """What every page shares: the ``chitieu`` template tags, table exports, the error mapping."""

    name = "chitieu.ui"
    label = "ui"
