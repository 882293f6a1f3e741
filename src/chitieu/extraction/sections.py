"""What a section of a plan is about, from its heading: objectives (mục tiêu, chỉ tiêu), tasks
(nhiệm vụ, giải pháp, nội dung, tổ chức thực hiện, lộ trình) or something else (quan điểm, yêu cầu,
kinh phí, kết quả, khó khăn, kiến nghị)."""

from __future__ import annotations

import re

from chitieu.core import vntext
from chitieu.extraction.blocks import Block

OBJ, TASK, OTHER, RESULT = "objectives", "tasks", "other", "results"

_START = [
    (r"^(?:cac\s+)?(?:muc tieu|chi tieu)", OBJ),
    (
        r"^(?:tinh hinh|ket qua|danh gia|kho khan|ton tai|han che|kien nghi|de xuat|yeu cau|quan diem|kinh phi|"
        r"nguon kinh phi|boi canh|thuc trang|can cu (?:phap ly|xay dung|ban hanh)|su can thiet|pham vi|doi tuong|"
        r"mot so kho khan|giai thich)",
        OTHER,
    ),
]
_TASK_WORDS = (
    r"nhiem vu|giai phap|noi dung|to chuc thuc hien|lo trinh|phan cong|trach nhiem|ke hoach hanh dong|"
    r"che do thong tin|phuong huong|cac hoat dong"
)
_OBJ_WORDS = r"muc tieu|chi tieu"


def classify_heading(text: str, *, report: bool = False) -> str | None:
    f = vntext.fold(text)
    if report and re.match(r"^(?:ket qua|tinh hinh|danh gia|kho khan|mot so kho khan|ton tai)", f):
        return RESULT if f.startswith("ket qua") else OTHER
    short = len(f.split()) <= 12
    for rx, kind in _START:
        if short and re.match(rx, f):
            if report and kind == OTHER and re.match(r"^ket qua", f):
                return RESULT
            return kind
    if report:
        if re.search(r"nhiem vu", f) and re.search(
            r"trong tam|ky toi|tiep theo|thoi gian toi|quy (?:i|ii|iii|iv)\b|"
            r"phuong huong|sap toi|nam \d{4}",
            f,
        ):
            return TASK
        if re.search(r"chi tieu", f):
            return RESULT
        return None
    if re.search(_TASK_WORDS, f):
        return TASK
    if re.search(_OBJ_WORDS, f):
        return OBJ
    return None


def section_of(block: Block, *, report: bool = False) -> str | None:
    """The kind of the innermost classified heading above ``block``."""
    for a in block.ancestors():
        if a.kind != "heading":
            continue
        k = classify_heading(a.text, report=report)
        if k is not None:
            return k
    return None
