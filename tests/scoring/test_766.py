"""The 766 index as the national portal scores it: points per group, the threshold rule at, above
and below each threshold, and a unit's dossier records scored with the provenance of each figure."""

import csv
import datetime as dt
from decimal import Decimal as D
from fractions import Fraction

import pytest
import yaml

from chitieu.core import scoring as core
from chitieu.reporting.services import value_save
from chitieu.scoring import selectors, services
from chitieu.scoring.definitions import SHIPPED

DEF = core.framework_from_dict(yaml.safe_load((SHIPPED / "chi-so-766.yaml").read_text(encoding="utf-8")))
BY_CODE = {c.code: c for c in DEF.walk()}


def test_groups_and_items_carry_the_points_of_the_portal():
    assert DEF.max_points == 100
    assert [(c.code, c.max_points) for c in DEF.criteria] == [
        ("1", 18),
        ("2", 20),
        ("3", 22),
        ("4", 22),
        ("5", 18),
    ]
    leaves = lambda code: [(c.code, c.max_points) for c in BY_CODE[code].children]  # noqa: E731
    assert leaves("1") == [("1.1", 6), ("1.2", 4), ("1.3", 2), ("1.4", 6)]
    assert leaves("2") == [("2.1", 20), ("2.2", 0)]
    assert [p for _, p in leaves("3")] == [6, 4, 2, 4, 2, 2, 2]
    assert leaves("4") == [("4a", 12), ("4b", 10)]
    assert leaves("4b") == [("4b.1", 2), ("4b.2", 2), ("4b.3", 6)]
    assert leaves("5") == [("5.1", 0), ("5.2", 6), ("5.3", 6), ("5.4", 6)]
    # every group adds up; tracked items score nothing
    for g in DEF.criteria:
        assert sum(c.max_points for c in g.walk() if c.is_leaf) == g.max_points
    assert {c.code for c in DEF.walk() if c.method == "tracked"} == {"2.2", "4a.2", "4a.3", "4a.4", "5.1"}
    # thresholds as the portal applies them
    assert {c.code: c.threshold for c in DEF.walk() if c.threshold} == {
        "3.b": 80,
        "3.c": 80,
        "4b.1": 80,
        "5.4": 90,
    }
    # the items whose formula is not published
    assert {c.code for c in DEF.walk() if not c.formula_published} == {"3.g", "4a.1", "4b.2"}
    assert core.validate(DEF) == []


@pytest.mark.parametrize(
    "code,rate,points",
    [
        # 3.b: 4 points, full at 80 %: below -> 60 x 4 / 80 = 3; at and above -> 4
        ("3.b", 60, D(3)),
        ("3.b", 80, D(4)),
        ("3.b", 97, D(4)),
        # 3.c: 2 points at 80 %: 40 % -> 1
        ("3.c", 40, D(1)),
        ("3.c", 80, D(2)),
        ("3.c", 80.5, D(2)),
        # 4b.1: 2 points at 80 %: 50 % -> 1.25
        ("4b.1", 50, D("1.25")),
        ("4b.1", 80, D(2)),
        # 5.4: 6 points at 90 %: 81 % -> 5.4; 89.99 % -> 5.9993...; at 90 -> 6
        ("5.4", 81, D("5.4")),
        ("5.4", D("89.99"), Fraction(8999, 1500)),
        ("5.4", 90, D(6)),
        ("5.4", 100, D(6)),
        # no threshold: ratio x max (2.1: 95 % of 20 = 19; 4b.3: 25 % of 6 = 1.5)
        ("2.1", 95, D(19)),
        ("4b.3", 25, D("1.5")),
        ("3.a", 0, D(0)),
    ],
)
def test_the_threshold_rule(code, rate, points):
    got = core.points(BY_CODE[code], rate=Fraction(D(str(rate))))
    assert got == Fraction(points)


HEADERS = [
    "Mã hồ sơ",
    "Mã thủ tục",
    "Tên thủ tục",
    "Mức độ DVC",
    "Đơn vị tiếp nhận",
    "Hình thức nộp",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày có kết quả",
    "Số hóa hồ sơ",
    "Kết quả bản giấy",
    "Kết quả điện tử",
    "Có phí, lệ phí",
    "Phí, lệ phí (đồng)",
    "Thanh toán trực tuyến",
    "Tái sử dụng dữ liệu",
    "Có phản ánh, kiến nghị",
    "Đánh giá hài lòng",
    "Đồng bộ DVCQG",
]


