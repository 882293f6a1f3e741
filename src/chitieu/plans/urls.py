from django.urls import path

from chitieu.plans import views

app_name = "plans"

urlpatterns = [
    path("ke-hoach/tai-len/", views.upload, name="upload"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="detail"),
    path("ke-hoach/<int:pk>/kich-hoat/", views.plan_activate, name="activate"),
    path("ke-hoach/<int:pk>/chi-tieu/them/", views.target_edit, name="target_add"),
    path("ke-hoach/<int:pk>/chi-tieu/<int:tid>/sua/", views.target_edit, name="target_edit"),
    path("ke-hoach/<int:pk>/chi-tieu/<int:tid>/xoa/", views.target_delete, name="target_delete"),
    path("ke-hoach/<int:pk>/chi-tieu/<int:tid>/lien-ket/", views.target_link, name="target_link"),
    path("ke-hoach/<int:pk>/nhiem-vu/them/", views.task_edit, name="task_add"),
    path("ke-hoach/<int:pk>/nhiem-vu/<int:kid>/sua/", views.task_edit, name="task_edit"),
    path("ke-hoach/<int:pk>/nhiem-vu/<int:kid>/xoa/", views.task_delete, name="task_delete"),
]
