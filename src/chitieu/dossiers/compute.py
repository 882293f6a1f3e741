"""Service indicators from dossier records, per receiving unit and period.

One SQL text serves both engines (DuckDB over the columnar store, PostgreSQL over its table):
the dossiers "processed in the period" are those received before the end of the window and not
finished before its start (the new ones plus those carried over). Each is classified once:

* finished by the end of the window: **early** (finished before the due date), **on time** (on
  the due date), **late** (after it, or more than one request to supplement; days spent
  supplementing extend the due date);
* still open at the end of the window: **overdue** (its due day is before the window's last
  day) or **not yet due** (due on the last day or later: the 766 rule takes the last day of the
  period as the end date of an open dossier, and a dossier is on time when its end date is on
  or before its due date). Days are calendar days in local time; the time of day of a due date
  or of a finish is not compared (``docs/dossiers.md`` has the rule and its boundary cases).

Rates follow the 766 operational definitions (``../shared/domain.md`` §3.2) as configured in
:data:`RULES`; ``RULE_VERSION`` is written into every value's provenance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

RULE_VERSION = "2026.2"  # 2026.2: a dossier open at the window's end and due on its last day is not yet due

# metric column -> SQL aggregate over the classified rows "x" of one unit and window
METRICS: dict[str, str] = {
    "processed": "count(*)",
    "new": "count(*) FILTER (WHERE received_at >= wstart)",
    "carried": "count(*) FILTER (WHERE received_at < wstart)",
    "online": "count(*) FILTER (WHERE channel = 'online')",
    "online_full": "count(*) FILTER (WHERE channel = 'online' AND online_level = 'full')",
    "online_partial": "count(*) FILTER (WHERE channel = 'online' AND online_level = 'partial')",
    "postal": "count(*) FILTER (WHERE channel = 'postal')",
    "finished": "count(*) FILTER (WHERE done)",
    "early": "count(*) FILTER (WHERE done AND NOT late AND due_d IS NOT NULL AND end_d < due_d)",
    "on_time": "count(*) FILTER (WHERE done AND NOT late AND (due_d IS NULL OR end_d >= due_d))",
    "late": "count(*) FILTER (WHERE done AND late)",
    "overdue": "count(*) FILTER (WHERE NOT done AND late)",
    "not_due": "count(*) FILTER (WHERE NOT done AND NOT late)",
    "digitised": "count(*) FILTER (WHERE digitised AND (NOT paper_result OR e_result))",
    "result_digitised": "count(*) FILTER (WHERE done AND result_digitised)",
    "paper": "count(*) FILTER (WHERE paper_result)",
    "e_result": "count(*) FILTER (WHERE paper_result AND e_result)",
    "fee_due": "count(*) FILTER (WHERE has_fee AND coalesce(fee_amount, 0) > 0)",
    "paid_online": "count(*) FILTER (WHERE has_fee AND coalesce(fee_amount, 0) > 0 AND paid_online)",
    "reuse": "count(*) FILTER (WHERE data_reuse)",
    "synced": "count(*) FILTER (WHERE synced)",
    "unhappy": "count(*) FILTER (WHERE late OR complaint OR rating = 'dissatisfied')",
    "imports": "string_agg(DISTINCT CAST(import_id AS VARCHAR), ',')",
}

# catalog indicator -> (numerator metric, denominator metric) or ("value", metric)
RULES: dict[str, tuple[str, str]] = {
    "DVC_ONLINE_DOSSIER": ("online", "processed"),
    "DVC_ONLINE_FULL_DOSSIER": ("online_full", "processed"),
    "ONTIME": ("ontime_or_not_due", "processed"),
    "DIGITIZE_DOSSIER": ("digitised", "processed"),
    "DIGITIZE_RESULT": ("result_digitised", "finished"),
    "E_RESULT": ("e_result", "paper"),
    "ONLINE_PAYMENT": ("paid_online", "fee_due"),
    "DATA_REUSE": ("reuse", "processed"),
    "SYNC_DVCQG": ("synced", "processed"),
    "SATISFACTION": ("happy", "processed"),
    "DVC_PROC_WITH_ONLINE": ("procs_online", "procs_offered"),
    "DOSSIER_PROCESSED": ("value", "processed"),
    "DOSSIER_NEW": ("value", "new"),
    "DOSSIER_CARRIED": ("value", "carried"),
    "DOSSIER_EARLY": ("value", "early"),
    "DOSSIER_ON_TIME": ("value", "on_time"),
    "DOSSIER_LATE": ("value", "late"),
    "DOSSIER_OVERDUE": ("value", "overdue"),
    "DOSSIER_NOT_DUE": ("value", "not_due"),
}


@dataclass(frozen=True)
class Window:
    period: str
    start: dt.date
    end: dt.date  # inclusive


def _windows_sql(windows: list[Window]) -> str:
    rows = ", ".join(
        f"('{w.period}', TIMESTAMP '{w.start.isoformat()} 00:00:00', "
        f"TIMESTAMP '{(w.end + dt.timedelta(days=1)).isoformat()} 00:00:00', DATE '{w.end.isoformat()}')"
        for w in windows
    )
    return f"(VALUES {rows}) AS w(period, wstart, wend, wlast)"


def metrics_sql(relation: str, windows: list[Window], *, unit_filter: str = "") -> str:
    """Counts per (unit_id, period) from ``relation`` (the canonical dossier columns)."""
    where = f"WHERE {unit_filter}" if unit_filter else ""
    aggs = ",\n       ".join(f"{expr} AS {name}" for name, expr in METRICS.items())
    return f"""
