"""The held-out decision: written after the reader's rules were frozen (commit 3dc2baf) and scored
once against them before any change (the score is in README.md of this folder).

    .venv/bin/python tests/scoring/decisions/held-out/make_held_out.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from make_documents import annex_table, header, new_document, para, signature, to_pdf  # noqa: E402


def par_city_departments():
    doc = new_document(landscape=True)
    header(
        doc, ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HẢI ĐĂNG"], "3310/QĐ-UBND", "Hải Đăng, ngày 28 tháng 11 năm 2025"
    )
    para(doc, "QUYẾT ĐỊNH", bold=True, center=True)
    para(
        doc,
        "Về việc ban hành Bộ tiêu chí xác định Chỉ số cải cách hành chính các cơ quan chuyên môn thuộc "
        "Ủy ban nhân dân thành phố",
        bold=True,
        center=True,
    )
    para(doc, "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI ĐĂNG", bold=True, center=True)
    para(doc, "Căn cứ Quyết định số 1187/QĐ-BNV ngày 15/10/2025 của Bộ Nội vụ;", italic=True)
    para(doc, "QUYẾT ĐỊNH:", bold=True, center=True)
    para(
        doc,
        "Điều 1. Ban hành kèm theo Quyết định này Bộ tiêu chí xác định Chỉ số cải cách hành chính. Chỉ số được "
        "đánh giá trên thang điểm 100, trong đó điểm đánh giá qua thẩm định là 70 điểm và điểm điều tra xã hội "
        "học là 30 điểm.",
    )
    para(doc, "Điều 2. Quyết định có hiệu lực từ ngày ký.")
    signature(doc, "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", "Vũ Ngọc Lan")
    doc.add_page_break()
    para(doc, "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH", bold=True, center=True)

    def r(tt, name, pts="", note="", bold=False):
        return {"cells": [tt, name, pts, "", "", note], "bold": bold}

    rows = [
        r("A", "ĐIỂM ĐÁNH GIÁ QUA THẨM ĐỊNH", "70", bold=True),
        r("I.", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "20", bold=True),
        r("1.", "Kế hoạch cải cách hành chính", "6", bold=True),
        r(
            "1.1.",
            "Ban hành kế hoạch trước ngày 15 tháng 12 của năm trước",
            "2,0",
            "Đúng hạn: 2 điểm; chậm: 0 điểm",
        ),
        r(
            "1.2.",
            "Kết quả thực hiện kế hoạch",
            "4,0",
            "Hoàn thành 100%: 4 điểm; từ 90% đến dưới 100%: 2 điểm; dưới 90%: 0",
        ),
        r("2.", "Báo cáo cải cách hành chính", "4", bold=True),
        r("-", "Báo cáo quý", "2,0", "Mỗi báo cáo chậm trừ 0,5 điểm"),
        r("-", "Báo cáo 6 tháng, năm", "2,0", "Mỗi báo cáo chậm trừ 1 điểm"),
        r(
            "3.",
            "Tự kiểm tra công tác cải cách hành chính",
            "10",
            "Có kế hoạch và thực hiện đủ: 10 điểm; có kế hoạch nhưng không thực hiện đủ: 5 điểm; không có: 0 điểm",
        ),
        r("II.", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "30", bold=True),
        r(
            "1.",
            "Tỷ lệ hồ sơ trễ hạn",
            "10",
            "Không có hồ sơ trễ hạn: 10 điểm; mỗi 1% hồ sơ trễ hạn trừ 2 điểm",
        ),
        r("2.", "Số hóa hồ sơ, kết quả giải quyết", "10", "Tỷ lệ ≥ 80%: 10 điểm; dưới 80%: tỷ lệ × 10/80"),
        r("3.", "Thanh toán trực tuyến phí, lệ phí", "10", "Điểm = tỷ lệ hồ sơ thanh toán trực tuyến × 10"),
        r("III.", "CHÍNH QUYỀN SỐ", "20", bold=True),
        r("1.", "Ký số văn bản đi", "10", "100% văn bản: 10 điểm; dưới 100%: 0 điểm"),
        r("2.", "Có hệ thống họp trực tuyến đến cấp phòng", "10", "Có: 10 điểm / Không: 0 điểm"),
        r("B", "ĐIỂM ĐIỀU TRA XÃ HỘI HỌC", "30", bold=True),
        r("1.", "Sự hài lòng của tổ chức, cá nhân", "20", "ĐTXHH"),
        r("2.", "Đánh giá của lãnh đạo, công chức", "10", "ĐTXHH"),
        {"cells": ["TỔNG ĐIỂM (A + B)", "", "100", "", "", ""], "merge": (0, 1), "bold": True},
    ]
    annex_table(
        doc,
        [
            "TT",
            "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
            "Điểm tối đa",
            "Điểm tự đánh giá",
            "Điểm thẩm định",
            "Ghi chú",
        ],
        rows,
        [14, 90, 20, 22, 22, 80],
    )
    return doc


if __name__ == "__main__":
    path = HERE / "qd-3310-par-so-hai-dang.docx"
    par_city_departments().save(path)
    print(path.name, to_pdf(path).name)
