"""The unit tree pages and the ``chitieu units`` command: rename keeps history and the old name,
a merger ends the unit and hands over its history, a bad tree file is named row by row and writes
nothing, a learned name can be taken back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chitieu.audit.models import ChangeRecord
from chitieu.cli import main
from chitieu.orgs import naming
from chitieu.orgs.models import Unit, UnitAlias, UnitSuccession
from chitieu.orgs.selectors import current_successor


@pytest.fixture
def admin_client(client, people):
    client.force_login(people["admin"])
    return client


def test_tree_search_and_unit_page(admin_client, tree):
    page = admin_client.get("/cay-don-vi/").content.decode()
    assert "Tỉnh Thử Nghiệm" in page and "Tỉnh Khác" not in page  # only what the person may see
    found = admin_client.get("/cay-don-vi/", {"q": "snv"}).content.decode()
    assert "Sở Nội vụ tỉnh Thử Nghiệm" in found
    unit = admin_client.get(f"/cay-don-vi/{tree['dept'].code}/").content.decode()
    assert "Văn phòng Sở Nội vụ" in unit and 'id="unit-rename"' in unit


def test_rename_keeps_the_old_name_as_alias_and_in_history(admin_client, tree):
    resp = admin_client.post(
        f"/cay-don-vi/{tree['office'].code}/doi-ten/",
        {
            "name": "Văn phòng Sở Nội vụ tỉnh Thử Nghiệm",
            "short_name": "Văn phòng Sở",
            "reason": "QĐ 12/QĐ-SNV",
        },
    )
    assert resp.status_code == 302
    office = Unit.objects.get(pk=tree["office"].pk)
    assert office.name == "Văn phòng Sở Nội vụ tỉnh Thử Nghiệm" and "Văn phòng Sở Nội vụ" in office.aliases
    rec = ChangeRecord.objects.filter(object_type="orgs.unit", object_id=str(office.pk)).latest("id")
    assert rec.before["name"] == "Văn phòng Sở Nội vụ" and rec.reason == "QĐ 12/QĐ-SNV"
    page = admin_client.get(f"/cay-don-vi/{office.code}/").content.decode()
    assert "tên cũ" in page and "QĐ 12/QĐ-SNV" in page


def test_rename_without_a_reason_is_refused(admin_client, tree):
    resp = admin_client.post(f"/cay-don-vi/{tree['office'].code}/doi-ten/", {"name": "Tên mới", "reason": ""})
    assert resp.status_code == 302
    assert Unit.objects.get(pk=tree["office"].pk).name == "Văn phòng Sở Nội vụ"
    msgs = [str(m) for m in resp.wsgi_request._messages]
    assert any("Lý do" in m for m in msgs)


def test_merge_ends_the_unit_and_hands_over_its_history(admin_client, tree):
    resp = admin_client.post(
        f"/cay-don-vi/{tree['xa_b'].code}/sap-nhap/",
        {"successor": tree["xa_a"].code, "effective": "01/07/2025", "note": "NQ 1656/NQ-UBTVQH15"},
    )
    assert resp.status_code == 302
    xa_b = Unit.objects.get(pk=tree["xa_b"].pk)
    assert xa_b.valid_to == dt.date(2025, 6, 30)
    assert current_successor(xa_b) == tree["xa_a"]
    # into its own division: refused, nothing written
    n = UnitSuccession.objects.count()
    admin_client.post(
        f"/cay-don-vi/{tree['dept'].code}/sap-nhap/",
        {"successor": tree["office"].code, "effective": "2026-01-01"},
    )
    assert UnitSuccession.objects.count() == n and Unit.objects.get(pk=tree["dept"].pk).valid_to is None


def test_a_reporter_cannot_add_or_rename(client, people, tree):
    client.force_login(people["reporter"])
    before = Unit.objects.count()
    resp = client.post(
        f"/cay-don-vi/{tree['dept'].code}/them/", {"code": "X1", "name": "Phòng X", "kind": "office"}
    )
    assert resp.status_code == 403 and Unit.objects.count() == before
    assert 'id="unit-rename"' not in client.get(f"/cay-don-vi/{tree['dept'].code}/").content.decode()


def test_tree_upload_refused_names_each_row(admin_client, tree):
    before = Unit.objects.count(), ChangeRecord.objects.count()
    data = (
        "Mã,Tên,Loại,Cấp trên\nA1,Phòng A,office,T1-SNV\nA1,Phòng A lặp,office,T1-SNV\nA3,Phòng C,??,T1-SNV\n"
    )
    resp = admin_client.post("/cay-don-vi/tai-len/", {"file": SimpleUploadedFile("cay.csv", data.encode())})
    page = resp.content.decode()
    assert resp.status_code == 400
    assert "Dòng 3: mã &#x27;A1&#x27; trùng với dòng 2" in page and "Dòng 4: loại đơn vị" in page
    assert (Unit.objects.count(), ChangeRecord.objects.count()) == before


def test_tree_upload_and_dry_run(admin_client, tree):
    data = "Mã,Tên,Loại,Cấp trên,Viết tắt\nT1-SNV-TCBM,Phòng Tổ chức bộ máy,Phòng,T1-SNV,TCBM\n".encode()
    admin_client.post("/cay-don-vi/tai-len/", {"file": SimpleUploadedFile("cay.csv", data), "dry_run": "on"})
    assert not Unit.objects.filter(code="T1-SNV-TCBM").exists()
    admin_client.post("/cay-don-vi/tai-len/", {"file": SimpleUploadedFile("cay.csv", data)})
    assert Unit.objects.get(code="T1-SNV-TCBM").abbreviation == "TCBM"


def test_learned_name_can_be_taken_back(admin_client, people, tree):
    (alias,) = naming.unit_alias_learn(
        actor=people["root"], phrase="P. VP", units=[tree["office"]], scope=tree["dept"]
    )
    page = admin_client.get(f"/cay-don-vi/{tree['office'].code}/").content.decode()
    assert "“P. VP”" in page
    admin_client.post(f"/cay-don-vi/ten-goi/{alias.pk}/xoa/")
    assert not UnitAlias.objects.filter(pk=alias.pk).exists()


def test_cli_import_export_round_trip(people, tree, tmp_path, capsys):
    out = tmp_path / "cay.csv"
    assert main(["units", "export", "--unit", tree["dept"].code, "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "T1-SNV-VP,Văn phòng Sở Nội vụ,office,T1-SNV" in text
    edited = text.replace("Văn phòng Sở Nội vụ,office", "Văn phòng Sở Nội vụ tỉnh,office")
    src = tmp_path / "sua.csv"
    src.write_text(edited, encoding="utf-8")
    assert main(["units", "import", str(src)]) == 0
    assert "1 cập nhật" in capsys.readouterr().out
    assert Unit.objects.get(code="T1-SNV-VP").name == "Văn phòng Sở Nội vụ tỉnh"
    bad = tmp_path / "loi.csv"
    bad.write_text("Mã,Tên,Loại,Cấp trên\nZ1,Phòng Z,office,KHONG\n", encoding="utf-8")
    assert main(["units", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "loi.csv: Dòng 2: đơn vị cấp trên 'KHONG'" in err and "không ghi gì" in err
    assert not Unit.objects.filter(code="Z1").exists()
