from django.urls import path

from chitieu.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("ke-hoach/<int:pk>/tien-do/", views.plan_progress, name="plan_progress"),
    path("ke-hoach/<int:pk>/chi-tieu/<int:tid>/don-vi/", views.target_units, name="target_units"),
    path("ke-hoach/so-do/", views.plan_cascade, name="plan_cascade"),
    path("don-vi/<int:uid>/", views.unit_card, name="unit_card"),
    path("chi-tieu/", views.indicators, name="indicators"),
    path("chi-tieu/<str:code>/", views.indicator, name="indicator"),
    path("xep-hang/", views.ranking, name="ranking"),
]
