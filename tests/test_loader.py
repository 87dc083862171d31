"""The loader: a valid case loads; every class of bad input names file and field."""

from __future__ import annotations

import pytest

from conftest import CRITERIA, OPTIONS, PROFILES, SCORES, write_case
from procurement.case.errors import InputError
from procurement.case.loader import load_case
from procurement.mcda.weights import roc_weights


def problems_of(case_dir) -> list[str]:
    with pytest.raises(InputError) as e:
        load_case(case_dir)
    return [str(p) for p in e.value.problems]


def test_tiny_case_loads(tiny_case):
    case = load_case(tiny_case)
    d = case.decision("pick")
    assert d.option_ids == ["a", "b", "c"]
    assert d.criterion_ids == ["legal", "fit", "cost"]
    assert d.matrix().loc["b", "cost"] == 600
    assert d.matrix("low").loc["c", "fit"] == 1
    assert d.objectives.tolist() == [1, 1, -1]
    assert d.weights.tolist() == pytest.approx([0.5, 0.25, 0.25])
    assert d.option("c").name_nb == "Alternativ C – Bærum"
    assert d.option("a").description == "First, plain"
    # profiles: weights normalised, ranks through rank-order centroid
    assert d.profiles["alpha"].tolist() == pytest.approx([0.25, 0.25, 0.5])
    assert d.profiles["beta"].tolist() == pytest.approx(roc_weights(3).tolist())
    assert roc_weights(3).tolist() == pytest.approx([11 / 18, 5 / 18, 2 / 18])
    assert case.summary()["scores"] == 9


def test_criteria_found_in_parent_folder(tiny_case):
    # case.yaml has no criteria_dir: the criteria/ folder beside the case's parent is used
    assert load_case(tiny_case).criteria_dir.name == "criteria"


def test_yaml_syntax_error_names_line(tmp_path):
    bad = CRITERIA.replace("direction: min", "direction: [min")
    probs = problems_of(write_case(tmp_path, criteria__pick_yaml=bad))
    assert len(probs) == 1
    assert "criteria/pick.yaml" in probs[0] and "YAML syntax error" in probs[0] and "line " in probs[0]


def test_unknown_direction(tmp_path):
    probs = problems_of(write_case(tmp_path, criteria__pick_yaml=CRITERIA.replace("direction: min", "direction: lower")))
    assert any("criterion 'cost', key 'direction'" in p and "'lower' is not allowed" in p for p in probs)


def test_duplicate_criterion_id(tmp_path):
    probs = problems_of(write_case(tmp_path, criteria__pick_yaml=CRITERIA.replace("id: fit", "id: legal")))
    assert any("pick.yaml" in p and "criterion id 'legal' is used twice" in p for p in probs)


def test_negative_weight(tmp_path):
    probs = problems_of(write_case(tmp_path, criteria__pick_yaml=CRITERIA.replace("weight: 2", "weight: -2")))
    assert any("criterion 'legal', key 'weight'" in p and "greater than or equal to 0" in p for p in probs)


def test_all_zero_weights(tmp_path):
    crit = CRITERIA.replace("weight: 2", "weight: 0").replace("weight: 1", "weight: 0")
    probs = problems_of(write_case(tmp_path, criteria__pick_yaml=crit))
    assert any("pick.yaml" in p and "all criterion weights are zero" in p for p in probs)


def test_unknown_yaml_key(tmp_path):
    criteria = CRITERIA.replace("direction: max\n    group: quality\n    weight: 2",
                                "direction: max\n    group: quality\n    wieght: 2\n    weight: 2")
    probs = problems_of(write_case(tmp_path, criteria__pick_yaml=criteria))
    assert any("criterion 'legal', key 'wieght'" in p and "unknown key" in p for p in probs)


def test_unknown_and_misspelt_ids_with_did_you_mean(tmp_path):
    scores = SCORES.replace("pick,b,fit", "pick,b,fti").replace("pick,c,cost", "pick,cc,cost")
    probs = problems_of(write_case(tmp_path, case__scores_csv=scores))
    assert any("scores.csv: row 6, column 'criterion'" in p and "unknown criterion 'fti'" in p and "did you mean 'fit'" in p
               for p in probs)
    assert any("scores.csv: row 10, column 'option'" in p and "unknown option 'cc'" in p and "did you mean 'c'" in p
               for p in probs)


def test_duplicate_option_id(tmp_path):
    opts = OPTIONS + "pick,b,Igjen,Again,,,,\n"
    probs = problems_of(write_case(tmp_path, case__options_csv=opts))
    assert any("options.csv: row 5, column 'id'" in p and "listed twice" in p for p in probs)


def test_missing_score_pair(tmp_path):
    scores = "\n".join(line for line in SCORES.splitlines() if not line.startswith("pick,b,fit")) + "\n"
    probs = problems_of(write_case(tmp_path, case__scores_csv=scores))
    exact = "case/scores.csv: decision 'pick', option 'b': no score for criteria fit (add one row per option and criterion)"
    assert probs == [exact] or any(
        "option 'b'" in p and "no score for criteria fit" in p for p in probs
    )


