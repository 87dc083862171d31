"""Row order never changes a number of the cost-benefit analysis (issue #11).

The Monte Carlo streams are keyed by option, category (and year) ids, and the
arithmetic runs in a canonical order, so shuffling ``cashflows.csv`` or
``options.csv`` changes no simulated number and no byte of ``procurement cba
--format json``. The shuffles are seeded permutations; a shuffle of
``cashflows.csv`` keeps the years of each option and category increasing (the
file format requires it) but otherwise moves every row.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import EXAMPLE_CASE, ROOT
from procurement import load_case
from procurement.cba.case_flows import case_cashflows
from procurement.cba.draws import CHUNK, stable_hash, stream_key
from procurement.cba.npv import evaluate
from procurement.cba.parameters import default_rules_path, load_parameters, with_parameters
from procurement.cba.simulation import Simulation, simulate
from procurement.cli import main

DECISION = "contract-strategy"
SEEDS = [0, 1, 2]


@pytest.fixture(scope="module")
def example():
    case = load_case(EXAMPLE_CASE)
    flows, options = case_cashflows(case, DECISION)
    return case, flows, options, load_parameters(default_rules_path(case.path))


# --------------------------------------------------------------------------- shuffles


def shuffle_rows(rows: list, rng: np.random.Generator, key, year) -> list:
    """A random permutation of `rows` in which the years of each key still increase down the list."""
    out = [rows[i] for i in rng.permutation(len(rows))]
    slots: dict[tuple, list[int]] = defaultdict(list)
    for pos, r in enumerate(out):
        slots[key(r)].append(pos)
    for positions in slots.values():
        for pos, r in zip(positions, sorted((out[p] for p in positions), key=year), strict=True):
            out[pos] = r
    return out


def shuffle_frame(flows: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    records = flows.to_dict("records")
    out = pd.DataFrame(shuffle_rows(records, rng, lambda r: (r["decision"], r["option"], r["category"]), lambda r: r["year"]))
    out["row"] = np.arange(len(out)) + 2
    out.attrs = dict(flows.attrs)
    return out


def rewrite_csv(path: Path, rng: np.random.Generator, keep_years: bool) -> None:
    """Shuffle the data rows of a CSV file in place (header first, same quoting rules)."""
    header, *rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    if keep_years:
        col = {c: i for i, c in enumerate(header)}
        rows = shuffle_rows(rows, rng, lambda r: (r[col["decision"]], r[col["option"]], r[col["category"]]),
                            lambda r: int(r[col["year"]]))
    else:
        rows = [rows[i] for i in rng.permutation(len(rows))]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")


def copy_case(root: Path) -> Path:
    shutil.copytree(EXAMPLE_CASE, root / "case")
    shutil.copytree(ROOT / "criteria", root / "criteria")
    return root / "case"


def test_the_shuffle_moves_rows_and_keeps_years_in_order(example):
    _, flows, _, _ = example
    shuffled = shuffle_frame(flows, np.random.default_rng(0))
    assert not shuffled[["option", "category", "year"]].equals(flows[["option", "category", "year"]])
    key = ["option", "category", "year"]
    pd.testing.assert_frame_equal(shuffled.sort_values(key, ignore_index=True).drop(columns="row"),
                                  flows.sort_values(key, ignore_index=True).drop(columns="row"))
    assert shuffled.groupby(["option", "category"], sort=False)["year"].apply(lambda y: y.is_monotonic_increasing).all()


# --------------------------------------------------------------------------- simulate and evaluate


def same_by_option(a: Simulation, b: Simulation) -> None:
    """Every draw of every measure equal to the bit, matched by option id."""
    assert sorted(a.options) == sorted(b.options)
    for m in a.samples:
        for o in a.options:
            x, y = a.samples[m][:, a.options.index(o)], b.samples[m][:, b.options.index(o)]
            np.testing.assert_array_equal(x, y, err_msg=f"{m} {o}")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    "settings",
    [
        {"years_together": True},
        {"years_together": False},
        {"years_together": True, "correlation": 0.6, "distribution": "pert"},
    ],
    ids=["together", "apart", "correlated-pert"],
)
def test_simulate_ignores_the_order_of_rows_and_options(example, seed, settings):
    case, flows, options, params = example
    settings = dict(settings)
    if "distribution" in settings:
        params = with_parameters(params, distribution=settings.pop("distribution"))
    rng = np.random.default_rng(seed)
    shuffled, order = shuffle_frame(flows, rng), [str(o) for o in rng.permutation(options)]
    n = CHUNK + 300  # two chunks
    a = simulate(flows, options, case.base_year, params, samples=n, seed=11, **settings)
    b = simulate(shuffled, order, case.base_year, params, samples=n, seed=11, **settings)
    assert b.options == order  # results come in the caller's order ...
    same_by_option(a, b)  # ... with the same numbers per option
    pd.testing.assert_frame_equal(a.summary().loc[options], b.summary().loc[options], check_exact=True)


@pytest.mark.parametrize("seed", SEEDS)
def test_evaluate_ignores_the_order_of_rows_and_options(example, seed):
    case, flows, options, params = example
    rng = np.random.default_rng(seed)
    shuffled, order = shuffle_frame(flows, rng), [str(o) for o in rng.permutation(options)]
    a = evaluate(flows, options, case.base_year, params).table
    b = evaluate(shuffled, order, case.base_year, params).table
    assert list(b.index) == order
    pd.testing.assert_frame_equal(a, b.loc[options], check_exact=True)


def test_adding_an_option_leaves_the_draws_of_the_others_alone():
    """Streams are keyed by ids: a new option does not shift anyone else's draws."""
    rows = [("zero", 2024, "operations", 4e6, 5e6, 7e6), ("a", 2024, "investment", 1e6, 2e6, 4e6),
            ("a", 2025, "operations", 1e6, 1e6, 2e6), ("b", 2024, "investment", 3e6, 3e6, 9e6)]
    flows = pd.DataFrame(rows, columns=["option", "year", "category", "low", "likely", "high"]).assign(decision="d", source="t")
    flows["row"] = np.arange(len(flows)) + 2
    two = simulate(flows[flows.option != "b"], ["zero", "a"], 2024, samples=5000, seed=3)
    three = simulate(flows, ["b", "zero", "a"], 2024, samples=5000, seed=3)
    for m in ("npv", "pv_costs", "investment"):
        for o in ("zero", "a"):
            np.testing.assert_array_equal(two.samples[m][:, two.options.index(o)], three.samples[m][:, three.options.index(o)])


