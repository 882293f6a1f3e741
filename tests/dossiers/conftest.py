import csv
import datetime as dt
import unicodedata
from pathlib import Path

import pytest

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
    "Số hóa kết quả",
    "Kết quả bản giấy",
    "Kết quả điện tử",
    "Đồng bộ DVCQG",
]


def _d(day: dt.date, hour: int = 9) -> str:
    return f"{day:%d/%m/%Y} {hour:02d}:00"


def seed_like_rows(unit_code: str) -> list[list[str]]:
    """Dossiers of one department made to match the figures of the real quarterly report (Q1 2024,
    window 15/12/2023 - 14/03/2024): 56 processed (49 new, 7 carried over), 52 early, 2 on time,
    2 not yet due, 0 late, 56 online, 3 of 7 online procedures with online dossiers."""
    rows = []
    procs = [(f"2.00{i}", f"Thủ tục thử {i}", "Toàn trình" if i % 2 else "Một phần") for i in range(1, 8)]

    def add(code, proc, received, due, finished, channel="Trực tuyến"):
        p = procs[proc]
        rows.append(
            [
                code,
                p[0],
                p[1],
                p[2],
                unit_code,
                channel,
                _d(received),
                _d(due, 17),
                _d(finished, 15) if finished else "",
                "Có",
                "Có" if finished else "",
                "",
                "",
                "Có",
            ]
        )

    w0 = dt.date(2023, 12, 15)
    # four procedures offered online whose only dossiers were finished long before the window
    for i in range(3, 7):
        add(f"CU-{i}", i, dt.date(2023, 9, 4), dt.date(2023, 9, 20), dt.date(2023, 9, 11))
    # 7 carried over: received before the window, finished inside it, early
    for i in range(7):
        add(f"CO-{i}", i % 3, w0 - dt.timedelta(days=3), dt.date(2024, 1, 10), dt.date(2024, 1, 5))
    # 43 new, early
    for i in range(43):
        day = w0 + dt.timedelta(days=2 + i)
        add(f"NE-{i}", i % 3, day, day + dt.timedelta(days=10), day + dt.timedelta(days=4))
    # 2 new, on the due day
    for i in range(2):
        day = dt.date(2024, 2, 1) + dt.timedelta(days=i)
        add(f"OT-{i}", 0, day, day + dt.timedelta(days=7), day + dt.timedelta(days=7))
    # 2 new, not yet due at the end of the window
    for i in range(2):
        add(f"ND-{i}", 1, dt.date(2024, 3, 11), dt.date(2024, 3, 25), None)
    # 2 new, finished early but received late in the window
    for i in range(2):
        add(f"NL-{i}", 2, dt.date(2024, 3, 1), dt.date(2024, 3, 12), dt.date(2024, 3, 5))
    # after the window: not counted
    add("AFTER-1", 0, dt.date(2024, 3, 20), dt.date(2024, 3, 30), dt.date(2024, 3, 22))
    return rows


def to_cp1258(text: str) -> str:
    """Text as Windows-1258 stores it: base letters precomposed, tone marks combining."""
    out = []
    for c in text:
        try:
            c.encode("cp1258")
            out.append(c)
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", c)
            tone = "".join(m for m in d if m in "\u0300\u0301\u0303\u0309\u0323")
            out.append(unicodedata.normalize("NFC", "".join(m for m in d if m not in tone)) + tone)
    return "".join(out)


def write_csv(
    path: Path, rows: list[list[str]], headers: list[str] = HEADERS, encoding: str = "utf-8"
) -> Path:
    conv = to_cp1258 if encoding == "cp1258" else (lambda t: t)
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow([conv(h) for h in headers])
        w.writerows([[conv(str(c)) for c in r] for r in rows])
    return path


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CHITIEU_DOSSIER_ENGINE = "duckdb"


@pytest.fixture
def seed_file(tmp_path, tree):
    return write_csv(tmp_path / "ho-so-quy-1.csv", seed_like_rows(tree["dept"].code))
