"""Scoring pages: import with errors, live 766 index, the assessment form, results and annex."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chitieu.reporting.services import value_save
from chitieu.scoring import services
from chitieu.scoring.models import Framework
from tests.scoring.conftest import SMALL

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_import_page_lists_problems_and_creates_nothing(client, people, tree, indicators):
    client.force_login(people["root"])
    bad = SMALL.replace("max_points: 12", "max_points: 13")
    r = client.post(reverse("scoring:frameworks"), {"file": SimpleUploadedFile("loi.yaml", bad.encode())})
    assert r.status_code == 400
    assert "điểm tối đa 13 khác tổng tiêu chí con 12" in _text(r.content.decode())
    assert not Framework.objects.exists()
    r = client.post(reverse("scoring:frameworks"), {"file": SimpleUploadedFile("dung.yaml", SMALL.encode())})
    fw = Framework.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("scoring:framework", args=[fw.pk])


def test_live_766_shows_computed_and_missing_parts(client, people, tree, catalog):
    from chitieu.indicators.models import Indicator

    root = people["root"]
    fw = next(f for f in services.load_shipped(period="2026Q1") if f.code == "766")
    ind = {i.code: i for i in Indicator.objects.all()}
    value_save(
        actor=root,
        indicator=ind["DVC_ONLINE_DOSSIER"],
        unit=tree["dept"],
        period="2026Q1",
        numerator=40,
        denominator=100,
    )
    value_save(
        actor=root,
        indicator=ind["SYNC_DVCQG"],
        unit=tree["dept"],
        period="2026Q1",
        numerator=90,
        denominator=100,
    )
    value_save(
        actor=root, indicator=ind["ONTIME"], unit=tree["dept"], period="2026Q1", numerator=95, denominator=100
    )
    client.force_login(people["reporter"])
    r = client.get(reverse("scoring:framework_live", args=[fw.pk]) + f"?don-vi={tree['dept'].pk}&ky=2026Q1")
    html = r.content.decode()
    # 3.3: 40% x 90% sync = 36% of the 50% threshold -> 0.72 x 5 = 3.6 points; 2.1: 95% of 20 = 19
    row33 = re.search(r'<tr data-code="3.3" data-state="computed">.*?</tr>', html, re.S).group(0)
    assert "36%" in _text(row33) and "3,6 / 5" in _text(row33)
    row21 = re.search(r'<tr data-code="2.1" data-state="computed">.*?</tr>', html, re.S).group(0)
    assert "19 / 20" in _text(row21)
    assert 'data-code="4.2" data-state="missing"' in html and 'data-code="5.3" data-state="manual"' in html
    # with 1.4 (synced 90% of 6 points = 5.4): 3.6 + 19 + 5.4 = 28
    assert re.search(r'id="live-total">28<', html)
    x = client.get(
        reverse("scoring:framework_live", args=[fw.pk]) + f"?don-vi={tree['dept'].pk}&ky=2026Q1&format=xlsx"
    )
    assert x.status_code == 200
    client.force_login(people["other_reporter"])
    assert (
        client.get(
            reverse("scoring:framework_live", args=[fw.pk]) + f"?don-vi={tree['dept'].pk}&ky=2026Q1"
        ).status_code
        == 403
    )


def test_assessment_form_and_results(client, people, tree, indicators, small_framework):
    root, xa, appr = people["root"], people["xa_reporter"], people["approver"]
    value_save(
        actor=root,
        indicator=indicators["online"],
        unit=tree["xa_a"],
        period="2026",
        numerator=72,
        denominator=80,
    )
    (a,) = services.framework_open(
        actor=root, framework=small_framework, units=[tree["xa_a"]], appraisers={tree["xa_a"].pk: [appr]}
    )
    url = reverse("scoring:assessment", args=[small_framework.pk, a.pk])
    ids = {c.code: c.pk for c in small_framework.criteria.all()}
    client.force_login(xa)
    r = client.post(url, {"action": "submit", f"c_{ids['B']}": "9", f"c_{ids['A.3']}": "1"})
    assert r.status_code == 400 and "không được vượt 8" in r.content.decode()
    r = client.post(
        url,
        {
            "action": "submit",
            f"c_{ids['B']}": "7",
            f"c_{ids['A.3']}": "1",
            f"c_{ids['A.3']}_links": "/minh-chung/1/",
        },
    )
    assert r.status_code == 302
    a.refresh_from_db()
    # 72/80 = 90%: A.1 = 90/80 capped -> 6; A.2 = 4 (>= 90); A.3 = 2; B = 7
    assert a.status == "submitted" and a.self_total == 19
    client.force_login(people["other_reporter"])
    assert client.get(url).status_code == 403
    client.force_login(appr)
    r = client.post(url, {"action": "appraise", f"a_{ids['B']}": "5"})
    assert "thay đổi điểm cần ghi lý do" in r.content.decode()
    client.post(
        url, {"action": "appraise", f"a_{ids['B']}": "5", f"a_{ids['B']}_reason": "Thiếu báo cáo quý"}
    )
    client.post(url, {"action": "finalize"})
    client.force_login(root)
    client.post(reverse("scoring:framework", args=[small_framework.pk]), {"action": "publish"})
    r = client.get(reverse("scoring:framework_results", args=[small_framework.pk]))
    assert r.status_code == 200 and re.search(r'data-rank="1">.*?17', r.content.decode(), re.S)
    d = client.get(reverse("scoring:framework_results", args=[small_framework.pk]) + "?format=docx")
    from docx import Document

    doc = Document(io.BytesIO(d.content))
    assert doc.tables[0].rows[1].cells[1].text == "Xã An Bình" and doc.tables[0].rows[1].cells[3].text == "17"
