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
