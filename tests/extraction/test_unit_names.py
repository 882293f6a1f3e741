import pytest

from chitieu.extraction.metadata import titlecase_unit


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("ỦY BAN NHÂN DÂN XÃ HÒA BÌNH", "Ủy ban nhân dân xã Hòa Bình"),
        ("UBND TỈNH BẮC GIANG", "UBND tỉnh Bắc Giang"),
        ("SỞ NỘI VỤ", "Sở Nội vụ"),
        ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Sở Thông tin và Truyền thông"),
        ("SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH HÒA AN", "Sở Khoa học và Công nghệ tỉnh Hòa An"),
        ("BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ THÀNH PHỐ BẮC GIANG", "Ban Chỉ đạo chuyển đổi số thành phố Bắc Giang"),
        # "xã hội" is society, not a commune
        ("PHÒNG VĂN HÓA - XÃ HỘI", "Phòng Văn hóa - Xã hội"),
        ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Sở Lao động - Thương binh và Xã hội"),
        ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH HÒA AN", "Trung tâm Phục vụ hành chính công tỉnh Hòa An"),
        ("VĂN PHÒNG HĐND VÀ UBND XÃ", "Văn phòng HĐND và UBND xã"),
        ("ĐẶC KHU PHÚ QUỐC", "Đặc khu Phú Quốc"),
        ("SỞ CÔNG THƯƠNG TỈNH HÒA AN", "Sở Công Thương tỉnh Hòa An"),  # the official spelling
        # a name already in running-text capitals is kept
        ("Sở Y tế tỉnh Hòa An", "Sở Y tế tỉnh Hòa An"),
    ],
)
def test_header_capitals_become_the_name_as_written_in_text(header, name):
    assert titlecase_unit(header) == name
