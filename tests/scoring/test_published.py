"""Official published results imported and read beside the self-assessed and appraised scores."""

import datetime as dt
from decimal import Decimal as D

import pytest

from chitieu.orgs import services as orgs
from chitieu.orgs.models import UnitKind
from chitieu.orgs.permissions import NotAllowed
from chitieu.reporting.services import value_save
from chitieu.scoring import published, selectors, services
from chitieu.scoring.errors import ScoringError
from chitieu.scoring.models import PublishedScore

pytestmark = pytest.mark.django_db


@pytest.fixture
def appraised(small_framework, people, tree, indicators):
    """Commune A: self 16.125, appraised 14.625 (B 6.5 -> 5); commune B: self = appraised 9."""
    root, xa, appr = people["root"], people["xa_reporter"], people["approver"]
    value_save(
        actor=root,
        indicator=indicators["online"],
        unit=tree["xa_a"],
        period="2026",
        numerator=60,
        denominator=80,
    )
    value_save(
        actor=root,
        indicator=indicators["online"],
        unit=tree["xa_b"],
        period="2026",
        numerator=0,
        denominator=10,
    )
    a, b = services.framework_open(
        actor=root,
        framework=small_framework,
        units=[tree["xa_a"], tree["xa_b"]],
        appraisers={tree["xa_a"].pk: [appr], tree["xa_b"].pk: [appr]},
    )
    services.self_assess_save(
        actor=xa, assessment=a, entries={"A.3": {"met": True, "links": ["/x/"]}, "B": {"points": "6,5"}}
    )
    a = services.self_assess_submit(actor=xa, assessment=a)
    services.appraise_save(actor=appr, assessment=a, changes={"B": ("5", "thiếu báo cáo")})
    services.appraise_finalize(actor=appr, assessment=a)
    services.self_assess_save(
        actor=root, assessment=b, entries={"A.3": {"met": True, "links": ["/y/"]}, "B": {"points": "7"}}
    )
    services.appraise_finalize(actor=appr, assessment=services.self_assess_submit(actor=root, assessment=b))
    return small_framework


def test_published_scores_sit_beside_self_and_appraised_with_the_differences(appraised, people, tree):
    csv = "STT;Đơn vị;A;Chỉ đạo điều hành;Tổng điểm;Xếp hạng\n1;Xã An Bình;9,625;4,5;14,125;1\n2;T1-XB;2;6;8;2\n"
    n = published.published_import(
        actor=people["root"], framework=appraised, file_name="cong-bo.csv", data=csv.encode()
    )
    assert n == 6
    comp = selectors.comparison(appraised)
    assert comp.codes == ["A", "B", ""]
    rows = {r.unit.code: r for r in comp.rows}
    a = rows["T1-XA"].cells
    # A: 5.625 + 2 + 2 = 9.625 self and appraised, published 9.625
    assert (a["A"].self_points, a["A"].final, a["A"].published, a["A"].published_gap) == (
        D("9.625"),
        D("9.625"),
        D("9.625"),
        D(0),
    )
    assert (a["B"].self_points, a["B"].final, a["B"].published) == (D("6.5"), D(5), D("4.5"))
    assert (a["B"].appraisal_change, a["B"].published_gap) == (D("-1.5"), D("-0.5"))
    assert (a[""].self_points, a[""].final, a[""].published, a[""].published_gap) == (
        D("16.125"),
        D("14.625"),
        D("14.125"),
        D("-0.5"),
    )
    b = rows["T1-XB"].cells
    assert (b[""].final, b[""].published, b[""].published_gap) == (D(9), D(8), D(-1))
    # importing a corrected table replaces the figures, with history
    published.published_import(
        actor=people["root"],
        framework=appraised,
        file_name="cong-bo.csv",
        data=csv.replace("4,5;14,125", "5;14,625").encode(),
    )
    assert selectors.comparison(appraised).rows[0].cells[""].published_gap == 0


