"""Exports as offices really get them (issue 16): the table found under titles and blank rows,
two-row XLSX headers with merged group cells, totals and signature rows skipped and named, every
spelling of channels, states, yes/no, dates and fees, one line per unknown spelling that the
person can map (kept in the profile), shared unit names asked once with their candidates.

Every file here is made by the test itself, in the shapes real exports take."""

import csv
import datetime as dt

import duckdb
import pytest

from chitieu.dossiers import importing, store
from chitieu.dossiers.models import MappingProfile

pytestmark = pytest.mark.django_db

HEAD = [
    "STT",
    "Mã hồ sơ",
    "Mã TTHC",
    "Tên thủ tục",
    "Đơn vị tiếp nhận",
    "Kênh thực hiện",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày có kết quả",
    "Trạng thái",
    "Đã số hóa",
    "Phí, lệ phí",
]


def dossier(i, unit, *, channel="Trực tuyến", state="Đã trả kết quả", digitised="Có", fee="", received=None):
    day = dt.date(2024, 1, 5) + dt.timedelta(days=i % 20)
    received = received or f"{day:%d/%m/%Y} 08:00"
    return [
        str(i),
        f"HS-{i:05d}",
        "1.004227",
        "Cấp giấy phép thử",
        unit,
        channel,
        received,
        f"{day + dt.timedelta(days=8):%d/%m/%Y} 17:00",
        f"{day + dt.timedelta(days=3):%d/%m/%Y} 10:00" if state == "Đã trả kết quả" else "",
        state,
        digitised,
        fee,
    ]


def write(path, rows, delimiter=","):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def run(actor, path, **kw):
    imp = importing.import_create(actor=actor, path=path, file_name=path.name, **kw)
    return importing.import_run(actor=actor, imp=imp)


def stored(*cols):
    f = store.store_file()
    return (
        duckdb.connect()
        .execute(f"SELECT code, {', '.join(cols)} FROM read_parquet('{f}') ORDER BY code")
        .fetchall()
    )


def test_title_blank_total_and_signature_rows_are_skipped_and_named(tmp_path, people, tree):
    u = tree["dept"].code
    rows = [
        ["DANH SÁCH HỒ SƠ THỦ TỤC HÀNH CHÍNH TỪ 15/12/2023 ĐẾN 14/12/2024"],
        ["Đơn vị: Sở Nội vụ tỉnh Thử Nghiệm"],
        [],
        HEAD,
        *[dossier(i, u) for i in range(1, 6)],
        [""] * len(HEAD),
        *[dossier(i, u) for i in range(6, 9)],
        ["Tổng cộng", "", "", "", "", "", "", "", "", "", "8", "400.000"],
        ["", "", "", "", "", "", "", "", "", "", "8", "400000"],
        ["", "", "", "", "", "", "", "", "Người lập biểu", "", "", ""],
    ]
    path = write(tmp_path / "ho-so-2024.csv", rows)
    imp = run(people["reporter"], path)
    assert (imp.status, imp.rows_total, imp.rows_bad, imp.rows_written) == ("done", 8, 0, 8)
    skipped = {r[0]: r[1] for r in imp.report["layout_rows"]}
    assert skipped == {
        1: "title",
        2: "title",
        3: "blank",
        4: "header",
        10: "blank",
        14: "total",
        15: "numbers",
        16: "note",
    }
    assert imp.rows_layout == 7  # the header row is the header, not a skipped row
    assert imp.report["layout_rows"][-3][3].startswith("Tổng cộng")
    assert [r[0] for r in stored("unit_id")][:2] == ["HS-00001", "HS-00002"]


