from django.conf import settings
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
    path("", include("chitieu.analytics.urls")),
    path("", include("chitieu.plans.urls")),
    path("", include("chitieu.reporting.urls")),
    path("", include("chitieu.documents.urls")),
    path("", include("chitieu.dossiers.urls")),
    path("", include("chitieu.scoring.urls")),
    path("", include("chitieu.orgs.urls")),
]

if settings.OIDC_ENABLED:
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))

# error pages that never touch the database (it may be what failed)
handler500 = "chitieu.accounts.views.server_error"
handler403 = "chitieu.web.views.forbidden"
handler404 = "chitieu.web.views.not_found"
handler400 = "chitieu.web.views.bad_request"
