from django.urls import path

from chitieu.orgs import views

app_name = "orgs"

urlpatterns = [
    path("cay-don-vi/", views.tree, name="tree"),
    path("cay-don-vi/mau-cay-don-vi.csv", views.tree_template, name="tree_template"),
    path("cay-don-vi/tai-len/", views.tree_upload, name="tree_upload"),
    path("cay-don-vi/<str:code>/", views.unit_detail, name="unit"),
    path("cay-don-vi/<str:code>/them/", views.unit_create, name="create"),
    path("cay-don-vi/<str:code>/doi-ten/", views.unit_rename, name="rename"),
    path("cay-don-vi/<str:code>/sap-nhap/", views.unit_merge, name="merge"),
    path("cay-don-vi/ten-goi/<int:pk>/xoa/", views.alias_forget, name="alias_forget"),
]
