import json
import subprocess
import sys

import pytest

from chitieu.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "chitieu.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_period_prints_id_and_windows(capsys):
    assert main(["period", "Quý I năm 2024"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "2024Q1\tQuý I năm 2024"
    assert "01/01/2024 – 31/03/2024" in out and "15/12/2023 – 14/03/2024" in out


def test_period_json(capsys):
    assert main(["period", "năm 2024", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "id": "2024",
        "label": "Năm 2024",
        "calendar": ["2024-01-01", "2024-12-31"],
        "cutoff": ["2023-12-15", "2024-12-14"],
    }


@pytest.mark.parametrize(
    "args", [["period", "Quý V năm 2024"], ["period"], ["nonsense"], ["period", "x", "--window", "y"]]
)
def test_bad_arguments_exit_2_with_one_line(args):
    r = run(*args)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert r.stderr.startswith("chitieu")
