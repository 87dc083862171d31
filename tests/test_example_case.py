"""The bundled example case validates, ranks end to end, and a broken copy is caught."""

from __future__ import annotations

import shutil

import pytest

from conftest import CRITERIA, EXAMPLE_CASE, ROOT, SCORES, write_case
from procurement.cli import main
from procurement import load_case
from procurement.mcda.ranking import rank


@pytest.fixture(scope="module")
def case():
    return load_case(EXAMPLE_CASE)


def test_example_case_shape(case):
    assert set(case.decisions) == {"contract-strategy", "procurement-procedure", "governance-financing"}
    for d in case.decisions.values():
        assert 8 <= len(d.criteria) <= 13  # contract strategy: 13 with usability-safety and uptake-commitment (issue 13)
        assert len(d.scores) == len(d.options) * len(d.criteria)
        assert (d.scores["rationale"].str.len() > 20).all()
    assert len(case.decision("contract-strategy").options) >= 7
    assert len(case.decision("procurement-procedure").options) >= 5
    assert len(case.decision("governance-financing").options) >= 4
    assert {"ks", "tromso", "bergen", "kristiansand", "baerum", "directorate", "helseplattformen"} <= set(case.stakeholder_ids)
    assert case.meta.illustrative


def test_example_contract_strategy_ranking(case):
    r = rank(case.decision("contract-strategy"), "wsm")
    # Reusing Helseplattformen's options outside Central Norway fails legal screening (KOFA 2015/65, C-216/17)
    assert r.excluded["option"].tolist() == ["helseplattformen-extend"]
    assert "KOFA 2015/65" in r.excluded["citation"].iloc[0]
    assert r.order[:2] == ["dialogue-total", "modular-lots"]


def test_validate_example_exits_0(capsys):
    assert main(["validate", str(EXAMPLE_CASE)]) == 0
    assert "OK" in capsys.readouterr().out


def test_broken_copy_exits_2_naming_each_problem(tmp_path, capsys):
    """Done-when of the foundation issue: misspelt criterion, decimal comma, likely above high."""
    copy = tmp_path / "case"
    shutil.copytree(EXAMPLE_CASE, copy)
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")
    lines = (copy / "scores.csv").read_text(encoding="utf-8").splitlines()
    # row numbers in messages are file lines (header = line 1)
    first = lines[1].split(",", 7)
    first[2] = first[2].replace("legal-robustness", "legal-robustnes")
    lines[1] = ",".join(first)
    second = lines[2].split(",", 7)
    second[3] = f'"{second[3]},5"'
    lines[2] = ",".join(second)
    third = lines[3].split(",", 7)
    third[4] = str(float(third[5]) + 1)
    lines[3] = ",".join(third)
    (copy / "scores.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = (copy / "scores.csv").read_bytes()
    assert main(["validate", str(copy)]) == 2
    err = capsys.readouterr().err
    assert "scores.csv: row 2, column 'criterion': unknown criterion 'legal-robustnes'" in err
    assert "did you mean 'legal-robustness'" in err
    assert "scores.csv: row 3, column 'low'" in err and "is not a number" in err
    assert "scores.csv: row 4:" in err and "are out of order" in err
    assert "Traceback" not in err
    assert (copy / "scores.csv").read_bytes() == before  # inputs are never changed


def test_cost_criterion_comes_from_the_cost_benefit_analysis(tmp_path):
    """from_cba on a tiny case with certain cash flows: P1 = P50 = P99 = the present value by hand.

    With low = likely = high every draw is the same amount, so the simulated
    percentiles equal the present value at R-109's 4 % (years counted from the
    base year 2024, which is not discounted).
    """
    criteria = CRITERIA.replace(
        "    scale: {kind: natural, unit: MNOK, min: 0, max: 1000}",
        "    scale: {kind: natural, unit: MNOK, min: 0, max: 1000}\n"
        "    from_cba: {measure: pv_costs, unit: MNOK, samples: 500, seed: 3}",
    )
    assert "from_cba" in criteria
    scores = "\n".join(line for line in SCORES.splitlines() if ",cost," not in line) + "\n"
    cashflows = (
        "decision,option,year,category,low,likely,high,source\n"
        "pick,a,2024,investment,100,100,100,test\n"
        "pick,a,2025,operations,10,10,10,test\n"
        "pick,a,2026,operations,10,10,10,test\n"
        "pick,b,2025,investment,50,50,50,test\n"
        "pick,b,2026,transition,20,20,20,test\n"
        "pick,c,2024,benefit,30,30,30,test\n"
    )
    folder = write_case(tmp_path, criteria__pick_yaml=criteria, case__scores_csv=scores, case__cashflows_csv=cashflows)
    d = load_case(folder).decision("pick")
    by_hand = {
        "a": 100 + 10 / 1.04 + 10 / 1.04**2,  # 118.8609...
        "b": 50 / 1.04 + 20 / 1.04**2,  # 66.5680...
        "c": 0.0,  # a benefit is not a cost
    }
    for which in ("low", "likely", "high"):
        got = d.matrix(which)["cost"]
        for option, pv in by_hand.items():
            assert got[option] == pytest.approx(pv, rel=1e-12, abs=1e-12), (which, option)
    assert by_hand["a"] == pytest.approx(118.8609467455621)


def test_example_cost_criterion_is_ordered_and_zero_is_cheapest(case):
    """The example's from_cba cost: low <= likely <= high, and the 0-alternative cheapest, as in `procurement cba`."""
    d = case.decision("contract-strategy")
    low, likely, high = (d.matrix(w)["cost-pv"] for w in ("low", "likely", "high"))
    assert (low < likely).all() and (likely < high).all()
    assert likely.idxmin() == "zero"


def test_score_rows_for_a_from_cba_criterion_are_refused(tmp_path, capsys):
    copy = tmp_path / "case"
    shutil.copytree(EXAMPLE_CASE, copy)
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")
    with (copy / "scores.csv").open("a", encoding="utf-8") as f:
        f.write('contract-strategy,zero,cost-pv,1,2,3,"typed by hand",test\n')
    assert main(["validate", str(copy)]) == 2
    err = capsys.readouterr().err
    assert "takes its values from the cost-benefit analysis" in err and "remove this row" in err


def test_smaa_sees_the_cost_spread_of_the_cost_benefit_analysis(case):
    """Triangular draws over (P1, P50, P99) have roughly the P10–P90 spread of the CBA simulation."""
    import numpy as np

    from procurement.cba.case_flows import case_cashflows
    from procurement.cba.parameters import default_rules_path, load_parameters
    from procurement.cba.simulation import simulate

    d = case.decision("contract-strategy")
    fc = d.criterion("cost-pv").from_cba  # the samples and seed the criteria file gives the simulation
    flows, opts = case_cashflows(case, "contract-strategy")
    sim = simulate(flows, opts, case.base_year, load_parameters(default_rules_path(case.path)), samples=fc.samples, seed=fc.seed)
    cba = sim.percentiles("pv_costs", [10, 90]) / 1e6
    rng = np.random.default_rng(1)
    for oid in ["dialogue-total", "modular-lots", "zero"]:
        lo, li, hi = (d.matrix(w).at[oid, "cost-pv"] for w in ("low", "likely", "high"))
        draws = rng.triangular(lo, li, hi, 200_000)
        spread = np.subtract(*np.percentile(draws, [90, 10]))
        target = cba.loc[oid].iloc[1] - cba.loc[oid].iloc[0]
        assert 0.8 < spread / target < 1.25, (oid, spread, target)
