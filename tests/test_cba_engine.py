"""The engine's cost-benefit answers (Analysis.cba and friends): what the command line prints is the result's to_dict,
units convert money only, the assumptions say what was used, and the from_cba scores are computed on first use."""

from __future__ import annotations

import csv
import io
import json
import shutil

import numpy as np
import pytest
from scipy import optimize, stats

import procurement as pw
from conftest import EXAMPLE_CASE
from procurement.cba import criteria
from procurement.cba.uptake import ShareDistribution
from procurement.cli import main
from procurement.text.sentences import describe

DECISION = "contract-strategy"


@pytest.fixture(scope="module")
def case():
    return pw.load_case(EXAMPLE_CASE)


# --------------------------------------------------------------------------- the command line prints the engine's answer


def test_cli_json_is_the_results_to_dict_byte_for_byte(case, capsys):
    """`procurement cba --scenario default --format json` is exactly json.dumps(Analysis.cba().to_dict()) (issue 22)."""
    assert main(["cba", str(EXAMPLE_CASE), "--scenario", "default", "--format", "json"]) == 0
    printed = capsys.readouterr().out
    expected = json.dumps(pw.Analysis(case, "default").cba().to_dict(), ensure_ascii=False) + "\n"
    assert printed == expected
    doc = json.loads(printed)
    # the README's promise: the keys are CostBenefit.to_dict()'s, increments first, then what was assumed
    assert next(iter(doc)) == "incremental" and list(doc)[-1] == "assumptions"
    assert {"key": "cba.tax_financing_cost", "tax": 0.2} in doc["assumptions"]


