"""How exports write coded values, and what they mean (pure Python).

A column of yes/no, channel, service level, state or rating has only a handful of distinct
spellings in a whole export ("Có", "x", "1", "Đã số hóa", "Trực tuyến", "2", "Dịch vụ BCCI",
"Tại Bộ phận Một cửa", "Đã trả kết quả" ...). The import reads each distinct spelling once,
decides it here, and joins the decision back to every row: one rule book, in Python, and no
per-row string folding in SQL. A spelling the rule book does not know is reported once (value,
column, number of rows) and the person says what it means; that choice is kept in the mapping
profile (:func:`meaning`) and wins over the rule book.

The rule book is written for the language, not for one file: words are matched on their
accent-folded form and whole words ("buu chinh" anywhere in "Qua dịch vụ bưu chính công ích").
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from chitieu.core import vntext

TRUE_WORDS = {
    "1",
    "x",
    "v",
    "✓",
    "✔",
    "co",
    "true",
    "yes",
    "y",
    "da",
    "dung",
    "co so hoa",
    "da so hoa",
    "da thanh toan",
    "da thanh toan truc tuyen",
    "da dong bo",
    "co ket qua dien tu",
    "da tai su dung",
    "co tai su dung",
}
FALSE_WORDS = {
    "0",
    "khong",
    "false",
    "no",
    "n",
    "chua",
    "-",
    "sai",
    "chua so hoa",
    "khong so hoa",
    "chua thanh toan",
    "khong thanh toan",
    "chua dong bo",
    "khong dong bo",
    "khong co",
}


def key(text: str) -> str:
    """The accent- and case-folded form a spelling is decided (and remembered) by."""
    return vntext.fold(text).strip(" .;:")


def _has(k: str, *words: str) -> bool:
    return any(re.search(rf"(^|\W){re.escape(w)}($|\W)", k) for w in words)


def parse_bool(text: str) -> bool | None:
    """True / False, or None when the spelling means neither."""
    k = key(text)
    if k in TRUE_WORDS:
        return True
    if k in FALSE_WORDS or k == "":
        return False
    return None


def parse_channel(text: str) -> str | None:
    """in_person / online / postal (the 766 codes 1 / 2 / 3 of KenhThucHien), None when unknown.

    Postal is the public postal service: "Dịch vụ BCCI", "Bưu chính công ích", "Qua dịch vụ bưu
    chính", "Bưu điện", VNPost. Online: "Trực tuyến" (toàn trình, một phần), the national or
    provincial public-service portal. In person: "Nộp trực tiếp", "Tại Bộ phận Một cửa"."""
    k = key(text)
    if k in ("2", "online", "mang") or _has(
        k, "truc tuyen", "qua mang", "dvctt", "dvcqg", "cong dich vu cong", "online"
    ):
        return "online"
    if k == "3" or _has(k, "buu chinh", "bcci", "buu dien", "vnpost", "vn post", "cong ich"):
        return "postal"
    if k in ("1", "") or _has(
        k, "truc tiep", "tai quay", "mot cua", "bo phan tiep nhan", "trung tam phuc vu hanh chinh cong"
    ):
        return "in_person"
    return None


def level_of_channel(text: str) -> str | None:
    """The service level a channel spelling also says ("Trực tuyến toàn trình"), if any."""
    k = key(text)
    if _has(k, "toan trinh"):
        return "full"
    if _has(k, "mot phan"):
        return "partial"
    return None


def parse_level(text: str) -> str | None:
    """full / partial online service, none; None when the spelling means nothing known."""
    k = key(text)
    if _has(k, "toan trinh", "muc do 4", "md4", "muc 4") or k in ("4", "full"):
        return "full"
    if _has(k, "mot phan", "muc do 3", "md3", "muc 3") or k in ("3", "partial"):
        return "partial"
    if k in ("", "khong", "0", "1", "2", "muc do 1", "muc do 2", "md2", "truc tiep", "none", "-") or _has(
        k, "khong cung cap", "chua cung cap", "dich vu cong co ban", "thong tin truc tuyen"
    ):
        return "none"
    return None


def parse_rating(text: str) -> str | None:
    """satisfied / dissatisfied / none (no rating); None when the spelling is unknown."""
    k = key(text)
    if _has(k, "khong hai long", "chua hai long", "khong dong y") or k in ("0", "khong", "te", "kem"):
        return "dissatisfied"
    if _has(k, "hai long") or k in ("1", "tot", "rat tot", "dong y"):
        return "satisfied"
    if k in ("", "-", "chua danh gia", "khong danh gia", "khong co"):
        return "none"
    return None


# TrangThaiHoSo codes of the national sync record (1-10) and the words offices write
_STATE_CODES = {
    "1": "processing",  # Mới đăng ký
    "2": "processing",  # Được tiếp nhận
    "3": "withdrawn",  # Không được tiếp nhận
    "4": "processing",  # Đang xử lý
    "5": "processing",  # Yêu cầu bổ sung giấy tờ
    "6": "processing",  # Yêu cầu thực hiện nghĩa vụ tài chính
    "7": "withdrawn",  # Công dân yêu cầu rút hồ sơ
    "8": "withdrawn",  # Dừng xử lý
    "9": "done",  # Đã xử lý xong
    "10": "done",  # Đã trả kết quả
}


def parse_state(text: str) -> str | None:
    """done (finished or result returned) / withdrawn (returned to the applicant, withdrawn,
    refused, stopped) / processing (in progress, waiting for a supplement, overdue); None when
    unknown. "Quá hạn" alone is a dossier still in progress past its due date."""
    k = key(text)
    if k in _STATE_CODES:
        return _STATE_CODES[k]
    if _has(k, "chua co ket qua", "chua xu ly", "chua giai quyet", "chua tra ket qua", "chua hoan thanh"):
        return "processing"
    if _has(
        k,
        "tra lai",
        "rut ho so",
        "rut",
        "tu choi",
        "dung xu ly",
        "khong giai quyet",
        "huy",
        "khong tiep nhan",
        "khong duoc tiep nhan",
    ):
        return "withdrawn"
    if _has(
        k,
        "da tra ket qua",
        "da tra",
        "da xu ly xong",
        "da giai quyet",
        "hoan thanh",
        "da co ket qua",
        "co ket qua",
        "xong",
        "da hoan thanh",
        "tra ket qua",
    ):
        return "done"
    if _has(
        k,
        "dang xu ly",
        "dang giai quyet",
        "cho bo sung",
        "yeu cau bo sung",
        "bo sung",
        "qua han",
        "tre han",
        "moi tiep nhan",
        "da tiep nhan",
        "tiep nhan",
        "cho xu ly",
        "cho",
        "dang",
        "trong han",
        "moi dang ky",
    ):
        return "processing"
    return None


PARSERS = {
    "bool": parse_bool,
    "channel": parse_channel,
    "level": parse_level,
    "rating": parse_rating,
    "state": parse_state,
}
DEFAULTS = {"bool": False, "channel": "in_person", "level": "none", "rating": None, "state": None}

# what a person may say a spelling means, per kind (the mapping page's choices)
MEANINGS: dict[str, dict[str, str]] = {
    "bool": {"yes": "Có", "no": "Không"},
    "channel": {"in_person": "Trực tiếp", "online": "Trực tuyến", "postal": "Bưu chính công ích"},
    "level": {"full": "Toàn trình", "partial": "Một phần", "none": "Không cung cấp trực tuyến"},
    "rating": {"satisfied": "Hài lòng", "dissatisfied": "Không hài lòng", "none": "Chưa đánh giá"},
    "state": {"done": "Đã có kết quả", "processing": "Đang xử lý", "withdrawn": "Trả lại / rút / dừng"},
}
BLANK = ""  # "this spelling means: no value" (a date or number left empty)


class MeaningError(ValueError):
    pass


def meaning(kind: str, value) -> object:
    """A person's choice for a spelling, checked and in the form the import stores: True/False,
    a channel/level/rating/state code, a unit id, a date, a number, or None (no value)."""
    text = "" if value is None else str(value).strip()
    if kind == "bool":
        if text in ("yes", "true", "1"):
            return True
        if text in ("no", "false", "0"):
            return False
    elif kind in MEANINGS:
        if text in MEANINGS[kind]:
            return None if text == "none" and kind == "rating" else text
    elif kind == "unit":
        if text.isascii() and text.isdigit():
            return int(text)
    elif kind == "datetime":
        if text == BLANK:
            return None
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            pass
    elif kind in ("int", "number"):
        if text == BLANK:
            return None
        try:
            n = Decimal(text.replace(",", "."))
        except InvalidOperation:
            n = None
        if (
            n is not None
            and n.is_finite()
            and abs(n) < 10**15
            and (kind == "number" or n == n.to_integral_value())
        ):
            return int(n) if kind == "int" else n
    raise MeaningError(f"'{text}' không phải một lựa chọn hợp lệ cho loại trường này.")
