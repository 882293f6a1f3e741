"""Vietnamese text: normalisation, matching keys, tone placement, legacy encodings, abbreviations.

Pure Python (no Django).

* :func:`nfc` - Unicode NFC (TCVN 6909:2001); every input passes through it.
* :func:`canonical_tones` - one tone placement per syllable, so "hoà" and "hòa", "thuỷ" and
  "thủy" compare equal (a spelling convention, not a normalisation issue).
* :func:`fold` - lower-case, no diacritics, "đ" -> "d": accent-insensitive keys.
* :func:`match_key` - fold + abbreviation expansion + punctuation removal, for fuzzy matching.
* :func:`tcvn3_to_unicode`, :func:`vni_to_unicode`, :func:`detect_legacy` - legacy 8-bit text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# --- basics ------------------------------------------------------------------------------------


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_STRIP_MARKS = {ord("đ"): "d", ord("Đ"): "D"}


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", bare).translate(_STRIP_MARKS)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Accent-insensitive, case-insensitive key ("Quý I năm 2024" -> "quy i nam 2024")."""
    return re.sub(r"\s+", " ", strip_diacritics(text).lower()).strip()


# --- tone placement ------------------------------------------------------------------------------
_TONES = {"\u0300": "grave", "\u0301": "acute", "\u0303": "tilde", "\u0309": "hook", "\u0323": "dot"}
_TONE_MARKS = set(_TONES)
_VOWELS = set("aăâeêioôơuưy")
_MARKED_VOWELS = set("ăâêôơư")


def _split_tone(word: str) -> tuple[str, str | None]:
    """The word without its tone mark (NFC) and the tone's combining character."""
    tone = None
    out = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONE_MARKS:
            tone = ch
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)), tone


def _tone_position(bare: str) -> int | None:
    """Index in ``bare`` (lower-case, toneless, NFC) of the vowel that carries the tone.

    Rule ("old style", the one most government documents use): a vowel with its own mark
    (ă â ê ô ơ ư) takes the tone (ươ -> ơ); otherwise a closed syllable puts it on the last vowel
    of the nucleus; an open two-vowel nucleus puts it on the first ("hòa", "thủy", "khỏe"),
    a three-vowel one on the middle vowel.
    """
    low = bare.lower()
    start = 0
    if low.startswith("qu") or (low.startswith("gi") and len(low) > 2 and low[2] in _VOWELS):
        start = 2
    # nucleus = first run of vowels after the onset
    i = start
    while i < len(low) and low[i] not in _VOWELS:
        i += 1
    j = i
    while j < len(low) and low[j] in _VOWELS:
        j += 1
    if i == j:
        # "gi", "qu" alone: the i/u is the vowel
        return 1 if start == 2 and len(low) == 2 else None
    nucleus = low[i:j]
    closed = j < len(low)
    marked = [k for k, c in enumerate(nucleus) if c in _MARKED_VOWELS]
    if marked:
        return i + marked[-1]
    if len(nucleus) == 1:
        return i
    if len(nucleus) == 3:
        return i + 1
    return i + (1 if closed else 0)


@lru_cache(maxsize=65536)
def _canonical_word(word: str) -> str:
    bare, tone = _split_tone(word)
    if tone is None:
        return word
    pos = _tone_position(bare)
    if pos is None:
        return word
    placed = bare[:pos] + unicodedata.normalize("NFC", bare[pos] + tone) + bare[pos + 1 :]
    return placed


_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def canonical_tones(text: str) -> str:
    """Put every syllable's tone mark on the same vowel, whatever convention was typed."""
    return _WORD_RE.sub(lambda m: _canonical_word(m.group(0)), nfc(text))


