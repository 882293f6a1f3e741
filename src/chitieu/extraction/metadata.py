"""Document metadata: kind, issuer, number/symbol, place and date, title (Decree 30/2020 header)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from chitieu.core import vntext
from chitieu.extraction.blocks import Block
from chitieu.extraction.timing import find_dates

KIND_WORDS = {
    "ke hoach": "plan",
    "chuong trinh": "plan",
    "bao cao": "report",
    "quyet dinh": "decision",
    "de an": "plan",
    "phuong an": "plan",
}
KIND_ABBR = {"KH": "plan", "BC": "report", "QĐ": "decision", "CTr": "plan", "ĐA": "plan", "PA": "plan"}
_NUMBER_LINE = re.compile(
    r"^\s*S[ốô]\s*:?\s*(?P<ns>\d*\s*/\s*[A-ZĐ][\w&.\-/Đđ]*|\d+\s*-\s*[A-ZĐ][\w&.\-/Đđ]*)", re.I
)
_PLACE_DATE = re.compile(r"^\s*(?P<place>[^,\d]{2,60}?),\s*ng[àa]y\b", re.I)
_UNIT_HEAD = (
    r"(?:Ủy ban nhân dân|UBND|Sở|Ban [Cc]hỉ đạo|BCĐ|Ban|Phòng|Văn phòng|Trung tâm|Bộ|Cục|Chi cục|Thanh tra|Công an|"
    r"Hội đồng nhân dân|HĐND|Tỉnh ủy|Thành ủy|Huyện ủy|Đảng ủy)"
)


@dataclass
class Metadata:
    kind: str = "other"
    issuer: str | None = None
    number_symbol: str | None = None
    date: str | None = None
    place: str | None = None
    title: str | None = None
    title_block: Block | None = None
    header_end: int = 0  # index of the first block after the header (title)


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip(" .,;:")


def _kind_of(text: str) -> str | None:
    f = vntext.fold(text)
    for w, k in KIND_WORDS.items():
        if f == w or f.startswith(w + " "):
            return k
    return None


def extract(blocks: list[Block]) -> Metadata:
    meta = Metadata()
    head = [b for b in blocks[:40] if b.kind != "row"]
    # number/symbol and place/date
    for b in head:
        if meta.number_symbol is None:
            m = _NUMBER_LINE.match(b.text if b.label_kind == "none" else b.full_text)
            if m:
                meta.number_symbol = re.sub(r"\s+", "", m.group("ns"))
        if meta.date is None:
            f = vntext.fold(b.text)
            pm = _PLACE_DATE.match(b.text)
            if pm and re.search(r"ngay.*nam\s*\d{4}|ngay\s*\d*\s*/", f):
                dates = find_dates(b.text)
                if dates:
                    meta.date = dates[0][0]
                    meta.place = _clean(pm.group("place"))
    # kind and title: the first short line naming a document kind, and the line after it
    for b in head:
        if b.kind in ("heading",) and b.label_kind == "roman":
            break
        text = b.text
        k = _kind_of(text)
        if k is None:
            continue
        words = text.split()
        kind_len = 2 if len(words) >= 2 and vntext.fold(" ".join(words[:2])) in KIND_WORDS else 1
        rest = " ".join(words[kind_len:]).strip()
        meta.kind = k
        idx = blocks.index(b)
        if rest and not rest.isupper():
            meta.title, meta.title_block = _clean(rest), b
        else:
            # the title (trích yếu) follows on the next line(s)
            nxt = next((x for x in blocks[idx + 1 : idx + 4] if x.kind != "row" and x.text.strip()), None)
            preamble = r"^(Căn cứ|Thực hiện|Triển khai)\s+(Luật|Nghị|Quyết|Kế hoạch|Thông tư|Chỉ thị|Công văn|Văn bản)"
            if nxt is not None and not re.match(preamble, nxt.text):
                meta.title, meta.title_block = _clean(nxt.full_text), nxt
        meta.header_end = blocks.index(meta.title_block) + 1 if meta.title_block else idx + 1
        break
    if meta.kind == "other" and meta.number_symbol:
        m = re.search(r"/([A-ZĐa-z]+)-", meta.number_symbol)
        if m and m.group(1) in KIND_ABBR:
            meta.kind = KIND_ABBR[m.group(1)]
    meta.issuer = _issuer(blocks, meta)
    if meta.number_symbol is None:
        meta.number_symbol = _self_reference_symbol(blocks)
    return meta


def _issuer(blocks: list[Block], meta: Metadata) -> str | None:
    """The issuing body as written: a header line above "Số:", else the subject of "... xây dựng /
    ban hành kế hoạch" in the opening paragraph, else "của X" in an appendix's "Kèm theo ..."."""
    head = [b for b in blocks[: max(meta.header_end, 1) + 1] if b.kind != "row"]
    for b in head:
        t = b.text.strip()
        if re.match(r"^s[ốô]\s*:", t, re.I) or _kind_of(t):
            break
        if re.match(rf"^{_UNIT_HEAD}\b", t, re.I) and len(t) < 100 and not re.search(r"\bng[àa]y\b", t):
            if "CỘNG HÒA" in t.upper() or "ĐỘC LẬP" in t.upper():
                continue
            return titlecase_unit(t)
    # the opening paragraph(s): "Sở Nội vụ xây dựng Kế hoạch ...", "UBND tỉnh ban hành Kế hoạch ..."
    opening = [b for b in blocks[meta.header_end : meta.header_end + 4] if b.kind in ("para", "item")]
    pattern = re.compile(
        rf"(?:^|[.;]\s+|\)\s*,?\s*|,\s+)(?:(?:Trưởng|Giám đốc|Chủ tịch)\s+)?(?P<u>{_UNIT_HEAD}[^.;,()]{{0,80}}?)\s+"
        r"(?:xây dựng|ban hành|báo cáo|triển khai|thực hiện|trình)\b[^.;]{0,40}?"
        r"(?i:kế hoạch|báo cáo|chương trình|quyết định|cụ thể|như sau|các nội dung|kết quả)",
    )
    for b in opening:
        m = pattern.search(b.text)
        if m:
            unit = _clean(m.group("u"))
            return _qualify_place(unit, meta, blocks)
    # the appendix: "(Kèm theo Kế hoạch số /KH-SNV ngày /02/2024 của Sở Nội vụ)"
    for b in blocks:
        m = re.search(r"[Kk]èm theo[^()]*?\bcủa\s+([^()]+?)\)?\s*$", b.text)
        if m:
            return _clean(m.group(1))
    return None


