"""A stored dossier belongs to its unit: an import never takes over another unit's dossiers by
re-using their ids, and never moves a dossier between units silently (issue 20, item 1).

The probe's steps: a commune has 131 dossiers; the department's reporter uploads a file with the
same "Mã hồ sơ" and the department as receiving unit. Before the fix the check said "131 đúng, 0
lỗi", the 131 dossiers became the department's and its on-time rate went from 18/20 to 149/151.
Each test runs on both dossier engines (the DuckDB store; the PostgreSQL table, in the PostgreSQL
suite) and so on both databases.
"""

import datetime as dt

import duckdb
import pytest
from django.db import connection

from chitieu.audit.models import ChangeRecord
from chitieu.dossiers import importing, store
from chitieu.dossiers.services import compute_rows, dossiers_compute, window_rule, windows_for
from chitieu.reporting.models import DataValue
from tests.dossiers.conftest import write_csv

pytestmark = pytest.mark.django_db

ENGINES = [
    "duckdb",
    pytest.param(
        "postgres",
        marks=pytest.mark.skipif(
            connection.vendor != "postgresql", reason="the PostgreSQL store runs in the PostgreSQL suite"
        ),
    ),
]


@pytest.fixture(params=ENGINES)
def engine(request, settings):
    settings.CHITIEU_DOSSIER_ENGINE = request.param
    yield request.param
    store.clear()


def dossier(code, unit, day, *, late=False):
    received = dt.datetime(2024, 1, 8, 8) + dt.timedelta(days=day % 40)
    due = received + dt.timedelta(days=10)
    finished = due + dt.timedelta(days=3) if late else received + dt.timedelta(days=4)
    f = "%d/%m/%Y %H:%M"
    return [
        code,
        "2.001",
        "Thủ tục thử",
        "Toàn trình",
        unit,
        "Trực tuyến",
        received.strftime(f),
        due.strftime(f),
        finished.strftime(f),
        "Có",
        "Có",
        "",
        "",
        "Có",
    ]


def run(actor, path, *, move_units=False, **kw):
    imp = importing.import_create(actor=actor, path=path, file_name=path.name, **kw)
    return importing.import_run(actor=actor, imp=imp, move_units=move_units)


def owners(engine) -> dict[str, int]:
    if engine == "postgres":
        with connection.cursor() as cur:
            cur.execute("SELECT code, unit_id FROM dossiers_dossier")
            return dict(cur.fetchall())
    f = store.store_file()
    if not f.exists():
        return {}
    return dict(duckdb.connect().execute(f"SELECT code, unit_id FROM read_parquet('{f}')").fetchall())


def on_time(engine, unit) -> tuple[int, int]:
    (w,) = windows_for(["2024Q1"], window_rule("cutoff"))
    for r in compute_rows([w], engine=engine):
        if r["unit_id"] == unit.pk:
            return r["ontime_or_not_due"], r["processed"]
    return 0, 0


@pytest.fixture
def probe(tmp_path, people, tree, engine):
    """The commune's 131 dossiers and the department's 20 (18 on time), each imported by its
    own reporter; the takeover file: the commune's ids with the department as receiving unit."""
    xa, dept = tree["xa_a"], tree["dept"]
    commune = write_csv(tmp_path / "xa.csv", [dossier(f"XA-{i:03d}", xa.code, i) for i in range(131)])
    own = write_csv(
        tmp_path / "so.csv", [dossier(f"SNV-{i:02d}", dept.code, i, late=i >= 18) for i in range(20)]
    )
    assert run(people["xa_reporter"], commune).rows_written == 131
    assert run(people["reporter"], own).rows_written == 20
    takeover = write_csv(tmp_path / "chiem.csv", [dossier(f"XA-{i:03d}", dept.code, i) for i in range(131)])
    return {"takeover": takeover, "xa": xa, "dept": dept}


def test_a_reporter_cannot_take_over_another_units_dossiers(probe, people, engine, catalog):
    xa, dept = probe["xa"], probe["dept"]
    reporter = people["reporter"]
    before = owners(engine)
    assert on_time(engine, dept) == (18, 20) and on_time(engine, xa) == (131, 131)
    imp = importing.import_create(actor=reporter, path=probe["takeover"], file_name="chiem.csv")
    imp = importing.import_check(actor=reporter, imp=imp)
    # the preview: every row is a conflict, none is "đúng"
    assert (imp.rows_total, imp.rows_good, imp.rows_bad, imp.rows_conflict) == (131, 0, 131, 131)
    assert (imp.conflicts["takeovers"], imp.conflicts["moves"]) == (131, 0)
    assert imp.errors[0] == [
        2,
        'mã hồ sơ "XA-000" đã có trong kho, thuộc một đơn vị khác: bạn không có quyền sửa hồ sơ của đơn vị đó',
    ]
    assert "131 hồ sơ đã có trong kho thuộc đơn vị mà bạn không có quyền nhập" in imp.message
    # even "import the good rows" writes none of them
    imp = importing.import_commit(actor=reporter, imp=imp, import_good=True)
    assert imp.status == "done" and imp.rows_written == 0
    assert owners(engine) == before
    # moving is not a way round it: the reporter may not enter the commune's data
    again = run(reporter, probe["takeover"], move_units=True)
    assert again.rows_written == 0 and owners(engine) == before
    # the figures stay where they were
    assert on_time(engine, dept) == (18, 20) and on_time(engine, xa) == (131, 131)
    dossiers_compute(actor=people["root"], periods=["2024Q1"], engine=engine)
    v = DataValue.objects.get(indicator__code="ONTIME", unit=dept, period="2024Q1")
    assert (v.numerator, v.denominator) == (18, 20)
    v = DataValue.objects.get(indicator__code="ONTIME", unit=xa, period="2024Q1")
    assert (v.numerator, v.denominator) == (131, 131)


