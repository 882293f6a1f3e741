from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "chitieu.orgs"
    label = "orgs"
