"""Importing exports: mapping proposals, bad rows named, all-or-nothing, updates not duplicates,
permissions, XLSX and legacy code pages, the CLI."""

import duckdb
import pytest

from chitieu.dossiers import importing, store
from chitieu.dossiers.fields import check_mapping, propose_mapping
from chitieu.dossiers.generator import HEADERS_A, HEADERS_B, generate
from chitieu.orgs.permissions import NotAllowed
from tests.dossiers.conftest import HEADERS, write_csv

pytestmark = pytest.mark.django_db


def stored_codes() -> list[str]:
    f = store.store_file()
    if not f.exists():
        return []
    return [
        r[0]
        for r in duckdb.connect().execute(f"SELECT code FROM read_parquet('{f}') ORDER BY code").fetchall()
    ]


def row(
    code,
    unit,
    received="05/01/2024 08:00",
    due="15/01/2024 17:00",
    finished="10/01/2024 10:00",
    channel="Trực tuyến",
):
    return [
        code,
        "2.001",
        "Thủ tục thử",
        "Toàn trình",
        unit,
        channel,
        received,
        due,
        finished,
        "Có",
        "Có",
        "",
        "",
        "Có",
    ]


@pytest.mark.parametrize("headers", [HEADERS_A, HEADERS_B])
def test_mapping_is_proposed_for_both_header_styles(headers):
    mapping = propose_mapping(list(headers.values()))
    for field, header in headers.items():
        name = "unit" if field == "unit" else field
        assert mapping.get(name) == header, (field, mapping.get(name))
    assert check_mapping(mapping, list(headers.values())) == []


def test_a_missing_required_column_is_named():
    problems = check_mapping(propose_mapping(["Mã hồ sơ", "Ngày tiếp nhận"]), ["Mã hồ sơ", "Ngày tiếp nhận"])
    assert "Chưa chọn cột cho trường bắt buộc 'Đơn vị tiếp nhận'." in problems


def test_bad_rows_are_named_and_the_user_chooses(tmp_path, people, tree):
    rows = [
        row("A1", tree["dept"].code),
        row("A2", tree["dept"].code, received="32/13/2024"),  # not a date
        row("A3", "KHONG-CO"),  # unknown unit
        row("A1", tree["dept"].code),  # duplicate id in the file
        row("A5", tree["dept"].code, finished="01/01/2024 10:00"),  # finished before received
        row("A6", tree["dept"].code, channel="Fax"),  # unknown channel
        row("A7", "Sở Nội vụ tỉnh Thử Nghiệm"),  # a unit by its name
        row("A8", tree["other_dept"].code),  # outside the reporter's unit
    ]
    path = write_csv(tmp_path / "loi.csv", rows)
    reporter = people["reporter"]
    imp = importing.import_create(actor=reporter, path=path, file_name="loi.csv", on_error="abort")
    imp = importing.import_check(actor=reporter, imp=imp)
    assert (imp.rows_total, imp.rows_good, imp.rows_bad) == (8, 2, 6)
    errors = dict(imp.errors)
    assert errors[3] == 'Ngày tiếp nhận không hiểu được: "32/13/2024"'
    assert errors[4] == 'Đơn vị tiếp nhận "KHONG-CO" không có trong danh mục đơn vị'
    assert errors[5] == 'mã hồ sơ "A1" đã có ở dòng 2'
    assert errors[6] == "ngày có kết quả trước ngày tiếp nhận"
    assert errors[7] == 'Hình thức nộp không hiểu được: "Fax"'
    assert errors[9].startswith("không có quyền nhập hồ sơ của đơn vị")
    # all or nothing: nothing is written
    imp = importing.import_commit(actor=reporter, imp=imp)
    assert imp.status == "cancelled" and stored_codes() == []
    # the good rows only, when the user says so
    imp2 = importing.import_check(
        actor=reporter, imp=importing.import_create(actor=reporter, path=path, file_name="loi.csv")
    )
    importing.import_commit(actor=reporter, imp=imp2, import_good=True)
    assert stored_codes() == ["A1", "A7"]


def test_reimporting_an_overlapping_file_updates_and_never_duplicates(tmp_path, people, tree):
    u = tree["dept"].code
    first = write_csv(tmp_path / "t1.csv", [row("B1", u), row("B2", u, finished="")])
    second = write_csv(tmp_path / "t2.csv", [row("B2", u, finished="12/01/2024 09:00"), row("B3", u)])
    for path in (first, second, second):
        imp = importing.import_create(actor=people["root"], path=path, file_name=path.name)
        importing.import_run(actor=people["root"], imp=imp)
    assert stored_codes() == ["B1", "B2", "B3"]
    finished = (
        duckdb.connect()
        .execute(f"SELECT finished_at FROM read_parquet('{store.store_file()}') WHERE code = 'B2'")
        .fetchone()[0]
    )
    assert finished is not None and finished.day == 12  # the newer import won


