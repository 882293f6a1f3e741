from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "chitieu.scoring"
    label = "scoring"
    verbose_name = "Bộ chỉ số đánh giá"