def test_a_decision_without_cash_flows_prints_the_same_json(tmp_path, capsys):
    d = tmp_path / "case"
    shutil.copytree(EXAMPLE_CASE, d)
    lines = (d / "cashflows.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (d / "cashflows.csv").write_text("".join(x for x in lines if not x.startswith("governance-financing")), encoding="utf-8")
    assert main(["cba", str(d), "--decision", "governance-financing", "--samples", "200", "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    cb = pw.Analysis(pw.load_case(d), decision="governance-financing", samples=200).cba()
    assert printed == cb.to_dict() == {"available": False, "message": cb.message}


# --------------------------------------------------------------------------- units


def test_units_convert_money_and_leave_ratios_and_probabilities(case):
    a = pw.Analysis(case, decision=DECISION, samples=2000)
    nok, mnok = a.cba().table, a.cba(unit="MNOK").table
    for c in ("npv", "incremental_npv", "pv_costs", "tax_cost", "investment", "incremental_npv_P10", "npv_mean"):
        np.testing.assert_array_equal(mnok[c].to_numpy(), nok[c].to_numpy() / 1e6)
    for c in ("incremental_net_benefit_per_krone", "net_benefit_per_krone", "p_incremental_positive", "p_cheapest"):
        np.testing.assert_array_equal(mnok[c].to_numpy(), nok[c].to_numpy())
    # by hand: ΔNPV per krone of net public spending beyond the 0-alternative's, the same in any unit
    extra = nok["net_public_spending"] - nok.loc["zero", "net_public_spending"]
    hand = (nok["incremental_npv"] / extra)[extra > 0]
    assert mnok.loc[hand.index, "incremental_net_benefit_per_krone"].to_numpy() == pytest.approx(hand.to_numpy(), rel=1e-12)
    # without residual value (the default since issue 23) ΔNPV of dialogue-total is the 10,499 MNOK the review computed
    # with residual_value_method: none, against about 14,700 MNOK of extra net public spending: about 0.7 per krone
    assert 0.5 < mnok.loc["dialogue-total", "incremental_net_benefit_per_krone"] < 1.0


def test_csv_and_table_show_the_net_benefit_per_krone_unscaled(capsys):
    """The ratio is NOK per NOK: 1.32 in MNOK too (it read 1.32e-06 in the CSV and 0.0 in the table before issue 22)."""
    argv = ["cba", str(EXAMPLE_CASE), "--decision", DECISION, "--samples", "500"]
    assert main([*argv, "--format", "json"]) == 0
    ratio = {o["option"]: o["incremental_net_benefit_per_krone"] for o in json.loads(capsys.readouterr().out)["options"]}
    assert main([*argv, "--format", "csv"]) == 0
    rows = {r["option"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert float(rows["dialogue-total"]["incremental_net_benefit_per_krone"]) == pytest.approx(ratio["dialogue-total"], rel=1e-12)
    assert abs(float(rows["dialogue-total"]["npv"])) < 1e5  # money in MNOK
    assert main(argv) == 0
    table = capsys.readouterr().out
    absolute = table[table.index("Absolute measures"):]
    line = next(x for x in absolute.splitlines() if x.startswith("dialogue-total"))
    assert f"{ratio['dialogue-total']:.2f}" in line.split()


# --------------------------------------------------------------------------- what the analysis assumed


def test_assumptions_say_the_values_used_in_both_languages(case, tmp_path):
    params = tmp_path / "r109.yaml"
    text = (EXAMPLE_CASE.parents[1] / "src" / "procurement" / "reference" / "r109.yaml").read_text(encoding="utf-8")
    assert text.count("value: [0.04, 0.03, 0.02]") == 1 and text.count("value: 0.20") == 1
    text = text.replace("value: [0.04, 0.03, 0.02]", "value: [0.035, 0.03, 0.025]").replace("value: 0.20", "value: 0.25")
    params.write_text(text, encoding="utf-8")
    a = pw.Analysis(case, decision=DECISION, samples=1234, seed=77)
    cb = a.cba(params, distribution="pert", common=0.5)
    en, nb = " ".join(cb.describe("en")), " ".join(cb.describe("nb"))
    for words in ("3.5% for years 1–40", "2.5%", "25% of net public spending", "PERT distribution", "1,234 draws",
                  "seed 77", "50% of each draw is shared", "expected value"):
        assert words in en, words
    for words in ("3,5\u00a0% for år 1–40", "2,5\u00a0%", "25\u00a0% av netto offentlige utgifter", "PERT-fordeling",
                  "1\u00a0234 trekk", "frø 77", "50\u00a0% av hver trekning"):
        assert words in nb, words
    keys = [x.key for x in cb.assumptions]
    assert "cba.simulation_pert" in keys and "cba.common_share" in keys
    assert keys.count("cba.discount_band") == 2 and len(set(keys)) == len(keys) - 1  # one sentence per band, else one each


# --------------------------------------------------------------------------- criteria from the analysis, on first use


def test_loading_a_case_simulates_nothing_and_the_matrix_asks_once(tmp_path, monkeypatch):
    """from_cba scores are the engine's: not at load; once per distinct input; a changed cash flow changes them."""
    shutil.copytree(EXAMPLE_CASE, tmp_path / "data" / "c")
    shutil.copytree(EXAMPLE_CASE.parents[1] / "criteria", tmp_path / "criteria")
    case_dir = tmp_path / "data" / "c"
    monkeypatch.setattr(criteria, "_MEMO", {})
    calls = []
    real = criteria.simulate

    def counting(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(criteria, "simulate", counting)
    first = pw.load_case(case_dir)
    assert calls == []  # case/ is pure input: reading simulates nothing
    s1 = first.decision(DECISION).scores
    n = len(calls)
    again = pw.load_case(case_dir)
    s2 = again.decision(DECISION).scores
    assert len(calls) == n > 0
    flows = case_dir / "cashflows.csv"
    lines = flows.read_text(encoding="utf-8").split("\n")
    i = next(k for k, line in enumerate(lines) if line.startswith("contract-strategy,dialogue-total,") and ",investment," in line)
    f = lines[i].split(",")
    f[4:7] = [str(float(x) * 3) for x in f[4:7]]
    lines[i] = ",".join(f)
    flows.write_text("\n".join(lines), encoding="utf-8")
    changed = pw.load_case(case_dir)
    s3 = changed.decision(DECISION).scores
    assert len(calls) > n
    cba = [c.id for c in first.decision(DECISION).criteria if c.from_cba is not None]
    s1, s2, s3 = (s.set_index(["option", "criterion"]) for s in (s1, s2, s3))
    assert s1.equals(s2)
    key = ("dialogue-total", cba[0])
    assert s3.loc[key, "likely"] != s1.loc[key, "likely"]


def test_the_analysis_shares_its_simulation_with_the_cost_criterion(case):
    """The P50 of the cost criterion is the P50 of the PV of costs in the analysis's own simulation (same samples, seed)."""
    a = pw.Analysis(case, decision=DECISION)
    cb = a.cba()
    fc = next(c.from_cba for c in a.decision.criteria if c.from_cba is not None)
    assert (fc.samples, fc.seed) == (a.scenario.samples, a.scenario.seed)
    p50 = cb.simulation.percentiles("pv_costs", [50])["P50"] / 1e6
    np.testing.assert_array_equal(a.decision.matrix("likely")["cost-pv"].loc[p50.index].to_numpy(), p50.to_numpy())


def test_score_rows_for_a_from_cba_criterion_stop_the_analysis(tmp_path):
    copy = tmp_path / "case"
    shutil.copytree(EXAMPLE_CASE, copy)
    shutil.copytree(EXAMPLE_CASE.parents[1] / "criteria", tmp_path / "criteria")
    with (copy / "scores.csv").open("a", encoding="utf-8") as f:
        f.write('contract-strategy,zero,cost-pv,1,2,3,"typed by hand",test\n')
    case = pw.load_case(copy)  # reading is fine: the files are what they are
    with pytest.raises(pw.InputError, match="takes its values from the cost-benefit analysis"):
        pw.Analysis(case, decision=DECISION).ranking("wsm")


# --------------------------------------------------------------------------- uptake against scipy


@pytest.mark.parametrize("low, likely, high", [(0.3, 0.6, 0.9), (0.0, 0.0, 0.5), (0.2, 1.0, 1.0), (0.4, 0.55, 0.7)])
def test_share_above_equals_scipys_triangular_survival_function(low, likely, high):
    dist = ShareDistribution(low=low, likely=likely, high=high)
    span = high - low
    for s in np.linspace(-0.1, 1.1, 61):
        expected = float(stats.triang.sf(s, (likely - low) / span, loc=low, scale=span))
        assert dist.p_at_least(float(s)) == expected


def test_break_even_is_the_root_scipy_finds(case):
    """The closed form (ΔNPV is affine in a constant share) against scipy's brentq on the same ΔNPV."""
    from procurement.cba.uptake import _Evaluator

    a = pw.Analysis(case, decision=DECISION)
    upt = a.uptake(simulate=False)
    flows, options = a._cashflows(DECISION)
    ev = _Evaluator(flows, options, case.base_year, a.cba_parameters(), upt.model, "zero")
    for o, share in upt.break_even["break_even_share"].dropna().items():
        root = optimize.brentq(lambda s, o=o: float(ev.at_constant(float(s))[o]), 0.0, 1.0, xtol=1e-12, rtol=1e-14)
        assert share == pytest.approx(root, abs=1e-9), o


# --------------------------------------------------------------------------- figures speak words, not column ids


def test_the_english_s_curve_names_the_measure_in_words(case):
    fig = pw.Analysis(case, decision=DECISION, samples=300).cba().plot(language="en")
    ax = fig.axes[0]
    assert ax.get_title() == "S-curve: ΔNPV" and ax.get_xlabel().startswith("ΔNPV (MNOK")
    assert "incremental_npv" not in ax.get_title() + ax.get_xlabel()


def test_effects_come_from_the_engine_once(case):
    effects = pw.Analysis(case, decision=DECISION).effects()
    table = effects.matrix()
    assert list(table.columns[:3]) == ["label", "label_nb", "importance"]
    assert set(table.loc["vendor-lock-in", effects.options]) <= {"++++", "+++", "++", "+", "0", "-", "--", "---", "----"}
    by_option = effects.by_option()
    # the counts are the signs of the row, never a net sum
    row = by_option.loc["dialogue-total"]
    signs = [str(v) for k, v in row.items() if not str(k).startswith("n_")]
    assert row["n_plus"] == sum(s.startswith("+") for s in signs) and row["n_minus"] == sum(s.startswith("-") for s in signs)
    assert effects.to_dict()["options"]["dialogue-total"]["n_plus"] == row["n_plus"]


def test_who_pays_and_uptake_carry_their_tables_and_assumptions(case):
    a = pw.Analysis(case, decision=DECISION, samples=300)
    paying = a.who_pays()
    fin, upt = paying.financing, paying.uptake
    # every payer's share of an option's PV of costs, summed over the payers, is the whole
    shares = fin.to_frame()["share_of_cost"].groupby(level="option").sum()
    assert shares.to_numpy() == pytest.approx(np.ones(len(shares)))
    assert upt.to_frame().loc["dialogue-total", "break_even_share"] == upt.break_even.loc["dialogue-total", "break_even_share"]
    en = " ".join(describe(paying.assumptions, "en"))
    nb = " ".join(describe(paying.assumptions, "nb"))
    assert "20% of its net spending" in en and "at least 55% of the population" in en
    # the 55 % with what its source says (KS on the KS2 of Akson: "minst 55 prosent av befolkningen"), as another model's
    assert "20\u00a0% av sine netto utgifter" in nb and "minst 55\u00a0% av befolkningen" in nb
    assert "minst 55 prosent av befolkningen" in nb and "annen modell" in nb
    assert paying.to_frame().loc["dialogue-total", "break_even_share"] == pytest.approx(
        upt.break_even.loc["dialogue-total", "break_even_share"])
