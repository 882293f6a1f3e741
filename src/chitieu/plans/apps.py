from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "chitieu.plans"
    label = "plans"
