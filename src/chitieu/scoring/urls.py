from django.urls import path

from chitieu.scoring import views

app_name = "scoring"

urlpatterns = [
    path("bo-chi-so/", views.frameworks, name="frameworks"),
    path("bo-chi-so/nap-co-san/", views.framework_reload, name="framework_reload"),
    path("bo-chi-so/tai-quyet-dinh/", views.decision_upload, name="decision_upload"),
    path("bo-chi-so/khung/<str:code>/", views.template_draft, name="template_draft"),
    path("bo-chi-so/du-thao/<int:did>/", views.draft, name="draft"),
    path("bo-chi-so/du-thao/<int:did>/thong-tin/", views.draft_meta, name="draft_meta"),
    path("bo-chi-so/du-thao/<int:did>/dong/", views.draft_row, name="draft_row"),
    path("bo-chi-so/du-thao/<int:did>/xoa-dong/", views.draft_row_delete, name="draft_row_delete"),
    path("bo-chi-so/du-thao/<int:did>/kich-hoat/", views.draft_activate, name="draft_activate"),
    path("bo-chi-so/du-thao/<int:did>/huy/", views.draft_discard, name="draft_discard"),
    path("bo-chi-so/<int:fid>/", views.framework, name="framework"),
    path("bo-chi-so/<int:fid>/tinh/", views.framework_live, name="framework_live"),
    path("bo-chi-so/<int:fid>/ket-qua/", views.framework_results, name="framework_results"),
    path("bo-chi-so/<int:fid>/cong-bo/", views.framework_published, name="framework_published"),
    path("bo-chi-so/<int:fid>/danh-gia/<int:aid>/", views.assessment, name="assessment"),
]
