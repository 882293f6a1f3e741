"""An office brings its own unit tree as a spreadsheet: all or nothing, every bad row named."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from chitieu.audit.models import ChangeRecord
from chitieu.core.errors import Invalid, NotAllowed
from chitieu.orgs.models import Unit, UnitSuccession
from chitieu.orgs.tree import unit_tree_import

HEADER = "Mã,Tên,Loại,Cấp trên,Tên ngắn,Tên gọi khác,Hiệu lực từ,Hiệu lực đến,Kế thừa bởi\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


def test_a_tree_with_divisions_and_a_merged_district(people, tree):
    data = csv_bytes(
        "T1-SNV-CCVC,Phòng Công chức - viên chức,office,T1-SNV,Phòng CCVC,P. CCVC;Phòng CC-VC,,,",
        "T1-H1,Huyện Bình Sơn,district,T1,,,,30/06/2025,T1-XM",
        "T1-H1-X1,Xã Bình Hòa,commune,T1-H1,,,,30/06/2025,T1-XM",
        "T1-XM,Xã Bình Sơn Mới,commune,T1,,,01/07/2025,,",
        "T1-SNV-VP,Văn phòng Sở Nội vụ tỉnh Thử Nghiệm,office,T1-SNV,Văn phòng Sở,,,,",  # a rename
    )
    res = unit_tree_import(actor=people["root"], data=data, file_name="cay.csv")
    assert (res.created, res.updated, res.successions) == (4, 1, 2)
    ccvc = Unit.objects.get(code="T1-SNV-CCVC")
    assert ccvc.parent == tree["dept"] and ccvc.aliases == ["P. CCVC", "Phòng CC-VC"]
    assert Unit.objects.get(code="T1-H1-X1").parent.code == "T1-H1"
    assert UnitSuccession.objects.filter(predecessor__code="T1-H1-X1", successor__code="T1-XM").exists()
    rename = ChangeRecord.objects.filter(
        object_type="orgs.unit", object_id=str(tree["office"].pk), action="update"
    ).latest("id")
    assert (
        rename.before["name"] == "Văn phòng Sở Nội vụ"
        and rename.after["name"] == "Văn phòng Sở Nội vụ tỉnh Thử Nghiệm"
    )
    again = unit_tree_import(
        actor=people["root"], data=data, file_name="cay.csv"
    )  # the same file: nothing new
    assert (again.created, again.updated, again.successions) == (0, 0, 0)


@pytest.mark.parametrize(
    "rows,message",
    [
        (
            ["A1,Phòng A,office,A2,,,,,", "A2,Phòng B,office,A1,,,,,"],
            r"Dòng 2: cấp trên tạo vòng lặp \(A1 → A2 → A1\)",
        ),
        (
            ["A1,Phòng A,office,T1-SNV,,,,,", "A1,Phòng A khác,office,T1-SNV,,,,,"],
            r"Dòng 3: mã 'A1' trùng với dòng 2",
        ),
        (["A1,Phòng A,office,KHONG-CO,,,,,"], r"Dòng 2: đơn vị cấp trên 'KHONG-CO' không có"),
        (
            ["A1,Huyện Cũ,district,T1,,,,30/06/2025,A2", "A2,Xã Mới,commune,T1,,,01/07/2025,31/12/2024,"],
            r"Dòng 2: đơn vị kế thừa 'A2' hết hiệu lực \(31/12/2024\) trước khi 'A1' kết thúc \(30/06/2025\)",
        ),
        (["A1,Phòng A,phong ban la,T1-SNV,,,,,"], r"Dòng 2: loại đơn vị 'phong ban la' không hợp lệ"),
        (["A1,Phòng A,office,T1-SNV,,,31/02/2025,,"], r"Dòng 2: hiệu lực từ '31/02/2025' không phải ngày"),
    ],
)
def test_bad_rows_are_named_and_nothing_is_written(people, tree, rows, message):
    before = Unit.objects.count(), ChangeRecord.objects.count()
    with pytest.raises(Invalid) as exc:
        unit_tree_import(actor=people["root"], data=csv_bytes(*rows), file_name="cay.csv")
    assert any(__import__("re").search(message, p.message) for p in exc.value.all_problems()), (
        exc.value.all_problems()
    )
    assert (Unit.objects.count(), ChangeRecord.objects.count()) == before


def test_missing_columns_and_foreign_files(people):
    with pytest.raises(Invalid, match=r"cay\.csv, dòng 1: thiếu cột Loại"):
        unit_tree_import(actor=people["root"], data="Mã,Tên\nA,B\n".encode(), file_name="cay.csv")
    with pytest.raises(Invalid, match=r"không phải CSV mã UTF-8"):
        unit_tree_import(actor=people["root"], data=b"\xff\xfe\x00\x01binary", file_name="cay.csv")


def test_xlsx_and_permissions(people, tree):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Mã", "Tên", "Loại", "Cấp trên", "Hiệu lực từ"])
    wb.active.append(
        ["T1-SNV-TTR", "Thanh tra Sở", "Phòng, văn phòng, đơn vị thuộc", "T1-SNV", dt.date(2024, 1, 1)]
    )
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(NotAllowed, match="cay.xlsx, dòng 2: bạn không có quyền quản trị"):
        unit_tree_import(actor=people["reporter"], data=buf.getvalue(), file_name="cay.xlsx")
    assert not Unit.objects.filter(code="T1-SNV-TTR").exists()
    unit_tree_import(actor=people["admin"], data=buf.getvalue(), file_name="cay.xlsx")
    u = Unit.objects.get(code="T1-SNV-TTR")
    assert u.kind == "office" and u.valid_from == dt.date(2024, 1, 1)
