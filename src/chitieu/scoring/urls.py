from django.urls import path

from chitieu.scoring import views

app_name = "scoring"

urlpatterns = [
    path("bo-chi-so/", views.frameworks, name="frameworks"),
    path("bo-chi-so/nap-co-san/", views.framework_reload, name="framework_reload"),
    path("bo-chi-so/<int:fid>/", views.framework, name="framework"),
    path("bo-chi-so/<int:fid>/tinh/", views.framework_live, name="framework_live"),
    path("bo-chi-so/<int:fid>/ket-qua/", views.framework_results, name="framework_results"),
    path("bo-chi-so/<int:fid>/danh-gia/<int:aid>/", views.assessment, name="assessment"),
]
