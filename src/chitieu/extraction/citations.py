"""Citations of other documents: "Kế hoạch số 199/KH-UBND ngày 11/12/2023 của UBND tỉnh Bắc Giang",
"Nghị định 107/2021/NĐ-CP ngày 06/12/2021", "Chỉ thị số 24-CT/TU ngày 28/4/2023 của BTV Tỉnh ủy"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from chitieu.core import vntext
from chitieu.extraction.timing import find_dates, fold_keep_offsets

KINDS = {
    "ke hoach": "Kế hoạch",
    "quyet dinh": "Quyết định",
    "nghi dinh": "Nghị định",
    "nghi quyet": "Nghị quyết",
    "thong tu": "Thông tư",
    "chi thi": "Chỉ thị",
    "cong van": "Công văn",
    "bao cao": "Báo cáo",
    "huong dan": "Hướng dẫn",
    "chuong trinh": "Chương trình",
    "thong bao": "Thông báo",
    "de an": "Đề án",
    "luat": "Luật",
    "van ban": "Văn bản",
    "to trinh": "Tờ trình",
    "quy dinh": "Quy định",
    "ket luan": "Kết luận",
}
# number/symbol: 199/KH-UBND, 107/2021/NĐ-CP, 111-NQ/TU, 169-KH/UBND, 316/STTTT-CNTT, 06/QĐ-TTg, /KH-SNV
_SYMBOL = r"[A-ZĐ][A-ZĐa-zđ0-9&.]*(?:-[A-ZĐ0-9][A-ZĐa-zđ0-9&.]*)*"
NUMBER_SYMBOL = re.compile(
    rf"(?<![\w/])(?P<ns>\d{{1,5}}(?:/\d{{4}})?/{_SYMBOL}|\d{{1,5}}-{_SYMBOL}/{_SYMBOL})(?![\w/])"
)
_KIND_RE = re.compile(r"(" + "|".join(sorted(KINDS, key=len, reverse=True)) + r")\s*(?:so\s*:?\s*)?$")
_ISSUER_STOP = re.compile(
    r"\s+(?:ve\s+viec|ve|v/v|phe duyet|quy dinh|ban hanh|trien khai|thuc hien|huong dan|cong bo|sua doi)\b"
    r"|[,;.()]|\s+-\s+|\s+va\s+(?:ke hoach|quyet dinh|nghi dinh|cong van|thong tu)|$"
)


@dataclass
class Citation:
    kind: str | None
    number_symbol: str
    date: str | None
    issuer: str | None
    start: int
    end: int  # offsets in the block text


def _clean_issuer(text: str) -> str | None:
    text = text.strip(" ,;:.")
    text = re.sub(r"\s+", " ", text)
    if not text or len(text) > 120:
        return None
    return text


def find(text: str) -> list[Citation]:
    """Citations in a block's text, in order."""
    folded = fold_keep_offsets(text)
    dates = find_dates(text)
    out: list[Citation] = []
    for m in NUMBER_SYMBOL.finditer(text):
        ns = m.group("ns")
        # skip dates mistaken for numbers and plain fractions ("02/02")
        if re.fullmatch(r"\d+/\d+", ns) or re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", ns):
            continue
        before = folded[max(0, m.start() - 25) : m.start()]
        km = _KIND_RE.search(before.rstrip())
        kind = KINDS[km.group(1)] if km else None
        # a bare number/symbol without "số" or a document kind is still a citation when it has a
        # kind abbreviation (KH, QĐ, NĐ-CP...)
        if (
            kind is None
            and not re.search(r"\bso\s*:?\s*$", before)
            and not re.search(r"/(?:KH|QĐ|NĐ|NQ|TT|CT|BC|HD|CV|TB)\b|-(?:NQ|KH|CT)/", ns)
        ):
            continue
        date = None
        end = m.end()
        for iso, s, e in dates:
            if m.end() <= s <= m.end() + 12 and re.match(r"\s*,?\s*(ngày|ngay)?\s*", text[m.end() : s], re.I):
                gap = vntext.fold(text[m.end() : s]).strip(" ,")
                if gap in ("", "ngay"):
                    date, end = iso, e
                    break
        issuer = None
        rest = folded[end : end + 160]
        im = re.match(r"\s*,?\s*cua\s+", rest)
        if im:
            stop = _ISSUER_STOP.search(rest, im.end())
            raw = text[end + im.end() : end + (stop.start() if stop else len(rest))]
            issuer = _clean_issuer(raw)
            end = end + (stop.start() if stop else len(rest))
        out.append(Citation(kind, ns, date, issuer, m.start(), end))
    return out


def normalise_symbol(ns: str) -> str:
    return vntext.fold(ns).replace(" ", "").upper()
