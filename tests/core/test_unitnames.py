"""Reading unit names as offices write them (core.unitnames): each rule with at least two phrasings."""

from __future__ import annotations

import pytest

from chitieu.core.unitnames import Resolver, UnitRecord, key, resolve_all, split_names


def _tree():
    """A province with two departments (each with an office), a former city with its offices and
    wards, and a commune with its own offices."""
    rows = [
        (1, "Tỉnh Hòa Lâm", "province", None),
        (10, "Sở Nội vụ tỉnh Hòa Lâm", "department", 1),
        (11, "Văn phòng Sở Nội vụ tỉnh Hòa Lâm", "office", 10),
        (12, "Phòng Công chức, viên chức - Sở Nội vụ tỉnh Hòa Lâm", "office", 10),
        (13, "Phòng Cải cách hành chính - Sở Nội vụ tỉnh Hòa Lâm", "office", 10),
        (14, "Trung tâm Lưu trữ lịch sử tỉnh Hòa Lâm", "service", 10),
        (15, "Thanh tra Sở Nội vụ tỉnh Hòa Lâm", "office", 10),
        (20, "Sở Khoa học và Công nghệ tỉnh Hòa Lâm", "department", 1),
        (21, "Văn phòng Sở Khoa học và Công nghệ tỉnh Hòa Lâm", "office", 20),
        (22, "Phòng Chuyển đổi số - Sở Khoa học và Công nghệ tỉnh Hòa Lâm", "office", 20),
        (23, "Trung tâm Công nghệ thông tin và Truyền thông tỉnh Hòa Lâm", "service", 20),
        (24, "Phòng Hành chính tư pháp - Sở Khoa học và Công nghệ tỉnh Hòa Lâm", "office", 20),
        (30, "Thành phố Đông Hà", "district", 1),
        (31, "Văn phòng HĐND và UBND thành phố Đông Hà", "office", 30),
        (32, "Phòng Văn hóa và Thông tin thành phố Đông Hà", "office", 30),
        (33, "Phòng Giáo dục và Đào tạo thành phố Đông Hà", "office", 30),
        (34, "Phòng Tài chính - Kế hoạch thành phố Đông Hà", "office", 30),
        (35, "Công an thành phố Đông Hà", "other", 30),
        (36, "Ban Chỉ đạo chuyển đổi số thành phố Đông Hà", "board", 30),
        (37, "Phường Bắc Sơn", "commune", 30),
        (38, "Xã Đông Thanh", "commune", 30),
        (39, "Thành đoàn Đông Hà", "other", 30),
        (44, "Hội Liên hiệp Phụ nữ Đông Hà", "other", 30),
        (40, "Xã Tân Hưng", "commune", 1),
        (41, "Văn phòng HĐND và UBND xã Tân Hưng", "office", 40),
        (42, "Phòng Văn hóa - Xã hội xã Tân Hưng", "office", 40),
        (43, "Phòng Kinh tế xã Tân Hưng", "office", 40),
    ]
    parents = {i: p for i, _, _, p in rows}

    def path(i):
        out = [i]
        while parents[out[0]] is not None:
            out.insert(0, parents[out[0]])
        return tuple(out)

    return [UnitRecord(i, n, k, p, path(i)) for i, n, k, p in rows]


UNITS = _tree()


def r(issuer: int, **kw) -> Resolver:
    return Resolver(UNITS, issuer, **kw)


