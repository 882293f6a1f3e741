"""Extraction quality: precision, recall and F1 per field over the annotated corpus (the five seeds
and our own documents, rendered to DOCX, PDF, Markdown and legacy encodings), plus timing of a
100-page plan. Ends with one machine-readable line:

    targets_f1=0.97 tasks_f1=0.96 parents_f1=1.00 results_f1=0.98 findings_f1=0.95 ...

Usage: python bench/extraction.py [--quick] [--errors] [--only NAME]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from tests.extraction import corpus  # noqa: E402

from chitieu.extraction.pipeline import extract_path, to_contract  # noqa: E402


def run(only: str | None = None, holdout: bool | None = None) -> tuple[dict, dict, list[str], list[str]]:
    tallies: dict = {}
    fields: dict = {}
    errors: list[str] = []
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in corpus.cases():
            if only and only not in case.name:
                continue
            if holdout is not None and bool(case.gold.get("_holdout")) != holdout:
                continue
            path = corpus.render(case, Path(tmp))
            x = extract_path(path)
            pred = to_contract(x)
            gold = corpus.resolve_lines(x.doc, case.gold)
            before = len(errors)
            corpus.score(pred, gold, tallies, fields, errors, case.name)
            rows.append(f"{case.name:28s} {case.fmt:5s} {case.encoding:10s} issues={len(errors) - before}")
    return tallies, fields, errors, rows


def hundred_pages() -> float:
    """Seconds to extract a 100-page plan (the five seeds repeated, about 100 A4 pages of text)."""
    seeds = sorted(corpus.SEEDS.glob("*.txt"))
    if not seeds:
        return float("nan")
    body = "\n".join(p.read_text(encoding="utf-8") for p in seeds)
    big = "\n".join([body] * 3)  # ~130k characters, ~110 pages at ~1,200 characters a page
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write(big)
        name = f.name
    start = time.perf_counter()
    extract_path(name)
    elapsed = time.perf_counter() - start
    Path(name).unlink()
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip the 100-page timing")
    ap.add_argument("--errors", action="store_true", help="list every mismatch")
    ap.add_argument("--only")
    args = ap.parse_args()
    held, _, held_errors, _ = run(args.only, holdout=True)
    tallies, fields, errors, rows = run(args.only)
    print("documents:")
    for r in rows:
        print("  " + r)
    print(f"\n{'field':12s} {'P':>6s} {'R':>6s} {'F1':>6s} {'tp':>5s} {'fp':>5s} {'fn':>5s}")
    for k in ("metadata", "parents", "targets", "tasks", "results", "findings"):
        t = tallies.get(k, corpus.Tally())
        print(f"{k:12s} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f} {t.tp:5d} {t.fp:5d} {t.fn:5d}")
    print("\nheld-out documents only (written after the rules were frozen, never tuned on):")
    for k in ("metadata", "parents", "targets", "tasks", "results", "findings"):
        t = held.get(k, corpus.Tally())
        print(f"{k:12s} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f} {t.tp:5d} {t.fp:5d} {t.fn:5d}")
    print("\naccuracy on matched items:")
    for k, v in sorted(fields.items()):
        print(f"  {k:26s} {sum(v) / len(v) if v else 1:6.3f}  (n={len(v)})")
    if args.errors:
        print("\nmismatches:")
        for e in errors:
            print("  " + e)
    secs = float("nan") if args.quick else hundred_pages()
    if not args.quick:
        print(f"\n100-page plan: {secs:.2f} s")
    f = {
        k: tallies.get(k, corpus.Tally()).f1
        for k in ("targets", "tasks", "parents", "results", "findings", "metadata")
    }
    h = {k: held.get(k, corpus.Tally()).f1 for k in ("targets", "tasks")}
    print(
        f"targets_f1={f['targets']:.2f} tasks_f1={f['tasks']:.2f} parents_f1={f['parents']:.2f} "
        f"results_f1={f['results']:.2f} findings_f1={f['findings']:.2f} metadata_f1={f['metadata']:.2f}"
        + f" holdout_targets_f1={h['targets']:.2f} holdout_tasks_f1={h['tasks']:.2f}"
        + ("" if args.quick else f" hundred_pages_s={secs:.2f}")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
