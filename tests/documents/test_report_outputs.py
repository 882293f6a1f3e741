"""PDF and PNG through LibreOffice and pdftoppm (installed by `make test`), the CLI, the web pages."""

import datetime as dt
import os
import shutil
import subprocess

import pytest
from django.urls import reverse

from chitieu.documents.models import GeneratedReport
from chitieu.documents.services import file_bytes, report_generate
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} is not installed (CI=true: `make test` installs it)")
        pytest.skip(f"{tool} is not installed")
    return path


def test_pdf_and_first_page_image(report_setup, people, tree, tmp_path):
    _need("soffice")
    pdftoppm = _need("pdftoppm")
    result = report_generate(
        actor=people["root"],
        unit=tree["dept"],
        period="2026Q1",
        number=5,
        issued_on=dt.date(2026, 3, 16),
        pdf=True,
    )
    assert result.warnings == []
    pdf = file_bytes(result.report.pdf)
    assert pdf.startswith(b"%PDF")
    (tmp_path / "r.pdf").write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-r", "80", "-png", "-f", "1", "-l", "1", str(tmp_path / "r.pdf"), str(tmp_path / "p")],
        check=True,
    )
    page = next(tmp_path.glob("p*.png"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = ARTIFACTS / "report-page1.png"
    shutil.copy(page, out)
    from PIL import Image

    w, h = Image.open(out).size
    assert abs(h / w - 297 / 210) < 0.01  # A4 portrait
    # the text layer of the PDF carries the figures
    import pdfplumber

    with pdfplumber.open(tmp_path / "r.pdf") as doc:
        text = " ".join(" ".join(p.extract_text() or "" for p in doc.pages).split())
    assert "56/56 hồ sơ, đạt 100%" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_without_libreoffice_the_message_is_clear(report_setup, people, tree, monkeypatch):
    monkeypatch.setenv("CHITIEU_SOFFICE", "")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = report_generate(actor=people["root"], unit=tree["dept"], period="2026Q1", pdf=True)
    assert not result.report.pdf and result.report.docx
    assert "chưa cài LibreOffice" in result.warnings[0]


def test_cli_report(report_setup, people, tree, tmp_path, capsys):
    from chitieu.cli import main

    out = tmp_path / "bc.docx"
    assert (
        main(
            [
                "report",
                "--unit",
                "T1-SNV",
                "--period",
                "Quý I năm 2026",
                "--out",
                str(out),
                "--xlsx",
                str(tmp_path / "pl.xlsx"),
                "--number",
                "7",
            ]
        )
        == 0
    )
    assert out.read_bytes().startswith(b"PK") and (tmp_path / "pl.xlsx").stat().st_size > 0
    assert "Kết quả thực hiện nhiệm vụ chuyển đổi số Quý I năm 2026" in capsys.readouterr().out
    assert (
        main(["report", "--province", "T1", "--period", "2026Q1", "--out", str(tmp_path / "tinh.docx")]) == 0
    )
    assert GeneratedReport.objects.filter(kind="aggregate").count() == 1
    for bad in (
        ["report", "--unit", "NOPE", "--period", "2026Q1", "--out", str(out)],
        ["report", "--unit", "T1-SNV", "--period", "2026Q7", "--out", str(out)],
        ["report", "--unit", "T1-SNV", "--period", "2026Q1", "--out", str(tmp_path / "bc.pdf")],
        ["report", "--unit", "T1-SNV", "--period", "2026Q1", "--out", str(tmp_path / "none" / "bc.docx")],
        ["report", "--period", "2026Q1", "--out", str(out)],
        ["report", "--unit", "T2-SNV", "--period", "2026Q1", "--out", str(out)],
    ):
        assert main(bad) == 2, bad
    err = capsys.readouterr().err
    assert "Traceback" not in err and "không có đơn vị mã 'NOPE'" in err


def test_web_form_generates_and_downloads(client, report_setup, people, tree):
    client.force_login(people["reporter"])
    url = reverse("documents:report_form")
    r = client.get(url + f"?don-vi={tree['dept'].pk}&ky=2026Q1")
    assert r.status_code == 200 and "Lập báo cáo" in r.content.decode()
    bad = client.post(url, {"don-vi": tree["dept"].pk, "ky": "2026Q1", "loai": "unit", "so": "mười"})
    assert bad.status_code == 400 and "Số văn bản phải là số nguyên" in bad.content.decode()
    r = client.post(
        url,
        {
            "don-vi": tree["dept"].pk,
            "ky": "2026Q1",
            "loai": "unit",
            "so": "9",
            "difficulties": "Thiếu nhân lực.",
            "chuc-vu": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
        },
    )
    assert r.status_code == 302
    rep = GeneratedReport.objects.get()
    assert (
        rep.narrative["difficulties"] == "Thiếu nhân lực."
        and rep.signer_title == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    )
    d = client.get(reverse("documents:report_file", args=[rep.pk, "docx"]))
    assert d.status_code == 200 and b"".join(d.streaming_content).startswith(b"PK")
    assert client.get(reverse("documents:report_file", args=[rep.pk, "exe"])).status_code == 404
    # the form remembers the signer for the next report of the period
    again = client.get(url + f"?don-vi={tree['dept'].pk}&ky=2026Q1").content.decode()
    assert "PHÓ GIÁM ĐỐC" in again and "Thiếu nhân lực." in again
    # a reporter of another province cannot see or make it
    client.force_login(people["other_reporter"])
    assert client.get(reverse("documents:report_detail", args=[rep.pk])).status_code == 403
    assert client.post(url, {"don-vi": tree["dept"].pk, "ky": "2026Q1", "loai": "unit"}).status_code == 403
    # a commune reporter may view the department? no: outside its scope
    client.force_login(people["xa_reporter"])
    assert client.get(reverse("documents:report_file", args=[rep.pk, "xlsx"])).status_code == 403