@pytest.mark.parametrize(
    "a,b",
    [
        ("Phòng VH-XH", "Phòng Văn hóa - Xã hội"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("VP HĐND-UBND", "Văn phòng HĐND và UBND"),
        ("Phòng TC-KH", "Phòng Tài chính - Kế hoạch"),
    ],
)
def test_abbreviations_and_punctuation_give_one_key(a, b):
    assert key(a) == key(b)


@pytest.mark.parametrize("phrase", ["Văn phòng Sở", "VP Sở", "Văn Phòng", "Chánh Văn phòng Sở"])
def test_the_issuers_own_office_never_another_departments(phrase):
    assert r(10).resolve(phrase).units == [11]
    assert r(20).resolve(phrase).units == [21]


@pytest.mark.parametrize(
    "phrase,unit",
    [
        ("P. CDS", 22),
        ("P.CDS", 22),
        ("Phòng CĐS", 22),
        ("P. HCTP", 24),
        ("TT. CNTT&TT tỉnh", 23),
    ],
)
def test_initials_and_type_abbreviations(phrase, unit):
    res = r(20).resolve(phrase)
    assert res.status == "unit" and res.units == [unit], res


@pytest.mark.parametrize(
    "phrase,unit",
    [
        ("Trưởng phòng Giáo dục và Đào tạo", 33),
        ("Trưởng phòng GD&ĐT", 33),
        ("Chánh Văn phòng HĐND-UBND TP", 31),
        ("Chánh Văn phòng HĐND và UBND thành phố", 31),
        ("Trưởng Công an thành phố", 35),
        ("Trưởng phòng Tài chính-Kế hoạch", 34),
    ],
)
def test_titles_of_heads_stand_for_their_units(phrase, unit):
    res = r(36).resolve(phrase)  # the city's steering committee writes to the city's offices
    assert res.units == [unit], res


@pytest.mark.parametrize("phrase", ["Giám đốc Sở", "Ban Giám đốc Sở", "Lãnh đạo Sở"])
def test_the_leadership_is_the_issuer(phrase):
    assert r(10).resolve(phrase).units == [10]


@pytest.mark.parametrize(
    "phrase,units",
    [
        ("Các phòng, đơn vị thuộc Sở", [11, 12, 13, 14, 15]),
        ("Phòng, đơn vị thuộc Sở", [11, 12, 13, 14, 15]),
        ("Các phòng thuộc Sở", [11, 12, 13, 15]),
        ("Các phòng chuyên môn", [11, 12, 13, 15]),
    ],
)
def test_collectives_of_a_department(phrase, units):
    res = r(10).resolve(phrase)
    assert res.status == "group" and res.units == units, res


@pytest.mark.parametrize(
    "phrase,units",
    [
        ("UBND các phường, xã", [37, 38]),
        ("Chủ tịch UBND các xã, phường", [37, 38]),
        ("Các cơ quan, đơn vị", [31, 32, 33, 34]),
        ("Thủ trưởng các cơ quan, đơn vị trên địa bàn", [31, 32, 33, 34]),
    ],
)
def test_collectives_of_a_city_board(phrase, units):
    res = r(36).resolve(phrase)
    assert res.status == "group" and res.units == units, res


def test_collectives_of_a_province():
    assert r(1).resolve("Các sở, ban, ngành tỉnh").units == [10, 20]
    assert r(1).resolve("các cơ quan chuyên môn thuộc UBND tỉnh").units == [10, 20]
    assert r(1).resolve("UBND cấp huyện").units == [30]
    assert r(1).resolve("UBND các xã, phường").units == [37, 38, 40]


@pytest.mark.parametrize(
    "phrase", ["Các doanh nghiệp viễn thông", "Chi nhánh ngân hàng thương mại trên địa bàn"]
)
def test_doers_outside_the_government(phrase):
    assert r(36).resolve(phrase).status == "outside"


def test_several_units_in_one_cell_and_a_lead_before_coordination():
    assert split_names("Văn phòng Sở; phòng CCVC Sở") == ["Văn phòng Sở", "phòng CCVC Sở"]
    assert split_names("Phòng CCHC phối hợp với các phòng thuộc Sở") == ["Phòng CCHC"]
    assert [x.units for x in resolve_all(r(10), "Văn phòng Sở; phòng CCVC Sở")] == [[11], [12]]
    assert r(10).resolve("Trung tâm Lưu trữ lịch sử, Phòng Cải cách hành chính").units == [13, 14]


def test_an_unknown_name_is_ambiguous_with_ranked_candidates_not_guessed():
    res = r(10).resolve("Phòng Cải cách chính hành")  # a typo in a real plan
    assert res.status in ("ambiguous", "unit")
    assert res.candidates and res.candidates[0][0] == 13
    res = r(10).resolve("Phòng Quản lý văn thư")
    assert res.status in ("ambiguous", "none") and res.units == []


def test_a_learned_name_comes_first():
    learned = {"P. QLVT": [15]}
    assert r(10, learned=learned).resolve("P. QLVT").units == [15]
    assert r(10).resolve("P. QLVT").units != [15]


def test_the_same_office_name_elsewhere_is_the_nearest_one():
    # a commune's plan: "Văn phòng" is the commune's office, not the city's or a department's
    assert r(40).resolve("Văn phòng").units == [41]
    assert r(40).resolve("Chánh Văn phòng HĐND và UBND xã").units == [41]
    assert r(40).resolve("Trưởng phòng Văn hóa - Xã hội").units == [42]


@pytest.mark.parametrize(
    "phrase", ["Công chức Văn phòng - Thống kê", "công chức Tư pháp - Hộ tịch", "Cán bộ chuyên trách CNTT"]
)
def test_a_post_of_the_issuers_staff_is_the_issuer(phrase):
    assert r(40).resolve(phrase).units == [40]


@pytest.mark.parametrize(
    "phrase,unit",
    [
        ("Văn phòng HĐND và UBND xã là cơ quan thường trực, giúp UBND xã", 41),
        ("Trưởng phòng Văn hóa - Xã hội", 42),
    ],
)
def test_a_name_ends_where_the_sentence_goes_on_and_dashes_stay_inside_names(phrase, unit):
    assert [x.units for x in resolve_all(r(40), phrase)] == [[unit]]


@pytest.mark.parametrize(
    "phrase,unit",
    [
        ("Bí thư Thành đoàn", 39),
        ("Thành đoàn", 39),
        ("Chủ tịch Hội Liên hiệp Phụ nữ thành phố", 44),
        ("Hội Liên hiệp Phụ nữ", 44),
    ],
)
def test_a_unit_named_with_its_place_but_without_the_place_word(phrase, unit):
    """ "Thành đoàn Đông Hà" under Thành phố Đông Hà: written "Thành đoàn" in the city's plans."""
    res = r(36).resolve(phrase)
    assert (res.status, res.units) == ("unit", [unit]), res


def test_a_name_learned_with_a_title_is_known_without_it():
    res = r(36, learned={"Bí thư Đoàn Thanh niên phường": [37]})
    assert res.resolve("Đoàn Thanh niên phường").units == [37]
    assert res.resolve("Bí thư Đoàn Thanh niên phường").units == [37]