def test_duplicate_score(tmp_path):
    probs = problems_of(write_case(tmp_path, case__scores_csv=SCORES + "pick,a,legal,6,7,8,again,test\n"))
    assert any("scores.csv: row 11" in p and "a second score" in p for p in probs)


def test_low_likely_high_order(tmp_path):
    probs = problems_of(write_case(tmp_path, case__scores_csv=SCORES.replace("pick,a,fit,4,5,6", "pick,a,fit,4,7,6")))
    assert any("scores.csv: row 3" in p and "low 4, likely 7, high 6 are out of order" in p for p in probs)


def test_value_outside_scale(tmp_path):
    probs = problems_of(write_case(tmp_path, case__scores_csv=SCORES.replace("pick,b,legal,7,8,9", "pick,b,legal,7,8,12")))
    assert any("scores.csv: row 5, column 'high'" in p and "12 lies outside the scale of 'legal'" in p and "0 to 10" in p
               for p in probs)


def test_empty_rationale(tmp_path):
    probs = problems_of(write_case(tmp_path, case__scores_csv=SCORES.replace("Partial fit", "")))
    assert any("row 3, column 'rationale'" in p and "is empty" in p for p in probs)


def test_missing_column_and_unknown_column(tmp_path):
    probs = problems_of(write_case(tmp_path, case__scores_csv=SCORES.replace(",rationale,source", ",why,source")))
    assert any("scores.csv" in p and "missing column 'rationale'" in p for p in probs)
    assert any("scores.csv" in p and "column 'why'" in p and "unknown column" in p for p in probs)


@pytest.mark.parametrize("content", ["", "\n\n", ";;;;;;;\n", ",,,,\n,,,,\n"],
                         ids=["empty", "blank-lines", "separators", "comma-separators"])
def test_empty_options_file_is_one_problem_not_a_flood(tmp_path, content):
    """An empty (or cleared-in-Excel) options.csv: one line for it, one 'not checked' line for scores.csv."""
    probs = problems_of(write_case(tmp_path, case__options_csv=content))
    assert any("options.csv" in p and "the file is empty" in p for p in probs)
    (scores_line,) = [p for p in probs if "scores.csv" in p]
    assert scores_line.endswith("case/scores.csv: not checked, because options.csv has a problem (fix options.csv first)")
    assert len(probs) == 2


def test_bad_profile_row_does_not_also_report_the_group_incomplete(tmp_path):
    probs = problems_of(write_case(tmp_path, case__profiles_csv=PROFILES.replace("pick,alpha,fit,1,", "pick,alpha,fit,-1,")))
    assert len(probs) == 1 and "negative weight -1" in probs[0]


def test_negative_seed_in_a_scenario_is_refused(tmp_path):
    root = write_case(tmp_path)
    (root / "scenarios").mkdir()
    (root / "scenarios" / "s.yaml").write_text("name: s\ndecision: pick\nseed: -1\n", encoding="utf-8")
    probs = problems_of(root)
    assert any("s.yaml: key 'seed'" in p and "greater than or equal to 0" in p for p in probs)


def test_not_utf8(tmp_path):
    write_case(tmp_path, case__options_csv=OPTIONS.encode("cp1252"))
    probs = problems_of(tmp_path / "case")
    assert any("options.csv: line 4" in p and "not UTF-8" in p for p in probs)


def test_profile_problems(tmp_path):
    prof = PROFILES.replace("pick,alpha,fit,1,", "pick,alpha,fit,-1,").replace("pick,beta,cost,,3", "pick,beta,cost,1,3")
    prof += "pick,gamma,legal,1,\n"
    probs = problems_of(write_case(tmp_path, case__profiles_csv=prof))
    assert any("profiles.csv: row 3, column 'weight'" in p and "negative weight" in p for p in probs)
    assert any("profiles.csv: row 7" in p and "both a weight and a rank" in p for p in probs)
    assert any("profiles.csv: row 8, column 'group'" in p and "unknown stakeholder group 'gamma'" in p for p in probs)


def test_all_problems_in_one_pass(tmp_path):
    """A misspelt criterion id, a decimal comma in a decimal-point file and likely > high: all three reported."""
    scores = (
        SCORES.replace("pick,b,fit,7,8,9", "pick,b,fti,7,8,9")
        .replace("pick,a,legal,6,7,8", 'pick,a,legal,6,"7,5",8')
        .replace("pick,c,cost,200,300,350", "pick,c,cost,200,400,350")
    )
    probs = problems_of(write_case(tmp_path, case__scores_csv=scores))
    text = "\n".join(probs)
    assert "unknown criterion 'fti'" in text and "did you mean 'fit'" in text
    assert "'7,5' is not a number" in text and "'7.5'" in text
    assert "likely 400, high 350 are out of order" in text
