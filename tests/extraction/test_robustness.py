"""Bad input never hurts: every hostile or broken file gives a clear ReadError, never a traceback."""

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chitieu.extraction import contract
from chitieu.extraction.errors import ReadError
from chitieu.extraction.pipeline import extract_bytes, extract_path, to_contract
from chitieu.extraction.readers import MAX_BYTES, read_bytes

PLAN = "KẾ HOẠCH\n\nThử nghiệm\n\nI. MỤC TIÊU\n\n- Tỷ lệ hồ sơ trực tuyến đạt trên 70%.\n"


def _docx_bytes(text: str = PLAN) -> bytes:
    import docx

    d = docx.Document()
    for line in text.splitlines():
        if line.strip():
            d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "rỗng"),
        (b"   \n\n  ", "rỗng"),
        (bytes(range(256)) * 20, "không phải tệp văn bản"),
        (b"%PDF-1.7\n1 0 obj <<>>\nendobj\n", "PDF"),
        (b"PK\x03\x04" + b"\x00" * 100, "hỏng"),
        (b"{\\rtf1\\ansi hello}", "RTF"),
    ],
)
def test_broken_inputs_give_clear_messages(data, words):
    with pytest.raises(ReadError) as exc:
        read_bytes(data, "hoso.bin")
    assert words in exc.value.message and "hoso.bin" in exc.value.message


def test_truncated_docx():
    data = _docx_bytes()
    with pytest.raises(ReadError) as exc:
        read_bytes(data[: len(data) // 2], "ke-hoach.docx")
    assert "ke-hoach.docx" in exc.value.message


def test_spreadsheet_mislabelled_as_docx():
    import openpyxl

    wb = openpyxl.Workbook()
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ReadError) as exc:
        read_bytes(buf.getvalue(), "ke-hoach.docx")
    assert "bảng tính" in exc.value.message


def test_docx_mislabelled_as_pdf_is_read_by_content(tmp_path):
    p = tmp_path / "ke-hoach.pdf"
    p.write_bytes(_docx_bytes())
    x = extract_path(p)
    assert x.doc.fmt == "docx" and len(x.targets) == 1


def test_zip_bomb_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        zf.writestr("word/bomb.xml", b"\0" * (210 * 1024 * 1024))
    with pytest.raises(ReadError) as exc:
        read_bytes(buf.getvalue(), "bom.docx")
    assert "zip bomb" in exc.value.message


def test_too_many_zip_entries_are_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(5001):
            zf.writestr(f"x/{i}", "")
    with pytest.raises(ReadError):
        read_bytes(buf.getvalue(), "nhieu.docx")


def test_huge_file_is_refused(tmp_path):
    p = tmp_path / "lon.txt"
    with open(p, "wb") as f:
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(ReadError) as exc:
        extract_path(p)
    assert "quá lớn" in exc.value.message


def test_password_protected_pdf(tmp_path):
    fpdf = pytest.importorskip("fpdf")
    from tests.extraction.corpus import _font

    if _font() is None:
        pytest.skip("no TTF font")
    pdf = fpdf.FPDF()
    pdf.set_encryption(owner_password="o", user_password="u")
    pdf.add_page()
    pdf.add_font("U", "", str(_font()))
    pdf.set_font("U", size=11)
    pdf.cell(0, 10, "Kế hoạch")
    p = tmp_path / "mat-khau.pdf"
    pdf.output(str(p))
    with pytest.raises(ReadError) as exc:
        extract_path(p)
    assert "mật khẩu" in exc.value.message


def test_pdf_without_text_layer(tmp_path):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)  # a drawing, no text: what a scanner gives
    p = tmp_path / "ban-quet.pdf"
    pdf.output(str(p))
    with pytest.raises(ReadError) as exc:
        extract_path(p)
    assert "bản quét" in exc.value.message


def test_legacy_doc_without_libreoffice(tmp_path, monkeypatch):
    import chitieu.extraction.readers as readers

    monkeypatch.setattr(readers.shutil, "which", lambda name: None)
    data = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512 + "WordDocument".encode("utf-16-le") + b"\0" * 512
    )
    with pytest.raises(ReadError) as exc:
        read_bytes(data, "cu.doc")
    assert "LibreOffice" in exc.value.message


def test_legacy_doc_through_libreoffice(tmp_path):
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed")
    src = tmp_path / "ke-hoach.docx"
    src.write_bytes(_docx_bytes())
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/p",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    x = extract_path(tmp_path / "ke-hoach.doc")
    assert x.doc.fmt == "doc" and [t.value for t in x.targets] == [70]


def test_directory_and_missing_file(tmp_path):
    for p in (tmp_path, tmp_path / "khong-co.txt"):
        with pytest.raises(ReadError):
            extract_path(p)


_ALPHABET = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàáạảãầấậẩẫằắặẳẵèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ"
    "AĂÂĐEÊOÔƠUƯKHTCQ0123456789 .,;:%/()-+*\t\n"
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_ALPHABET, max_size=600))
def test_any_text_extracts_within_the_contract_or_fails_cleanly(text):
    try:
        x = extract_bytes(text.encode("utf-8"), "ngau-nhien.txt")
    except ReadError as exc:
        assert exc.message
        return
    contract.validate(to_contract(x))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_never_raise_anything_but_read_error(data):
    try:
        x = extract_bytes(data, "bat-ky.bin")
    except ReadError:
        return
    contract.validate(to_contract(x))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.text(alphabet=_ALPHABET.replace("\t", "").replace("\n", ""), max_size=60), min_size=1, max_size=8
    )
)
def test_any_docx_paragraphs_extract_within_the_contract(paragraphs):
    x = extract_bytes(_docx_bytes("\n".join(paragraphs) or "x"), "ngau-nhien.docx")
    contract.validate(to_contract(x))