WITH d AS (
    SELECT unit_id, procedure_code, online_level, channel, received_at, due_at,
           coalesce(finished_at, returned_at) AS end_at,
           coalesce(supplement_count, 0) AS supplement_count, coalesce(supplement_days, 0) AS supplement_days,
           paper_result, has_fee, fee_amount, digitised, result_digitised, e_result, paid_online,
           data_reuse, synced, complaint, rating, import_id
    FROM {relation} AS src {where}
),
x AS (
    SELECT d.*, w.period, w.wstart, w.wend, w.wlast,
           (d.end_at IS NOT NULL AND d.end_at < w.wend) AS done,
           CAST(d.end_at AS DATE) AS end_d,
           CAST(d.due_at AS DATE) + d.supplement_days AS due_d,
           (d.supplement_count > 1
             OR (d.due_at IS NOT NULL AND d.end_at IS NOT NULL AND d.end_at < w.wend
                 AND CAST(d.end_at AS DATE) > CAST(d.due_at AS DATE) + d.supplement_days)
             OR (d.due_at IS NOT NULL AND (d.end_at IS NULL OR d.end_at >= w.wend)
                 AND CAST(d.due_at AS DATE) + d.supplement_days < w.wlast)) AS late
    FROM d JOIN {_windows_sql(windows)}
      ON d.received_at < w.wend AND (d.received_at >= w.wstart OR d.end_at IS NULL OR d.end_at >= w.wstart)
)
SELECT unit_id, period,
       {aggs}
FROM x
GROUP BY unit_id, period
ORDER BY unit_id, period
"""


def procedures_sql(relation: str, windows: list[Window], *, unit_filter: str = "") -> str:
    """Per (unit, period): procedures offered online (seen with an online level in any dossier
    received up to the window's end) and those with at least one online dossier in the window."""
    where = f"AND {unit_filter}" if unit_filter else ""
    return f"""
WITH p AS (
    SELECT src.unit_id, w.period, src.procedure_code,
           max(CASE WHEN src.channel = 'online' AND src.received_at >= w.wstart
                     AND src.received_at < w.wend THEN 1 ELSE 0 END) AS has_online,
           max(CASE WHEN src.online_level IN ('full', 'partial') THEN 1 ELSE 0 END) AS offered
    FROM {relation} AS src JOIN {_windows_sql(windows)} ON src.received_at < w.wend
    WHERE TRUE {where}
    GROUP BY src.unit_id, w.period, src.procedure_code
)
SELECT unit_id, period,
       sum(CASE WHEN offered = 1 AND has_online = 1 THEN 1 ELSE 0 END) AS procs_online,
       sum(offered) AS procs_offered
FROM p GROUP BY unit_id, period ORDER BY unit_id, period
"""


def combined_sql(relation: str, windows: list[Window], *, unit_filter: str = "") -> str:
    """Metrics and procedure counts in one statement (one round trip, both scans planned together)."""
    m = (
        metrics_sql(relation, windows, unit_filter=unit_filter)
        .strip()
        .removesuffix("ORDER BY unit_id, period")
    )
    p = procedures_sql(relation, windows, unit_filter=unit_filter.replace("unit_id", "src.unit_id")).strip()
    p = p.removesuffix("ORDER BY unit_id, period")
    return f"""
WITH m AS ({m}), p AS ({p})
SELECT m.*, coalesce(p.procs_online, 0) AS procs_online, coalesce(p.procs_offered, 0) AS procs_offered
FROM m LEFT JOIN p ON p.unit_id = m.unit_id AND p.period = m.period
ORDER BY m.unit_id, m.period
"""


def derive(row: dict) -> dict:
    """Add the metrics that combine others."""
    row = dict(row)
    row["ontime_or_not_due"] = row["early"] + row["on_time"] + row["not_due"]
    row["happy"] = row["processed"] - row["unhappy"]
    return row


def to_values(rows: list[dict]) -> list[tuple[str, int, str, int | None, int | None, int | None]]:
    """(indicator code, unit id, period, numerator, denominator, value) for every rule whose
    inputs are present; ratios with nothing to count come out as 0/0 ("not applicable")."""
    out = []
    for r in rows:
        for code, (num, den) in RULES.items():
            if num == "value":
                out.append((code, r["unit_id"], r["period"], None, None, int(r[den])))
            elif num in r and den in r and r[num] is not None and r[den] is not None:
                out.append((code, r["unit_id"], r["period"], int(r[num]), int(r[den]), None))
    return out
