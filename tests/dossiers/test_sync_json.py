"""The sync-record JSON of one-stop-shop systems: JSON arrays, envelopes and JSON Lines with
nested lists, flattened into the canonical record (docs/dossiers.md has the shape)."""

import datetime as dt
import json

import duckdb
import pytest

from chitieu.dossiers import importing, store

pytestmark = pytest.mark.django_db


def record(code, unit, **over):
    rec = {
        "MaHoSo": code,
        "MaTTHC": "1.004227",
        "TenTTHC": "Cấp giấy phép xây dựng",
        "KenhThucHien": "2",
        "MucDo": "4",
        "DonViXuLy": unit,
        "NgayTiepNhan": "20240105080000",
        "NgayHenTra": "20240115170000",
        "NgayKetThucXuLy": "20240110100000",
        "TrangThaiHoSo": "10",
        "DuocThanhToanTrucTuyen": "1",
        "TaiLieuNop": [
            {"TenTepDinhKem": "don.pdf", "DuocSoHoa": "1", "DuocTaiSuDung": "0", "IsDeleted": "0"},
            {"TenTepDinhKem": "cccd.pdf", "DuocSoHoa": "1", "DuocTaiSuDung": "1", "IsDeleted": "0"},
        ],
        "DanhSachLePhi": [{"TenPhiLePhi": "Lệ phí", "Gia": "50000"}, {"TenPhiLePhi": "Phí", "Gia": "25.000"}],
        "DanhSachGiayToKetQua": [{"TenGiayTo": "Giấy phép", "DuongDanTepTinKetQua": "/kq/gp.pdf"}],
    }
    rec.update(over)
    return rec


def records(unit):
    return [
        record("J-1", unit),
        # not every document digitised; a deleted one does not count; no fee list
        record(
            "J-2",
            unit,
            KenhThucHien="1",
            TaiLieuNop=[
                {"DuocSoHoa": "1", "IsDeleted": "0"},
                {"DuocSoHoa": "0", "IsDeleted": "0"},
            ],
            DanhSachLePhi=None,
            DuocThanhToanTrucTuyen="0",
        ),
        # a supplement request moved the due date 5 days; no end date, the history has it
        {
            "hoSo": record(
                "J-3",
                unit,
                NgayKetThucXuLy="",
                TrangThaiHoSo="",
                NgayHenTra="20240120170000",
                DanhSachHoSoBoSung=[
                    {
                        "NgayBoSung": "2024-01-08T09:00:00",
                        "NgayHenTraTruoc": "20240115170000",
                        "NgayHenTraMoi": "20240120170000",
                    }
                ],
                TaiLieuNop=[{"DuocSoHoa": "1", "IsDeleted": "1"}, {"DuocSoHoa": "1", "IsDeleted": "0"}],
            ),
            "tienTrinhDongBo": [
                {"TrangThai": "4", "ThoiDiemXuLy": "20240106090000"},
                {"TrangThai": "9", "ThoiDiemXuLy": "20240119160000"},
                {"TrangThai": "10", "ThoiDiemXuLy": "20240120090000"},
            ],
        },
        # lower-case keys, postal channel, withdrawn, still being processed? no: withdrawn with a date
        {
            k[0].lower() + k[1:]: v
            for k, v in record("J-4", unit, KenhThucHien="3", TrangThaiHoSo="7").items()
        },
    ]


