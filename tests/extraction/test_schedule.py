"""The reporting paragraph of a plan (extraction.schedule): each rule with at least two phrasings."""

from __future__ import annotations

import pytest

from chitieu.extraction import blocks as blk
from chitieu.extraction import schedule
from chitieu.extraction.readers import read_bytes


def statements(text: str) -> list[schedule.Statement]:
    return schedule.find(blk.build(read_bytes(text.encode("utf-8"), "kh.txt")))


@pytest.mark.parametrize(
    "text,day,kinds",
    [
        (
            "- Định kỳ (trước ngày 12 của tháng cuối quý) các phòng gửi báo cáo về Văn phòng Sở.",
            12,
            ["quarter"],
        ),
        ("Hằng tháng, trước ngày 22, các xã báo cáo kết quả về Phòng Kinh tế.", 22, ["month"]),
        (
            "Các đơn vị tổng hợp kết quả gửi Văn phòng UBND xã định kỳ trước ngày 18 hằng tháng.",
            18,
            ["month"],
        ),
    ],
)
def test_a_periodic_rule_with_its_kind(text, day, kinds):
    (s,) = statements(text)
    assert s.rule["kind"] == "day_of_last_month" and s.rule["day"] == day and s.kinds == kinds


@pytest.mark.parametrize(
    "text,dates",
    [
        (
            "Các phòng báo cáo về Văn phòng: quý I trước ngày 10/3, 6 tháng trước 10/6, 9 tháng trước 10/9 và năm trước 05/11.",
            {"Q1": "03-10", "S1": "06-10", "N9": "09-10", "Y": "11-05"},
        ),
        (
            "Các bộ phận gửi báo cáo về công chức Văn phòng - Thống kê trước ngày 03/6 (báo cáo 6 tháng) "
            "và trước ngày 03/12 (báo cáo năm).",
            {"S1": "06-03", "Y": "12-03"},
        ),
    ],
)
def test_a_date_for_each_period(text, dates):
    (s,) = statements(text)
    assert s.rule == {"kind": "explicit", "dates": dates, "exclusive": True}


def test_one_period_per_line_is_one_rule_and_the_window_is_not_the_deadline():
    text = (
        "Các phòng, đơn vị gửi báo cáo về Văn phòng Sở theo thời hạn sau:\n"
        "- Báo cáo quý I (số liệu từ 15/12/2025 đến 14/3/2026): gửi trước ngày 17/3/2026.\n"
        "- Báo cáo 6 tháng (số liệu từ 15/12/2025 đến 14/6/2026): gửi trước ngày 17/6/2026.\n"
        "- Báo cáo năm (số liệu từ 15/12/2025 đến 14/12/2026): gửi trước ngày 17/12/2026.\n"
    )
    (s,) = statements(text)
    assert s.rule["dates"] == {"Q1": "03-17", "S1": "06-17", "Y": "12-17"}
    assert s.recipient == "Văn phòng Sở" and s.sender == "Các phòng, đơn vị"


def test_a_chain_senders_recipients_and_the_office_in_between():
    text = (
        "1. Các phòng, đơn vị thuộc Sở báo cáo kết quả thực hiện qua Văn phòng Sở để tổng hợp trước ngày 14 của tháng cuối quý.\n"
        "2. Giao Văn phòng Sở tổng hợp báo cáo kết quả gửi Sở Khoa học và Công nghệ trước ngày 19 của tháng cuối quý.\n"
        "3. UBND xã báo cáo UBND tỉnh (qua Sở Nội vụ) định kỳ trước ngày 21 của tháng cuối quý.\n"
    )
    a, b, c = statements(text)
    assert (a.sender, a.recipient, a.rule["day"]) == ("Các phòng, đơn vị thuộc Sở", "Văn phòng Sở", 14)
    assert (b.sender, b.recipient, b.rule["day"]) == ("Văn phòng Sở", "Sở Khoa học và Công nghệ", 19)
    assert (c.sender, c.recipient, c.via) == ("UBND xã", "UBND tỉnh", "Sở Nội vụ")


def test_several_rules_in_one_sentence_and_listed_quarters():
    text = (
        "- Các sở, ngành báo cáo về Sở Nội vụ: báo cáo quý I, quý II, quý III gửi trước ngày 08 của tháng cuối quý; "
        "báo cáo năm gửi trước ngày 01/12.\n"
    )
    (s,) = statements(text)
    assert s.rules == [
        {
            "kinds": ["quarter"],
            "rule": {"kind": "day_of_last_month", "exclusive": True, "day": 8, "only": ["Q1", "Q2", "Q3"]},
        },
        {"kinds": ["year"], "rule": {"kind": "explicit", "dates": {"Y": "12-01"}, "exclusive": True}},
    ]


@pytest.mark.parametrize(
    "text",
    [
        "- Hoàn thành và báo cáo kết quả trước ngày 31/8/2024.",  # a one-off deadline, not a schedule
        "- Kết quả thực hiện được đánh giá hằng quý tại hội nghị giao ban.",  # no deadline
    ],
)
def test_no_schedule_where_none_is_set(text):
    assert statements(text) == []
