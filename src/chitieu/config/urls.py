from django.contrib import admin
from django.urls import include, path

from chitieu.api.routes import api

admin.site.site_header = "chitieu — quản trị"
admin.site.site_title = "chitieu"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("", include("chitieu.web.urls")),
]
