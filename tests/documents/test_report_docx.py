"""The generated report: Decree 30 format checked with python-docx, figures checked against the
data, the lint guard, versions kept, permissions."""

import datetime as dt
import io
import re

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import load_workbook

from chitieu.documents.content import ReportError
from chitieu.documents.models import GeneratedReport
from chitieu.documents.services import report_generate
from chitieu.orgs.permissions import NotAllowed
from chitieu.reporting.models import DataValue

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 2, 5)


def make(people, tree, **kw):
    kw.setdefault("issued_on", DAY)
    return report_generate(
        actor=people["root"], unit=kw.pop("unit", tree["dept"]), period="2026Q1", **kw
    ).report


def _bytes(f) -> bytes:
    with f.open("rb") as fh:
        return fh.read()


def runs_of(p):
    return [r for r in p.runs if r.text.strip()]


def style_of(p) -> tuple:
    r = runs_of(p)[0]
    return (r.font.name, r.font.size, bool(r.font.bold), bool(r.font.italic), bool(r.font.underline))


def test_page_margins_fonts_and_header_follow_decree_30(report_setup, people, tree):
    rep = make(people, tree, number=5, signer_name="Nguyễn Văn An")
    doc = Document(io.BytesIO(_bytes(rep.docx)))
    sec = doc.sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(0.5) and abs(sec.page_height - Mm(297)) < Mm(0.5)
    assert (
        round(sec.top_margin.mm),
        round(sec.bottom_margin.mm),
        round(sec.left_margin.mm),
        round(sec.right_margin.mm),
    ) == (20, 20, 30, 15)
    # page numbers in the top margin, not on page 1
    assert sec.different_first_page_header_footer
    assert "PAGE" in sec.header._element.xml and not sec.first_page_header.paragraphs[0].text.strip()
    # every run in the document is Times New Roman
    for p in doc.paragraphs:
        for r in runs_of(p):
            assert r.font.name == "Times New Roman", r.text
    # the header: a borderless two-column table
    head = doc.tables[0]
    assert len(head.columns) == 2
    borders = head._tbl.tblPr.find(qn("w:tblBorders"))
    assert all(el.get(qn("w:val")) == "nil" for el in borders)
    left = [p for p in head.cell(0, 0).paragraphs if p.text.strip()]
    right = [p for p in head.cell(0, 1).paragraphs if p.text.strip()]
    assert [p.text for p in left] == [
        "TỈNH THỬ NGHIỆM".join(["ỦY BAN NHÂN DÂN ", ""]),
        "SỞ NỘI VỤ TỈNH THỬ NGHIỆM",
        "Số: 05/BC-SNV",
    ]
    assert style_of(left[0]) == ("Times New Roman", Pt(12), False, False, False)  # superior body: not bold
    assert style_of(left[1]) == ("Times New Roman", Pt(12), True, False, False)  # agency: bold
    assert style_of(left[2])[1] == Pt(13)
    assert [p.text for p in right] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Thử Nghiệm, ngày 05 tháng 02 năm 2026",
    ]
    assert style_of(right[0]) == ("Times New Roman", Pt(12), True, False, False)
    assert style_of(right[1]) == ("Times New Roman", Pt(13), True, False, True)  # underlined motto
    assert style_of(right[2]) == ("Times New Roman", Pt(14), False, True, False)  # italic place and date
    # a short rule under the agency name: a bordered empty paragraph
    assert any("w:pBdr" in p._element.xml and not p.text for p in head.cell(0, 0).paragraphs)
    # kind and title, centred and bold
    body = [p for p in doc.paragraphs if p.text.strip()]
    kind = next(p for p in body if p.text == "BÁO CÁO")
    title = body[body.index(kind) + 1]
    assert kind.alignment == WD_ALIGN_PARAGRAPH.CENTER and style_of(kind)[1:3] == (Pt(14), True)
    assert title.text == "Kết quả thực hiện nhiệm vụ chuyển đổi số Quý I năm 2026" and style_of(title)[2]
    # body text: 14 pt, justified, first-line indent
    para = next(p for p in body if p.text.startswith("Thực hiện Kế hoạch số 12/KH-UBND ngày 09/01/2026"))
    assert para.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY and style_of(para)[1] == Pt(14)
    assert para.paragraph_format.first_line_indent is not None and para.paragraph_format.space_after >= Pt(6)
    # a level of administration is lower case inside the sentence ("của tỉnh ...", not "của Tỉnh ...")
    assert "của tỉnh Thử Nghiệm về" in para.text and "Tỉnh Thử Nghiệm" not in para.text
    # signer block and recipients
    foot = doc.tables[-1]
    recip = [p for p in foot.cell(0, 0).paragraphs if p.text.strip()]
    assert recip[0].text == "Nơi nhận:" and style_of(recip[0]) == (
        "Times New Roman",
        Pt(12),
        True,
        True,
        False,
    )
    assert all(p.text.startswith("- ") for p in recip[1:]) and recip[-1].text.startswith("- Lưu: VT, SNV")
    assert all(style_of(p)[1] == Pt(11) for p in recip[1:])
    signer = [p for p in foot.cell(0, 1).paragraphs if p.text.strip()]
    assert [p.text for p in signer] == ["GIÁM ĐỐC", "Nguyễn Văn An"]
    assert all(style_of(p)[1:3] == (Pt(14), True) for p in signer)


