"""Who owes what, by when: the obligations the product derives from real plans against what a person
derives (annotations in tests/plans/obligations; the held-out part in holdout/, scored apart).

Each plan is imported and activated through the services, with the demo unit tree (the demo
province with its communes, the 34 provinces and the former 63) plus the units the annotation names
(official names only: abbreviations, titles and collective phrases are the resolver's work). Where
the product asks a person (an unsettled name, a plan without a year), the bench answers as the
annotation does and counts the question. It prints precision / recall / F1 for

* (unit, target, threshold): which unit reports which target at which threshold;
* (unit, task): which unit leads which task;
* (step, period, due date): the reporters' due dates and the compiling offices' (step 1, 2 ...);

the share of unit names resolved without a person, and one machine-readable last line:

    obligations_f1=0.97 tasks_f1=0.98 schedule_f1=1.00 auto_resolved=0.92

Usage: python bench/obligations.py [--only NAME] [--errors] [--holdout]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "plans" / "obligations"


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, pred: set, gold: set) -> tuple[set, set]:
        self.tp += len(pred & gold)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)
        return pred - gold, gold - pred

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


@dataclass
class Totals:
    targets: Tally = field(default_factory=Tally)
    tasks: Tally = field(default_factory=Tally)
    schedule: Tally = field(default_factory=Tally)
    names: int = 0
    auto: int = 0


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip().lower()


def _setup() -> None:
    tmp = tempfile.mkdtemp(prefix="chitieu-oblig-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = f"{tmp}/media"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chitieu.config.settings")
    os.environ.setdefault("CHITIEU_HOME", str(REPO))
    sys.path.insert(0, str(REPO / "src"))
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = f"{tmp}/media"
    call_command("migrate", verbosity=0)
    from chitieu.orgs.loaders import load_vietnam_units

    load_vietnam_units(provinces={24})  # the demo province with its communes, and every province


def _document(case: dict, ann: Path) -> Path:
    if ann.name.startswith("seed_"):
        from tests.conftest import SEEDS

        return SEEDS / Path(case["_document"]).name
    return ann.with_suffix(".txt")


def _lines_of(path: Path) -> list[tuple[int, str]]:
    from chitieu.extraction.readers import read_path

    doc = read_path(path)
    return [(ln.source, _norm("\t".join(ln.cells) if ln.cells is not None else ln.text)) for ln in doc.lines]


def _find(lines, anchor: str, occurrence: int = 1) -> int | None:
    a = _norm(anchor)
    hits = [
        src for src, text in lines if a in text or _norm(anchor.replace("\t", " ")) in text.replace("\t", " ")
    ]
    return hits[occurrence - 1] if len(hits) >= occurrence else None


def _same_target(pred, g: dict, lines_of_g: set[int]) -> bool:
    from chitieu.extraction.targets import similarity

    return pred.source_line in lines_of_g or similarity(pred.text, g["text"]) >= 80


def run_case(ann: Path, totals: Totals, errors: list[str] | None) -> str:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from chitieu.core import unitnames
    from chitieu.orgs import services as orgs
    from chitieu.orgs.models import Unit
    from chitieu.plans import importing, routing
    from chitieu.plans import services as plans
    from chitieu.plans.models import Target
    from chitieu.reporting.models import Compilation, Submission
    from chitieu.reporting.selectors import submission_targets

    case = json.loads(ann.read_text(encoding="utf-8"))
    doc = _document(case, ann)
    lines = _lines_of(doc)
    root = get_user_model().objects.filter(
        is_superuser=True
    ).first() or get_user_model().objects.create_superuser("bench", "b@x.vn", "x-Passw0rd-long")

    class Done(Exception):
        pass

    summary = ""
    try:
        with transaction.atomic():
            made: dict[str, Unit] = {}
            import datetime as dt

            for u in case["units"]:
                made[u["code"]] = orgs.unit_create(
                    actor=None,
                    code=f"OB-{u['code']}",
                    name=u["name"],
                    kind=u["kind"],
                    parent=made.get(u["parent"]) if u.get("parent") else None,
                    valid_from=dt.date.fromisoformat(u["valid_from"]) if u.get("valid_from") else None,
                    valid_to=dt.date.fromisoformat(u["valid_to"]) if u.get("valid_to") else None,
                    audit=False,
                )
            code_of = {v.pk: k for k, v in made.items()}
            issuer = made[case["issuer"]]
            plan = importing.plan_import_document(
                actor=root, issuer=issuer, file_name=doc.name, data=doc.read_bytes()
            )
            # gold targets and the lines that state or assign them
            gold_t = []
            for i, g in enumerate(case["targets"]):
                ls = {x for x in (_find(lines, g["at"]), _find(lines, g.get("assigned_at", "") or "\0")) if x}
                gold_t.append((i, g, ls))
            # the unit names the product mentions, and those a person must settle
            names_total = names_auto = 0
            resolver = plans._resolver(plan)
            for t in plan.targets.all():
                for text in (t.lead_unit_text, t.monitoring_unit_text):
                    for res in unitnames.resolve_all(resolver, text):
                        names_total += 1
                        names_auto += res.resolved
            for k in plan.tasks.all():
                for res in unitnames.resolve_all(resolver, k.lead_unit_text):
                    names_total += 1
                    names_auto += res.resolved
            # the person answers what the product asks, as the annotation says
            asked = 0
            for t in list(plan.targets.all()):
                if t.routing != "unresolved":
                    continue
                match = next((g for _, g, ls in gold_t if _same_target(t, g, ls)), None)
                wanted = [
                    made[c]
                    for c in (match or {}).get("lead") or (match or {}).get("reporters") or []
                    if c in made
                ]
                for part in unitnames.split_names(t.lead_unit_text):
                    r = unitnames.Resolver.resolve(resolver, part)
                    if not r.resolved and wanted:
                        plans.plan_names_resolve(actor=root, plan=plan, phrase=part, units=wanted)
                        asked += 1
                t.refresh_from_db()
                if t.routing == "unresolved":  # still unsettled: the person routes it by hand
                    routing.apply_target(
                        t,
                        routing.Routing(
                            [w.pk for w in wanted], [w.pk for w in wanted], "", None, "bench", [], "manual"
                        ),
                    )
            if not plan.year and case.get("year"):
                plans.plan_update(actor=root, plan=plan, year=case["year"], reason="năm theo văn bản")
                asked += 1
            problems = plans.activation_problems(plan)
            conflicts = [p for p in problems if "hai mức" in p.message]
            if conflicts:  # the person keeps the body's figure: the later copy is removed
                from chitieu.plans.selectors import plan_conflicts

                for c in plan_conflicts(plan):
                    drop = Target.objects.filter(pk__in=c.targets).order_by("-source_line").first()
                    if drop is not None and Target.objects.filter(pk__in=c.targets).count() == 2:
                        plans.target_delete(actor=root, target=drop, reason="mâu thuẫn")
                        asked += 1
            plans.plan_activate(actor=root, plan=plan)
            # --- what the product derived
            pred_t: set = set()
            for s in Submission.objects.filter(plan=plan).select_related("unit", "plan__issuer"):
                for t in submission_targets(s):
                    g = next(
                        (i for i, gg, ls in gold_t if _same_target(t, gg, ls) and _op(t) == _gop(gg)), None
                    )
                    pred_t.add(
                        (code_of.get(s.unit_id, s.unit.code), g if g is not None else f"x{t.pk}", _op(t))
                    )
            gold_set = {(u, i, _gop(g)) for i, g, _ in gold_t for u in g.get("reporters") or []}
            fp, fn = totals.targets.add(pred_t, gold_set)
            gold_k = []
            for j, g in enumerate(case["tasks"]):
                gold_k.append((j, g, _find(lines, g["at"], g.get("at_occurrence", 1))))
            pred_k: set = set()
            from chitieu.extraction.targets import similarity

            for k in plan.tasks.prefetch_related("leads"):
                j = next(
                    (j for j, g, ln in gold_k if ln == k.source_line and similarity(k.text, g["text"]) >= 40),
                    None,
                )
                if j is None:
                    j = next((j for j, g, ln in gold_k if ln == k.source_line), None)
                for u in k.leads.all():
                    pred_k.add((code_of.get(u.pk, u.code), j if j is not None else f"x{k.pk}"))
            gold_kset = {(u, j) for j, g, _ in gold_k for u in g.get("leads") or []}
            kfp, kfn = totals.tasks.add(pred_k, gold_kset)
            pred_s = {
                (0, p, d.isoformat())
                for p, d in Submission.objects.filter(plan=plan).values_list("period", "due_date")
            }
            pred_s |= {
                (c.step, c.period, c.due_date.isoformat())
                for c in Compilation.objects.filter(plan=plan)
                if c.due_date is not None
            }
            gold_s = set()
            position: dict[str, int] = {}  # one recipient per step in the annotation: same sender, same step
            for step in case["schedule"]["steps"]:
                k = position.setdefault(str(step.get("from")), len(position))
                for p, d in (step.get("due") or {}).items():
                    if d:
                        gold_s.add((k, p, d))
            sfp, sfn = totals.schedule.add(pred_s, gold_s)
            totals.names += names_total
            totals.auto += names_auto
            summary = (
                f"{ann.stem:28s} targets {len(pred_t & gold_set):3d}/{len(gold_set):3d} (+{len(fp)}) "
                f"tasks {len(pred_k & gold_kset):3d}/{len(gold_kset):3d} (+{len(kfp)}) "
                f"schedule {len(pred_s & gold_s):2d}/{len(gold_s):2d} (+{len(sfp)}) "
                f"names {names_auto}/{names_total} asked {asked}"
            )
            if errors is not None:
                for label, extra, missed in (
                    ("targets", fp, fn),
                    ("tasks", kfp, kfn),
                    ("schedule", sfp, sfn),
                ):
                    for e in sorted(extra, key=str)[:25]:
                        errors.append(f"{ann.stem} {label} extra: {e}")
                    for m in sorted(missed, key=str)[:25]:
                        errors.append(f"{ann.stem} {label} missed: {m}")
            raise Done
    except Done:
        pass
    return summary


def _op(t) -> tuple:
    op, v = t.operator, float(t.threshold)
    if op == "=" and v == 100:
        op = ">="
    return (op, v)


def _gop(g: dict) -> tuple:
    op, v = g["operator"], float(g["value"])
    if op == "=" and v == 100:
        op = ">="
    return (op, v)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only")
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--holdout", action="store_true", help="also score the held-out plans")
    args = ap.parse_args()
    _setup()
    sets = [("annotated plans", sorted(CORPUS.glob("*.json")))]
    if args.holdout:
        sets.append(
            (
                "held-out plans (scored after the rules were frozen)",
                sorted((CORPUS / "holdout").glob("*.json")),
            )
        )
    last = None
    seeds = Totals()
    for title, files in sets:
        totals = Totals()
        errors: list[str] | None = [] if args.errors else None
        print(f"== {title}")
        for ann in files:
            if args.only and args.only not in ann.stem:
                continue
            print("  " + run_case(ann, totals, errors))
            if ann.stem.startswith("seed_"):
                run_case(ann, seeds, None)
        for e in errors or []:
            print("    " + e)
        print(f"\n  {'':10s} {'P':>6s} {'R':>6s} {'F1':>6s} {'tp':>5s} {'fp':>5s} {'fn':>5s}")
        for k in ("targets", "tasks", "schedule"):
            t = getattr(totals, k)
            print(f"  {k:10s} {t.p:6.3f} {t.r:6.3f} {t.f1:6.3f} {t.tp:5d} {t.fp:5d} {t.fn:5d}")
        share = totals.auto / totals.names if totals.names else 1.0
        print(f"  unit names resolved without a person: {totals.auto}/{totals.names} = {share:.2f}\n")
        if last is None:
            last = totals
    seeds_share = seeds.auto / seeds.names if seeds.names else 1.0
    print(f"seeds only: names resolved without a person {seeds.auto}/{seeds.names} = {seeds_share:.2f}")
    print(
        f"obligations_f1={last.targets.f1:.2f} tasks_f1={last.tasks.f1:.2f} "
        f"schedule_f1={last.schedule.f1:.2f} auto_resolved={seeds_share:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
