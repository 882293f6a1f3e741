"""The default report template: a Decree 30/2020 (Phụ lục I) DOCX with docxtpl tags, built here
so that it is reproducible and reviewable as code. Offices download it, restyle it in Word and
upload their own; the tags (listed in docs/huong-dan-su-dung.md) are the only contract.

Layout: A4 portrait; margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm; Times New Roman;
a borderless two-column header (agency and number left, Quốc hiệu, Tiêu ngữ, place and date
right); "BÁO CÁO" and the title centred and bold with a short rule under; body 14 pt justified
with a 1.27 cm first-line indent; signer block and "Nơi nhận" in a borderless table; page
numbers centred in the top margin from page 2 on.
"""

from __future__ import annotations

import io
from functools import lru_cache

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
TEXT_WIDTH_CM = 16.5  # 210 - 30 - 15 mm
LEFT_CM, RIGHT_CM = 6.3, 10.2  # header columns (a common convention; not set by the decree)

# (size pt, bold, italic, underline) of each element, Decree 30 Phụ lục I
SPEC = {
    "parent_body": (12, False, False, False),
    "agency": (12, True, False, False),
    "number": (13, False, False, False),
    "quoc_hieu": (12, True, False, False),
    "tieu_ngu": (13, True, False, True),
    "date": (14, False, True, False),
    "kind": (14, True, False, False),
    "title": (14, True, False, False),
    "body": (14, False, False, False),
    "heading": (14, True, False, False),
    "signer": (14, True, False, False),
    "noi_nhan": (12, True, True, False),
    "recipient": (11, False, False, False),
    "page_number": (13, False, False, False),
    "table": (12, False, False, False),
    "table_head": (12, True, False, False),
}


def _font(run, element: str) -> None:
    size, bold, italic, underline = SPEC[element]
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _para(
    container,
    text: str,
    element: str,
    *,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    after: float = 0,
    indent: bool = False,
):
    p = container.add_paragraph()
    p.alignment = align
    pf = p.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(after)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if indent:
        pf.first_line_indent = Cm(1.27)
    run = p.add_run(text)
    _font(run, element)
    return p


def _rule(container, width_cm: float, total_cm: float):
    """A short solid rule, centred: an empty paragraph with a bottom border between indents."""
    p = container.add_paragraph()
    side = max((total_cm - width_cm) / 2, 0)
    pf = p.paragraph_format
    pf.left_indent, pf.right_indent = Cm(side), Cm(side)
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing = Pt(2)
    ppr = p._element.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)
    return p


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _grid_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            el.set(qn(k), v)
        borders.append(el)
    tbl_pr.append(borders)


def _widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths that Word and LibreOffice both honour (grid, cells, fixed layout)."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(widths_cm) * 567)))
    width.set(qn("w:type"), "dxa")
    existing = table._tbl.tblPr.find(qn("w:tblW"))
    if existing is not None:
        table._tbl.tblPr.remove(existing)
    table._tbl.tblPr.append(width)
    for col, w in zip(table.columns, widths_cm, strict=True):
        col.width = Cm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(w)


def _first_paragraph(cell):
    """A new cell has one empty paragraph: use it for the first line (no stray blank line)."""
    p = cell.paragraphs[0]
    return p


def _cell_para(
    cell, text: str, element: str, *, first: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER, after: float = 0
):
    if first:
        p = _first_paragraph(cell)
        p.alignment = align
        p.paragraph_format.space_after = Pt(after)
        p.paragraph_format.space_before = Pt(0)
        run = p.add_run(text)
        _font(run, element)
        return p
    return _para(cell, text, element, align=align, after=after)


def _page_number_header(section) -> None:
    section.different_first_page_header_footer = True  # no number on page 1
    header = section.header
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    _font(run, "page_number")
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._element.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)


