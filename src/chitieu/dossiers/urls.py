from django.urls import path

from chitieu.dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("ho-so/", views.home, name="home"),
    path("ho-so/tai-len/", views.upload, name="upload"),
    path("ho-so/nhap/<int:iid>/", views.import_detail, name="import"),
    path("ho-so/nhap/<int:iid>/ghep-cot/", views.import_mapping, name="mapping"),
    path("ho-so/nhap/<int:iid>/cach-hieu/", views.import_values, name="values"),
    path("ho-so/nhap/<int:iid>/quyet-dinh/", views.import_decide, name="decide"),
    path("ho-so/tinh/", views.compute, name="compute"),
]
