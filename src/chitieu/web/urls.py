"""The shell's own routes: sign-in, sign-out, health, favicon. Each domain app owns the rest."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from chitieu.web import views

app_name = "web"

urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url="/static/web/favicon.svg", permanent=True), name="favicon"),
]
