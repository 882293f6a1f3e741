"""Write the province decisions of this folder: each as Word (python-docx) and PDF (LibreOffice).

    .venv/bin/python tests/scoring/decisions/make_documents.py

The decisions are fictional (invented provinces, numbers and people) and written in our own words.
Their layout follows real provincial PAR and DTI index decisions - the structure of the annex
table, the numbering, how points and the scoring method are written - named with their public
address in each ``*.expected.yaml``. The expected trees were written by hand from the text below,
before the reader existed; the tests compare the reader's tree with them node by node.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent


# --- page and header ------------------------------------------------------------------------------
def new_document(landscape: bool = False) -> Document:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    sec.top_margin = sec.bottom_margin = Mm(20)
    sec.left_margin, sec.right_margin = Mm(25), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    return doc


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def para(doc, text: str = "", *, bold=False, italic=False, center=False, size=None, indent=True):
    p = doc.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        p.paragraph_format.first_line_indent = Mm(10)
    r = p.add_run(text)
    r.bold, r.italic = bold, italic
    if size:
        r.font.size = Pt(size)
    return p


def header(doc, left: list[str], number: str, place_date: str) -> None:
    t = doc.add_table(rows=2, cols=2)
    _no_borders(t)
    t.cell(0, 0).text = "\n".join(left)
    t.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    t.cell(1, 0).text = f"Số: {number}"
    t.cell(1, 1).text = place_date
    for row in t.rows:
        for c in row.cells:
            for p in c.paragraphs:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER


# --- the annex table ------------------------------------------------------------------------------
def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def annex_table(doc, columns: list[str], rows: list[dict], widths: list[int] | None = None) -> None:
    """``rows``: {"cells": [...], "bold": bool, "merge": (a, b), "more": [[...], ...]} where
    ``more`` are extra rows that continue the row (the method written one option per row)."""
    t = doc.add_table(rows=1, cols=len(columns))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for c, head in zip(t.rows[0].cells, columns, strict=True):
        c.text = ""
        r = c.paragraphs[0].add_run(head)
        r.bold = True
        c.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _repeat_header(t.rows[0])
    for spec in rows:
        for k, cells in enumerate([spec["cells"], *spec.get("more", [])]):
            row = t.add_row()
            for i, text in enumerate(cells):
                cell = row.cells[i]
                cell.text = ""
                lines = str(text).split("\n")
                for j, line in enumerate(lines):
                    p = cell.paragraphs[0] if j == 0 else cell.add_paragraph()
                    run = p.add_run(line)
                    run.bold = bool(spec.get("bold")) and k == 0 and i < 3
                    if i in (0, 2):
                        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if k == 0 and spec.get("merge"):
                a, b = spec["merge"]
                merged = row.cells[a].merge(row.cells[b])
                merged.text = ""
                run = merged.paragraphs[0].add_run(cells[a])
                run.bold = True
    if widths:
        t.autofit = False
        for i, col in enumerate(t._tbl.tblGrid.findall(qn("w:gridCol"))):
            col.set(qn("w:w"), str(int(Mm(widths[i]).twips)))
        for row in t.rows:
            for i, w in enumerate(widths):
                row.cells[i].width = Mm(w)


def R(stt, name, points="", method="", evidence="", *, bold=False, more=None, extra=None):  # noqa: N802
    cells = [stt, name, points, method]
    if evidence is not None:
        cells.append(evidence)
    if extra is not None:
        cells += extra
    out = {"cells": cells, "bold": bold}
    if more:
        n = len(cells)
        out["more"] = [["", "", "", m] + [""] * (n - 4) for m in more]
    return out


def signature(doc, role: str, name: str) -> None:
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    t.cell(0, 0).text = "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT."
    t.cell(0, 1).text = f"{role}\n\n\n{name}"
    for p in t.cell(0, 1).paragraphs:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER


# --- decision 1: PAR Index of the departments (Word table, "1 / 1.1 / 1.1.1") ---------------------
def par_departments() -> Document:
    doc = new_document()
    header(doc, ["ỦY BAN NHÂN DÂN", "TỈNH SÔNG LAM"], "215/QĐ-UBND", "Sông Lam, ngày 20 tháng 01 năm 2026")
    para(doc, "QUYẾT ĐỊNH", bold=True, center=True)
    para(
        doc,
        "Ban hành Bộ chỉ số cải cách hành chính của các sở, ban, ngành tỉnh Sông Lam năm 2026",
        bold=True,
        center=True,
    )
    para(doc, "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH SÔNG LAM", bold=True, center=True)
    para(doc, "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;", italic=True)
    para(
        doc,
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ ban hành Chương trình tổng thể "
        "cải cách hành chính nhà nước giai đoạn 2021 - 2030;",
        italic=True,
    )
    para(
        doc,
        "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 18/TTr-SNV ngày 12 tháng 01 năm 2026.",
        italic=True,
    )
    para(doc, "QUYẾT ĐỊNH:", bold=True, center=True)
    para(
        doc,
        "Điều 1. Ban hành kèm theo Quyết định này Bộ chỉ số cải cách hành chính dùng để đánh giá, xếp hạng "
        "kết quả cải cách hành chính năm 2026 của các sở, ban, ngành. Thang điểm đánh giá là 100 điểm, gồm "
        "70 điểm thẩm định kết quả tự chấm và 30 điểm qua điều tra xã hội học.",
    )
    para(
        doc,
        "Điều 2. Sở Nội vụ hướng dẫn các cơ quan tự chấm điểm, tổ chức thẩm định và tổng hợp kết quả, "
        "trình Ủy ban nhân dân tỉnh công bố trong quý I năm sau.",
    )
    para(doc, "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.")
    signature(doc, "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Lê Hoài Nam")
    doc.add_page_break()
    para(doc, "PHỤ LỤC", bold=True, center=True)
    para(
        doc,
        "BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA CÁC SỞ, BAN, NGÀNH NĂM 2026",
        bold=True,
        center=True,
    )
    para(
        doc,
        "(Kèm theo Quyết định số 215/QĐ-UBND ngày 20/01/2026 của Chủ tịch UBND tỉnh)",
        italic=True,
        center=True,
    )
    rows = [
        R("1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", "12", bold=True),
        R("1.1", "Kế hoạch cải cách hành chính năm", "3", bold=True),
        R(
            "1.1.1",
            "Ban hành kế hoạch đúng thời hạn",
            "1",
            "Ban hành trước ngày 15/01: 1 điểm; ban hành sau ngày 15/01 hoặc không ban hành: 0 điểm",
            "Quyết định ban hành kế hoạch",
        ),
        R(
            "1.1.2",
            "Mức độ hoàn thành kế hoạch",
            "2",
            "Hoàn thành 100% nhiệm vụ: 2 điểm;\nTừ 80% đến dưới 100% nhiệm vụ: 1 điểm;\nDưới 80% nhiệm vụ: 0 điểm",
            "Báo cáo kết quả thực hiện kế hoạch",
        ),
        R(
            "1.2",
            "Thực hiện chế độ báo cáo cải cách hành chính định kỳ",
            "2",
            "Gửi đủ, đúng hạn các báo cáo quý, 6 tháng, năm: 2 điểm. Mỗi báo cáo gửi chậm hoặc thiếu nội dung "
            "theo đề cương trừ 0,5 điểm",
            "Các báo cáo đã gửi",
        ),
        R("1.3", "Kiểm tra công tác cải cách hành chính", "2", bold=True),
        R(
            "1.3.1",
            "Tỷ lệ đơn vị trực thuộc được kiểm tra theo kế hoạch",
            "1",
            "Đạt 100% kế hoạch kiểm tra: 1 điểm; dưới 100%: 0 điểm",
            "Kế hoạch, biên bản kiểm tra",
        ),
        R(
            "1.3.2",
            "Chỉ đạo khắc phục tồn tại sau kiểm tra",
            "1",
            "Có văn bản chỉ đạo khắc phục: 1 điểm; không có: 0 điểm",
            "Văn bản chỉ đạo",
        ),
        R(
            "1.4",
            "Công tác tuyên truyền cải cách hành chính",
            "2",
            "Có kế hoạch và thực hiện đầy đủ: 2 điểm; có kế hoạch nhưng thực hiện chưa đầy đủ: 1 điểm; "
            "không có kế hoạch: 0 điểm",
            "Kế hoạch, tin bài đã đăng",
        ),
        R(
            "1.5",
            "Sáng kiến, giải pháp mới trong cải cách hành chính",
            "3",
            "Có sáng kiến được công nhận cấp tỉnh: 3 điểm; được công nhận cấp cơ sở: 1,5 điểm; không có: 0 điểm",
            "Quyết định công nhận sáng kiến",
        ),
        R("2", "XÂY DỰNG VÀ TỔ CHỨC THỰC HIỆN VĂN BẢN QUY PHẠM PHÁP LUẬT", "8", bold=True),
        R(
            "2.1",
            "Tham mưu ban hành văn bản quy phạm pháp luật theo chương trình của tỉnh",
            "3",
            "Đạt 100% danh mục được giao: 3 điểm; dưới 100%: 0 điểm",
            "Danh mục văn bản, văn bản đã ban hành",
        ),
        R(
            "2.2",
            "Rà soát, hệ thống hóa văn bản quy phạm pháp luật",
            "2",
            "Mỗi văn bản không được rà soát đúng thời hạn trừ 0,25 điểm",
            "Báo cáo rà soát",
        ),
        R("2.3", "Theo dõi thi hành pháp luật", "3", bold=True),
        R(
            "2.3.1",
            "Ban hành kế hoạch theo dõi thi hành pháp luật",
            "1",
            "Có: 1 điểm; Không: 0 điểm",
            "Kế hoạch",
        ),
        R(
            "2.3.2",
            "Xử lý kiến nghị sau theo dõi thi hành pháp luật",
            "2",
            "Tỷ lệ = số kiến nghị đã xử lý / tổng số kiến nghị; Điểm = Tỷ lệ × 2",
            "Báo cáo kết quả xử lý",
        ),
        R("3", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "15", bold=True),
        R("3.1", "Công bố, công khai thủ tục hành chính", "4", bold=True),
        R(
            "3.1.1",
            "Tham mưu công bố danh mục thủ tục hành chính đúng hạn",
            "2",
            "100% quyết định công bố được trình đúng hạn: 2 điểm; dưới 100%: 0 điểm",
            "Các quyết định công bố",
        ),
        R(
            "3.1.2",
            "Công khai thủ tục hành chính tại Bộ phận Một cửa và trên Cổng Dịch vụ công",
            "2",
            "Công khai đầy đủ, đúng quy định: 2 điểm; mỗi thủ tục công khai không đầy đủ trừ 0,25 điểm",
            "Kết quả kiểm tra",
        ),
        R(
            "3.2",
            "Tỷ lệ hồ sơ thủ tục hành chính giải quyết trước hạn, đúng hạn",
            "6",
            "Từ 98% trở lên: 6 điểm;\nTừ 95% đến dưới 98%: 4 điểm;\nTừ 90% đến dưới 95%: 2 điểm;\nDưới 90%: 0 điểm",
            "Số liệu trên Hệ thống thông tin giải quyết thủ tục hành chính",
        ),
        R(
            "3.3",
            "Tỷ lệ hồ sơ được số hóa khi tiếp nhận",
            "3",
            "Đạt từ 80% trở lên: 3 điểm; dưới 80%: điểm = tỷ lệ đạt được × 3 / 80%",
            "Số liệu trên Hệ thống",
        ),
        R(
            "3.4",
            "Xin lỗi tổ chức, cá nhân khi giải quyết hồ sơ quá hạn",
            "2",
            "Có văn bản xin lỗi đối với tất cả hồ sơ quá hạn: 2 điểm; không: 0 điểm",
            "Văn bản xin lỗi",
        ),
        R("4", "CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH", "6", bold=True),
        R(
            "4.1",
            "Thực hiện quy định về tổ chức bộ máy của cơ quan",
            "3",
            "Thực hiện đúng quy định: 3 điểm; có sai phạm bị cấp có thẩm quyền phát hiện: 0 điểm",
            "Báo cáo, kết luận kiểm tra",
        ),
        R(
            "4.2",
            "Bố trí công chức theo vị trí việc làm được phê duyệt",
            "3",
            "Mỗi trường hợp bố trí không đúng vị trí việc làm trừ 0,5 điểm",
            "Danh sách công chức",
        ),
        R("5", "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ", "8", bold=True),
        R(
            "5.1",
            "Chấp hành kỷ luật, kỷ cương hành chính",
            "4",
            "Không có công chức bị kỷ luật: 4 điểm; mỗi trường hợp bị kỷ luật trừ 1 điểm",
            "Quyết định kỷ luật (nếu có)",
        ),
        R(
            "5.2",
            "Đào tạo, bồi dưỡng công chức trong năm",
            "4",
            "Tỷ lệ = số công chức được bồi dưỡng / tổng số công chức; Điểm = Tỷ lệ × Điểm tối đa",
            "Danh sách, chứng chỉ",
        ),
        R("6", "CẢI CÁCH TÀI CHÍNH CÔNG", "5", bold=True),
        R(
            "6.1",
            "Giải ngân vốn đầu tư công được giao",
            "3",
            "Đạt từ 95% trở lên: 3 điểm; từ 80% đến dưới 95%: 2 điểm; từ 60% đến dưới 80%: 1 điểm; dưới 60%: 0 điểm",
            "Báo cáo giải ngân",
        ),
        R(
            "6.2",
            "Ban hành và thực hiện quy chế chi tiêu nội bộ",
            "2",
            "Có ban hành và thực hiện: 2 điểm; không ban hành: 0 điểm",
            "Quy chế chi tiêu nội bộ",
        ),
        R("7", "XÂY DỰNG, PHÁT TRIỂN CHÍNH QUYỀN SỐ", "16", bold=True),
        R(
            "7.1",
            "Tỷ lệ văn bản đi được ký số",
            "4",
            "Đạt 100%: 4 điểm; dưới 100%: 0 điểm",
            "Số liệu hệ thống quản lý văn bản",
        ),
        R(
            "7.2",
            "Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng",
            "4",
            "Đạt từ 90% trở lên: 4 điểm; dưới 90%: điểm = tỷ lệ × 4 / 90%",
            "Số liệu hệ thống quản lý văn bản",
        ),
        R(
            "7.3",
            "Tỷ lệ thủ tục hành chính có phát sinh hồ sơ trực tuyến",
            "4",
            "Tỷ lệ = số thủ tục có hồ sơ trực tuyến / tổng số thủ tục cung cấp trực tuyến; "
            "Điểm = Tỷ lệ × Điểm tối đa",
            "Số liệu Cổng Dịch vụ công",
        ),
        R(
            "7.4",
            "Bảo đảm an toàn thông tin mạng",
            "4",
            "Không để xảy ra sự cố mất an toàn thông tin: 4 điểm; mỗi sự cố trừ 2 điểm",
            "Báo cáo của cơ quan",
        ),
        R("8", "ĐIỀU TRA XÃ HỘI HỌC", "30", bold=True),
        R(
            "8.1",
            "Mức độ hài lòng của người dân, tổ chức về giải quyết thủ tục hành chính",
            "15",
            "Điểm theo kết quả điều tra xã hội học",
            "",
        ),
        R(
            "8.2",
            "Đánh giá của cán bộ, công chức về công tác chỉ đạo, điều hành cải cách hành chính",
            "15",
            "Điểm theo kết quả điều tra xã hội học",
            "",
        ),
        {"cells": ["TỔNG ĐIỂM", "", "100", "", ""], "merge": (0, 1), "bold": True},
    ]
    annex_table(
        doc,
        [
            "STT",
            "Lĩnh vực, tiêu chí, tiêu chí thành phần",
            "Điểm tối đa",
            "Hướng dẫn chấm điểm",
            "Tài liệu kiểm chứng",
        ],
        rows,
        [14, 52, 16, 58, 30],
    )
    return doc


# --- decision 2: PAR Index of the communes (Roman fields, numbering restarts, "a)") -------------------
def par_communes() -> Document:
    doc = new_document()
    header(doc, ["ỦY BAN NHÂN DÂN", "TỈNH BẾN MÂY"], "1082/QĐ-UBND", "Bến Mây, ngày 05 tháng 12 năm 2025")
    para(doc, "QUYẾT ĐỊNH", bold=True, center=True)
    para(
        doc,
        "Về việc ban hành Bộ chỉ số đánh giá kết quả cải cách hành chính của Ủy ban nhân dân các xã, phường",
        bold=True,
        center=True,
    )
    para(doc, "ỦY BAN NHÂN DÂN TỈNH BẾN MÂY", bold=True, center=True)
    para(
        doc,
        "Căn cứ Quyết định số 1187/QĐ-BNV ngày 15 tháng 10 năm 2025 của Bộ trưởng Bộ Nội vụ;",
        italic=True,
    )
    para(doc, "Xét đề nghị của Sở Nội vụ.", italic=True)
    para(doc, "QUYẾT ĐỊNH:", bold=True, center=True)
    para(
        doc,
        "Điều 1. Ban hành kèm theo Quyết định này Bộ chỉ số đánh giá kết quả cải cách hành chính của Ủy ban "
        "nhân dân các xã, phường, áp dụng từ kỳ đánh giá năm 2026.",
    )
    para(
        doc,
        "Điều 2. Ủy ban nhân dân các xã, phường tự chấm điểm theo Bộ chỉ số, gửi kết quả kèm tài liệu kiểm chứng "
        "về Sở Nội vụ trước ngày 10 tháng 12 hằng năm. Điểm tối đa của Bộ chỉ số là 100 điểm.",
    )
    para(
        doc,
        "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Chủ tịch Ủy ban nhân dân các xã, phường chịu trách nhiệm thi hành Quyết định này.",
    )
    signature(doc, "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", "Trần Minh Khoa")
    doc.add_page_break()
    para(doc, "BỘ CHỈ SỐ ĐÁNH GIÁ KẾT QUẢ CẢI CÁCH HÀNH CHÍNH CẤP XÃ", bold=True, center=True)
    para(
        doc,
        "(Ban hành kèm theo Quyết định số 1082/QĐ-UBND ngày 05/12/2025 của UBND tỉnh Bến Mây)",
        italic=True,
        center=True,
    )

    def r(stt, name, pts="", method="", bold=False):
        return {"cells": [stt, name, pts, method], "bold": bold}

    rows = [
        r("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "14", bold=True),
        r("1", "Xây dựng và thực hiện kế hoạch cải cách hành chính", "6", bold=True),
        r(
            "a)",
            "Ban hành kế hoạch cải cách hành chính năm kịp thời",
            "1,5",
            "Ban hành trước ngày 31/01: 1,5 điểm\nBan hành sau ngày 31/01: 0 điểm",
        ),
        r(
            "b)",
            "Tỷ lệ nhiệm vụ trong kế hoạch được hoàn thành",
            "4,5",
            "Hoàn thành 100%: 4,5 điểm\nTừ 85% đến dưới 100%: 3 điểm\nTừ 70% đến dưới 85%: 1,5 điểm\nDưới 70%: 0 điểm",
        ),
        r(
            "2",
            "Chế độ báo cáo cải cách hành chính",
            "4",
            "Gửi đủ 4 báo cáo đúng hạn: 4 điểm\nMỗi báo cáo chậm hạn trừ 1 điểm",
        ),
        r(
            "3",
            "Tuyên truyền cải cách hành chính trên hệ thống truyền thanh và trang thông tin điện tử của xã",
            "4",
            "Có chuyên mục và cập nhật thường xuyên: 4 điểm\nCó nhưng cập nhật không thường xuyên: 2 điểm\nKhông có: 0 điểm",
        ),
        r("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "24", bold=True),
        r(
            "1",
            "Niêm yết, công khai thủ tục hành chính tại Bộ phận Một cửa",
            "4",
            "Niêm yết đầy đủ, đúng quy định: 4 điểm\nMỗi thủ tục niêm yết thiếu hoặc đã hết hiệu lực trừ 0,5 điểm",
        ),
        r(
            "2",
            "Tỷ lệ hồ sơ giải quyết đúng hạn",
            "8",
            "Đạt 100%: 8 điểm\nTừ 95% đến dưới 100%: 6 điểm\nTừ 90% đến dưới 95%: 4 điểm\nDưới 90%: 0 điểm",
        ),
        r(
            "3",
            "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
            "6",
            "Từ 50% trở lên: 6 điểm\nDưới 50%: Điểm = Tỷ lệ đạt được × 6 / 50%",
        ),
        r("4", "Tiếp nhận, xử lý phản ánh, kiến nghị về thủ tục hành chính", "6", bold=True),
        r("a)", "Công khai địa chỉ tiếp nhận phản ánh, kiến nghị", "2", "Có: 2 điểm\nKhông: 0 điểm"),
        r(
            "b)",
            "Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn",
            "4",
            "Đạt 100%: 4 điểm\nDưới 100%: 0 điểm",
        ),
        r("III", "CẢI CÁCH TỔ CHỨC BỘ MÁY VÀ CHẾ ĐỘ CÔNG VỤ", "14", bold=True),
        r(
            "1",
            "Bố trí cán bộ, công chức đúng số lượng được giao",
            "4",
            "Đúng số lượng: 4 điểm\nVượt số lượng: 0 điểm",
        ),
        r(
            "2",
            "Chấp hành kỷ luật, kỷ cương hành chính",
            "6",
            "Không có cán bộ, công chức vi phạm: 6 điểm\nMỗi trường hợp vi phạm bị xử lý trừ 2 điểm",
        ),
        r(
            "3",
            "Tỷ lệ cán bộ, công chức được bồi dưỡng trong năm",
            "4",
            "Tỷ lệ = số người được bồi dưỡng / tổng số cán bộ, công chức\nĐiểm = Tỷ lệ × 4",
        ),
        r("IV", "CẢI CÁCH TÀI CHÍNH CÔNG", "8", bold=True),
        r(
            "1",
            "Thực hiện dự toán thu ngân sách được giao",
            "4",
            "Đạt từ 100% trở lên: 4 điểm\nTừ 90% đến dưới 100%: 2 điểm\nDưới 90%: 0 điểm",
        ),
        r(
            "2",
            "Công khai ngân sách theo quy định",
            "4",
            "Công khai đầy đủ, đúng thời hạn: 4 điểm\nKhông công khai hoặc công khai chậm: 0 điểm",
        ),
        r("V", "XÂY DỰNG CHÍNH QUYỀN SỐ", "10", bold=True),
        r(
            "1",
            "Tỷ lệ văn bản điện tử gửi, nhận trên hệ thống quản lý văn bản",
            "5",
            "Đạt từ 90% trở lên: 5 điểm\nDưới 90%: điểm = tỷ lệ × 5 / 90%",
        ),
        r(
            "2",
            "Tham gia các cuộc họp trực tuyến với cấp trên",
            "5",
            "Tham gia đầy đủ: 5 điểm\nMỗi cuộc họp vắng không có lý do trừ 1 điểm",
        ),
        r("VI", "ĐIỀU TRA XÃ HỘI HỌC", "30", bold=True),
        r(
            "1",
            "Mức độ hài lòng của người dân khi giải quyết thủ tục hành chính tại xã",
            "20",
            "Điểm do điều tra xã hội học xác định",
        ),
        r(
            "2",
            "Đánh giá của người dân về thái độ phục vụ của cán bộ, công chức",
            "10",
            "Kết quả khảo sát, điều tra xã hội học",
        ),
        {"cells": ["Tổng cộng", "", "100", ""], "merge": (0, 1), "bold": True},
    ]
    annex_table(
        doc,
        ["TT", "Nội dung tiêu chí, tiêu chí thành phần", "Điểm chuẩn", "Phương pháp chấm điểm"],
        rows,
        [14, 70, 18, 68],
    )
    return doc


# --- decision 3: DTI of agencies (Word table, method written one option per row) --------------------
def dti_agencies() -> Document:
    doc = new_document(landscape=True)
    header(
        doc,
        ["ỦY BAN NHÂN DÂN", "TỈNH SÔNG LAM"],
        "640/QĐ-UBND",
        "Sông Lam, ngày 18 tháng 3 năm 2026",
    )
    para(doc, "QUYẾT ĐỊNH", bold=True, center=True)
    para(
        doc,
        "Ban hành Bộ chỉ số đánh giá chuyển đổi số của các sở, ban, ngành và Ủy ban nhân dân các xã, phường "
        "tỉnh Sông Lam",
        bold=True,
        center=True,
    )
    para(doc, "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH SÔNG LAM", bold=True, center=True)
    para(
        doc,
        "Căn cứ Quyết định số 405/QĐ-BKHCN ngày 03 tháng 4 năm 2025 của Bộ trưởng Bộ Khoa học và Công nghệ;",
        italic=True,
    )
    para(doc, "Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ.", italic=True)
    para(doc, "QUYẾT ĐỊNH:", bold=True, center=True)
    para(
        doc,
        "Điều 1. Ban hành kèm theo Quyết định này Bộ chỉ số đánh giá chuyển đổi số của các cơ quan nhà nước "
        "trên địa bàn tỉnh, gồm 04 chỉ số chính và 16 chỉ số thành phần, tổng số 400 điểm.",
    )
    para(doc, "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.")
    signature(doc, "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Phạm Thu Hà")
    doc.add_page_break()
    para(doc, "PHỤ LỤC", bold=True, center=True)
    para(
        doc, "BỘ CHỈ SỐ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ CỦA CÁC CƠ QUAN NHÀ NƯỚC TỈNH SÔNG LAM", bold=True, center=True
    )

    def r(stt, name, pts="", lines=(), evidence="", source="", bold=False):
        lines = list(lines)
        first = lines[0] if lines else ""
        out = {"cells": [stt, name, pts, first, evidence, source], "bold": bold}
        if len(lines) > 1:
            out["more"] = [["", "", "", ln, "", ""] for ln in lines[1:]]
        return out

    rows = [
        r("1", "Nhận thức số", "100", bold=True),
        r(
            "1.1",
            "Ban chỉ đạo chuyển đổi số của cơ quan họp trong năm",
            "25",
            [
                "Họp 4 lần/năm trở lên: 25 điểm",
                "Họp 3 lần/năm: 18 điểm",
                "Họp 2 lần/năm: 12 điểm",
                "Họp 1 lần/năm: 6 điểm",
                "Không họp: 0 điểm",
            ],
            "Thông báo kết luận cuộc họp",
            "Cơ quan cung cấp",
        ),
        r(
            "1.2",
            "Người đứng đầu cơ quan chủ trì các cuộc họp về chuyển đổi số",
            "25",
            [
                "a = Số cuộc họp về chuyển đổi số do người đứng đầu chủ trì;",
                "b = Tổng số cuộc họp về chuyển đổi số của cơ quan;",
                "Tỷ lệ = a/b;",
                "Điểm = Tỷ lệ × Điểm tối đa",
            ],
            "Thông báo kết luận cuộc họp",
            "Cơ quan cung cấp",
        ),
        r(
            "1.3",
            "Chuyên mục chuyển đổi số trên trang thông tin điện tử của cơ quan",
            "20",
            [
                "Có chuyên mục và cập nhật ít nhất 1 tin/tháng: 20 điểm",
                "Có chuyên mục nhưng cập nhật không thường xuyên: 10 điểm",
                "Không có chuyên mục: 0 điểm",
            ],
            "Địa chỉ chuyên mục",
            "Sở Khoa học và Công nghệ kiểm tra",
        ),
        r(
            "1.4",
            "Tỷ lệ cán bộ, công chức hoàn thành khóa học kỹ năng số trên nền tảng học trực tuyến mở",
            "30",
            ["Từ 80% trở lên: 30 điểm", "Dưới 80%: Điểm = Tỷ lệ × 30 / 80%"],
            "Danh sách hoàn thành",
            "Nền tảng học trực tuyến",
        ),
        r("2", "Thể chế số", "100", bold=True),
        r(
            "2.1",
            "Ban hành kế hoạch chuyển đổi số năm của cơ quan",
            "20",
            ["Ban hành trước ngày 31/3: 20 điểm", "Ban hành sau ngày 31/3 hoặc không ban hành: 0 điểm"],
            "Kế hoạch",
            "Cơ quan cung cấp",
        ),
        r(
            "2.2",
            "Ban hành quy chế bảo đảm an toàn thông tin mạng",
            "20",
            ["Có: 20 điểm", "Không: 0 điểm"],
            "Quy chế",
            "Cơ quan cung cấp",
        ),
        r(
            "2.3",
            "Bố trí kinh phí cho chuyển đổi số",
            "30",
            [
                "Tỷ lệ kinh phí chi cho chuyển đổi số trên tổng chi thường xuyên:",
                "Từ 1% trở lên: 30 điểm",
                "Từ 0,5% đến dưới 1%: 15 điểm",
                "Dưới 0,5%: 0 điểm",
            ],
            "Dự toán được giao",
            "Sở Tài chính",
        ),
        r(
            "2.4",
            "Cơ chế, chính sách khuyến khích chuyển đổi số",
            "30",
            [
                "Có chính sách đã được áp dụng: 30 điểm",
                "Có dự thảo trình cấp có thẩm quyền: 15 điểm",
                "Chưa có: 0 điểm",
            ],
            "Văn bản chính sách",
            "Cơ quan cung cấp",
        ),
        r("3", "Hạ tầng và nền tảng số", "100", bold=True),
        r(
            "3.1",
            "Tỷ lệ cán bộ, công chức được trang bị máy tính kết nối mạng",
            "25",
            ["Đạt 100%: 25 điểm", "Dưới 100%: 0 điểm"],
            "Báo cáo của cơ quan",
            "Cơ quan cung cấp",
        ),
        r(
            "3.2",
            "Kết nối mạng truyền số liệu chuyên dùng",
            "25",
            ["Có kết nối: 25 điểm", "Chưa kết nối: 0 điểm"],
            "",
            "Sở Khoa học và Công nghệ",
        ),
        r(
            "3.3",
            "Sử dụng nền tảng họp trực tuyến của tỉnh",
            "20",
            ["Mỗi cuộc họp không kết nối khi được yêu cầu trừ 5 điểm"],
            "",
            "Sở Khoa học và Công nghệ",
        ),
        r(
            "3.4",
            "Tỷ lệ hệ thống thông tin được phê duyệt hồ sơ đề xuất cấp độ an toàn thông tin",
            "30",
            [
                "a = Số hệ thống thông tin đã được phê duyệt cấp độ;",
                "b = Tổng số hệ thống thông tin của cơ quan;",
                "Tỷ lệ = a/b;",
                "Điểm = Tỷ lệ × Điểm tối đa",
            ],
            "Quyết định phê duyệt",
            "Sở Khoa học và Công nghệ",
        ),
        r("4", "Hoạt động chính quyền số", "100", bold=True),
        r(
            "4.1",
            "Tỷ lệ hồ sơ thủ tục hành chính tiếp nhận trực tuyến",
            "30",
            ["Từ 70% trở lên: 30 điểm", "Dưới 70%: Điểm = Tỷ lệ × 30 / 70%"],
            "",
            "Hệ thống thông tin giải quyết TTHC",
        ),
        r(
            "4.2",
            "Tỷ lệ hồ sơ thủ tục hành chính được số hóa kết quả giải quyết",
            "30",
            [
                "Tỷ lệ = số hồ sơ được số hóa kết quả / tổng số hồ sơ đã giải quyết;",
                "Điểm = Tỷ lệ × Điểm tối đa",
            ],
            "",
            "Hệ thống thông tin giải quyết TTHC",
        ),
        r(
            "4.3",
            "Tỷ lệ văn bản đi được ký số",
            "20",
            ["Đạt 100%: 20 điểm", "Từ 95% đến dưới 100%: 10 điểm", "Dưới 95%: 0 điểm"],
            "",
            "Hệ thống quản lý văn bản",
        ),
        r(
            "4.4",
            "Mức độ hài lòng của người dân về dịch vụ công trực tuyến",
            "20",
            ["Theo kết quả khảo sát, điều tra xã hội học của tỉnh"],
            "",
            "Sở Nội vụ",
        ),
        {"cells": ["", "Tổng số", "400", "", "", ""], "bold": True},
    ]
    annex_table(
        doc,
        [
            "STT",
            "Chỉ số/Chỉ số thành phần",
            "Điểm tối đa",
            "Cách xác định và tính điểm",
            "Tài liệu kiểm chứng",
            "Nguồn thu thập dữ liệu",
        ],
        rows,
        [14, 70, 18, 90, 40, 35],
    )
    return doc


# --- decision 4: DTI of communes written as numbered paragraphs (no table) ---------------------------
def dti_communes_text() -> Document:
    doc = new_document()
    header(doc, ["ỦY BAN NHÂN DÂN", "TỈNH BẾN MÂY"], "77/QĐ-UBND", "Bến Mây, ngày 09 tháng 01 năm 2026")
    para(doc, "QUYẾT ĐỊNH", bold=True, center=True)
    para(doc, "Ban hành Bộ tiêu chí đánh giá mức độ chuyển đổi số cấp xã năm 2026", bold=True, center=True)
    para(doc, "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẾN MÂY", bold=True, center=True)
    para(doc, "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;", italic=True)
    para(doc, "QUYẾT ĐỊNH:", bold=True, center=True)
    para(
        doc,
        "Điều 1. Ban hành kèm theo Quyết định này Bộ tiêu chí đánh giá mức độ chuyển đổi số của Ủy ban nhân dân "
        "các xã, phường năm 2026.",
    )
    para(doc, "Điều 2. Giao Sở Khoa học và Công nghệ hướng dẫn, theo dõi và tổng hợp kết quả đánh giá.")
    signature(doc, "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Đỗ Văn Tài")
    doc.add_page_break()
    para(doc, "BỘ TIÊU CHÍ ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ CẤP XÃ NĂM 2026", bold=True, center=True)
    para(
        doc,
        "(Kèm theo Quyết định số 77/QĐ-UBND ngày 09/01/2026 của Chủ tịch UBND tỉnh)",
        italic=True,
        center=True,
    )
    para(doc, "I. CHỈ SỐ ĐÁNH GIÁ VÀ ĐIỂM TỐI ĐA", bold=True, indent=False)
    lines = [
        ("1. Nhận thức số (30 điểm)", True),
        ("1.1. Chủ tịch Ủy ban nhân dân xã là Trưởng Ban chỉ đạo chuyển đổi số của xã (10 điểm)", False),
        ("- Trưởng ban là Chủ tịch Ủy ban nhân dân xã: điểm tối đa;", False),
        ("- Trưởng ban là Phó Chủ tịch Ủy ban nhân dân xã: 1/2 điểm tối đa;", False),
        ("- Chưa có Ban chỉ đạo: 0 điểm.", False),
        ("1.2. Tổ công nghệ số cộng đồng hoạt động tại các thôn, tổ dân phố (10 điểm)", False),
        (
            "Tỷ lệ = số thôn, tổ dân phố có Tổ công nghệ số cộng đồng hoạt động thường xuyên / tổng số thôn, tổ dân "
            "phố của xã; Điểm = Tỷ lệ × Điểm tối đa.",
            False,
        ),
        ("1.3. Tuyên truyền về chuyển đổi số trên hệ thống truyền thanh cơ sở (10 điểm)", False),
        ("- Phát từ 4 lần/tháng trở lên: 10 điểm;", False),
        ("- Phát từ 2 đến 3 lần/tháng: 5 điểm;", False),
        ("- Dưới 2 lần/tháng: 0 điểm.", False),
        ("2. Hạ tầng số (30 điểm)", True),
        (
            "2.1. Bộ phận Một cửa của xã có máy tính, máy quét phục vụ số hóa hồ sơ (10 điểm): có đủ: 10 điểm; "
            "không có: 0 điểm.",
            False,
        ),
        ("2.2. Tỷ lệ thôn, tổ dân phố có sóng di động băng rộng (10 điểm)", False),
        ("Đạt 100%: 10 điểm; dưới 100%: 0 điểm.", False),
        ("2.3. Điểm truy cập Internet công cộng miễn phí tại trụ sở xã (10 điểm)", False),
        ("Có: 10 điểm; Không: 0 điểm.", False),
        ("3. Hoạt động chính quyền số (40 điểm)", True),
        ("3.1. Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến (15 điểm)", False),
        ("Từ 60% trở lên: 15 điểm; dưới 60%: điểm = tỷ lệ × 15/60%.", False),
        ("3.2. Tỷ lệ hồ sơ thanh toán phí, lệ phí trực tuyến (10 điểm)", False),
        ("Điểm = Tỷ lệ hồ sơ thanh toán trực tuyến × Điểm tối đa.", False),
        ("3.3. Cập nhật dữ liệu dân cư, đất đai vào cơ sở dữ liệu dùng chung của tỉnh (15 điểm)", False),
        ("Mỗi lượt bị nhắc nhở bằng văn bản vì cập nhật chậm trừ 3 điểm.", False),
    ]
    for text, bold in lines:
        para(doc, text, bold=bold, indent=False)
    para(doc, "II. TỔNG ĐIỂM", bold=True, indent=False)
    para(
        doc,
        "Tổng điểm tối đa của Bộ tiêu chí là 100 điểm. Xã đạt từ 80 điểm trở lên được xếp loại tốt.",
        indent=False,
    )
    return doc


# --- decision 5: points that do not add up (Word) -----------------------------------------------------
def par_wrong_sum() -> Document:
    doc = new_document()
    header(doc, ["ỦY BAN NHÂN DÂN", "TỈNH SÔNG LAM"], "990/QĐ-UBND", "Sông Lam, ngày 02 tháng 6 năm 2026")
    para(doc, "QUYẾT ĐỊNH", bold=True, center=True)
    para(
        doc,
        "Ban hành Bộ tiêu chí đánh giá cải cách hành chính của các đơn vị sự nghiệp",
        bold=True,
        center=True,
    )
    para(doc, "Điều 1. Ban hành kèm theo Quyết định này Bộ tiêu chí (thang điểm 100).")
    para(doc, "PHỤ LỤC", bold=True, center=True)
    rows = [
        R("1", "Công tác chỉ đạo, điều hành", "10", bold=True),
        R("1.1", "Ban hành kế hoạch năm", "4", "Có: 4 điểm; Không: 0 điểm", ""),
        R("1.2", "Báo cáo định kỳ", "4", "Mỗi báo cáo chậm trừ 1 điểm", ""),
        R("2", "Cải cách thủ tục hành chính", "20", bold=True),
        R("2.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "10", "Đạt 100%: 10 điểm; dưới 100%: 0 điểm", ""),
        R("2.2", "Công khai thủ tục hành chính", "10", "Có: 10 điểm; Không: 0 điểm", ""),
        R("3", "Ứng dụng công nghệ thông tin", "70", bold=True),
        R("3.1", "Tỷ lệ văn bản điện tử", "40", "Điểm = Tỷ lệ × Điểm tối đa", ""),
        R("3.2", "Mức độ hài lòng", "30", "Theo kết quả điều tra xã hội học", ""),
        {"cells": ["", "Tổng cộng", "100", "", ""], "bold": True},
    ]
    annex_table(doc, ["STT", "Tiêu chí", "Điểm tối đa", "Cách chấm", "Ghi chú"], rows)
    return doc


DOCUMENTS = {
    "qd-215-par-so-song-lam": (par_departments, True),
    "qd-1082-par-xa-ben-may": (par_communes, True),
    "qd-640-dti-co-quan-song-lam": (dti_agencies, True),
    "qd-77-dti-xa-ben-may": (dti_communes_text, True),
    "qd-990-cong-diem-sai": (par_wrong_sum, False),
}


def to_pdf(docx: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("LibreOffice (soffice) is needed to write the PDF versions")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                soffice,
                "--headless",
                "--norestore",
                f"-env:UserInstallation=file://{tmp}/profile",
                "--convert-to",
                "pdf",
                "--outdir",
                str(docx.parent),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return docx.with_suffix(".pdf")


def main() -> None:
    for stem, (make, pdf) in DOCUMENTS.items():
        path = HERE / f"{stem}.docx"
        make().save(path)
        print(path.name)
        if pdf:
            print(to_pdf(path).name)


if __name__ == "__main__":
    main()