def dossiers(unit_code: str) -> list[list[str]]:
    """20 dossiers of 2026Q1 (cut-off window 15/12/2025 - 14/03/2026), flags chosen by hand:
    late 0-1; paper result 0-9 of which electronic 0-5; digitised 0-15; reuse 0-16; fee 0-7 of
    which paid online 0-1; complaint 2; dissatisfied 3; synced all but 19; online 0-11."""
    rows = []
    for i in range(20):
        received = dt.date(2026, 1, 5) + dt.timedelta(days=i)
        due = received + dt.timedelta(days=10)
        finished = due + dt.timedelta(days=3) if i < 2 else received + dt.timedelta(days=4)
        yes = lambda cond: "Có" if cond else "Không"  # noqa: E731
        rows.append(
            [
                f"HS-{i:02d}",
                f"1.00{i % 4}",
                f"Thủ tục {i % 4}",
                "Toàn trình",
                unit_code,
                "Trực tuyến" if i < 12 else "Trực tiếp",
                f"{received:%d/%m/%Y} 08:00",
                f"{due:%d/%m/%Y} 17:00",
                f"{finished:%d/%m/%Y} 10:00",
                yes(i <= 15),
                yes(i < 10),
                yes(i < 6),
                yes(i < 8),
                "50000" if i < 8 else "0",
                yes(i < 2),
                yes(i <= 16),
                yes(i == 2),
                "Không hài lòng" if i == 3 else "Hài lòng",
                yes(i != 19),
            ]
        )
    return rows


@pytest.fixture
def dossier_values(tmp_path, settings, people, tree, catalog):
    from chitieu.dossiers import importing
    from chitieu.dossiers.services import dossiers_compute

    settings.CHITIEU_DOSSIER_ENGINE = "duckdb"
    path = tmp_path / "ho-so-2026q1.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        w.writerows(dossiers(tree["dept"].code))
    imp = importing.import_create(actor=people["root"], path=path, file_name=path.name)
    imp = importing.import_run(actor=people["root"], imp=imp)
    assert (imp.status, imp.rows_bad) == ("done", 0)
    run = dossiers_compute(actor=people["root"], periods=["2026Q1"])
    return imp, run


@pytest.mark.django_db
def test_a_units_dossier_records_score_the_computed_items(dossier_values, people, tree):
    imp, run = dossier_values
    root = people["root"]
    fw = next(f for f in services.load_shipped(period="2026Q1") if f.code == "766")
    from chitieu.indicators.models import Indicator

    # a figure entered by hand (PAKN handled on time: 9 of 10)
    value_save(
        actor=root,
        indicator=Indicator.objects.get(code="PAKN_ONTIME"),
        unit=tree["dept"],
        period="2026Q1",
        numerator=9,
        denominator=10,
    )
    (a,) = services.framework_open(actor=root, framework=fw, units=[tree["dept"]])
    s = {x.criterion.code: x for x in a.scores.select_related("criterion")}
    expected = {
        "1.4": (D(95), D("5.7")),  # 19/20 synced, no threshold: 0.95 x 6
        "2.1": (D(90), D(18)),  # 18/20 on time: 0.9 x 20
        "3.a": (D(60), D("3.6")),  # 6/10 paper results with an electronic one: 0.6 x 6
        "3.b": (D(60), D(3)),  # 12/20 digitised (and e-result when paper): below 80 -> 60 x 4 / 80
        "3.c": (D(85), D(2)),  # 17/20 reuse: above 80 -> full
        "4b.3": (D(25), D("1.5")),  # 2/8 paid online: 0.25 x 6
        "5.4": (D(80), D("5.3333")),  # 16/20 without delay, complaint or dislike: 80 x 6 / 90
    }
    for code, (value, points) in expected.items():
        assert (s[code].value, s[code].self_points) == (value, points), code
        assert s[code].origin == "dossier", code
        assert "hồ sơ một cửa" in s[code].value_source and f"lần nhập #{imp.pk}" in s[code].value_source
        assert f"lần tính #{run.pk}" in s[code].value_source
    # the online rate is computed and tracked (no points); the hand-entered figure says so
    assert (s["4a.4"].value, s["4a.4"].self_points, s["4a.4"].origin) == (D(60), D(0), "dossier")
    assert (s["5.2"].value, s["5.2"].self_points, s["5.2"].origin) == (D(90), D("5.4"), "entered")
    assert "Nhập tay bởi root" in s["5.2"].value_source
    # items without an indicator: the unit enters the rate when it assesses itself
    assert s["3.d"].self_points is None and s["3.d"].origin == ""
    problems = services.self_assess_save(
        actor=root,
        assessment=a,
        entries={"3.d": {"value": "50"}, "3.g": {"points": "1,5"}, "4a.1": {"points": "9"}},
    )
    assert problems == []
    d3 = a.scores.get(criterion__code="3.d")
    assert (d3.self_points, d3.origin) == (D(2), "assessment")  # 50 % of 4
    assert d3.value_source.startswith("đơn vị nhập khi tự đánh giá: 50%")
    assert services.self_assess_save(actor=root, assessment=a, entries={"3.e": {"value": "120"}}) == [
        "Tiêu chí 3.e: tỷ lệ không được vượt 100%."
    ]
    # the live page's reading of the same data
    lines, total, possible, missing = selectors.live(fw, tree["dept"], "2026Q1")
    by = {ln.criterion.code: ln for ln in lines}
    assert by["2.1"].state == "computed" and by["2.1"].points == D(18)
    assert by["3.g"].state == "manual" and not by["3.g"].criterion.formula_published
    assert by["2.2"].state == "tracked" and by["4a.4"].state == "tracked"
    # 1.1-1.3, 5.3 and 4b.1 have no figure yet
    assert by["1.1"].state == "missing" and by["5.3"].state == "missing"
    assert total == D("5.7") + 18 + D("3.6") + 3 + 2 + D("1.5") + D("5.3333") + D("5.4")


