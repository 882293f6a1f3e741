"""The canonical dossier record and how one-stop-shop exports name its columns (pure Python).

Exports differ between provinces ("Ngày hẹn trả" or "Hạn xử lý", "Hình thức nộp" or "Kênh thực
hiện" ...). :func:`propose_mapping` matches headers to fields by accent-folded aliases, then by
fuzzy similarity; the user confirms and the mapping is saved as a profile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from chitieu.core import vntext


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str  # text | datetime | bool | int | number | channel | level | rating | state | unit
    required: bool = False
    aliases: tuple[str, ...] = field(default_factory=tuple)


FIELDS: tuple[Field, ...] = (
    Field("code", "Mã hồ sơ", "text", True, ("ma ho so", "so ho so", "ma so ho so", "ma hs", "so hs")),
    Field(
        "procedure_code",
        "Mã thủ tục",
        "text",
        True,
        ("ma thu tuc", "ma tthc", "ma thu tuc hanh chinh", "ma tt"),
    ),
    Field(
        "procedure_name",
        "Tên thủ tục",
        "text",
        False,
        ("ten thu tuc", "ten tthc", "thu tuc", "ten thu tuc hanh chinh"),
    ),
    Field(
        "online_level",
        "Mức độ dịch vụ công",
        "level",
        False,
        (
            "muc do dvc",
            "muc do",
            "muc do dich vu cong",
            "loai dich vu cong",
            "dvc truc tuyen",
            "muc do cung cap",
        ),
    ),
    Field(
        "paper_result",
        "Kết quả bản giấy",
        "bool",
        False,
        ("ket qua ban giay", "tra ket qua ban giay", "ket qua giay"),
    ),
    Field(
        "has_fee", "Có phí, lệ phí", "bool", False, ("co phi", "co phi le phi", "thu phi", "phi le phi co")
    ),
    Field(
        "unit",
        "Đơn vị tiếp nhận",
        "unit",
        True,
        (
            "don vi tiep nhan",
            "co quan tiep nhan",
            "noi tiep nhan",
            "ma don vi",
            "don vi",
            "co quan giai quyet",
            "don vi xu ly",
        ),
    ),
    Field(
        "channel",
        "Hình thức nộp",
        "channel",
        False,
        ("hinh thuc nop", "kenh nop", "kenh thuc hien", "hinh thuc tiep nhan", "hinh thuc", "nguon ho so"),
    ),
    Field(
        "received_at",
        "Ngày tiếp nhận",
        "datetime",
        True,
        ("ngay tiep nhan", "thoi gian tiep nhan", "ngay nhan", "ngay nop", "ngay tiep nhan ho so"),
    ),
    Field(
        "due_at",
        "Hạn xử lý",
        "datetime",
        False,
        (
            "han xu ly",
            "ngay hen tra",
            "han giai quyet",
            "ngay hen tra ket qua",
            "han tra ket qua",
            "ngay hen",
        ),
    ),
    Field(
        "finished_at",
        "Ngày có kết quả",
        "datetime",
        False,
        (
            "ngay co ket qua",
            "ngay xu ly xong",
            "ngay hoan thanh",
            "ngay ket thuc",
            "ngay giai quyet xong",
            "ngay ket thuc xu ly",
        ),
    ),
    Field(
        "returned_at",
        "Ngày trả kết quả",
        "datetime",
        False,
        ("ngay tra ket qua", "ngay tra", "thoi gian tra ket qua"),
    ),
    Field(
        "status",
        "Trạng thái",
        "state",
        False,
        ("trang thai", "tinh trang", "trang thai ho so", "tinh trang xu ly", "trang thai xu ly"),
    ),
    Field(
        "supplement_count",
        "Số lần yêu cầu bổ sung",
        "int",
        False,
        ("so lan bo sung", "so lan yeu cau bo sung", "lan bo sung"),
    ),
    Field(
        "supplement_days",
        "Số ngày bổ sung",
        "int",
        False,
        ("so ngay bo sung", "thoi gian bo sung", "so ngay cho bo sung"),
    ),
    Field(
        "digitised",
        "Số hóa hồ sơ",
        "bool",
        False,
        ("so hoa ho so", "da so hoa", "so hoa thanh phan ho so", "so hoa", "ho so co thanh phan so hoa"),
    ),
    Field("result_digitised", "Số hóa kết quả", "bool", False, ("so hoa ket qua", "ket qua da so hoa")),
    Field(
        "e_result",
        "Kết quả điện tử",
        "bool",
        False,
        ("ket qua dien tu", "co ket qua dien tu", "tra ket qua dien tu"),
    ),
    Field(
        "fee_amount",
        "Phí, lệ phí (đồng)",
        "number",
        False,
        ("phi le phi", "so tien", "le phi", "phi", "tien phi"),
    ),
    Field(
        "paid_online",
        "Thanh toán trực tuyến",
        "bool",
        False,
        (
            "thanh toan truc tuyen",
            "da thanh toan truc tuyen",
            "thanh toan online",
            "duoc thanh toan truc tuyen",
        ),
    ),
    Field(
        "data_reuse",
        "Tái sử dụng dữ liệu",
        "bool",
        False,
        ("tai su dung du lieu", "su dung lai du lieu", "khai thac du lieu so hoa"),
    ),
    Field(
        "rating",
        "Đánh giá hài lòng",
        "rating",
        False,
        ("danh gia", "muc do hai long", "danh gia hai long", "hai long"),
    ),
    Field(
        "complaint", "Có phản ánh, kiến nghị", "bool", False, ("phan anh kien nghi", "co phan anh", "pakn")
    ),
    Field(
        "synced",
        "Đồng bộ Cổng DVCQG",
        "bool",
        False,
        ("dong bo dvcqg", "da dong bo", "dong bo cong dvc quoc gia", "dong bo"),
    ),
)
BY_NAME = {f.name: f for f in FIELDS}
REQUIRED = tuple(f.name for f in FIELDS if f.required)


_CAMEL = re.compile(r"(?<=[a-zà-ỹđ])(?=[A-ZÀ-ỸĐ])")


def _key(header: str) -> str:
    """Accent-folded words of a header; a sync record's CamelCase key counts as words
    ("NgayHenTra" -> "ngay hen tra", "MaTTHC" -> "ma tthc")."""
    if " " not in header.strip():
        header = _CAMEL.sub(" ", header)
    text = vntext.fold(header)
    for c in "_/,-()*:.":
        text = text.replace(c, " ")
    return " ".join(text.split())


def header_key(header: str) -> str:
    return _key(header)


def exact_matches(headers: list[str]) -> dict[str, str]:
    """field name -> header, by alias only (no fuzzy matching): how table detection scores a
    candidate header row."""
    out: dict[str, str] = {}
    used: set[str] = set()
    keys = {h: _key(h) for h in headers if h and h.strip()}
    for f in FIELDS:
        names = {_key(f.label), *f.aliases}
        for h, k in keys.items():
            if h not in used and k in names:
                out[f.name] = h
                used.add(h)
                break
    return out


def propose_mapping(headers: list[str], *, threshold: int = 86) -> dict[str, str]:
    """field name -> header. Exact alias matches first, then the best fuzzy match above
    ``threshold``; each header is used once; unmatched fields are left out."""
    keys = {h: _key(h) for h in headers if h and h.strip()}
    out: dict[str, str] = {}
    used: set[str] = set()
    for f in FIELDS:
        names = {_key(f.label), *f.aliases}
        for h, k in keys.items():
            if h not in used and k in names:
                out[f.name] = h
                used.add(h)
                break
    scored = []
    for f in FIELDS:
        if f.name in out:
            continue
        for h, k in keys.items():
            if h in used:
                continue
            best = max(fuzz.token_sort_ratio(k, a) for a in (_key(f.label), *f.aliases))
            if best >= threshold:
                scored.append((best, f.name, h))
    for _, name, h in sorted(scored, reverse=True):
        if name not in out and h not in used:
            out[name] = h
            used.add(h)
    return out


def check_mapping(mapping: dict[str, str], headers: list[str]) -> list[str]:
    """Problems with a mapping, in Vietnamese (missing required fields, unknown headers)."""
    problems = []
    for name in REQUIRED:
        if not mapping.get(name):
            problems.append(f"Chưa chọn cột cho trường bắt buộc '{BY_NAME[name].label}'.")
    known = set(headers)
    for name, h in mapping.items():
        if name not in BY_NAME:
            problems.append(f"Trường '{name}' không có trong hồ sơ chuẩn.")
        elif h and h not in known:
            problems.append(f"Cột '{h}' (cho '{BY_NAME[name].label}') không có trong tệp.")
    return problems
