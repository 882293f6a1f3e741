"""Hostile files at every upload: zip bombs, too many entries, entity expansion, external entities,
slow PDFs. Each is refused with a message naming the file; nothing is written."""

import io
import zipfile

import pytest

from chitieu.extraction import readers
from chitieu.extraction.readers import ReadError, read_bytes

pytestmark = pytest.mark.django_db


def zip_bomb(inner: str = "xl/sharedStrings.xml", megabytes: int = 260) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open(inner, "w") as fh:
            block = b"\0" * (1 << 20)
            for _ in range(megabytes):
                fh.write(block)
    data = buf.getvalue()
    assert len(data) < 2_000_000  # small on the wire
    return data


def many_entries(n: int = 6000) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(n):
            zf.writestr(f"x/{i}.xml", "")
    return buf.getvalue()


def xlsx_with(shared_strings: str) -> bytes:
    """A real workbook whose shared strings part is replaced."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "Mã đơn vị"
    raw = io.BytesIO()
    wb.save(raw)
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                data = shared_strings.encode()
            zf.writestr(item, data)
    return out.getvalue()


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>"""


@pytest.mark.parametrize("maker, words", [(zip_bomb, "zip bomb"), (many_entries, "zip bomb")])
def test_plan_upload_refuses_bombs(maker, words):
    with pytest.raises(ReadError, match=words):
        read_bytes(maker("word/document.xml") if maker is zip_bomb else maker(), "ke-hoach.docx")


def test_values_import_refuses_a_bomb_and_entity_expansion(people):
    from chitieu.reporting.excel import import_values

    rep = import_values(actor=people["root"], data=zip_bomb(), file_name="so-lieu.xlsx")
    assert rep.errors and "so-lieu.xlsx" in rep.errors[0] and "zip bomb" in rep.errors[0] and rep.changed == 0
    rep = import_values(actor=people["root"], data=xlsx_with(BILLION_LAUGHS), file_name="cuoi.xlsx")
    assert rep.errors and "cuoi.xlsx" in rep.errors[0] and rep.changed == 0


def test_dossier_import_refuses_a_bomb(people, tmp_path, settings):
    from chitieu.dossiers import importing

    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "ho-so.xlsx"
    path.write_bytes(zip_bomb(megabytes=1100))
    with pytest.raises(importing.DossierImportError, match="zip bomb"):
        importing.import_create(actor=people["root"], path=path, file_name="ho-so.xlsx")


def test_framework_and_template_uploads_refuse_bombs(people, tree):
    from chitieu.documents.content import ReportError
    from chitieu.documents.services import template_upload
    from chitieu.scoring.services import ScoringError, framework_import

    with pytest.raises(ScoringError, match="zip bomb"):
        framework_import(
            actor=people["root"], owner=tree["prov"], file_name="bo-chi-so.xlsx", data=zip_bomb()
        )
    with pytest.raises(ReportError, match="zip bomb"):
        template_upload(
            actor=people["root"],
            name="Mẫu",
            kind="unit",
            unit=None,
            file_name="mau.docx",
            data=many_entries(),
        )


def test_external_entities_are_not_resolved_in_docx(tmp_path):
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("MAT-KHAU-BI-MAT")
    doc = f"""<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Chỉ tiêu &x;</w:t></w:r></w:p></w:body></w:document>"""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        zf.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        zf.writestr("word/document.xml", doc)
    try:
        text = read_bytes(buf.getvalue(), "xxe.docx").text()
    except ReadError as exc:
        text = str(exc)
    assert "MAT-KHAU-BI-MAT" not in text


def test_a_slow_pdf_is_cut_off(monkeypatch):
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(3):
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.cell(0, 10, "Ke hoach")
    monkeypatch.setattr(readers, "MAX_PDF_SECONDS", -1)
    with pytest.raises(ReadError, match="quá lâu"):
        read_bytes(bytes(pdf.output()), "cham.pdf")


def test_uploaded_html_is_never_served_as_a_page(client, people, tree, indicators, settings, tmp_path):
    from django.core.files.base import ContentFile

    from chitieu.reporting.models import Evidence

    settings.MEDIA_ROOT = tmp_path / "media"
    ev = Evidence(
        unit=tree["dept"], period="2026Q1", name="x.html", size=30, content_type="", sha256="0" * 64
    )
    ev.file.save("x", ContentFile(b"<script>alert(1)</script>"), save=True)
    client.force_login(people["reporter"])
    r = client.get(f"/minh-chung/{ev.pk}/")
    assert r["Content-Disposition"].startswith("attachment")
    assert r["X-Content-Type-Options"] == "nosniff" and "sandbox" in r["Content-Security-Policy"]
