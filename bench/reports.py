"""Time to write the official report: one unit's quarterly report, and the province-wide report
over every unit (the demo province: its departments and all of its communes), each DOCX built,
read back by the lint and kept with its XLSX appendix. Goal: unit < 1 s, province < 10 s.
Ends with one machine-readable line:

    unit_report_s=0.4 province_report_s=6.1

Usage: python bench/reports.py [--runs 5] [--quick]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="3 runs")
    args = ap.parse_args()
    runs = 3 if args.quick else args.runs
    tmp = tempfile.mkdtemp(prefix="chitieu-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = f"{tmp}/media"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chitieu.config.settings")
    os.environ.setdefault("CHITIEU_HOME", str(REPO))
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = f"{tmp}/media"
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from chitieu.demo import load_demo
    from chitieu.documents.services import report_generate
    from chitieu.orgs.models import Unit
    from chitieu.reporting.models import Submission

    t0 = time.perf_counter()
    load_demo(say=lambda _: None, all_provinces=False)
    print(f"demo data loaded in {time.perf_counter() - t0:.1f} s")
    admin = get_user_model().objects.get(username="admin")
    snv = Unit.objects.get(code="BN-SNV")
    prov = Unit.objects.get(code="P24")
    period = "2026Q3"
    units = (
        Submission.objects.filter(period=period, unit__path__startswith=prov.path)
        .values("unit")
        .distinct()
        .count()
    )

    def timed(unit, kind):
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            report_generate(actor=admin, unit=unit, period=period, kind=kind)
            times.append(time.perf_counter() - t)
        return statistics.median(times), max(times)

    unit_med, unit_max = timed(snv, "unit")
    prov_med, prov_max = timed(prov, "aggregate")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; {runs} runs each"
    )
    print(f"{'report':44}{'median s':>10}{'max s':>10}")
    print(f"{'unit (Sở Nội vụ, ' + period + ')':44}{unit_med:10.2f}{unit_max:10.2f}")
    print(f"{f'province ({units} units reporting, {period})':44}{prov_med:10.2f}{prov_max:10.2f}")
    print(f"unit_report_s={unit_med:.2f} province_report_s={prov_med:.2f}")


if __name__ == "__main__":
    main()