EXPECTED = [
    # code, channel, level, due, finished, returned, status, supp count, supp days, digitised, reuse, e_result, fee, has_fee, paid
    (
        "J-1",
        "online",
        "full",
        dt.datetime(2024, 1, 15, 17),
        dt.datetime(2024, 1, 10, 10),
        None,
        "done",
        0,
        0,
        True,
        True,
        True,
        75000,
        True,
        True,
    ),
    (
        "J-2",
        "in_person",
        "full",
        dt.datetime(2024, 1, 15, 17),
        dt.datetime(2024, 1, 10, 10),
        None,
        "done",
        0,
        0,
        False,
        False,
        True,
        None,
        False,
        False,
    ),
    (
        "J-3",
        "online",
        "full",
        dt.datetime(2024, 1, 15, 17),
        dt.datetime(2024, 1, 19, 16),
        dt.datetime(2024, 1, 20, 9),
        "done",
        1,
        5,
        True,
        False,
        True,
        75000,
        True,
        True,
    ),
    (
        "J-4",
        "postal",
        "full",
        dt.datetime(2024, 1, 15, 17),
        dt.datetime(2024, 1, 10, 10),
        None,
        "withdrawn",
        0,
        0,
        True,
        True,
        True,
        75000,
        True,
        True,
    ),
]


def stored():
    cols = "code, channel, online_level, due_at, finished_at, returned_at, status, supplement_count, supplement_days, digitised, data_reuse, e_result, fee_amount, has_fee, paid_online"
    rows = (
        duckdb.connect()
        .execute(f"SELECT {cols} FROM read_parquet('{store.store_file()}') ORDER BY code")
        .fetchall()
    )
    return [tuple(None if v is None else (int(v) if k == 12 else v) for k, v in enumerate(r)) for r in rows]


@pytest.mark.parametrize("shape", ["array", "envelope", "lines"])
def test_sync_records_are_flattened_into_the_canonical_record(tmp_path, people, tree, shape):
    recs = records(tree["dept"].name)
    if shape == "array":
        text = json.dumps(recs, ensure_ascii=False, indent=1)
    elif shape == "envelope":
        text = json.dumps({"error_code": "0", "message": "Thành công", "data": recs}, ensure_ascii=False)
    else:
        text = "\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n"
    path = tmp_path / f"dong-bo.{'jsonl' if shape == 'lines' else 'json'}"
    path.write_text(text, encoding="utf-8")
    imp = importing.import_create(actor=people["reporter"], path=path, file_name=path.name)
    assert imp.layout["kind"] == "json"
    assert {imp.mapping[f] for f in ("code", "received_at", "due_at", "channel", "unit", "status")} == {
        "MaHoSo",
        "NgayTiepNhan",
        "NgayHenTra",
        "KenhThucHien",
        "DonViXuLy",
        "TrangThaiHoSo",
    }
    imp = importing.import_run(actor=people["reporter"], imp=imp)
    assert (imp.rows_total, imp.rows_bad, imp.rows_written) == (4, 0, 4), imp.errors
    assert stored() == EXPECTED


def test_a_big_array_is_read_record_by_record(tmp_path, people, tree):
    recs = [record(f"B-{i:05d}", tree["dept"].code) for i in range(3000)]
    path = tmp_path / "lon.json"
    path.write_text(json.dumps(recs), encoding="utf-8")  # ~2 MB: several read blocks of the decoder
    imp = importing.import_run(
        actor=people["reporter"],
        imp=importing.import_create(actor=people["reporter"], path=path, file_name=path.name),
    )
    assert (imp.rows_total, imp.rows_written) == (3000, 3000)


@pytest.mark.parametrize(
    "content, message",
    [
        (b'[{"MaHoSo": "A"', "JSON không hợp lệ"),
        (b'[{"Ten": "khong phai ho so"}]', "không có trường MaHoSo"),
        (b"[]", "không có bản ghi hồ sơ nào"),
        (b'{"MaHoSo": "A", "NgayTiepNhan": "20240105"}\n{"b": ', "JSON không hợp lệ sau bản ghi 1"),
    ],
)
def test_bad_json_gets_a_clear_message(tmp_path, people, content, message):
    path = tmp_path / "xau.json"
    path.write_bytes(content)
    with pytest.raises(importing.DossierImportError, match=message):
        imp = importing.import_create(actor=people["root"], path=path, file_name="xau.json")
        importing.import_run(actor=people["root"], imp=imp)
