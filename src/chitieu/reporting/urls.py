from django.urls import path

from chitieu.reporting import views

app_name = "reporting"

urlpatterns = [
    path("bao-cao/", views.calendar, name="calendar"),
    path("bao-cao/<int:sid>/", views.submission, name="submission"),
    path("bao-cao/<int:sid>/xem-truoc/<int:tid>/", views.preview, name="preview"),
    path("bao-cao/<int:sid>/duyet/", views.approve, name="approve"),
    path("bao-cao/<int:sid>/tra-lai/", views.return_, name="return"),
    path("bao-cao/<int:sid>/mo-lai/", views.reopen, name="reopen"),
    path("bao-cao/<int:sid>/lich-su/<int:indicator_id>/", views.value_history, name="value_history"),
    path("bao-cao/<int:sid>/minh-chung/", views.evidence_upload, name="evidence_upload"),
    path("minh-chung/<int:eid>/", views.evidence_download, name="evidence"),
    path("bao-cao/<int:sid>/excel/", views.excel_template, name="excel_template"),
    path("so-lieu/tai-len-excel/", views.excel_upload, name="excel_upload"),
    path("tinh-hinh-bao-cao/", views.completeness, name="completeness"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("nhiem-vu/", views.tasks, name="tasks"),
    path("ke-hoach/<int:pk>/lich-bao-cao/", views.schedule_edit, name="schedule_edit"),
]
