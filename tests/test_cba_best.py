"""Decisions without a 0-alternative and P(best): among admissible options only, no per-krone ratio against the best,
and option-specific uncertainty so that another option can beat the best."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from procurement.cba.parameters import CbaParameters
from procurement.cba.simulation import p_best_among, simulate

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution"


def _flows(rows):
    df = pd.DataFrame(rows, columns=["option", "year", "category", "low", "likely", "high"])
    df["decision"] = "d"
    return df


# "banned" is best in every draw but screened out; "a" and "b" overlap: a's benefit 80..120, b's 90..100
FLOWS = _flows([
    ("banned", 2024, "benefit", 500, 500, 500),
    ("a", 2024, "benefit", 80, 100, 120),
    ("b", 2024, "benefit", 90, 95, 100),
])
PARAMS = CbaParameters(benefit_real_growth=0.0)


def test_p_best_is_counted_among_admissible_options_only():
    sim = simulate(FLOWS, ["banned", "a", "b"], 2024, PARAMS, samples=4000, seed=3, zero=None, common=0.0)
    assert sim.p_best()["banned"] == 1.0  # counted among all, the screened-out option wins every draw
    among = p_best_among(sim, ["a", "b"])
    assert among["banned"] == 0.0 and among.sum() == pytest.approx(1.0)
    # by hand from the draws: the share of draws where a's NPV is above b's
    npv = sim.samples["npv"]
    assert among["a"] == pytest.approx(float(np.mean(npv[:, 1] > npv[:, 2])), abs=1e-12)
    assert 0.05 < among["b"] < 0.95  # independent draws: both can be best
    # the same count when the draws are too many to keep (counted during the passes over blocks)
    big = simulate(FLOWS, ["banned", "a", "b"], 2024, PARAMS, samples=4000, seed=3, zero=None, common=0.0,
                   max_memory=2**16, admissible=["a", "b"])  # 4000 x 18 columns x 8 bytes do not fit
    assert not big.kept
    assert big.p_best().to_dict() == pytest.approx(among.to_dict(), abs=1e-12)


def test_common_draws_make_beating_the_best_impossible_by_construction():
    """With one shared draw, b (90..100) is above a (80..120) only where a's quantile is low: a nonzero share; but an
    option whose whole range lies below the best's at every quantile never wins. With option-specific draws it can."""
    flows = _flows([("best", 2024, "benefit", 100, 110, 120), ("other", 2024, "benefit", 90, 100, 115)])
    shared = simulate(flows, ["best", "other"], 2024, PARAMS, samples=4000, seed=5, zero="best", common=1.0)
    own = simulate(flows, ["best", "other"], 2024, PARAMS, samples=4000, seed=5, zero="best", common=0.0)
    assert shared.p_incremental_positive()["other"] == 0.0
    assert own.p_incremental_positive()["other"] > 0.05


@pytest.mark.parametrize("decision", ["procurement-procedure", "governance-financing"])
def test_decisions_without_a_zero_alternative(decision, capsys):
    from procurement.cli import main

    assert main(["cba", str(EXAMPLE), "--decision", decision, "--samples", "4000", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    head = doc["incremental"]
    assert head["reference_kind"] == "best"
    # no per-krone ratio for a difference against the best option
    assert all(o.get("incremental_net_benefit_per_krone") is None for o in head["options"])
    assert all(r["incremental_net_benefit_per_krone"] is None and r["net_benefit_per_krone"] is None for r in doc["options"])
    # the runner-up's ranges overlap the best's, so some draws beat the best: not 0 by construction (with common
    # random numbers 1 every option read 0 %); P90 of ΔNPV above 0 means more than 10 % of the draws
    runner_up = max(head["options"], key=lambda o: o["incremental_npv"])
    assert runner_up["p_incremental_positive"] > 0.01 and head["p_reference_beaten"] > 0.01
    assert (runner_up["incremental_npv_P90"] > 0) == (runner_up["p_incremental_positive"] > 0.1)
    assert doc["simulation"]["common_random_numbers"] == 0.0
    # the table says the same: every probability above 0 is printed above 0 %
    assert main(["cba", str(EXAMPLE), "--decision", decision, "--samples", "4000"]) == 0
    table = capsys.readouterr().out.split("\n\n")[0]
    for o in head["options"]:
        line = next(x for x in table.splitlines() if x.startswith(o["option"]))
        assert ("0.0%" in line.split()) == (o["p_incremental_positive"] == 0.0)
        assert "incremental_net_benefit_per_krone" not in table
