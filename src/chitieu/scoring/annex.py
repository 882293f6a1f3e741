"""The results annex (DOCX, Decree 30 page: A4, Times New Roman 13): the ranking with each group's
points and the class, then notes saying which criteria have no published formula (scored by hand
and appraised), which are only tracked, and where the computed figures came from."""

from __future__ import annotations

import io

from chitieu.core import scoring as core
from chitieu.core.numbers import format_vi
from chitieu.scoring.definitions import definition
from chitieu.scoring.models import Framework
from chitieu.scoring.selectors import Results


def _points(v) -> str:
    return format_vi(v, 2) if v is not None else ""


def notes(fw: Framework) -> list[str]:
    """The annex's notes, in Vietnamese (also shown under the results table)."""
    fdef = definition(fw)
    leaves = [c for c in fdef.walk() if c.is_leaf]
    out = []
    unpublished = [c for c in leaves if not c.formula_published]
    if unpublished:
        out.append(
            "(*) Chỉ số chưa có công thức được công bố, điểm do đơn vị tự chấm và được thẩm định: "
            + "; ".join(f"{c.code} {c.name}" for c in unpublished)
            + "."
        )
    tracked = [c for c in leaves if c.method == "tracked"]
    if tracked:
        out.append(
            "Chỉ số chỉ theo dõi, không tính điểm: " + "; ".join(f"{c.code} {c.name}" for c in tracked) + "."
        )
    data = [c for c in leaves if c.indicator and c.method != "tracked"]
    if data:
        out.append(
            "Chỉ số tính từ số liệu (nguồn ghi ở từng bản đánh giá: tính từ hồ sơ một cửa, nhập tay hoặc nhập "
            "từ tệp): " + ", ".join(c.code for c in data) + "."
        )
    unconfirmed = [c for c in leaves if not c.confirmed]
    if unconfirmed:
        out.append(
            "Điểm tối đa chưa được xác nhận theo văn bản gốc: " + ", ".join(c.code for c in unconfirmed) + "."
        )
    if fw.basis:
        out.append(f"Căn cứ: {fw.basis}.")
    return out


def ranking_annex(fw: Framework, res: Results) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin = sec.bottom_margin = Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    for text, bold in (
        ("Phụ lục", True),
        (f"KẾT QUẢ XẾP HẠNG {fw.name.upper()}", True),
        (f"{'Kỳ ' + fw.period if fw.period else 'Phiên bản ' + fw.version}", False),
    ):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(text)
        r.bold = bold
    fdef = {c.code: c for c in definition(fw).walk()}
    marked = {
        g.code for g in res.groups if any(not c.formula_published for c in fdef[g.code].walk() if c.is_leaf)
    }
    classes = [(str(a), b) for a, b in (fw.classes or [])]
    heads = [
        "STT",
        "Đơn vị",
        *[f"{g.code}{' (*)' if g.code in marked else ''}" for g in res.groups],
        "Điểm tự đánh giá",
        "Điểm thẩm định",
        *(["Xếp loại"] if classes else []),
        "Xếp hạng",
    ]
    t = doc.add_table(rows=1, cols=len(heads))
    t.style = "Table Grid"
    for cell, head in zip(t.rows[0].cells, heads, strict=True):
        cell.text = head
        cell.paragraphs[0].runs[0].bold = True
    from decimal import Decimal

    parsed_classes = [(a, Decimal(str(b))) for a, b in classes]
    for i, r in enumerate(res.rows, 1):
        vals = [
            str(i),
            r.unit.name,
            *[_points(r.groups.get(g.code)) for g in res.groups],
            _points(r.self_total),
            _points(r.final_total),
        ]
        if classes:
            vals.append(
                core.classify(r.final_total, fw.max_points, parsed_classes)
                if r.final_total is not None
                else ""
            )
        vals.append(str(r.rank or ""))
        for c, v in zip(t.add_row().cells, vals, strict=True):
            c.text = v
    if res.groups:
        doc.add_paragraph(
            "Nhóm: "
            + "; ".join(f"{g.code}. {g.name} (tối đa {format_vi(g.max_points, 2)})" for g in res.groups)
            + "."
        )
    for line in notes(fw):
        p = doc.add_paragraph(line)
        p.runs[0].italic = True
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
