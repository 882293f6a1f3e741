"""Unit phrases inside text: "Văn phòng Sở", "Trưởng phòng Văn hóa và Thông tin", "Các phòng, đơn vị
thuộc Sở", "UBND các phường, xã" - as written, for lead and coordinating units."""

from __future__ import annotations

import re

from chitieu.extraction.timing import fold_keep_offsets

UNIT_START = re.compile(
    r"^(?:Giao\s+)?(?P<u>(?:Sở|Phòng|P\.|Văn [Pp]hòng|VP|Ban|UBND|Ủy ban nhân dân|Uỷ ban nhân dân|Trung tâm|TT\.|Thanh tra|"
    r"Công an|Chi cục|Cục|Bộ|Các|Thủ trưởng|Trưởng|Chánh|Phó|Chủ tịch|Giám đốc|Bí thư|Đoàn|Hội|Tổ|Đơn vị|Lãnh đạo|"
    r"Công chức|Cán bộ|Viên chức|Hiệu trưởng|Tổ trưởng|Trưởng thôn|Trưởng ấp|Ban quản lý|"
    r"Người đứng đầu|Cơ quan|Thành viên|Đài|Bảo hiểm|Ngân hàng|Viễn thông|Bưu điện|Doanh nghiệp|VNPT|Viettel)\b.*)",
)
_VERBS = (
    r"chu tri|phoi hop|tham muu|trien khai|thuc hien|xay dung|to chuc|can cu|chi dao|don doc|kiem tra|bao cao|"
    r"theo doi|huong dan|ra soat|tiep tuc|thuong xuyen|co trach nhiem|chiu trach nhiem|tong hop|ban hanh|dam bao|"
    r"bao dam|day manh|tang cuong|nghien cuu|phan cong|cap nhat|xac dinh|dau tu|lua chon|tiep nhan|quan ly|"
    r"duy tri|hoan thanh|thuc thi|van hanh|de xuat|trinh|phat trien|nang cao|khai thac|su dung|ung dung|"
    r"tuyen truyen|ho tro|giam sat|lam tot|quan triet|xu ly|danh gia|cung cap|ket noi|tich hop|chuan bi"
)
_VERB_RE = re.compile(rf"(?<![\w])(?<!ban )(?<!bch )(?:{_VERBS})(?![\w])")


def leading_unit(text: str) -> str | None:
    """The unit a sentence starts with: "Văn Phòng Sở triển khai ..." -> "Văn Phòng Sở";
    "Giao Văn phòng Sở đôn đốc ..." -> "Văn phòng Sở"."""
    text = re.sub(
        r"(?i)^căn cứ\s+(?:kế hoạch|quyết định|văn bản|nội dung|chương trình)\s+này\s*,?\s*", "", text.strip()
    )
    m = UNIT_START.match(text.strip())
    if not m:
        return None
    start = m.start("u")
    rest = text.strip()[start:]
    folded = fold_keep_offsets(rest)
    v = _VERB_RE.search(folded)
    end = v.start() if v else len(rest)
    colon = rest.find(":")
    if 0 <= colon < end:
        end = colon
    unit = rest[:end].strip(" ,;:.")
    if not unit or len(unit) > 120 or len(unit.split()) < 2:
        return None
    if re.match(r"(?i)^các\s+(?:nội dung|nhiệm vụ|chỉ tiêu|giải pháp|văn bản|hoạt động|chương trình)", unit):
        return None
    return unit


def is_unit_name(text: str, *, heading: bool = False) -> bool:
    """The whole text names units (a heading "1. Trưởng phòng Văn hóa và Thông tin", a list item
    "Sở Nội vụ.") rather than describing an action."""
    t = text.strip(" .;:")
    if not UNIT_START.match(t) or len(t) > 140:
        return False
    if re.match(
        r"(?i)^các\s+(?:nội dung|nhiệm vụ|chỉ tiêu|giải pháp|văn bản|hoạt động|chương trình|mô hình)", t
    ):
        return False
    if heading:
        return len(t.split()) <= 16
    return _VERB_RE.search(fold_keep_offsets(t)) is None
