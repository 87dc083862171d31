"""The order of rows in the input files changes no output byte.

Options are kept in a canonical order (by id) when the case is read, scores
are looked up by (option, criterion), and the Monte Carlo streams of SMAA are
drawn for that canonical order, so shuffling the rows of ``options.csv``,
``scores.csv``, ``profiles.csv`` and ``cashflows.csv`` (whole series of one option and category, since
years must stay in order within a series) must leave the JSON of
`rank`, `sensitivity` and `cba` identical, byte for byte.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import numpy as np
import pytest

from procurement.cli import main

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"
SHUFFLED = ("options.csv", "scores.csv", "profiles.csv", "cashflows.csv")

COMMANDS = {
    "rank": ["rank", "--decision", "governance-financing", "--method", "all", "--profile", "all", "--format", "json"],
    "sensitivity": ["sensitivity", "--decision", "contract-strategy", "--samples", "3000", "--seed", "5", "--format", "json"],
    "sensitivity-promethee": [
        "sensitivity",
        "--decision",
        "procurement-procedure",
        "--method",
        "promethee2",
        "--samples",
        "2000",
        "--format",
        "json",
    ],
    "cba": ["cba", "--decision", "contract-strategy", "--samples", "2000", "--seed", "3", "--format", "json"],
}


def _shuffle_rows(path: Path, rng: np.random.Generator) -> None:
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    if path.name == "cashflows.csv":
        # years of one option and category must stay increasing (a checked rule): shuffle whole series
        key = [header.index(k) for k in ("decision", "option", "category")]
        series: dict[tuple, list] = {}
        for r in body:
            series.setdefault(tuple(r[k] for k in key), []).append(r)
        groups = list(series.values())
        body = [r for i in rng.permutation(len(groups)) for r in groups[i]]
    else:
        body = [body[i] for i in rng.permutation(len(body))]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(body)
    path.write_text(out.getvalue(), encoding="utf-8")


def _output(capsys, case: Path, command: list[str]) -> str:
    assert main([command[0], str(case), *command[1:]]) == 0
    out = capsys.readouterr().out
    return out.replace(str(case), "CASE")


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    case = tmp_path_factory.mktemp("ref") / "case"
    shutil.copytree(CASE, case)
    return case


@pytest.mark.parametrize("seed", [1, 2])
def test_shuffled_rows_give_the_same_bytes(tmp_path, capsys, reference, seed):
    case = tmp_path / "case"
    shutil.copytree(CASE, case)
    rng = np.random.default_rng(seed)
    for name in SHUFFLED:
        _shuffle_rows(case / name, rng)
    assert (case / "options.csv").read_text() != (CASE / "options.csv").read_text()
    for name, command in COMMANDS.items():
        expected = _output(capsys, reference, command)
        got = _output(capsys, case, command)
        assert got == expected, f"{name}: output changed when the input rows were shuffled"
