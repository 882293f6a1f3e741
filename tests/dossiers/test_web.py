"""The import in the browser: upload, confirm the mapping, see bad rows, choose, compute."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chitieu.dossiers.models import ComputeRun, DossierImport
from tests.dossiers.conftest import write_csv

pytestmark = pytest.mark.django_db


def _row(code, unit, received="05/01/2024 08:00"):
    return [
        code,
        "2.001",
        "Thủ tục thử",
        "Toàn trình",
        unit,
        "Trực tuyến",
        received,
        "15/01/2024 17:00",
        "10/01/2024 10:00",
        "Có",
        "Có",
        "",
        "",
        "Có",
    ]


def test_upload_confirm_choose_compute(client, people, tree, catalog, tmp_path):
    path = write_csv(
        tmp_path / "mot-cua.csv",
        [_row("W1", tree["dept"].code), _row("W2", tree["dept"].code, received="hôm qua")],
    )
    client.force_login(people["reporter"])
    r = client.post(
        reverse("dossiers:upload"), {"file": SimpleUploadedFile("mot-cua.csv", path.read_bytes())}
    )
    imp = DossierImport.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("dossiers:import", args=[imp.pk])
    page = client.get(r["Location"]).content.decode()
    # the proposed mapping is preselected
    assert re.search(r'<option value="Ngày tiếp nhận" selected>', page)
    mapping = {f"col_{k}": v for k, v in imp.mapping.items()}
    r = client.post(reverse("dossiers:mapping", args=[imp.pk]), {**mapping, "save_as": "Một cửa thử"})
    imp.refresh_from_db()
    assert imp.status == "checked" and (imp.rows_good, imp.rows_bad) == (1, 1)
    page = client.get(reverse("dossiers:import", args=[imp.pk])).content.decode()
    assert "Ngày tiếp nhận không hiểu được: &quot;hôm qua&quot;" in page and "Nhập 1 dòng đúng" in page
    client.post(reverse("dossiers:decide", args=[imp.pk]), {"choice": "good"})
    imp.refresh_from_db()
    assert imp.status == "done" and imp.rows_written == 1 and imp.profile.name == "Một cửa thử"
    r = client.post(reverse("dossiers:compute"), {"periods": "2024Q1", "window": "cutoff"}, follow=True)
    assert "Đã tính Quý I năm 2024" in r.content.decode()
    assert ComputeRun.objects.get().values_written > 0
    bad = client.post(reverse("dossiers:compute"), {"periods": "Q9"}, follow=True)
    assert "Kỳ &#x27;Q9&#x27; không hợp lệ" in bad.content.decode()


def test_a_missing_required_column_stays_on_the_mapping_page(client, people, tree, tmp_path):
    path = write_csv(tmp_path / "a.csv", [_row("W1", tree["dept"].code)])
    client.force_login(people["reporter"])
    client.post(reverse("dossiers:upload"), {"file": SimpleUploadedFile("a.csv", path.read_bytes())})
    imp = DossierImport.objects.get()
    mapping = {f"col_{k}": v for k, v in imp.mapping.items() if k != "unit"}
    r = client.post(reverse("dossiers:mapping", args=[imp.pk]), mapping, follow=True)
    assert "Chưa chọn cột cho trường bắt buộc &#x27;Đơn vị tiếp nhận&#x27;" in r.content.decode()
    imp.refresh_from_db()
    assert imp.status == "uploaded"


def test_large_files_go_to_the_worker(client, people, tree, tmp_path, settings, monkeypatch):
    from chitieu.dossiers import jobs as tasks

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(tasks, "SYNC_LIMIT_BYTES", 10)
    path = write_csv(tmp_path / "lon.csv", [_row("L1", tree["dept"].code)])
    client.force_login(people["reporter"])
    client.post(reverse("dossiers:upload"), {"file": SimpleUploadedFile("lon.csv", path.read_bytes())})
    imp = DossierImport.objects.get()
    client.post(reverse("dossiers:mapping", args=[imp.pk]), {f"col_{k}": v for k, v in imp.mapping.items()})
    imp.refresh_from_db()
    assert imp.status == "done" and imp.rows_written == 1


def test_permissions_and_bad_uploads(client, people, tree, tmp_path):
    path = write_csv(tmp_path / "a.csv", [_row("P1", tree["dept"].code)])
    client.force_login(people["viewer"])
    assert (
        client.post(
            reverse("dossiers:upload"), {"file": SimpleUploadedFile("a.csv", path.read_bytes())}
        ).status_code
        == 403
    )
    client.force_login(people["reporter"])
    r = client.post(reverse("dossiers:upload"), {"file": SimpleUploadedFile("a.pdf", b"%PDF")}, follow=True)
    assert "chỉ nhận tệp .csv, .xlsx hoặc .txt" in r.content.decode()
    r = client.post(
        reverse("dossiers:upload"),
        {"file": SimpleUploadedFile("cu.xls", b"\xd0\xcf\x11\xe0")},
        follow=True,
    )
    assert "cu.xls: tệp Excel 97-2003 (.xls) chưa được hỗ trợ" in r.content.decode()
    assert not DossierImport.objects.exists()
    r = client.post(reverse("dossiers:upload"), {"file": SimpleUploadedFile("rong.csv", b"")}, follow=True)
    assert "rong.csv" in r.content.decode()
    client.post(reverse("dossiers:upload"), {"file": SimpleUploadedFile("a.csv", path.read_bytes())})
    imp = DossierImport.objects.get()
    client.force_login(people["other_reporter"])
    assert client.get(reverse("dossiers:import", args=[imp.pk])).status_code == 403
    assert client.post(reverse("dossiers:decide", args=[imp.pk]), {"choice": "good"}).status_code == 403


def test_the_preview_shows_skipped_rows_and_unknown_spellings_and_the_fix_reruns(
    client, people, tree, tmp_path
):
    """Before anything is written the page lists the rows skipped as layout (with why) and each
    unknown spelling once; the person says what it means there, the check runs again, then imports."""
    import csv

    from chitieu.dossiers.models import MappingProfile
    from tests.dossiers.conftest import HEADERS

    rows = [["DANH SÁCH HỒ SƠ TIẾP NHẬN QUÝ I NĂM 2024"], [], HEADERS]
    rows += [_row(f"V{i}", tree["dept"].code) for i in range(6)]
    for r in rows[3:6]:
        r[5] = "Gửi qua Viettel Post"
    rows.append(["Tổng cộng", "", "", "", "", "", "", "", "", "6", "", "", "", ""])
    path = tmp_path / "xem-truoc.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    client.force_login(people["reporter"])
    client.post(reverse("dossiers:upload"), {"file": SimpleUploadedFile("xem-truoc.csv", path.read_bytes())})
    imp = DossierImport.objects.get()
    client.post(
        reverse("dossiers:mapping", args=[imp.pk]),
        {**{f"col_{k}": v for k, v in imp.mapping.items()}, "save_as": "Bưu điện tỉnh"},
    )
    imp.refresh_from_db()
    assert imp.status == "checked" and imp.rows_written == 0  # nothing written before the person looks
    page = client.get(reverse("dossiers:import", args=[imp.pk])).content.decode()
    assert (
        "Dòng bỏ qua vì không phải hồ sơ" in page
        and "dòng tiêu đề, tên đơn vị hoặc ghi chú phía trên bảng" in page
    )
    assert "dòng tổng cộng" in page and "Tổng cộng" in page
    assert "“Gửi qua Viettel Post”" in page and 'name="val_0"' in page and '<option value="postal">' in page
    assert "Hình thức nộp không hiểu được: &quot;Gửi qua Viettel Post&quot; (3 dòng, dòng đầu 4)" in page
    bad = client.post(reverse("dossiers:values", args=[imp.pk]), {"val_0": "fax"}, HTTP_REFERER="/ho-so/")
    assert bad.status_code in (302, 400) and DossierImport.objects.get(pk=imp.pk).values == {}
    client.post(reverse("dossiers:values", args=[imp.pk]), {"val_0": "postal", "save_to_profile": "1"})
    imp.refresh_from_db()
    assert (imp.status, imp.rows_bad, imp.rows_good) == ("checked", 0, 6)
    assert MappingProfile.objects.get(name="Bưu điện tỉnh").values == {
        "channel": {"gui qua viettel post": "postal"}
    }
    client.post(reverse("dossiers:decide", args=[imp.pk]), {"choice": "good"})
    imp.refresh_from_db()
    assert imp.status == "done" and imp.rows_written == 6
    client.force_login(people["other_reporter"])
    assert client.post(reverse("dossiers:values", args=[imp.pk]), {"val_0": "postal"}).status_code == 403