def test_a_two_row_xlsx_header_with_merged_group_cells(tmp_path, people, tree):
    from openpyxl import Workbook

    wb = Workbook()
    guide = wb.active
    guide.title = "Hướng dẫn"
    guide.append(["Bảng này liệt kê hồ sơ tiếp nhận trong kỳ; không sửa tiêu đề cột."])
    ws = wb.create_sheet("Hồ sơ")
    ws.append(["ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM"])
    ws.append(["DANH SÁCH HỒ SƠ TIẾP NHẬN QUÝ I NĂM 2024"])
    ws.append([])
    ws.append(
        ["STT", "Thông tin hồ sơ", None, None, "Tiếp nhận", None, None, "Kết quả", None, "Đơn vị tiếp nhận"]
    )
    ws.append(
        [None, "Mã hồ sơ", "Mã TTHC", "Tên TTHC", "Ngày", "Hình thức", "Hạn xử lý", "Ngày", "Số hóa", None]
    )
    for rng in ("B4:D4", "E4:G4", "H4:I4", "A4:A5", "J4:J5"):
        ws.merge_cells(rng)
    ws.append([f"({i})" for i in range(1, 11)])
    u = tree["xa_a"].code
    ws.append(
        [
            1,
            "X-1",
            "2.001",
            "Đăng ký khai sinh",
            dt.datetime(2024, 1, 8, 8),
            "Dịch vụ BCCI",
            dt.datetime(2024, 1, 10, 17),
            dt.datetime(2024, 1, 9, 15),
            "x",
            u,
        ]
    )
    ws.append(
        [
            2,
            "X-2",
            "2.001",
            "Đăng ký khai sinh",
            45299.375,
            "Tại Bộ phận Một cửa",
            "15/01/2024 17:00",
            None,
            "",
            u,
        ]
    )
    ws.append([None, "Cộng", None, None, None, None, None, None, 1, None])
    path = tmp_path / "mot-cua.xlsx"
    wb.save(path)
    imp = importing.import_create(actor=people["xa_reporter"], path=path, file_name=path.name)
    assert imp.layout["sheet_name"] == "Hồ sơ" and imp.layout["header_rows"] == [4, 5]
    assert imp.mapping["received_at"] == "Ngày (Tiếp nhận)" and imp.mapping["finished_at"] == "Kết quả - Ngày"
    assert imp.mapping["unit"] == "Đơn vị tiếp nhận" and imp.mapping["code"] == "Mã hồ sơ"
    imp = importing.import_run(actor=people["xa_reporter"], imp=imp)
    assert (imp.rows_total, imp.rows_bad, imp.rows_written) == (2, 0, 2)
    assert {r[0]: r[1] for r in imp.report["layout_rows"]} == {
        1: "title",
        2: "title",
        3: "blank",
        4: "group",
        5: "header",
        6: "numbering",
        9: "total",
    }
    assert stored("channel", "received_at", "digitised") == [
        ("X-1", "postal", dt.datetime(2024, 1, 8, 8), True),
        ("X-2", "in_person", dt.datetime(2024, 1, 8, 9), False),  # Excel serial 45299.375
    ]


CHANNELS = {
    "Dịch vụ BCCI": "postal",
    "Bưu chính công ích": "postal",
    "Qua dịch vụ bưu chính": "postal",
    "Trực tuyến toàn trình": "online",
    "Trực tuyến một phần": "online",
    "Nộp trực tiếp": "in_person",
    "Tại Bộ phận Một cửa": "in_person",
    "2": "online",
    "3": "postal",
}
STATES = {
    "Đã trả kết quả": "done",
    "Đang xử lý": "processing",
    "Trả lại/rút hồ sơ": "withdrawn",
    "Quá hạn": "processing",
}
YES_NO = {"Có": True, "x": True, "1": True, "Đã số hóa": True, "": False, "Không": False, "0": False}
DATES = {
    "05/01/2024": dt.datetime(2024, 1, 5),
    "05/01/2024 08:30": dt.datetime(2024, 1, 5, 8, 30),
    "5/1/2024 8:30:15": dt.datetime(2024, 1, 5, 8, 30, 15),
    "2024-01-05": dt.datetime(2024, 1, 5),
    "2024-01-05T08:30:00": dt.datetime(2024, 1, 5, 8, 30),
    "2024-01-05T08:30:00+07:00": dt.datetime(2024, 1, 5, 8, 30),
    "20240105083000": dt.datetime(2024, 1, 5, 8, 30),
    "45296.5": dt.datetime(2024, 1, 5, 12, 0),
    "05/01/2024 02:30:00 CH": dt.datetime(2024, 1, 5, 14, 30),
}
FEES = {
    "200.000": 200000,
    "200,000 đ": 200000,
    "200.000đ": 200000,
    "1.500.000,50": 1500000.5,
    "": None,
    "50000": 50000,
}


