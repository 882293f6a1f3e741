"""From dossier records to indicators: the seed report rebuilt, both engines, provenance, targets."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection

from chitieu.dossiers import importing
from chitieu.dossiers.services import compute_rows, dossiers_compute, window_rule, windows_for
from chitieu.reporting.models import DataValue

pytestmark = pytest.mark.django_db


def run_import(actor, path, *, engine=None, **kw):
    imp = importing.import_create(actor=actor, path=path, file_name=path.name, **kw)
    if engine:
        imp.engine = engine
        imp.save(update_fields=["engine"])
    return importing.import_run(actor=actor, imp=imp)


def test_the_seed_quarterly_report_is_rebuilt_from_dossiers(seed_file, people, tree, catalog):
    imp = run_import(people["root"], seed_file)
    assert (imp.rows_total, imp.rows_bad, imp.status) == (61, 0, "done")
    w = windows_for(["Quý I năm 2024"], window_rule("cutoff"))
    assert (w[0].start, w[0].end) == (dt.date(2023, 12, 15), dt.date(2024, 3, 14))
    (row,) = compute_rows(w)
    assert row["unit_id"] == tree["dept"].pk
    assert (row["processed"], row["new"], row["carried"]) == (56, 49, 7)
    assert (row["early"], row["on_time"], row["not_due"], row["late"], row["overdue"]) == (52, 2, 2, 0, 0)
    assert row["online"] == 56
    assert (row["procs_online"], row["procs_offered"]) == (3, 7)
    run = dossiers_compute(actor=people["root"], periods=["2024Q1"])
    v = {dv.indicator.code: dv for dv in DataValue.objects.filter(unit=tree["dept"], period="2024Q1")}
    rate = lambda c: v[c].numerator / v[c].denominator * 100  # noqa: E731
    assert (v["DVC_ONLINE_DOSSIER"].numerator, v["DVC_ONLINE_DOSSIER"].denominator) == (56, 56)
    assert rate("DVC_ONLINE_DOSSIER") == 100
    assert (v["ONTIME"].numerator, v["ONTIME"].denominator) == (56, 56)  # early + on time + not yet due
    assert v["DOSSIER_EARLY"].value == 52 and round(D(52) / D(56) * 100) == 93  # "52/56 hồ sơ đạt 93%"
    assert (v["DOSSIER_ON_TIME"].value, v["DOSSIER_NOT_DUE"].value, v["DOSSIER_LATE"].value) == (2, 2, 0)
    assert (v["DVC_PROC_WITH_ONLINE"].numerator, v["DVC_PROC_WITH_ONLINE"].denominator) == (3, 7)
    assert round(rate("DVC_PROC_WITH_ONLINE")) == 43  # "03/07 đạt 43%"
    assert (v["DIGITIZE_DOSSIER"].numerator, v["DIGITIZE_DOSSIER"].denominator) == (56, 56)
    assert (v["DIGITIZE_RESULT"].numerator, v["DIGITIZE_RESULT"].denominator) == (54, 54)  # the 54 finished
    assert (v["SYNC_DVCQG"].numerator, v["SYNC_DVCQG"].denominator) == (56, 56)
    # provenance: which import, which rule version, which run
    dv = v["DVC_ONLINE_DOSSIER"]
    assert dv.source == "computed"
    assert f"lần nhập #{imp.pk}" in dv.computed_from and "quy tắc 2026.2" in dv.computed_from
    assert f"lần tính #{run.pk}" in dv.computed_from
    # computing again changes nothing and makes no new version
    again = dossiers_compute(actor=people["root"], periods=["2024Q1"])
    assert again.values_written == 0 and again.values_unchanged == run.values_written
    assert DataValue.objects.get(pk=dv.pk).version == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL push-down: runs in the PostgreSQL suite"
)
def test_duckdb_and_postgresql_give_the_same_numbers(tmp_path, people, tree, catalog, settings):
    from chitieu.dossiers.generator import generate
    from chitieu.dossiers.store import clear

    units = [tree["dept"].code, tree["xa_a"].code, tree["xa_b"].code, tree["office"].code]
    path = tmp_path / "ho-so.csv"
    generate(path, units=units, rows=20_000, year=2024, seed=7)
    run_import(people["root"], path, engine="duckdb")
    run_import(people["root"], path, engine="postgres")
    windows = windows_for(["2024Q1", "2024Q2", "2024Q3", "2024Q4"], window_rule("cutoff"))
    duck = compute_rows(windows, engine="duckdb")
    pg = compute_rows(windows, engine="postgres")
    strip = lambda rows: [{k: v for k, v in r.items() if k != "imports"} for r in rows]  # noqa: E731
    assert strip(duck) == strip(pg) and len(duck) == 16
    assert sum(r["processed"] for r in duck if r["period"] == "2024Q2") > 3000
    clear()


def test_targets_evaluate_against_computed_values(seed_file, people, tree, catalog):
    from chitieu.analytics.models import TargetState
    from chitieu.indicators.models import Indicator
    from chitieu.plans import services as plans

    root = people["root"]
    p = plans.plan_create(
        actor=root, issuer=tree["dept"], title="CĐS 2024", number_symbol="3/KH-SNV", date_text="2024-01-05"
    )
    t = plans.target_create(
        actor=root,
        plan=p,
        text="Tỷ lệ hồ sơ trực tuyến",
        operator=">",
        threshold=70,
        indicator=Indicator.objects.get(code="DVC_ONLINE_DOSSIER"),
        lead_unit=tree["dept"],
    )
    plans.plan_activate(actor=root, plan=p)
    run_import(root, seed_file)
    dossiers_compute(actor=root, periods=["2024Q1"])
    s = TargetState.objects.get(target=t, unit=tree["dept"])
    assert (s.numerator, s.denominator, s.status, s.period) == (D(56), D(56), "met", "2024Q1")


def test_locked_reports_are_not_overwritten(seed_file, people, tree, catalog):
    from chitieu.indicators.models import Indicator
    from chitieu.plans import services as plans
    from chitieu.reporting import workflow
    from chitieu.reporting.models import Submission
    from chitieu.reporting.services import value_save

    root = people["root"]
    ind = Indicator.objects.get(code="DVC_ONLINE_DOSSIER")
    p = plans.plan_create(
        actor=root, issuer=tree["dept"], title="CĐS 2024", number_symbol="4/KH-SNV", date_text="2024-01-05"
    )
    plans.target_create(
        actor=root,
        plan=p,
        text="Trực tuyến",
        operator=">",
        threshold=70,
        indicator=ind,
        lead_unit=tree["dept"],
    )
    plans.plan_activate(actor=root, plan=p)
    value_save(actor=root, indicator=ind, unit=tree["dept"], period="2024Q1", numerator=50, denominator=56)
    workflow.submission_submit(
        actor=root, submission=Submission.objects.get(plan=p, unit=tree["dept"], period="2024Q1")
    )
    run_import(root, seed_file)
    run = dossiers_compute(actor=root, periods=["2024Q1"])
    assert [tree["dept"].code, "DVC_ONLINE_DOSSIER", "2024Q1"] in run.values_locked
    dv = DataValue.objects.get(indicator=ind, unit=tree["dept"], period="2024Q1")
    assert (dv.numerator, dv.source) == (D(50), "entered")


def test_pending_at_the_windows_end_both_ways_at_the_boundary(tmp_path, people, tree):
    """docs/dossiers.md, "Hồ sơ còn tồn cuối kỳ": Q1 2024 under Decree 09 ends on 14/03/2024.
    Open at its end and due that day: not yet due; due the day before: overdue. The time of day
    is not compared; supplement days move the due day; the window starts at 00:00 of its first day."""
    from tests.dossiers.conftest import write_csv

    u = tree["dept"].code
    head = [
        "Mã hồ sơ",
        "Mã thủ tục",
        "Đơn vị tiếp nhận",
        "Ngày tiếp nhận",
        "Hạn xử lý",
        "Ngày có kết quả",
        "Số ngày bổ sung",
    ]
    rows = [
        [
            "P-LAST",
            "2.001",
            u,
            "01/03/2024 08:00",
            "14/03/2024 17:00",
            "",
            "0",
        ],  # due on the last day: not yet due
        [
            "P-BEFORE",
            "2.001",
            u,
            "01/03/2024 08:00",
            "13/03/2024 17:00",
            "",
            "0",
        ],  # due the day before: overdue
        ["P-SUPP", "2.001", u, "01/03/2024 08:00", "10/03/2024 17:00", "", "4"],  # 10/03 + 4 days = 14/03
        [
            "F-HOUR",
            "2.001",
            u,
            "01/03/2024 08:00",
            "14/03/2024 09:00",
            "14/03/2024 18:30",
            "0",
        ],  # on the due day
        ["F-NEXT", "2.001", u, "01/03/2024 08:00", "13/03/2024 17:00", "14/03/2024 08:00", "0"],  # a day late
        [
            "F-AFTER",
            "2.001",
            u,
            "01/03/2024 08:00",
            "14/03/2024 17:00",
            "15/03/2024 10:00",
            "0",
        ],  # done after the end
        [
            "R-START",
            "2.001",
            u,
            "15/12/2023 00:00",
            "31/03/2024 17:00",
            "",
            "0",
        ],  # first minute of the window
        ["R-PREV", "2.001", u, "14/12/2023 23:59", "31/03/2024 17:00", "", "0"],  # last minute before it
    ]
    path = write_csv(tmp_path / "bien.csv", rows, headers=head)
    imp = run_import(people["root"], path)
    assert (imp.rows_bad, imp.rows_written) == (0, 8), imp.errors
    q1, q2 = windows_for(["2024Q1", "2024Q2"], window_rule("cutoff"))
    assert (q1.end, q2.start) == (dt.date(2024, 3, 14), dt.date(2024, 3, 15))
    (r1,) = compute_rows([q1])
    # open at the end: P-LAST, P-SUPP, F-AFTER (due 14/03), R-START, R-PREV (due 31/03) / P-BEFORE
    assert (r1["not_due"], r1["overdue"]) == (5, 1)
    assert (r1["on_time"], r1["late"], r1["early"]) == (1, 1, 0)  # F-HOUR / F-NEXT
    assert (r1["new"], r1["carried"], r1["processed"]) == (7, 1, 8)
    (r2,) = compute_rows([q2])
    # Q2 carries the six still open on 15/03 00:00: F-AFTER finished a day late, five are overdue
    assert (r2["processed"], r2["carried"], r2["late"], r2["overdue"], r2["not_due"]) == (6, 6, 1, 5, 0)