@pytest.mark.django_db
def test_a_zero_denominator_is_na_not_zero(people, tree, catalog):
    from chitieu.indicators.models import Indicator

    root = people["root"]
    fw = next(f for f in services.load_shipped(period="2026Q2") if f.code == "766")
    value_save(
        actor=root,
        indicator=Indicator.objects.get(code="ONLINE_PAYMENT"),
        unit=tree["xa_a"],
        period="2026Q2",
        numerator=0,
        denominator=0,
    )
    (a,) = services.framework_open(actor=root, framework=fw, units=[tree["xa_a"]])
    s = a.scores.get(criterion__code="4b.3")
    assert (s.self_points, s.origin) == (None, "na")
    assert "N/A" in s.value_source
    lines, *_ = selectors.live(fw, tree["xa_a"], "2026Q2")
    assert next(ln for ln in lines if ln.criterion.code == "4b.3").state == "na"


@pytest.mark.django_db
def test_the_annex_marks_the_items_without_a_published_formula(people, tree, catalog):
    import io

    from docx import Document

    from chitieu.scoring.annex import notes, ranking_annex

    root = people["root"]
    fw = next(f for f in services.load_shipped(period="2026Q3") if f.code == "766")
    (a,) = services.framework_open(actor=root, framework=fw, units=[tree["dept"]])
    entries = {c: {"points": "1"} for c in ("3.g", "4a.1", "4b.2")}
    entries |= {c: {"value": "100"} for c in ("3.d", "3.e", "3.f")}
    assert services.self_assess_save(actor=root, assessment=a, entries=entries) == []
    a = services.self_assess_submit(actor=root, assessment=a)
    services.appraise_finalize(actor=root, assessment=a)
    doc = Document(io.BytesIO(ranking_annex(fw, selectors.results(fw))))
    head = [c.text for c in doc.tables[0].rows[0].cells]
    assert head[:7] == ["STT", "Đơn vị", "1", "2", "3 (*)", "4 (*)", "5"]
    row = [c.text for c in doc.tables[0].rows[1].cells]
    # 3: 4 + 2 + 2 (entered at 100 %) + 1 (3.g); 4: 1 (4a.1) + 1 (4b.2)
    assert row[1] == tree["dept"].name and row[4] == "9" and row[5] == "2" and row[8] == "11"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "(*) Chỉ số chưa có công thức được công bố, điểm do đơn vị tự chấm và được thẩm định: "
        "3.g Chứng thực bản sao điện tử từ bản chính; 4a.1 Điểm dịch vụ công trực tuyến toàn trình; "
        "4b.2 TTHC có giao dịch thanh toán trực tuyến." in text
    )
    assert "Chỉ số chỉ theo dõi, không tính điểm: 2.2 Thời gian giải quyết trung bình theo TTHC" in text
    assert "Căn cứ: Quyết định 766/QĐ-TTg ngày 23/6/2022" in text
    assert notes(fw)[0].startswith("(*)")