def test_the_cli_names_the_conflicts_and_writes_nothing(probe, people, engine, capsys):
    from chitieu.cli import main

    before = owners(engine)
    assert main(["dossiers", "import", str(probe["takeover"]), "--user", "reporter"]) == 0
    out, err = capsys.readouterr()
    assert "131 dòng, 0 đúng, 131 lỗi (131 xung đột đơn vị)" in out
    assert "bỏ qua 131 hồ sơ thuộc đơn vị khác" in out
    assert 'dòng 2: mã hồ sơ "XA-000" đã có trong kho' in err
    assert owners(engine) == before


def test_the_commune_itself_may_still_update_its_dossiers(probe, people, engine, tmp_path):
    xa = probe["xa"]
    fix = write_csv(tmp_path / "sua.csv", [dossier("XA-000", xa.code, 0, late=True)])
    imp = run(people["xa_reporter"], fix)
    assert (imp.rows_good, imp.rows_conflict, imp.rows_written) == (1, 0, 1)
    assert on_time(engine, xa) == (130, 131)


def test_a_move_between_units_is_a_conflict_until_confirmed(probe, people, engine, tmp_path):
    """The province's admin may enter data for both units: the move is listed, not made, unless
    asked for; then it is made and the change record says how many moved."""
    xa, dept = probe["xa"], probe["dept"]
    admin = people["admin"]
    path = write_csv(
        tmp_path / "chuyen.csv",
        [dossier("XA-007", dept.code, 7), dossier("MOI-1", dept.code, 1)],
    )
    imp = importing.import_check(
        actor=admin, imp=importing.import_create(actor=admin, path=path, file_name="chuyen.csv")
    )
    assert (imp.rows_good, imp.rows_bad, imp.conflicts["takeovers"], imp.conflicts["moves"]) == (1, 1, 0, 1)
    assert imp.errors == [
        [
            2,
            f'mã hồ sơ "XA-007" đang thuộc "{xa.display_name}", tệp ghi "{dept.display_name}": '
            "chỉ chuyển đơn vị khi bạn xác nhận chuyển",
        ]
    ]
    imp = importing.import_commit(actor=admin, imp=imp)  # skip mode, no move asked for
    assert imp.rows_written == 1 and owners(engine)["XA-007"] == xa.pk and owners(engine)["MOI-1"] == dept.pk
    moved = run(admin, path, move_units=True)
    assert moved.rows_written == 2 and owners(engine)["XA-007"] == dept.pk
    assert "1 hồ sơ chuyển sang đơn vị ghi trong tệp" in moved.message
    rec = ChangeRecord.objects.filter(object_id=str(moved.pk)).order_by("-pk").first()
    assert rec.after["moved_between_units"] == 1


def test_all_or_nothing_refuses_a_file_with_a_conflict(probe, people, engine, tmp_path):
    dept = probe["dept"]
    path = write_csv(
        tmp_path / "tron.csv", [dossier("SNV-NEW", dept.code, 2), dossier("XA-001", dept.code, 1)]
    )
    imp = run(people["reporter"], path, on_error="abort")
    assert imp.status == "cancelled" and "SNV-NEW" not in owners(engine)


def test_a_conflict_that_appears_after_the_check_is_decided_again_at_commit(probe, people, engine, tmp_path):
    """Checked while the id was free; the commune writes it before the department commits."""
    xa, dept = probe["xa"], probe["dept"]
    theirs = write_csv(tmp_path / "xa2.csv", [dossier("CHUNG-1", xa.code, 3)])
    mine = write_csv(tmp_path / "so2.csv", [dossier("CHUNG-1", dept.code, 3), dossier("SNV-X", dept.code, 4)])
    reporter = people["reporter"]
    strict = importing.import_check(
        actor=reporter,
        imp=importing.import_create(actor=reporter, path=mine, file_name="so2.csv", on_error="abort"),
    )
    loose = importing.import_check(
        actor=reporter, imp=importing.import_create(actor=reporter, path=mine, file_name="so2.csv")
    )
    assert strict.rows_conflict == 0 and loose.rows_conflict == 0
    assert run(people["xa_reporter"], theirs).rows_written == 1
    with pytest.raises(importing.DossierImportError, match="1 hồ sơ vừa được ghi cho đơn vị khác"):
        importing.import_commit(actor=reporter, imp=strict)
    assert "SNV-X" not in owners(engine) and owners(engine)["CHUNG-1"] == xa.pk
    loose = importing.import_commit(actor=reporter, imp=loose)
    assert (
        loose.rows_written == 1 and owners(engine)["CHUNG-1"] == xa.pk and owners(engine)["SNV-X"] == dept.pk
    )
