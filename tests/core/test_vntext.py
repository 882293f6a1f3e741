import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chitieu.core import vntext

# Real sample strings: the national motto as typed with .VnTime (TCVN3/ABC) and VNI-Times fonts,
# read back as 8-bit text.
TCVN3_SAMPLES = [
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("Uû ban nh©n d©n tØnh B¾c Giang", "Uỷ ban nhân dân tỉnh Bắc Giang"),
    ("KÕ ho¹ch chuyÓn ®æi sè n¨m 2024", "Kế hoạch chuyển đổi số năm 2024"),
    ("Tû lÖ hå s¬ trùc tuyÕn ®¹t trªn 70%", "Tỷ lệ hồ sơ trực tuyến đạt trên 70%"),
]
VNI_SAMPLES = [
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
    ("UÛy ban nhaân daân tænh Baéc Giang", "Ủy ban nhân dân tỉnh Bắc Giang"),
    ("Keá hoaïch chuyeån ñoåi soá naêm 2024", "Kế hoạch chuyển đổi số năm 2024"),
    ("Tyû leä hoà sô tröïc tuyeán ñaït treân 70%", "Tỷ lệ hồ sơ trực tuyến đạt trên 70%"),
]


@pytest.mark.parametrize(("legacy", "unicode"), TCVN3_SAMPLES)
def test_tcvn3_to_unicode(legacy, unicode):
    assert vntext.tcvn3_to_unicode(legacy) == unicode
    assert vntext.detect_legacy(legacy) == "tcvn3"


@pytest.mark.parametrize(("legacy", "unicode"), VNI_SAMPLES)
def test_vni_to_unicode(legacy, unicode):
    assert vntext.vni_to_unicode(legacy) == unicode
    assert vntext.detect_legacy(legacy) == "vni"


def test_tcvn3_capitals_font():
    # a heading set in .VnTimeH: the same bytes read as capitals
    assert vntext.tcvn3_to_unicode("kÕ ho¹ch", capitals_font=True) == "KẾ HOẠCH"


def test_tcvn3_bytes_round_trip():
    raw = "Céng hoµ x· héi chñ nghÜa ViÖt Nam".encode("latin-1")
    assert vntext.tcvn3_to_unicode(raw.decode("latin-1")) == "Cộng hoà xã hội chủ nghĩa Việt Nam"


@pytest.mark.parametrize(
    "text",
    [
        "Cộng hòa xã hội chủ nghĩa Việt Nam",
        "Résumé café",
        "Plain ASCII text only",
        "Số: 24/KH-SNV ngày 02/02/2024",
    ],
)
def test_unicode_text_is_not_mistaken_for_legacy(text):
    assert vntext.detect_legacy(text) is None


def test_nfc_and_canonical_tones():
    nfd = unicodedata.normalize("NFD", "Việt")
    assert len(nfd) == 6 and vntext.nfc(nfd) == "Việt"
    assert vntext.canonical_tones("hoà") == vntext.canonical_tones("hòa")
    assert vntext.canonical_tones("thuỷ") == vntext.canonical_tones("thủy")
    assert vntext.canonical_tones("khoẻ") == vntext.canonical_tones("khỏe")
    assert vntext.canonical_tones("Hoà Bình") == vntext.canonical_tones("Hòa Bình")
    # closed syllables and marked vowels are not moved
    for word in ["hoàn", "người", "Việt", "quý", "giá", "tuyến", "chuyển", "gì", "của"]:
        assert vntext.canonical_tones(word) == word
    # decomposed input with the tone on the other vowel still matches
    assert vntext.canonical_tones(unicodedata.normalize("NFD", "hoà")) == "hòa"


def test_fold_and_match_key():
    assert vntext.fold("Quý I năm 2024") == "quy i nam 2024"
    assert vntext.fold("ĐỒNG NAI") == "dong nai"
    assert vntext.match_key("Tỷ lệ hồ sơ TTHC") == vntext.match_key("tỷ lệ hồ sơ thủ tục hành chính")
    assert vntext.match_key("UBND tỉnh") == "uy ban nhan dan tinh"
    assert vntext.match_key("Sở TT&TT") == "so thong tin va truyen thong"
    assert vntext.match_key("KH&CN") == "khoa hoc va cong nghe"
    # abbreviations only match whole words
    assert "thu tuc" not in vntext.match_key("TTHCX")


@given(
    st.text(
        alphabet="aăâeêioôơuưyđàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ bcdghklmnpqrstvx",
        max_size=40,
    )
)
def test_canonical_tones_is_idempotent_and_keeps_letters(text):
    once = vntext.canonical_tones(text)
    assert vntext.canonical_tones(once) == once
    assert vntext.fold(once) == vntext.fold(text)
