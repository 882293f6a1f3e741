"""Turn the bytes of a text file into Unicode NFC: UTF-8 (with or without BOM), UTF-16, Windows-1258,
and legacy TCVN3 (ABC) or VNI text, detected by how Vietnamese each decoding reads."""

from __future__ import annotations

import codecs

from chitieu.core import vntext
from chitieu.extraction.errors import ReadError


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control / len(sample) > 0.05


def decode(data: bytes, name: str = "tệp") -> tuple[str, str]:
    """Return (NFC text, encoding name)."""
    if not data.strip():
        raise ReadError(f"{name}: tệp rỗng (empty file)")
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return vntext.nfc(data.decode(enc)), enc
            except UnicodeDecodeError:
                raise ReadError(f"{name}: tệp hỏng, không giải mã được {enc} (corrupt {enc})")
    # UTF-16 without BOM: every other byte is zero for Latin text
    if len(data) >= 4 and data[1::2].count(0) > len(data) // 4:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if vntext.vietnamese_score(text) > 0 or text.isprintable():
                return vntext.nfc(text), enc
    if _looks_binary(data):
        raise ReadError(f"{name}: không phải tệp văn bản (binary content, not a text document)")
    try:
        text = data.decode("utf-8")
        return vntext.nfc(text), "utf-8"
    except UnicodeDecodeError:
        pass
    # 8-bit: Windows-1258 (combining tone marks), or legacy TCVN3 / VNI fonts
    candidates: list[tuple[float, str, str]] = []
    try:
        t = vntext.nfc(data.decode("cp1258"))
        candidates.append((vntext.vietnamese_score(t), "cp1258", t))
    except UnicodeDecodeError:
        pass
    latin = data.decode("latin-1")
    candidates.append(
        (vntext.vietnamese_score(vntext.tcvn3_to_unicode(latin)), "tcvn3", vntext.tcvn3_to_unicode(latin))
    )
    try:
        cp = data.decode("cp1252")
        v = vntext.vni_to_unicode(cp)
        candidates.append((vntext.vietnamese_score(v), "vni", v))
    except UnicodeDecodeError:
        pass
    score, enc, text = max(candidates, key=lambda c: c[0])
    if score == 0:
        # nothing reads as Vietnamese; fall back to Windows-1258 so the text at least shows
        enc, text = candidates[0][1], candidates[0][2]
    return text, enc