def test_a_bad_published_table_is_refused_row_by_row_and_writes_nothing(appraised, people):
    csv = (
        "Mã đơn vị,A,B,Tổng điểm\n"
        "T1-XA,13,5,18\n"  # A above its 12 points
        "KHONG-CO,1,1,2\n"  # no such unit
        "T1-XB,abc,2,\n"  # not a number
        "T1-XA,,,15\n"  # T1-XA's total again
    )
    with pytest.raises(ScoringError) as exc:
        published.published_import(
            actor=people["root"], framework=appraised, file_name="loi.csv", data=csv.encode()
        )
    assert exc.value.message == "loi.csv: có 4 lỗi, chưa nhập gì."
    assert exc.value.messages == [
        "dòng 2, cột A: 13 ngoài khoảng 0 - 12 (điểm).",
        "dòng 3, cột Mã đơn vị: 'KHONG-CO' không có đơn vị này.",
        "dòng 4, cột A: 'abc' không phải là số.",
        "dòng 5, cột Tổng điểm: T1-XA đã có ở dòng 2.",
    ]
    assert not PublishedScore.objects.exists()
    with pytest.raises(ScoringError, match="thiếu cột đơn vị"):
        published.published_import(
            actor=people["root"], framework=appraised, file_name="x.csv", data=b"A,B\n1,2\n"
        )
    with pytest.raises(ScoringError, match="không có cột nào là tiêu chí hay tổng điểm"):
        published.published_import(
            actor=people["root"],
            framework=appraised,
            file_name="x.csv",
            data="Đơn vị,Ghi chú\nX,Y\n".encode(),
        )
    with pytest.raises(NotAllowed):
        published.published_import(
            actor=people["xa_reporter"],
            framework=appraised,
            file_name="a.csv",
            data=b"Ma don vi,A\nT1-XA,1\n",
        )


def test_dti_2024_values_0_1_and_a_merged_province_as_the_average_of_its_former_provinces(
    people, tree, catalog
):
    root = people["root"]
    fw = next(f for f in services.load_shipped(period="2024") if f.code == "DTI-TINH" and f.version == "2025")
    old_a = orgs.unit_create(actor=None, code="P-A", name="Tỉnh Cũ A", kind=UnitKind.PROVINCE)
    old_b = orgs.unit_create(actor=None, code="P-B", name="Tỉnh Cũ B", kind=UnitKind.PROVINCE)
    orgs.unit_succeed(
        actor=None, predecessors=[old_a, old_b], successor=tree["prov"], effective=dt.date(2025, 7, 1)
    )
    services.framework_open(actor=root, framework=fw, units=[tree["prov"]])
    csv = "Tỉnh, thành phố;1;2;Nhận thức số\nP-A;0,8;0,7;\nP-B;0,6;0,5;\n"
    with pytest.raises(ScoringError) as exc:  # "Nhận thức số" is column 1 again
        published.published_import(
            actor=root, framework=fw, file_name="dti.csv", data=csv.replace(";\n", ";0,9\n", 1).encode()
        )
    assert exc.value.messages == ["dòng 2, cột Nhận thức số: P-A đã có ở dòng 2."]
    csv = "Tỉnh, thành phố;1. Nhận thức số;Thể chế số\nP-A;0,8;0,7\nP-B;0,6;0,5\n"
    assert published.published_import(actor=root, framework=fw, file_name="dti.csv", data=csv.encode()) == 4
    row = next(r for r in selectors.comparison(fw).rows if r.unit == tree["prov"])
    assert (row.cells["1"].published, row.cells["2"].published) == (D("0.7"), D("0.6"))
    assert row.note == "trung bình kết quả công bố của Tỉnh Cũ A, Tỉnh Cũ B"
    with pytest.raises(ScoringError) as exc:
        published.published_import(
            actor=root, framework=fw, file_name="dti.csv", data="Tỉnh;1\nP-A;85\n".encode()
        )
    assert exc.value.messages == ["dòng 2, cột 1: 85 ngoài khoảng 0 - 1 (giá trị 0-1)."]
    # a PAR-style total published as a percentage of the maximum
    published.published_import(
        actor=root, framework=fw, file_name="pct.csv", data="Tỉnh;Chỉ số\nP-A;75\n".encode(), scale="percent"
    )
    assert PublishedScore.objects.get(unit=old_a, code="").points == D(6)  # 75 % of 8