def build(*, aggregate: bool = False) -> Document:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr()
    rfonts = normal.element.rPr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        normal.element.rPr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    sec.header_distance, sec.footer_distance = Mm(10), Mm(10)
    _page_number_header(sec)

    # --- header: a borderless two-column table ------------------------------------------------
    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(head)
    _widths(head, [LEFT_CM, RIGHT_CM])
    left, right = head.rows[0].cells
    _cell_para(left, "{%p if parent_body %}", "parent_body", first=True)
    _cell_para(left, "{{ parent_body }}", "parent_body")
    _cell_para(left, "{%p endif %}", "parent_body")
    _cell_para(left, "{{ agency }}", "agency")
    _rule(left, 2.4, LEFT_CM)
    _cell_para(left, "{{ number_line }}", "number", after=0)
    _cell_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "quoc_hieu", first=True)
    _cell_para(right, "Độc lập - Tự do - Hạnh phúc", "tieu_ngu", after=6)
    _cell_para(right, "{{ date_line }}", "date")

    # --- kind and title ------------------------------------------------------------------------
    _para(doc, "", "body", after=6)
    _para(doc, "{{ kind_title }}", "kind")
    _para(doc, "{{ title }}", "title")
    _rule(doc, 4.0, TEXT_WIDTH_CM)
    _para(doc, "", "body", after=6)

    # --- body ----------------------------------------------------------------------------------
    _para(doc, "{%p for s in sections %}", "body")
    _para(doc, "{%p if s.heading %}", "body")
    _para(doc, "{{ s.heading }}", "heading", align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6, indent=True)
    _para(doc, "{%p endif %}", "body")
    _para(doc, "{%p for para in s.paragraphs %}", "body")
    body = _para(doc, "{{ para }}", "body", align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6, indent=True)
    body.paragraph_format.line_spacing = 1.15
    _para(doc, "{%p endfor %}", "body")
    _para(doc, "{%p endfor %}", "body")

    if aggregate:
        _para(doc, "Bảng tổng hợp theo đơn vị", "heading", after=6)
        cols = [("STT", 1.2), ("Đơn vị", 8.3), ("Chỉ tiêu đạt / được giao", 3.5), ("Báo cáo kỳ", 3.5)]
        t = doc.add_table(rows=3, cols=len(cols))
        _grid_borders(t)
        _widths(t, [w for _, w in cols])
        for cell, (name, _) in zip(t.rows[0].cells, cols, strict=True):
            _cell_para(cell, name, "table_head", first=True)
        _cell_para(t.rows[1].cells[0], "{%tr for r in unit_rows %}", "table", first=True)
        for cell, key in zip(t.rows[2].cells, ["stt", "unit", "met_text", "report"], strict=True):
            align = WD_ALIGN_PARAGRAPH.LEFT if key == "unit" else WD_ALIGN_PARAGRAPH.CENTER
            _cell_para(cell, f"{{{{ r.{key} }}}}", "table", first=True, align=align)
        end = t.add_row()
        _cell_para(end.cells[0], "{%tr endfor %}", "table", first=True)
        for row in t.rows:
            for cell, (_, w) in zip(row.cells, cols, strict=True):
                cell.width = Cm(w)
        _para(doc, "", "body", after=6)

    # --- signer and recipients -----------------------------------------------------------------
    foot = doc.add_table(rows=1, cols=2)
    _no_borders(foot)
    _widths(foot, [8.0, 8.5])
    left, right = foot.rows[0].cells
    _cell_para(left, "Nơi nhận:", "noi_nhan", first=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell_para(left, "{%p for r in recipients %}", "recipient", align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell_para(left, "{{ r }}", "recipient", align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell_para(left, "{%p endfor %}", "recipient", align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell_para(right, "{%p for line in signer_lines %}", "signer", first=True)
    _cell_para(right, "{{ line }}", "signer")
    _cell_para(right, "{%p endfor %}", "signer")
    for _ in range(4):  # room for the signature and the seal
        _cell_para(right, "", "signer")
    _cell_para(right, "{{ signer_name }}", "signer")
    return doc


@lru_cache(maxsize=2)
def default_template_bytes(aggregate: bool = False) -> bytes:
    buf = io.BytesIO()
    build(aggregate=aggregate).save(buf)
    return buf.getvalue()