def test_differences_against_the_zero_alternative(example):
    """Incremental NPV is the per-draw difference to the 0-alternative, whatever the order."""
    case, flows, options, params = example
    rng = np.random.default_rng(5)
    order = [str(o) for o in rng.permutation(options)]
    sim = simulate(shuffle_frame(flows, rng), order, case.base_year, params, samples=4000, seed=2)
    summary = sim.summary()
    npv = pd.DataFrame(sim.samples["npv"], columns=sim.options)
    diff = npv.sub(npv["zero"], axis=0)
    assert summary.loc["zero", "incremental_npv_P50"] == 0 and summary.loc["zero", "incremental_npv_P85"] == 0
    for o in options:  # ΔNPV is its own linear column: equal to the difference up to rounding
        assert summary.loc[o, "incremental_npv_P50"] == pytest.approx(np.percentile(diff[o], 50), rel=1e-12, abs=1e-3)
        assert summary.loc[o, "incremental_npv_P85"] == pytest.approx(np.percentile(diff[o], 85), rel=1e-12, abs=1e-3)
    table = evaluate(flows, order, case.base_year, params).table
    assert table.loc["zero", "incremental_npv"] == 0
    np.testing.assert_array_equal(table["incremental_npv"], table["npv"] - table.loc["zero", "npv"])
    # drawn apart (common=0), the difference spreads as wide as both together
    apart = simulate(flows, order, case.base_year, params, samples=4000, seed=2, common=0.0)
    npv = pd.DataFrame(apart.samples["npv"], columns=apart.options)
    other = next(o for o in options if o != "zero")
    assert (npv[other] - npv["zero"]).var() == pytest.approx(npv[other].var() + npv["zero"].var(), rel=0.15)


