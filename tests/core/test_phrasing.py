import pytest

from chitieu.core.phrasing import in_sentence, lower_first


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Tỉnh Bắc Ninh", "tỉnh Bắc Ninh"),
        ("Thành phố Hà Nội", "thành phố Hà Nội"),
        ("Xã An Bình", "xã An Bình"),
        ("Phường Đa Mai", "phường Đa Mai"),
        ("Đặc khu Phú Quốc", "đặc khu Phú Quốc"),
        ("Thị xã Sơn Tây", "thị xã Sơn Tây"),
        # bodies keep their capital; so do names where the word is not a level of administration
        ("Sở Nội vụ tỉnh Bắc Ninh", "Sở Nội vụ tỉnh Bắc Ninh"),
        ("Ủy ban nhân dân tỉnh Bắc Ninh", "Ủy ban nhân dân tỉnh Bắc Ninh"),
        ("Ban Chỉ đạo chuyển đổi số tỉnh", "Ban Chỉ đạo chuyển đổi số tỉnh"),
        ("Xã hội học", "Xã hội học"),
        ("Tỉnh", "Tỉnh"),
        ("", ""),
    ],
)
def test_unit_names_inside_a_sentence(name, written):
    assert in_sentence(name) == written


def test_lower_first_keeps_roman_numerals():
    assert lower_first("Quý III năm 2026") == "quý III năm 2026"
