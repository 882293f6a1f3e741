from django.contrib.auth import views as auth_views
from django.urls import path

from chitieu.web import views, views_plans

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("ke-hoach/tai-len/", views_plans.upload, name="plan_upload"),
    path("ke-hoach/<int:pk>/", views_plans.plan_detail, name="plan"),
    path("ke-hoach/<int:pk>/kich-hoat/", views_plans.plan_activate, name="plan_activate"),
    path("ke-hoach/<int:pk>/chi-tieu/them/", views_plans.target_edit, name="target_add"),
    path("ke-hoach/<int:pk>/chi-tieu/<int:tid>/sua/", views_plans.target_edit, name="target_edit"),
    path("ke-hoach/<int:pk>/chi-tieu/<int:tid>/xoa/", views_plans.target_delete, name="target_delete"),
    path("ke-hoach/<int:pk>/chi-tieu/<int:tid>/lien-ket/", views_plans.target_link, name="target_link"),
    path("ke-hoach/<int:pk>/nhiem-vu/them/", views_plans.task_edit, name="task_add"),
    path("ke-hoach/<int:pk>/nhiem-vu/<int:kid>/sua/", views_plans.task_edit, name="task_edit"),
    path("ke-hoach/<int:pk>/nhiem-vu/<int:kid>/xoa/", views_plans.task_delete, name="task_delete"),
]