def _doc_text(rep) -> str:
    doc = Document(io.BytesIO(_bytes(rep.docx)))
    return "\n".join(p.text for p in doc.paragraphs)


def test_every_figure_matches_the_data(report_setup, people, tree):
    rep = make(people, tree, issued_on=dt.date(2026, 3, 16))
    text = _doc_text(rep)
    assert "ngày 16 tháng 3 năm 2026" in "\n".join(
        p.text for t in Document(io.BytesIO(_bytes(rep.docx))).tables for c in t._cells for p in c.paragraphs
    )
    assert (
        "1. Tỷ lệ hồ sơ thủ tục hành chính tiếp nhận trực tuyến: 56/56 hồ sơ, đạt 100% (chỉ tiêu: trên 70%) — Đạt."
        in text
    )
    assert "2. Số lớp tập huấn kỹ năng số: 1 lớp (chỉ tiêu: tối thiểu 2) — Chưa đạt." in text
    # each fraction and percent in the text is the stored value's
    values = {dv.indicator.code: dv for dv in DataValue.objects.filter(unit=tree["dept"], period="2026Q1")}
    for num, den, rate in re.findall(r"(\d[\d.]*)/(\d[\d.]*) hồ sơ, đạt ([\d,]+)%", text):
        dv = values["ONLINE"]
        assert (int(num.replace(".", "")), int(den.replace(".", ""))) == (dv.numerator, dv.denominator)
        assert float(rate.replace(",", ".")) == pytest.approx(
            float(dv.numerator / dv.denominator * 100), abs=0.005
        )
    assert "Số liệu trong báo cáo tính từ ngày 15/12/2025 đến ngày 14/03/2026." in text  # Decree 09 window
    assert "Đã hoàn thành (1 nhiệm vụ):" in text and "Quyết định 15/QĐ-SNV" in text
    assert "Cập nhật hồ sơ công chức — quá hạn (28/02/2026)" in text
    # the appendix carries the same numbers
    ws = load_workbook(io.BytesIO(_bytes(rep.xlsx)))["Chỉ tiêu"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert rows[0][4:9] == (56, 56, None, 100.0, "Đạt") and rows[1][6] == 1
    assert rep.figures["targets"][0]["numerator"] == "56" and rep.figures["targets"][0]["version"] == 1
    assert rep.lint == []


def test_the_lint_refuses_a_report_whose_percent_does_not_follow(
    report_setup, people, tree, settings, tmp_path
):
    """A restyled template that hard-codes a wrong figure (as the seed report did: 02/02 đạt 50%)."""
    from chitieu.documents.models import ReportTemplate
    from chitieu.documents.template import build

    doc = build()
    doc.add_paragraph("Tổng số hồ sơ tiếp nhận: 02/02 hồ sơ, đạt 50%.")
    buf = io.BytesIO()
    doc.save(buf)
    from django.core.files.base import ContentFile

    t = ReportTemplate(name="Mẫu lỗi", kind="unit")
    t.file.save("mau.docx", ContentFile(buf.getvalue()), save=True)
    with pytest.raises(ReportError, match="percent-mismatch"):
        make(people, tree)
    assert not GeneratedReport.objects.exists()


def test_regenerating_keeps_both_versions_and_the_hand_written_parts(report_setup, people, tree, indicators):
    first = make(
        people,
        tree,
        narrative={"difficulties": "Đường truyền chậm.", "proposals": "", "next_priorities": "Số hóa hồ sơ."},
    )
    from chitieu.reporting.services import value_save

    value_save(
        actor=people["root"],
        indicator=indicators["count"],
        unit=tree["dept"],
        period="2026Q1",
        value=2,
        expected_version=1,
    )
    second = make(people, tree)
    assert GeneratedReport.objects.count() == 2 and first.docx.name != second.docx.name
    text = _doc_text(second)
    assert "Đường truyền chậm." in text and "Số hóa hồ sơ." in text  # kept from the first generation
    assert "2. Số lớp tập huấn kỹ năng số: 2 lớp (chỉ tiêu: tối thiểu 2) — Đạt." in text
    assert "1 lớp" in _doc_text(first)  # the earlier report is unchanged


def test_aggregate_report_sums_units_and_lists_each(report_setup, people, tree):
    rep = make(people, tree, unit=tree["prov"], kind="aggregate")
    text = _doc_text(rep)
    # 56 + 30 + 12 = 98 of 56 + 40 + 40 = 136: 72,06% (> 70%: met) - summed, never averaged (75,8%)
    assert "98/136 hồ sơ, đạt 72,06% (chỉ tiêu: trên 70%) — Đạt (3/3 đơn vị có số liệu)." in text
    doc = Document(io.BytesIO(_bytes(rep.docx)))
    table = doc.tables[1]
    names = [r.cells[1].text for r in table.rows[1:]]
    assert names == ["Sở Nội vụ tỉnh Thử Nghiệm", "Xã An Bình", "Xã Bình An"]
    assert [r.cells[2].text for r in table.rows[1:]] == ["1/2", "1/1", "0/1"]
    ws = load_workbook(io.BytesIO(_bytes(rep.xlsx)))["Theo đơn vị"]
    assert ws.max_row == 4


def test_permissions_and_bad_input(report_setup, people, tree):
    with pytest.raises(NotAllowed):
        report_generate(actor=people["other_reporter"], unit=tree["dept"], period="2026Q1")
    with pytest.raises(NotAllowed):  # a reporter makes their own unit's report, not the province's
        report_generate(actor=people["reporter"], unit=tree["prov"], period="2026Q1", kind="aggregate")
    assert report_generate(actor=people["reporter"], unit=tree["dept"], period="2026Q1").report.pk
    with pytest.raises(ReportError, match="không hợp lệ"):
        report_generate(actor=people["root"], unit=tree["dept"], period="Quý V 2026")
    with pytest.raises(ReportError, match="không có báo cáo nào phải gửi"):
        report_generate(actor=people["root"], unit=tree["other_dept"], period="2026Q1")
    with pytest.raises(ReportError, match="Số văn bản"):
        report_generate(actor=people["root"], unit=tree["dept"], period="2026Q1", number=0)


def test_template_upload_is_checked(report_setup, people, tree):
    from chitieu.documents.services import template_upload
    from chitieu.documents.template import build

    doc = build()
    doc.add_paragraph("{{ khong_dong_the ")
    buf = io.BytesIO()
    doc.save(buf)
    with pytest.raises(ReportError, match=r"mau-sai\.docx: Mẫu báo cáo có thẻ không hợp lệ"):
        template_upload(
            actor=people["root"],
            name="Sai",
            kind="unit",
            unit=None,
            file_name="mau-sai.docx",
            data=buf.getvalue(),
        )
    with pytest.raises(ReportError, match="phải là tệp Word"):
        template_upload(
            actor=people["root"], name="Sai", kind="unit", unit=None, file_name="mau.pdf", data=b"%PDF-1.4"
        )
    with pytest.raises(NotAllowed):
        template_upload(
            actor=people["reporter"],
            name="Của sở",
            kind="unit",
            unit=tree["dept"],
            file_name="a.docx",
            data=b"PK",
        )
    ok = build()
    ok.add_paragraph("Mẫu riêng của Sở")
    buf = io.BytesIO()
    ok.save(buf)
    t = template_upload(
        actor=people["root"],
        name="Mẫu Sở",
        kind="unit",
        unit=tree["dept"],
        file_name="mau.docx",
        data=buf.getvalue(),
    )
    rep = make(people, tree)
    assert rep.template_id == t.pk and "Mẫu riêng của Sở" in _doc_text(rep)
