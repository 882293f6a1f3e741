from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "chitieu.web"
    label = "web"