# Capitals in a body's name (Decree 30/2020, Phụ lục II): the body's type in lower case after its
# first word, the first word of its field ("Sở Nội vụ", "Sở Thông tin và Truyền thông", "Phòng Văn
# hóa - Xã hội"), the place after the level of administration ("xã Hòa Bình"), abbreviations whole.
_ABBREVIATIONS = {
    "ubnd",
    "hđnd",
    "bcđ",
    "cđs",
    "tthc",
    "cchc",
    "cntt",
    "hcc",
    "mttq",
    "tt&tt",
    "kh&cn",
    "tn&mt",
}
_BODY_TYPES = (
    "chi cục", "tổng cục", "trung tâm", "văn phòng", "thanh tra", "sở", "phòng", "ban", "bộ", "cục", "vụ", "đài", "viện"
)  # fmt: skip
# fields whose official name breaks the rule ("Bộ Công Thương", "Sở Công Thương")
_IRREGULAR_NAMES = (("Công thương", "Công Thương"),)
_LEVELS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "huyện", "quận", "phường", "tỉnh", "xã")


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def titlecase_unit(t: str) -> str:
    """A header written in capitals ("SỞ NỘI VỤ", "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH") as the body's name is
    written in running text ("Sở Nội vụ", "Ủy ban nhân dân xã Hòa Bình")."""
    if not t.isupper():
        return _clean(t)
    words = t.lower().split()
    out, n = list(words), len(words)
    level_at = place_from = None  # the last level of administration that a place name follows
    for i in range(n):
        for lv in _LEVELS:
            k = len(lv.split())
            follows = words[i + k] if i + k < n else None
            # "xã hội" is society, not a commune; "và xã ..." / "- xã ..." continue a field's name
            if (
                " ".join(words[i : i + k]) == lv
                and follows
                and follows != "hội"
                and (i == 0 or words[i - 1] not in ("-", "và"))
            ):
                level_at, place_from = i, i + k
    for body in _BODY_TYPES:
        k = len(body.split())
        if " ".join(words[:k]) == body and k < n and k != level_at:
            out[k] = _cap(out[k])
            for j in range(k + 1, level_at if level_at is not None else n):
                if words[j - 1] in ("và", "-"):
                    out[j] = _cap(out[j])
            break
    if place_from is not None:
        out[place_from:] = [_cap(w) for w in out[place_from:]]
    out = [w.upper() if w in _ABBREVIATIONS else o for w, o in zip(words, out, strict=True)]
    name = _cap(" ".join(out))
    for written, official in _IRREGULAR_NAMES:
        name = name.replace(written, official)
    return name


def _qualify_place(unit: str, meta: Metadata, blocks: list[Block]) -> str:
    """ "UBND tỉnh" -> "UBND tỉnh Ninh Bình" when the document names its province."""
    if not re.search(r"\b(tỉnh|thành phố|huyện|xã|phường)$", unit):
        return unit
    level = unit.split()[-1]
    for source in filter(None, [meta.title, meta.place]):
        m = re.search(rf"\b{level}\s+((?:[A-ZĐ][\wđ]*\s?){{1,3}})", source)
        if m:
            return f"{unit} {m.group(1).strip()}"
    return unit


def _self_reference_symbol(blocks: list[Block]) -> str | None:
    """A document without a "Số:" line may still give its own symbol in an appendix
    ("Kèm theo Kế hoạch số /KH-SNV ...")."""
    for b in blocks:
        m = re.search(
            r"(?:^|\()\s*[Kk]èm theo\s+\w+\s+\w+\s+số\s*:?\s*(\d*\s*/?\s*[A-ZĐ][\w&\-Đđ]*)", b.text.strip()
        )
        if m:
            ns = re.sub(r"\s+", "", m.group(1))
            return ns if ns.startswith("/") or ns[0].isdigit() else "/" + ns
    return None


def self_references(blocks: list[Block]) -> list[tuple[str, Block]]:
    """Every "Kèm theo Kế hoạch số X" a document makes to itself (appendix headers)."""
    out = []
    for b in blocks:
        for m in re.finditer(
            r"(?:^|\()\s*[Kk]èm theo\s+\w+\s+\w+\s+số\s*:?\s*(\d*\s*/?\s*[A-ZĐ][\w&\-Đđ]*)", b.text.strip()
        ):
            out.append((re.sub(r"\s+", "", m.group(1)), b))
    return out
