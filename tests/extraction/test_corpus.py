"""The extraction pipeline against the annotated corpus: the contract holds for every document, and
the seeds match their annotations."""

import json
import subprocess
import sys

import pytest

from chitieu.extraction import contract
from chitieu.extraction.pipeline import extract_path, to_contract
from tests.extraction import corpus


def _case(name: str):
    """A corpus case; the seeds are read from ../shared/seeds and skipped when that is absent."""
    found = [c for c in CASES if c.name == name]
    if not found:
        pytest.skip(f"{name}: the seed documents are not beside this clone (../shared/seeds)")
    return found[0]


CASES = corpus.cases()
IDS = [c.name for c in CASES]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    return {c.name: corpus.render(c, out) for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_output_follows_the_contract(case, rendered):
    data = to_contract(extract_path(rendered[case.name]))
    contract.validate(data)
    assert set(contract.schema()["required"]) <= set(data)


@pytest.mark.parametrize("case", [c for c in CASES if c.name.startswith("seed_")], ids=lambda c: c.name)
def test_seed_metadata_parents_results_findings_match(case, rendered):
    x = extract_path(rendered[case.name])
    pred, gold = to_contract(x), corpus.resolve_lines(x.doc, case.gold)
    tallies, errors = {}, []
    corpus.score(pred, gold, tallies, {}, errors, case.name)
    for key in ("metadata", "parents", "results", "findings"):
        t = tallies[key]
        assert (t.fp, t.fn) == (0, 0), [e for e in errors if key[:-1] in e or "meta" in e]


@pytest.mark.parametrize("name", ["seed_000", "seed_001", "seed_003"])
def test_seed_targets_and_tasks_match_exactly(name, rendered):
    case = _case(name)
    x = extract_path(rendered[name])
    pred, gold = to_contract(x), corpus.resolve_lines(x.doc, case.gold)
    tallies, fields, errors = {}, {}, []
    corpus.score(pred, gold, tallies, fields, errors, name)
    assert not errors, errors
    assert tallies["targets"].f1 == 1.0 and tallies["tasks"].f1 == 1.0
    assert all(all(v) for v in fields.values())


def test_cli_json_on_seed_000_validates_and_matches_annotation():
    case = _case("seed_000")
    r = subprocess.run(
        [sys.executable, "-m", "chitieu.cli", "extract", str(case.source), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    contract.validate(data)
    gold = corpus.resolve_lines(extract_path(case.source).doc, case.gold)
    tallies, errors = {}, []
    corpus.score(data, gold, tallies, {}, errors, "seed_000")
    assert not errors, errors
    # the draft's blank number keeps its symbol, and the partial date stays partial
    assert (data["number_symbol"], data["date"]) == ("/KH-SNV", "2024-02")


def test_the_same_indicator_phrased_differently_links_to_one_catalog_entry():
    codes = {}
    for name, line in (("seed_000", 23), ("seed_001", 58), ("seed_002", 21)):
        case = _case(name)
        t = next(t for t in to_contract(extract_path(case.source))["targets"] if t["source_line"] == line)
        codes[name] = t["indicator_code"]
    assert set(codes.values()) == {"DVC_ONLINE_DOSSIER"}, codes


def test_seed_report_findings_are_the_real_ones():
    case = _case("seed_001")
    found = {(f["code"], f["source_line"]) for f in to_contract(extract_path(case.source))["findings"]}
    assert found == {
        ("percent-mismatch", 264),
        ("percent-mismatch", 270),
        ("parts-exceed-total", 207),
        ("cited-after-period", 56),
        ("conflicting-citation-dates", 317),
    }