def test_every_spelling_offices_use(tmp_path, people, tree):
    u = tree["dept"].code
    rows = [HEAD]
    cases = []
    for c, want in CHANNELS.items():
        cases.append(("channel", c, want))
    for s, want in STATES.items():
        cases.append(("status", s, want))
    for b, want in YES_NO.items():
        cases.append(("digitised", b, want))
    for d, want in DATES.items():
        cases.append(("received_at", d, want))
    for f, want in FEES.items():
        cases.append(("fee_amount", f, want))
    for i, (field, text, _) in enumerate(cases):
        r = dossier(i, u)
        r[1] = f"C{i:03d}"
        if field == "channel":
            r[5] = text
        elif field == "status":
            r[9] = text
            r[8] = "" if text in ("Đang xử lý", "Quá hạn") else r[8]
        elif field == "digitised":
            r[10] = text
        elif field == "received_at":
            r[6], r[7], r[8] = text, "20/01/2024 17:00", ""
            r[9] = "Đang xử lý"
        else:
            r[11] = text
        rows.append(r)
    imp = run(people["reporter"], write(tmp_path / "cach-viet.csv", rows, delimiter=";"))
    assert (imp.rows_bad, imp.errors) == (0, [])
    got = {
        r[0]: r[1:]
        for r in stored("channel", "status", "digitised", "received_at", "fee_amount", "online_level")
    }
    for i, (field, text, want) in enumerate(cases):
        channel, status, digitised, received, fee, level = got[f"C{i:03d}"]
        value = {"channel": channel, "status": status, "digitised": digitised, "received_at": received}.get(
            field
        )
        if field == "fee_amount":
            value = None if fee is None else float(fee)
        assert value == want, (field, text, value)
        if text == "Trực tuyến toàn trình":
            assert level == "full"  # the channel says the service level when no column does


def test_an_unknown_spelling_is_one_line_and_the_person_says_what_it_means(tmp_path, people, tree):
    u = tree["dept"].code
    rows = [HEAD, *[dossier(i, u, channel="Qua Zalo" if i % 2 else "Trực tuyến") for i in range(600)]]
    path = write(tmp_path / "zalo.csv", rows)
    reporter = people["reporter"]
    imp = importing.import_create(actor=reporter, path=path, file_name=path.name)
    imp = importing.import_set_mapping(
        actor=reporter, imp=imp, mapping=imp.mapping, save_as="Một cửa tỉnh thử"
    )
    imp = importing.import_check(actor=reporter, imp=imp)
    assert (imp.rows_total, imp.rows_bad) == (600, 300)
    assert imp.errors == [
        [
            3,
            'Kênh thực hiện không hiểu được: "Qua Zalo" (300 dòng, dòng đầu 3)'.replace(
                "Kênh thực hiện", "Hình thức nộp"
            ),
        ]
    ]
    (unknown,) = imp.report["unknown"]
    assert (unknown["field"], unknown["column"], unknown["value"], unknown["rows"]) == (
        "channel",
        "Kênh thực hiện",
        "Qua Zalo",
        300,
    )
    assert set(unknown["choices"]) == {"in_person", "online", "postal"}
    with pytest.raises(importing.DossierImportError, match="không phải một lựa chọn hợp lệ"):
        importing.import_set_values(actor=reporter, imp=imp, values={"channel": {"Qua Zalo": "fax"}})
    imp = importing.import_set_values(actor=reporter, imp=imp, values={"channel": {"Qua Zalo": "online"}})
    assert imp.status == "uploaded"
    imp = importing.import_check(actor=reporter, imp=imp)  # from the staged file, no second read
    assert (imp.rows_bad, imp.rows_good) == (0, 600)
    importing.import_commit(actor=reporter, imp=imp)
    assert {c for _, c in stored("channel")} == {"online"}
    # the next export of the same kind: the profile knows the spelling
    profile = MappingProfile.objects.get(name="Một cửa tỉnh thử")
    assert profile.values == {"channel": {"qua zalo": "online"}}
    again = write(tmp_path / "zalo-2.csv", [HEAD, dossier(900, u, channel="QUA ZALO")])
    imp2 = run(reporter, again, profile=profile)
    assert (imp2.rows_bad, imp2.rows_written) == (0, 1)


