import io
import subprocess
import sys
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from chitieu.reporting import excel
from chitieu.reporting.models import DataValue
from chitieu.reporting.services import value_save


def _fill(data: bytes, edits: dict[tuple[str, str], object]) -> bytes:
    """Fill the template like a person in Excel: edits[(unit_code, indicator_code)] = {col: value}."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[excel.SHEET]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        key = (row[0].value, row[3].value)
        for col, v in edits.get(key, {}).items():
            row[header.index(col)].value = v
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_template_is_prefilled_for_a_unit_and_for_an_aggregator(active_plan, tree, people, indicators):
    value_save(
        actor=people["reporter"],
        indicator=indicators["online"],
        unit=tree["dept"],
        period="2024Q1",
        numerator=52,
        denominator=56,
    )
    ws = load_workbook(io.BytesIO(excel.build_template(people["reporter"], tree["dept"], "2024Q1")))[
        excel.SHEET
    ]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [(r[0], r[3], r[6], r[7], r[10]) for r in rows] == [
        ("T1-SNV", "ONLINE", 52, 56, 1),
        ("T1-SNV", "COURSES", None, None, 0),
    ]
    agg = load_workbook(
        io.BytesIO(excel.build_template(people["root"], tree["prov"], "2024Q1", subtree=True))
    )[excel.SHEET]
    assert sorted({r[0].value for r in agg.iter_rows(min_row=2)}) == ["T1-SNV", "T1-XA", "T1-XB"]


def test_round_trip_is_all_or_nothing_with_cells_named(active_plan, tree, people):
    data = excel.build_template(people["reporter"], tree["dept"], "2024Q1")
    bad = _fill(
        data, {("T1-SNV", "ONLINE"): {"Tử số": 60, "Mẫu số": 56}, ("T1-SNV", "COURSES"): {"Giá trị": "hai"}}
    )
    rep = excel.import_values(actor=people["reporter"], data=bad, file_name="q1.xlsx")
    assert not rep.ok
    assert "Sheet 'Số liệu', ô I3: giá trị 'hai' không phải là số." in rep.errors
    assert any(e.startswith("Sheet 'Số liệu', ô G2:") and "lớn hơn mẫu số" in e for e in rep.errors)
    assert not DataValue.objects.exists()
    good = _fill(
        data,
        {("T1-SNV", "ONLINE"): {"Tử số": "1.108", "Mẫu số": 1200}, ("T1-SNV", "COURSES"): {"Giá trị": 2}},
    )
    rep = excel.import_values(actor=people["reporter"], data=good, file_name="q1.xlsx", dry_run=True)
    assert rep.ok and rep.changed == 2 and not DataValue.objects.exists()  # a dry run writes nothing
    rep = excel.import_values(actor=people["reporter"], data=good, file_name="q1.xlsx")
    assert rep.ok and rep.changed == 2
    dv = DataValue.objects.get(indicator__code="ONLINE")
    assert (dv.numerator, dv.denominator, dv.source, dv.import_file, dv.import_row) == (
        D(1108),
        D(1200),
        "imported",
        "q1.xlsx",
        2,
    )
    again = excel.import_values(actor=people["reporter"], data=good, file_name="q1.xlsx")
    assert again.ok and (again.changed, again.unchanged) == (0, 2)
    assert DataValue.objects.get(indicator__code="ONLINE").version == 1


def test_another_units_rows_are_refused_and_nothing_is_written(active_plan, tree, people):
    data = excel.build_template(people["root"], tree["prov"], "2024Q1", subtree=True)
    filled = _fill(
        data,
        {("T1-SNV", "ONLINE"): {"Tử số": 1, "Mẫu số": 2}, ("T1-XA", "ONLINE"): {"Tử số": 3, "Mẫu số": 4}},
    )
    rep = excel.import_values(actor=people["xa_reporter"], data=filled, file_name="tinh.xlsx")
    assert not rep.ok and any("không có quyền nhập số liệu cho Sở Nội vụ" in e for e in rep.errors)
    assert not DataValue.objects.exists()


@pytest.mark.parametrize(
    ("data", "words"), [(b"not a zip", "hỏng"), (b"PK\x03\x04broken", "hỏng"), (b"", "hỏng")]
)
def test_broken_excel_files(people, data, words):
    rep = excel.import_values(actor=people["reporter"], data=data, file_name="x.xlsx")
    assert not rep.ok and words in rep.errors[0] and "x.xlsx" in rep.errors[0]


def test_web_upload_lists_problems(client, active_plan, tree, people):
    data = _fill(
        excel.build_template(people["reporter"], tree["dept"], "2024Q1"),
        {("T1-SNV", "COURSES"): {"Giá trị": -1}},
    )
    client.force_login(people["reporter"])
    r = client.post(reverse("reporting:excel_upload"), {"file": SimpleUploadedFile("q1.xlsx", data)})
    assert r.status_code == 400 and "ô I3" in r.content.decode() and "không được âm" in r.content.decode()


def test_cli_values_template_import_export(
    active_plan, tree, people, tmp_path, settings, django_db_blocker, capsys
):
    from chitieu.cli import main

    out = tmp_path / "q1.xlsx"
    assert (
        main(["values", "template", "--unit", "T1-SNV", "--period", "Quý I năm 2024", "--out", str(out)]) == 0
    )
    filled = tmp_path / "q1-filled.xlsx"
    filled.write_bytes(_fill(out.read_bytes(), {("T1-SNV", "ONLINE"): {"Tử số": 56, "Mẫu số": 56}}))
    assert main(["values", "import", str(filled), "--user", "reporter", "--dry-run"]) == 0
    assert not DataValue.objects.exists()
    assert main(["values", "import", str(filled), "--user", "reporter"]) == 0
    capsys.readouterr()
    assert main(["values", "import", str(filled), "--user", "xa_reporter"]) == 2  # not their unit
    said = capsys.readouterr()
    assert "dòng 2: bạn không có quyền nhập số liệu cho Sở Nội vụ" in said.err
    assert "2 lỗi; không ghi gì" in said.out and "đã ghi" not in said.out
    csv_out = tmp_path / "q1.csv"
    assert main(["values", "export", "--period", "2024Q1", "--format", "csv", "--out", str(csv_out)]) == 0
    text = csv_out.read_text(encoding="utf-8-sig")
    assert "T1-SNV,Sở Nội vụ tỉnh Thử Nghiệm,ONLINE" in text.replace("2024Q1,", "")
    assert ",56,56,,100.00,24/KH-SNV," in text and ",met,imported,reporter,q1-filled.xlsx,2," in text


def test_cli_import_without_user_exits_2():
    r = subprocess.run(
        [sys.executable, "-m", "chitieu.cli", "values", "import", "x.xlsx"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "CHITIEU_USER": ""},
    )
    assert r.returncode == 2 and "--user" in r.stderr and "Traceback" not in r.stderr