def test_xlsx_and_windows_code_page(tmp_path, people, tree):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    import datetime as dt

    ws.append(
        [
            "X1",
            "2.001",
            "Thủ tục",
            "Một phần",
            tree["dept"].code,
            "Trực tiếp",
            dt.datetime(2024, 1, 5, 8),
            dt.datetime(2024, 1, 15, 17),
            None,
            "x",
            "",
            "",
            "",
            "1",
        ]
    )
    wb.save(tmp_path / "ho-so.xlsx")
    imp = importing.import_run(
        actor=people["root"],
        imp=importing.import_create(
            actor=people["root"], path=tmp_path / "ho-so.xlsx", file_name="ho-so.xlsx"
        ),
    )
    assert (imp.rows_good, imp.rows_bad) == (1, 0)
    legacy = write_csv(tmp_path / "cp1258.csv", [row("W1", tree["dept"].code)], encoding="cp1258")
    imp = importing.import_run(
        actor=people["root"],
        imp=importing.import_create(actor=people["root"], path=legacy, file_name="cp1258.csv"),
    )
    assert (imp.rows_good, imp.rows_bad) == (1, 0)
    # Excel's "Unicode text": UTF-16 with a BOM, tab separated
    text = "\n".join("\t".join(r) for r in [HEADERS, row("U1", tree["dept"].code)]) + "\n"
    (tmp_path / "unicode.txt").write_text(text, encoding="utf-16")
    imp = importing.import_run(
        actor=people["root"],
        imp=importing.import_create(
            actor=people["root"], path=tmp_path / "unicode.txt", file_name="unicode.txt"
        ),
    )
    assert (imp.rows_good, imp.rows_bad) == (1, 0)
    assert stored_codes() == ["U1", "W1", "X1"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "tệp rỗng"),
        (b"Ma,Ngay\n\x00\x01\x02", "không tìm thấy bảng hồ sơ trong 60 dòng đầu: .*'Mã hồ sơ', 'Mã thủ tục'"),
        (b"A,A\n1,2\n", "không tìm thấy bảng hồ sơ"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "Excel 97-2003 \\(.xls\\) chưa được hỗ trợ"),
        (b"<html><body><table><tr><td>M\xc3\xa3</td></tr></table>", "trang HTML/XML"),
        (bytes(range(256)) * 4, "nội dung nhị phân"),
    ],
)
def test_bad_files_get_a_clear_message(tmp_path, people, content, message):
    path = tmp_path / "xau.csv"
    path.write_bytes(content)
    with pytest.raises(importing.DossierImportError, match=message):
        imp = importing.import_create(actor=people["root"], path=path, file_name="xau.csv")
        importing.import_run(actor=people["root"], imp=imp)


def test_someone_without_rights_cannot_import(tmp_path, people, tree):
    path = write_csv(tmp_path / "a.csv", [row("Z1", tree["dept"].code)])
    with pytest.raises(NotAllowed):
        importing.import_create(actor=people["viewer"], path=path, file_name="a.csv")


def test_cli_generate_import_compute(tmp_path, people, tree, catalog, capsys):
    from chitieu.cli import main

    out = tmp_path / "gen.csv"
    assert (
        main(
            [
                "gen-dossiers",
                "--units",
                "4",
                "--rows",
                "3000",
                "--year",
                "2024",
                "--seed",
                "3",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert main(["dossiers", "import", str(out), "--user", "root"]) == 0
    assert "3,000 dòng, 3,000 đúng, 0 lỗi" in capsys.readouterr().out
    assert main(["dossiers", "compute", "2024Q1", "2024Q2", "--user", "root"]) == 0
    assert "số liệu ghi mới" in capsys.readouterr().out
    assert main(["dossiers", "compute", "2024Q9"]) == 2
    assert main(["dossiers", "import", str(tmp_path / "none.csv")]) == 2
    assert main(["dossiers", "import", str(out), "--mapping", "khong-co"]) == 2
    assert main(["gen-dossiers", "--rows", "0", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Kỳ '2024Q9' không hợp lệ" in err


def test_generator_is_deterministic_and_realistic(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    generate(a, units=["U1", "U2", "U3"], rows=20_000, year=2025, seed=5)
    generate(b, units=["U1", "U2", "U3"], rows=20_000, year=2025, seed=5)
    assert a.read_bytes() == b.read_bytes()
    con = duckdb.connect()
    n = con.execute(f"SELECT count(*) FROM read_csv('{a}', all_varchar=true)").fetchone()[0]
    feb, dec = (
        con.execute(
            f"SELECT count(*) FROM read_csv('{a}', all_varchar=true) WHERE \"Ngày tiếp nhận\" LIKE '%/{m}/2025%'"
        ).fetchone()[0]
        for m in ("02", "12")
    )
    assert dec > feb * 1.6  # Tết dip, December rush
    online = con.execute(
        f"SELECT avg(CASE WHEN \"Hình thức nộp\" = 'Trực tuyến' THEN 1 ELSE 0 END) FROM read_csv('{a}', all_varchar=true)"
    ).fetchone()[0]
    assert 0.3 < online < 0.9 and n == 20_000
