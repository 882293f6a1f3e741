from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "chitieu.audit"
    label = "audit"
