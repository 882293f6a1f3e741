from django.urls import path

from chitieu.documents import views

app_name = "documents"

urlpatterns = [
    path("van-ban-bao-cao/", views.report_form, name="report_form"),
    path("van-ban-bao-cao/<int:rid>/", views.report_detail, name="report_detail"),
    path("van-ban-bao-cao/<int:rid>/tai/<str:fmt>/", views.report_file, name="report_file"),
    path("van-ban-bao-cao/<int:rid>/pdf/", views.report_make_pdf, name="report_make_pdf"),
]
