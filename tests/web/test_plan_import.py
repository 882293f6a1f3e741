"""Upload a plan document -> draft plan -> review, edit, link -> activate (web, server side)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chitieu.audit.models import ChangeRecord
from chitieu.plans.models import Plan, Target, Task
from tests.conftest import seed_path


def _upload(client, unit, name="ke-hoach.txt", data=None):
    data = data if data is not None else seed_path("000").read_bytes()
    return client.post(reverse("plans:upload"), {"file": SimpleUploadedFile(name, data), "issuer": unit.pk})


def test_upload_creates_a_draft_with_everything_extracted(client, people, tree, catalog):
    client.force_login(people["admin"])
    r = _upload(client, tree["dept"])
    assert r.status_code == 302
    plan = Plan.objects.get()
    assert r["Location"] == reverse("plans:detail", args=[plan.pk])
    assert plan.status == "draft" and plan.number_symbol == "/KH-SNV" and plan.date_text == "2024-02"
    # the two reporting sentences (lines 151, 153) are the plan's schedule, not tasks
    assert plan.targets.count() == 15 and plan.tasks.count() == 26
    assert not plan.tasks.filter(source_line__in=[151, 153]).exists()
    steps = plan.schedule.regime.steps
    assert [(s["source_line"], s["rules"][0]["rule"]["day"]) for s in steps] == [(151, 15), (153, 20)]
    assert steps[0]["to"] == tree["office"].pk  # "qua Văn phòng Sở": this department's office
    assert plan.citations.get().number_symbol == "199/KH-UBND"
    first = plan.targets.order_by("position").first()
    assert (first.operator, first.threshold, first.source_line) == (">", 70, 23)
    assert first.indicator.code == "DVC_ONLINE_DOSSIER"
    assert first.lead_unit_text == "Các phòng thuộc Sở" and first.monitoring_unit_text == "Văn phòng Sở"
    assert ChangeRecord.objects.filter(action="import", object_id=str(plan.pk)).exists()
    page = client.get(r["Location"]).content.decode()
    assert 'id="L23"' in page and 'data-line="23"' in page  # the item and its source line, side by side
    assert "Kích hoạt kế hoạch" in page


def test_same_file_twice_is_detected(client, people, tree, catalog):
    client.force_login(people["admin"])
    _upload(client, tree["dept"])
    r = _upload(client, tree["dept"], name="ban-sao.txt")
    first = Plan.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("plans:detail", args=[first.pk])
    assert Plan.objects.count() == 1
    page = client.get(r["Location"]).content.decode()
    assert "đã được tải lên trước đó" in page


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("rong.txt", b"", "rỗng"),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "chỉ nhận tệp"),
        ("hong.docx", b"PK\x03\x04garbage", "hỏng"),
        ("nhi-phan.txt", bytes(range(256)) * 8, "không phải tệp văn bản"),
    ],
)
def test_bad_uploads_get_a_clear_vietnamese_message(client, people, tree, name, data, words):
    client.force_login(people["admin"])
    r = _upload(client, tree["dept"], name=name, data=data)
    assert r.status_code == 400
    html = r.content.decode()
    assert words in html and (name in html or words == "rỗng")
    assert not Plan.objects.exists()


def test_reporters_cannot_upload_for_a_unit(client, people, tree):
    client.force_login(people["reporter"])
    r = _upload(client, tree["dept"])
    assert r.status_code == 400  # the unit is not among the choices they may manage
    assert "không hợp lệ" in r.content.decode()
    assert not Plan.objects.exists()


def test_edit_delete_add_link_then_activate(client, people, tree, catalog):
    client.force_login(people["admin"])
    _upload(client, tree["dept"])
    plan = Plan.objects.get()
    t = plan.targets.order_by("position").first()
    # edit through the HTMX partial
    r = client.post(
        reverse("plans:target_edit", args=[plan.pk, t.pk]),
        {
            "text": t.text,
            "operator": ">=",
            "threshold": "75",
            "unit": "%",
            "scope": "",
            "indicator": "",
            "lead_unit_text": "Văn phòng Sở",
            "monitoring_unit_text": "",
            "due_date": "31/12/2024",
        },
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and f'id="target-{t.pk}"' in r.content.decode()
    t.refresh_from_db()
    assert (t.operator, t.threshold, t.lead_unit_text, str(t.due_date)) == (
        ">=",
        75,
        "Văn phòng Sở",
        "2024-12-31",
    )
    # a bad threshold is refused with the field named
    r = client.post(
        reverse("plans:target_edit", args=[plan.pk, t.pk]),
        {"text": t.text, "operator": ">=", "threshold": "nhiều", "unit": "%"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 400 and "Ngưỡng phải là số" in r.content.decode()
    # confirm a catalog link
    client.post(reverse("plans:target_link", args=[plan.pk, t.pk]), {"indicator": "DVC_ONLINE_DOSSIER"})
    t.refresh_from_db()
    assert t.indicator.code == "DVC_ONLINE_DOSSIER"
    # delete a task, add a target
    k = plan.tasks.first()
    client.post(reverse("plans:task_delete", args=[plan.pk, k.pk]), HTTP_HX_REQUEST="true")
    assert not Task.objects.filter(pk=k.pk).exists()
    client.post(
        reverse("plans:target_add", args=[plan.pk]),
        {"text": "Số lớp tập huấn kỹ năng số", "operator": ">=", "threshold": "2", "unit": "count"},
    )
    assert plan.targets.count() == 16
    # every change is in the log
    assert ChangeRecord.objects.filter(object_type="plans.target", action="update").count() >= 2
    assert ChangeRecord.objects.filter(object_type="plans.task", action="delete").count() == 1
    # names the unit tree does not have are asked, and activation waits for them
    r = client.post(
        reverse("plans:activate", args=[plan.pk]), HTTP_REFERER=f"http://testserver/ke-hoach/{plan.pk}/"
    )
    plan.refresh_from_db()
    assert plan.status == "draft"
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Tên đơn vị cần xác định" in page and "Phòng Công chức, viên chức" in page
    from chitieu.plans.selectors import open_names

    for o in open_names(plan):
        r = client.post(
            reverse("plans:names_resolve", args=[plan.pk]), {"phrase": o.phrase, "units": [tree["office"].pk]}
        )
        assert r.status_code == 302
    assert open_names(plan) == []
    r = client.post(reverse("plans:activate", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == "active"


def test_other_units_cannot_see_or_edit(client, people, tree, catalog):
    client.force_login(people["admin"])
    _upload(client, tree["dept"])
    plan = Plan.objects.get()
    t = plan.targets.first()
    client.force_login(people["other_reporter"])
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 403
    r = client.post(reverse("plans:target_delete", args=[plan.pk, t.pk]))
    assert r.status_code == 403 and Target.objects.filter(pk=t.pk).exists()
    client.force_login(people["reporter"])  # can see the department's plan but not edit it
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200
    r = client.post(reverse("plans:target_delete", args=[plan.pk, t.pk]))
    assert r.status_code == 403 and Target.objects.filter(pk=t.pk).exists()
    assert (
        re.search("Kích hoạt", client.get(reverse("plans:detail", args=[plan.pk])).content.decode()) is None
    )
