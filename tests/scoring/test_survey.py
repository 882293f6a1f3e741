"""Survey results: imported per unit and survey criterion, all or nothing, scored in open
assessments, refused for people who do not manage the framework."""

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from chitieu.audit.models import ChangeRecord
from chitieu.orgs.permissions import NotAllowed
from chitieu.scoring import services
from chitieu.scoring.models import SurveyResult

pytestmark = pytest.mark.django_db

WITH_SURVEY = """
code: KS
name: Bộ chỉ số có điều tra
version: "2026"
period: "2026"
max_points: 10
criteria:
  - {code: "1", name: "Mức độ hài lòng của người dân", method: survey, max_points: 6}
  - {code: "2", name: "Chỉ đạo điều hành", method: manual, max_points: 4}
"""


@pytest.fixture
def fw(people, tree, indicators):
    f = services.framework_import(
        actor=people["root"], owner=tree["prov"], file_name="ks.yaml", data=WITH_SURVEY.encode()
    )
    services.framework_open(actor=people["root"], framework=f, units=[tree["xa_a"], tree["xa_b"]])
    return f


def _score(fw, unit, code="1"):
    return fw.assessments.get(unit=unit).scores.get(criterion__code=code)


def test_survey_csv_scores_the_open_assessments(fw, people, tree):
    csv = "Mã đơn vị;Mã tiêu chí;Tỷ lệ (%)\nT1-XA;1;87,5\nT1-XB;1;40\n"
    n = services.survey_import(
        actor=people["root"], framework=fw, file_name="dieu-tra.csv", data=csv.encode()
    )
    assert n == 2
    a = _score(fw, tree["xa_a"])
    # 87.5% of 6 points = 5.25
    assert a.value == D("87.5") and a.self_points == D("5.25") and a.appraised_points == D("5.25")
    assert a.value_source == "dieu-tra.csv, dòng 2"
    assert _score(fw, tree["xa_b"]).self_points == D("2.4")
    assert ChangeRecord.objects.filter(reason="nhập kết quả điều tra").count() == 2
    # re-importing the same file changes nothing; a corrected figure replaces the old one, kept in history
    services.survey_import(actor=people["root"], framework=fw, file_name="dieu-tra.csv", data=csv.encode())
    assert SurveyResult.objects.count() == 2
    assert ChangeRecord.objects.filter(reason="nhập kết quả điều tra").count() == 2
    services.survey_import(
        actor=people["root"],
        framework=fw,
        file_name="dieu-tra.csv",
        data=csv.replace("87,5", "90").encode(),
    )
    assert _score(fw, tree["xa_a"]).self_points == D("5.4")
    last = ChangeRecord.objects.filter(reason="nhập kết quả điều tra").order_by("pk").last()
    assert last.before["value"] == "87.5000" and last.after["value"] == "90.0000"


def test_survey_xlsx_with_errors_lists_each_and_writes_nothing(fw, people, tree):
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã đơn vị", "Mã tiêu chí", "Tỷ lệ (%)"])
    ws.append(["T1-XA", "1", 95])  # good
    ws.append(["KHONG-CO", "1", 50])  # unknown unit
    ws.append(["T1-XB", "2", 50])  # not a survey criterion
    ws.append(["T1-XB", "1", 150])  # out of range
    ws.append(["T1-XA", "1", 80])  # duplicate of row 2
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(services.ScoringError) as exc:
        services.survey_import(actor=people["root"], framework=fw, file_name="loi.xlsx", data=buf.getvalue())
    problems = exc.value.problems
    assert exc.value.message == "loi.xlsx: có 4 lỗi, chưa nhập gì."
    assert problems == [
        "dòng 3, cột Mã đơn vị: không có đơn vị mã 'KHONG-CO'.",
        "dòng 4, cột Mã tiêu chí: tiêu chí 2 không chấm theo kết quả điều tra.",
        "dòng 5, cột Tỷ lệ (%): '150' không phải tỷ lệ từ 0 đến 100.",
        "dòng 6: T1-XA / 1 đã có ở dòng 2.",
    ]
    assert not SurveyResult.objects.exists()
    assert _score(fw, tree["xa_a"]).self_points is None


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("a.csv", b"", "a.csv: tệp trống."),
        ("a.csv", "Đơn vị,Điểm\nT1-XA,5\n".encode(), "a.csv: dòng 1 thiếu cột Mã tiêu chí, Tỷ lệ (%)."),
        ("a.csv", b"\xff\xfe\x00x", "a.csv: tệp CSV phải mã hóa UTF-8."),
        (
            "a.xlsx",
            b"PK\x03\x04 not really",
            "a.xlsx: tệp nén hỏng hoặc bị cắt cụt (corrupt or truncated zip container)",
        ),
        ("a.pdf", b"%PDF-1.4", "a.pdf: chỉ nhận tệp .csv hoặc .xlsx."),
    ],
)
def test_survey_bad_files_are_named(fw, people, name, data, message):
    with pytest.raises(services.ScoringError) as exc:
        services.survey_import(actor=people["root"], framework=fw, file_name=name, data=data)
    assert exc.value.message == message


def test_survey_import_is_refused_to_a_reporter(fw, people):
    csv = "Mã đơn vị,Mã tiêu chí,Tỷ lệ (%)\nT1-XA,1,100\n"
    with pytest.raises(NotAllowed):
        services.survey_import(
            actor=people["xa_reporter"], framework=fw, file_name="d.csv", data=csv.encode()
        )
    assert not SurveyResult.objects.exists()


def test_survey_upload_page(client, fw, people, tree):
    url = reverse("scoring:framework", args=[fw.pk])
    client.force_login(people["root"])
    page = client.get(url).content.decode()
    assert 'id="survey"' in page
    bad = "Mã đơn vị,Mã tiêu chí,Tỷ lệ (%)\nT1-XA,1,abc\n"
    r = client.post(url, {"action": "survey", "file": SimpleUploadedFile("ks.csv", bad.encode())})
    assert r.status_code == 400
    assert "dòng 2, cột Tỷ lệ (%): &#x27;abc&#x27; không phải tỷ lệ từ 0 đến 100." in r.content.decode()
    assert not SurveyResult.objects.exists()
    good = "Mã đơn vị,Mã tiêu chí,Tỷ lệ (%)\nT1-XA,1,50\n"
    r = client.post(url, {"action": "survey", "file": SimpleUploadedFile("ks.csv", good.encode())})
    assert r.status_code == 302
    assert _score(fw, tree["xa_a"]).self_points == D(3)
    client.force_login(people["xa_reporter"])
    r = client.post(url, {"action": "survey", "file": SimpleUploadedFile("ks.csv", good.encode())})
    assert r.status_code == 403