def test_a_shared_unit_name_is_asked_once_with_its_candidates(tmp_path, people, tree):
    from chitieu.orgs import services
    from chitieu.orgs.models import UnitKind

    twin = services.unit_create(
        actor=None, code="T2-XA", name="Xã An Bình", kind=UnitKind.COMMUNE, parent=tree["other"]
    )
    rows = [HEAD, *[dossier(i, "Xã An Bình") for i in range(40)], dossier(99, "UBND xã Bình An")]
    root = people["root"]
    imp = importing.import_check(
        actor=root,
        imp=importing.import_create(
            actor=root, path=write(tmp_path / "trung.csv", rows), file_name="trung.csv"
        ),
    )
    assert (imp.rows_bad, imp.rows_good) == (40, 1)  # not dropped: named, waiting for a choice
    (amb,) = imp.report["ambiguous"]
    assert (amb["value"], amb["rows"]) == ("Xã An Bình", 40)
    assert (
        f"({tree['xa_a'].code}, thuộc Tỉnh Thử Nghiệm)" in amb["message"]
        and "(T2-XA, thuộc Tỉnh Khác)" in amb["message"]
    )
    assert len(imp.errors) == 1 and "(40 dòng, dòng đầu 2)" in imp.errors[0][1]
    imp = importing.import_set_values(actor=root, imp=imp, values={"unit": {"Xã An Bình": str(twin.pk)}})
    imp = importing.import_run(actor=root, imp=imp)
    assert imp.rows_written == 41
    units = {c: uid for c, uid in stored("unit_id")}
    assert units["HS-00001"] == twin.pk and units["HS-00099"] == tree["xa_b"].pk
    # a reporter who may enter only one of the two: the name is theirs, nothing to ask
    path = write(tmp_path / "xa.csv", [HEAD, dossier(500, "Xã An Bình")])
    mine = run(people["xa_reporter"], path)
    assert (mine.rows_bad, mine.rows_written) == (0, 1)


def test_an_empty_line_inside_a_csv_keeps_the_row_numbers(tmp_path, people, tree):
    u = tree["dept"].code
    lines = [",".join(HEAD), ",".join(dossier(1, u)), "", ",".join(dossier(2, u, received="99/99/2024"))]
    path = tmp_path / "trong.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    imp = run(people["reporter"], path)
    assert imp.errors == [[4, 'Ngày tiếp nhận không hiểu được: "99/99/2024"']]
    assert [r[:2] for r in imp.report["layout_rows"]] == [[1, "header"], [3, "blank"]]


def test_a_workbook_with_no_dossier_table_is_refused_naming_what_was_looked_for(tmp_path, people):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Báo cáo tình hình thực hiện nhiệm vụ quý I"])
    wb.active.append(["Nội dung", "Kết quả"])
    path = tmp_path / "bao-cao.xlsx"
    wb.save(path)
    with pytest.raises(
        importing.DossierImportError, match="không tìm thấy bảng hồ sơ.*'Mã hồ sơ'.*'Ngày tiếp nhận'"
    ):
        importing.import_create(actor=people["root"], path=path, file_name=path.name)


def test_the_cli_names_skipped_rows_and_unknown_spellings_and_takes_their_meaning(
    tmp_path, people, tree, capsys
):
    from chitieu.cli import main

    u = tree["dept"].code
    rows = [["DANH SÁCH HỒ SƠ"], HEAD, *[dossier(i, u, channel="Qua Zalo") for i in range(4)], ["Tổng cộng"]]
    path = write(tmp_path / "cli.csv", rows)
    assert main(["dossiers", "import", str(path), "--user", "reporter"]) == 0
    out, err = capsys.readouterr()
    assert "4 dòng, 0 đúng, 4 lỗi" in out
    assert "bỏ qua 2 dòng không phải hồ sơ (dòng 1: dòng tiêu đề" in out and "dòng 7: dòng tổng cộng" in out
    assert "chưa hiểu: cột 'Kênh thực hiện', giá trị \"Qua Zalo\" ở 4 dòng (từ dòng 3)" in err
    assert "--value channel:'Qua Zalo'=NGHĨA (in_person, online, postal)" in err
    args = ["dossiers", "import", str(path), "--user", "reporter", "--value", "channel:Qua Zalo=online"]
    assert main([*args, "--save-mapping", "Zalo"]) == 0
    assert "4 dòng, 4 đúng, 0 lỗi" in capsys.readouterr().out
    assert main(["dossiers", "import", str(path), "--user", "reporter", "--mapping", "Zalo"]) == 0
    assert "4 dòng, 4 đúng, 0 lỗi" in capsys.readouterr().out
    assert main(["dossiers", "import", str(path), "--value", "channel:Qua Zalo=fax"]) == 2
    assert main(["dossiers", "import", str(path), "--value", "khong-dung-dang"]) == 2
    err = capsys.readouterr().err
    assert (
        "không phải một lựa chọn hợp lệ" in err
        and "cần dạng TRƯỜNG:CÁCH_VIẾT=NGHĨA" in err
        and "Traceback" not in err
    )