# --- legacy encodings ---------------------------------------------------------------------------
# TCVN3 (ABC, .Vn fonts). Lower-case letters with tones sit in 0xA1-0xFE; the upper-case toned
# letters need the ".VnXxxH" all-capitals fonts, which reuse the lower-case positions.
# Order in each row: grave, hook, tilde, acute, dot.
_TCVN3_ROWS = {
    "a": "µ¶·¸¹",
    "ă": "»¼½¾Æ",
    "â": "ÇÈÉÊË",
    "e": "ÌÎÏÐÑ",
    "ê": "ÒÓÔÕÖ",
    "i": "×ØÜÝÞ",
    "o": "ßáâãä",
    "ô": "åæçèé",
    "ơ": "êëìíî",
    "u": "ïñòóô",
    "ư": "õö÷øù",
    "y": "úûüýþ",
}
_TONE_ORDER = ["\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
_TCVN3_TABLE: dict[str, str] = {"¨": "ă", "©": "â", "ª": "ê", "«": "ô", "¬": "ơ", "\xad": "ư", "®": "đ"}
_TCVN3_TABLE.update({"¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ"})
for _base, _row in _TCVN3_ROWS.items():
    for _mark, _ch in zip(_TONE_ORDER, _row, strict=True):
        _TCVN3_TABLE[_ch] = unicodedata.normalize("NFC", _base + _mark)
_TCVN3_TRANS = str.maketrans(_TCVN3_TABLE)


def tcvn3_to_unicode(text: str, *, capitals_font: bool = False) -> str:
    """Convert TCVN3 text (bytes decoded as Latin-1) to Unicode NFC.

    ``capitals_font``: the text was set in an all-capitals ".VnXxxH" font, so every letter is
    upper-case.
    """
    out = text.translate(_TCVN3_TRANS)
    if capitals_font:
        return nfc(out.upper())
    # a line typed in an all-capitals ".VnXxxH" font shows its toned letters in lower case
    # ("KÕ HO¹CH"): when every plain letter of a line is a capital, the whole line is
    lines = []
    for raw, line in zip(text.split("\n"), out.split("\n"), strict=True):
        ascii_letters = [c for c in raw if c.isascii() and c.isalpha()]
        if len(ascii_letters) >= 3 and all(c.isupper() for c in ascii_letters):
            line = line.upper()
        lines.append(line)
    return nfc("\n".join(lines))


# VNI-Windows: a base letter followed by a mark byte (bytes decoded as cp1252).
_VNI_SINGLE = {
    "ñ": "đ",
    "Ñ": "Đ",
    "ô": "ơ",
    "Ô": "Ơ",
    "ö": "ư",
    "Ö": "Ư",
    "í": "í",
    "ì": "ì",
    "æ": "ỉ",
    "ó": "ĩ",
    "ò": "ị",
    "Í": "Í",
    "Ì": "Ì",
    "Æ": "Ỉ",
    "Ó": "Ĩ",
    "Ò": "Ị",
    "î": "ỵ",
    "Î": "Ỵ",
}
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE = "\u0302", "\u0306"
# mark byte -> (shape mark or "", tone mark or "")
_VNI_MARKS_TONE = {"ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
_VNI_MARKS_CIRC = {"â": "", "á": _ACUTE, "à": _GRAVE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}
_VNI_MARKS_BREVE = {"ê": "", "é": _ACUTE, "è": _GRAVE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}


def _vni_mark_table() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for shape, marks in (("", _VNI_MARKS_TONE), (_CIRC, _VNI_MARKS_CIRC), (_BREVE, _VNI_MARKS_BREVE)):
        for ch, tone in marks.items():
            table[ch] = (shape, tone)
            table[ch.upper()] = (shape, tone)
    return table


_VNI_MARKS = _vni_mark_table()
_VNI_BASES = set("aeiouyAEIOUY") | {"ơ", "ư", "Ơ", "Ư"}
_CIRC_BASES = set("aeoAEO")
_BREVE_BASES = set("aA")


def vni_to_unicode(text: str) -> str:
    """Convert VNI-Windows text (bytes decoded as cp1252) to Unicode NFC."""
    out: list[str] = []
    chars = [_VNI_SINGLE.get(c, c) if c in "ñÑöÖôÔ" else c for c in text]
    i = 0
    while i < len(chars):
        c = chars[i]
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if c in _VNI_BASES and nxt in _VNI_MARKS:
            shape, tone = _VNI_MARKS[nxt]
            ok_shape = (
                not shape or (shape == _CIRC and c in _CIRC_BASES) or (shape == _BREVE and c in _BREVE_BASES)
            )
            if ok_shape:
                out.append(unicodedata.normalize("NFC", c + shape + tone))
                i += 2
                continue
        out.append(_VNI_SINGLE.get(c, c))
        i += 1
    return nfc("".join(out))


# Common words used to score which decoding of 8-bit text reads as Vietnamese.
_COMMON = {
    "và",
    "của",
    "các",
    "được",
    "ngày",
    "năm",
    "tháng",
    "thực",
    "hiện",
    "số",
    "tỉnh",
    "cơ",
    "quan",
    "đơn",
    "vị",
    "kế",
    "hoạch",
    "báo",
    "cáo",
    "trong",
    "theo",
    "cho",
    "với",
    "người",
    "dân",
    "hồ",
    "sơ",
    "thủ",
    "tục",
    "hành",
    "chính",
    "công",
    "việc",
    "có",
    "là",
    "một",
    "những",
    "không",
    "đã",
    "để",
    "tại",
    "về",
    "nhà",
    "nước",
    "cộng",
    "hòa",
    "xã",
    "hội",
    "chủ",
    "nghĩa",
    "việt",
    "nam",
    "độc",
    "lập",
    "tự",
    "do",
    "hạnh",
    "phúc",
    "sở",
    "ủy",
    "ban",
    "nhân",
    "quyết",
    "định",
    "chỉ",
    "tiêu",
    "đạt",
    "tỷ",
    "lệ",
    "điện",
    "tử",
    "chuyển",
    "đổi",
    "trực",
    "tuyến",
    "phòng",
    "thông",
    "tin",
    "dịch",
    "vụ",
    "kết",
    "quả",
}


def vietnamese_score(text: str) -> float:
    """Share of words in ``text`` that are common Vietnamese words (0..1)."""
    words = re.findall(r"[^\W\d_]+", nfc(text).lower())
    if not words:
        return 0.0
    hits = sum(1 for w in words if canonical_tones(w) in _COMMON_CANON)
    return hits / len(words)


_COMMON_CANON = {canonical_tones(w) for w in _COMMON}

_TCVN3_HINT = set("µ¶·¸¹»¼½¾ÆÇÈÉÊËÌÎÏÐÑÒÓÔÕÖ×ØÜÝÞßáâãäåæçèéêëìíîïñòóôõö÷øùúûüýþ¨©ª«¬\xad®§")
_VNI_HINT = re.compile(r"[aeiouyAEIOUYôöÔÖ][ùøûõïâáàåãäêéèúüë]")


def detect_legacy(text: str) -> str | None:
    """``"tcvn3"``, ``"vni"`` or ``None`` for text that already reads as Unicode Vietnamese.

    ``text`` is 8-bit text decoded as Latin-1/cp1252. The decision compares how Vietnamese each
    conversion reads, so plain Unicode text with a few accented letters is left alone.
    """
    base = vietnamese_score(text)
    best, best_score = None, base
    if sum(1 for c in text if c in _TCVN3_HINT) >= 3:
        s = vietnamese_score(tcvn3_to_unicode(text))
        if s > best_score + 0.05:
            best, best_score = "tcvn3", s
    if len(_VNI_HINT.findall(text)) >= 3:
        s = vietnamese_score(vni_to_unicode(text))
        if s > best_score + 0.05:
            best, best_score = "vni", s
    return best


def convert_legacy(text: str, encoding: str) -> str:
    if encoding == "tcvn3":
        return tcvn3_to_unicode(text)
    if encoding == "vni":
        return vni_to_unicode(text)
    raise ValueError(f"unknown legacy encoding {encoding!r}")


# --- abbreviations -------------------------------------------------------------------------------
ABBREVIATIONS: dict[str, str] = {
    "TTHC": "thủ tục hành chính",
    "DVC": "dịch vụ công",
    "DVCTT": "dịch vụ công trực tuyến",
    "DVCQG": "dịch vụ công quốc gia",
    "CSDL": "cơ sở dữ liệu",
    "CCHC": "cải cách hành chính",
    "CBCCVC": "cán bộ công chức viên chức",
    "CBCC": "cán bộ công chức",
    "CCVC": "công chức viên chức",
    "UBND": "ủy ban nhân dân",
    "HĐND": "hội đồng nhân dân",
    "BCĐ": "ban chỉ đạo",
    "CĐS": "chuyển đổi số",
    "CDS": "chuyển đổi số",
    "TT&TT": "thông tin và truyền thông",
    "TTTT": "thông tin và truyền thông",
    "KH&CN": "khoa học và công nghệ",
    "KH&ĐT": "kế hoạch và đầu tư",
    "CNTT": "công nghệ thông tin",
    "ATTT": "an toàn thông tin",
    "HTTT": "hệ thống thông tin",
    "BPMC": "bộ phận một cửa",
    "HCC": "hành chính công",
    "PAKN": "phản ánh kiến nghị",
    "PAHT": "phản ánh hiện trường",
    "QLVB": "quản lý văn bản",
    "LĐTBXH": "lao động thương binh và xã hội",
    "TN&MT": "tài nguyên và môi trường",
    "GD&ĐT": "giáo dục và đào tạo",
    "VP": "văn phòng",
    "TP": "thành phố",
    "SNV": "sở nội vụ",
    "STTTT": "sở thông tin và truyền thông",
}
_ABBR_RE = re.compile(
    r"(?<![\w&])("
    + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?![\w&])"
)


def expand_abbreviations(text: str) -> str:
    """Replace known abbreviations (case-sensitive, whole words) by their full form."""
    return _ABBR_RE.sub(lambda m: ABBREVIATIONS[m.group(1)], nfc(text))


@lru_cache(maxsize=65536)
def match_key(text: str) -> str:
    """Key for fuzzy matching: abbreviations expanded, accent-folded, punctuation dropped."""
    expanded = expand_abbreviations(text)
    folded = fold(canonical_tones(expanded))
    folded = re.sub(r"[^\w\s%]", " ", folded)
    return re.sub(r"\s+", " ", folded).strip()
