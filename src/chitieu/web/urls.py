from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from chitieu.web import views, views_analytics, views_documents, views_plans, views_reporting

app_name = "web"

urlpatterns = [
    path("", views_analytics.overview, name="home"),
    path("ke-hoach/<int:pk>/tien-do/", views_analytics.plan_progress, name="plan_progress"),
    path("ke-hoach/<int:pk>/chi-tieu/<int:tid>/don-vi/", views_analytics.target_units, name="target_units"),
    path("ke-hoach/so-do/", views_analytics.plan_cascade, name="plan_cascade"),
    path("don-vi/<int:uid>/", views_analytics.unit_card, name="unit_card"),
    path("chi-tieu/", views_analytics.indicators, name="indicators"),
    path("chi-tieu/<str:code>/", views_analytics.indicator, name="indicator"),
    path("xep-hang/", views_analytics.ranking, name="ranking"),
    path("van-ban-bao-cao/", views_documents.report_form, name="report_form"),
    path("van-ban-bao-cao/<int:rid>/", views_documents.report_detail, name="report_detail"),
    path("van-ban-bao-cao/<int:rid>/tai/<str:fmt>/", views_documents.report_file, name="report_file"),
    path("van-ban-bao-cao/<int:rid>/pdf/", views_documents.report_make_pdf, name="report_make_pdf"),
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url="/static/web/favicon.svg", permanent=True)),
    path("bao-cao/", views_reporting.calendar, name="calendar"),
    path("bao-cao/<int:sid>/", views_reporting.submission, name="submission"),
    path("bao-cao/<int:sid>/xem-truoc/<int:tid>/", views_reporting.preview, name="preview"),
    path("bao-cao/<int:sid>/duyet/", views_reporting.approve, name="approve"),
    path("bao-cao/<int:sid>/tra-lai/", views_reporting.return_, name="return"),
    path("bao-cao/<int:sid>/mo-lai/", views_reporting.reopen, name="reopen"),
    path(
        "bao-cao/<int:sid>/lich-su/<int:indicator_id>/", views_reporting.value_history, name="value_history"
    ),
    path("bao-cao/<int:sid>/minh-chung/", views_reporting.evidence_upload, name="evidence_upload"),
    path("minh-chung/<int:eid>/", views_reporting.evidence_download, name="evidence"),
    path("bao-cao/<int:sid>/excel/", views_reporting.excel_template, name="excel_template"),
    path("so-lieu/tai-len-excel/", views_reporting.excel_upload, name="excel_upload"),
    path("tinh-hinh-bao-cao/", views_reporting.completeness, name="completeness"),
    path("thong-bao/", views_reporting.notifications, name="notifications"),
    path("nhiem-vu/", views_reporting.tasks, name="tasks"),
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