def test_streams_do_not_depend_on_the_python_hash_seed():
    """Python's hash() of a string changes per process; the stream keys must not."""
    code = (
        "import hashlib, numpy as np, pandas as pd\n"
        "from procurement.cba.simulation import simulate\n"
        "f = pd.DataFrame([('zero', 2024, 'operations', 4e6, 5e6, 7e6), ('a', 2024, 'investment', 1e6, 2e6, 4e6)],"
        " columns=['option', 'year', 'category', 'low', 'likely', 'high']).assign(decision='d', source='t', row=[2, 3])\n"
        "s = simulate(f, ['zero', 'a'], 2024, samples=2000, seed=9, years_together=False)\n"
        "print(hashlib.sha256(s.samples['npv'].tobytes()).hexdigest())\n"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, cwd=ROOT)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_stable_hash_is_the_start_of_sha256():
    """The documented key: the first 8 bytes of SHA-256 of the id's UTF-8 text, big-endian."""
    # `printf zero | sha256sum` = f9194e73f9e9459e..., `printf Bærum | sha256sum` = 796923eac6ca0275...
    assert stable_hash("zero") == 0xF9194E73F9E9459E
    assert stable_hash("Bærum") == 0x796923EAC6CA0275
    assert stream_key("a", "investment") != stream_key("a", "operations")
    assert stream_key("a", "investment", 2025) != stream_key("a", "investment", 2026)


# --------------------------------------------------------------------------- the command line and from_cba


def run_json(case_dir: Path, capsys, *extra: str) -> bytes:
    code = main(["cba", str(case_dir), "--decision", DECISION, "--format", "json", "--samples", "3000", *extra])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out.encode("utf-8")


@pytest.fixture(scope="module")
def two_copies(tmp_path_factory):
    """The example case twice: as shipped, and with cashflows.csv and options.csv shuffled."""
    plain = copy_case(tmp_path_factory.mktemp("plain"))
    shuffled = copy_case(tmp_path_factory.mktemp("shuffled"))
    rng = np.random.default_rng(2026)
    rewrite_csv(shuffled / "cashflows.csv", rng, keep_years=True)
    rewrite_csv(shuffled / "options.csv", rng, keep_years=False)
    assert (shuffled / "cashflows.csv").read_bytes() != (plain / "cashflows.csv").read_bytes()
    assert (shuffled / "options.csv").read_bytes() != (plain / "options.csv").read_bytes()
    return plain, shuffled


def test_cli_json_is_the_same_bytes_for_shuffled_rows(two_copies, capsys):
    plain, shuffled = two_copies
    a = run_json(plain, capsys, "--seed", "17")
    b = run_json(shuffled, capsys, "--seed", "17")
    assert a == b
    assert json.loads(a)["simulation"]["seed"] == 17


def test_cli_json_same_seed_same_bytes_and_no_timings(capsys):
    """Task 2 of issue #11: a result carries no wall-clock time, so a rerun is byte-identical."""
    first = run_json(EXAMPLE_CASE, capsys)
    assert run_json(EXAMPLE_CASE, capsys) == first
    assert run_json(EXAMPLE_CASE, capsys, "--seed", "5") != first

    def keys(node):
        if isinstance(node, dict):
            for k, v in node.items():
                yield k
                yield from keys(v)
        elif isinstance(node, list):
            for v in node:
                yield from keys(v)

    timing = {"seconds", "elapsed", "time", "timing", "timings", "duration", "wall_time"}
    found = [k for k in keys(json.loads(first)) if k.lower() in timing or k.lower().endswith(("_seconds", "_ms", "_s"))]
    assert not found


def test_from_cba_criterion_ignores_row_order(two_copies):
    """The ranking's cost criterion (P1/P50/P99 from the CBA) is the same for the shuffled copy."""
    plain, shuffled = two_copies
    a = load_case(plain).decision(DECISION)
    b = load_case(shuffled).decision(DECISION)
    for which in ("low", "likely", "high"):
        x, y = a.matrix(which)["cost-pv"], b.matrix(which)["cost-pv"]
        pd.testing.assert_series_equal(x.sort_index(), y.sort_index(), check_exact=True)


# --------------------------------------------------------------------------- domain modules draw nothing


DOMAIN = [ROOT / "src" / "procurement" / "cba", ROOT / "src" / "procurement" / "law"]


def test_domain_modules_import_no_plotting_library():
    """cba/ and law/ compute; plots/ draws (design.md)."""
    bad = []
    for folder in DOMAIN:
        for path in sorted(folder.glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                bad += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("matplotlib", "seaborn")]
    assert not bad
    modules = [f"procurement.{f.name}.{p.stem}" for f in DOMAIN for p in sorted(f.glob("*.py")) if p.stem != "__init__"]
    code = (f"import sys\nfor m in {modules!r}:\n    __import__(m)\n"
            "print(sorted(k for k in sys.modules if k.split('.')[0] in ('matplotlib', 'seaborn')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
