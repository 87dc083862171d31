"""Tests for procurement.law.contracts: SSA suggestions from option characteristics."""

from __future__ import annotations

from pathlib import Path

import pytest

from procurement.law.contracts import contract_label, load_standard_contracts, suggest_contracts, suggest_for_options
from procurement.case.errors import InputError
from procurement.law.loader import load_rules
from procurement.law.timeline import load_timeline

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = ROOT / "src" / "procurement" / "reference"
CASE = ROOT / "data" / "national-municipal-solution"


@pytest.fixture(scope="module")
def sc():
    return load_standard_contracts(RULES_DIR)


@pytest.mark.parametrize(
    "chars, expected",
    [
        (["development", "operation"], ["SSA-T", "SSA-D"]),
        (["standard-system"], ["SSA-T"]),
        (["development", "agile"], ["SSA-S"]),
        (["standard-system", "agile", "operation"], ["SSA-T", "SSA-S", "SSA-D"]),
        (["cloud-service"], ["SSA-L"]),
        (["consultancy"], ["SSA-B"]),
        (["assignment"], ["SSA-O"]),
        (["purchase", "maintenance"], ["SSA-K", "SSA-V"]),
        ([], []),
    ],
)
def test_suggestions(sc, chars, expected):
    df = suggest_contracts(chars, sc)
    assert df["standard"].tolist() == expected
    assert all(df["reason"].str.len() > 10)


def test_one_row_per_standard(sc):
    df = suggest_contracts(["standard-system", "development"], sc)
    assert df["standard"].tolist() == ["SSA-T"]
    assert df["characteristic"].iloc[0] == "standard-system,development"
    assert contract_label(suggest_contracts(["development", "operation"], sc)) == "SSA-T+SSA-D"


def test_unknown_characteristic(sc):
    with pytest.raises(InputError) as e:
        suggest_for_options({"x": ["cloud"], "y": ["operation", "agil"]}, sc)
    msgs = [str(p) for p in e.value.problems]
    assert msgs == [
        "option 'x': unknown characteristic 'cloud' (valid: agile, assignment, cloud-service, consultancy, development, "
        "maintenance, operation, purchase, standard-system)",
        "option 'y': unknown characteristic 'agil' (did you mean 'agile'?)",
    ]


def test_bad_standard_reference(tmp_path):
    p = tmp_path / "standard-contracts.yaml"
    text = (RULES_DIR / "standard-contracts.yaml").read_text(encoding="utf-8")
    p.write_text(text.replace("standard: SSA-L", "standard: SSA-X"), encoding="utf-8")
    with pytest.raises(InputError, match="characteristic 'cloud-service', standard: unknown standard 'SSA-X'"):
        load_standard_contracts(tmp_path)


def test_example_case_matches_options_contract_column(sc):
    from procurement.case.csvio import read_csv
    from procurement.case.loader import OPTION_COLUMNS, OPTION_OPTIONAL

    plan = load_timeline(CASE, rules=load_rules(RULES_DIR))
    df = suggest_for_options({o: p.characteristics for o, p in plan.options.items()}, sc)
    opts = read_csv(CASE / "options.csv", OPTION_COLUMNS, OPTION_OPTIONAL).frame
    stated = {r["id"]: r["contract"] for r in opts.to_dict("records") if r["decision"] == "contract-strategy" and r["contract"]}
    assert stated
    for oid, contract in stated.items():
        assert contract_label(df[df["option"] == oid]) == contract, oid


def test_every_suggestion_reason_has_bokmaal():
    from procurement.law.contracts import load_standard_contracts, suggest_for_options

    sc = load_standard_contracts()
    assert all(c.reason_nb and c.reason_nb != c.reason for c in sc.characteristics)
    df = suggest_for_options({"a": ["standard-system", "operation"]}, sc)
    assert df.set_index("standard").loc["SSA-D", "reason_nb"] == "Leverandøren drifter løsningen for kunden"
