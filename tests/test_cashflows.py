"""Reading cashflows.csv: units, separators and one clear problem per bad row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from procurement.case.cashflows import load_cashflows, read_cashflows
from procurement.case.errors import InputError, ProblemList

OPTIONS = {"contract-strategy": {"zero", "dialogue-total"}, "governance-financing": {"ks-company"}}
HEADER = "decision,option,year,category,low,likely,high,source\n"


def write(tmp_path: Path, body: str, header: str = HEADER, name: str = "cashflows.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def problems(path: Path, unit: str = "MNOK") -> tuple[pd.DataFrame, list[str]]:
    found = ProblemList()
    frame = read_cashflows(path, OPTIONS, found, unit)
    return frame, [str(p) for p in found.problems]


def test_reads_and_converts_to_nok(tmp_path):
    path = write(
        tmp_path,
        "contract-strategy,zero,2025,investment,200,250,325,illustrative\n"
        "contract-strategy,zero,2026,investment,200,250,325,illustrative\n"
        "contract-strategy,dialogue-total,2025,benefit,0.5,1,1.5,\"ehelse.no, 'Hva koster Akson'\"\n",
    )
    frame, found = problems(path, "MNOK")
    assert found == []
    assert list(frame.columns) == ["decision", "option", "year", "category", "low", "likely", "high", "source", "row"]
    assert frame["year"].dtype == "int64"
    assert frame.loc[0, ["low", "likely", "high"]].tolist() == [200e6, 250e6, 325e6]
    assert frame.loc[2, "likely"] == 1e6
    assert frame["row"].tolist() == [2, 3, 4]
    assert frame.attrs["path"] == str(path)
    assert load_cashflows(path, OPTIONS, "kNOK").loc[0, "likely"] == 250e3


def test_semicolon_file_with_decimal_comma(tmp_path):
    path = write(tmp_path, "contract-strategy;zero;2025;operations;1,5;2,25;3;illustrativ\n", header=HEADER.replace(",", ";"))
    frame, found = problems(path, "NOK")
    assert found == []
    assert frame.loc[0, ["low", "likely", "high"]].tolist() == [1.5, 2.25, 3.0]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("contract-strategy,zero,2025,investment,30,20,10,x", "row 2, columns 'low,likely,high': 30, 20, 10 are not in order"),
        ("contract-strategy,zero,2025,investment,-1,2,3,x", "row 2, column 'low': is negative (-1)"),
        ("contract-strategy,zero,2025,operation,1,2,3,x",
         "row 2, column 'category': unknown category 'operation' (did you mean 'operations'?)"),
        ("contract-strategy,dialog-total,2025,operations,1,2,3,x",
         "row 2, column 'option': decision 'contract-strategy' has no option 'dialog-total' (did you mean 'dialogue-total'?)"),
        ("contract-strategi,zero,2025,operations,1,2,3,x",
         "row 2, column 'decision': unknown decision 'contract-strategi' (did you mean 'contract-strategy'?)"),
        ("governance-financing,zero,2025,operations,1,2,3,x",
         "row 2, column 'option': decision 'governance-financing' has no option 'zero'"),
        ("contract-strategy,zero,2025.5,operations,1,2,3,x", "row 2, column 'year': '2025.5' is not a whole year"),
        ("contract-strategy,zero,2025,operations,1,2,3,", "row 2, column 'source': is empty"),
        ("contract-strategy,zero,2025,operations,1,2,x,s", "row 2, column 'high': 'x' is not a number"),
    ],
)
def test_each_bad_row_is_named_with_file_and_row(tmp_path, line, expected):
    path = write(tmp_path, line + "\n")
    frame, found = problems(path)
    assert len(found) == 1
    assert found[0].startswith(f"{path}: {expected}") or found[0].startswith(f"cashflows.csv: {expected}")
    assert frame.empty


def test_years_duplicated_or_out_of_order(tmp_path):
    path = write(
        tmp_path,
        "contract-strategy,zero,2026,operations,1,2,3,x\n"
        "contract-strategy,zero,2025,operations,1,2,3,x\n"
        "contract-strategy,zero,2026,investment,1,2,3,x\n"  # another category: fine
        "contract-strategy,zero,2026,operations,1,2,3,x\n",
    )
    frame, found = problems(path)
    assert len(found) == 2
    assert ("row 3, column 'year': year 2025 is out of order for option 'zero', category 'operations' "
            "(it stands after 2026)") in found[0]
    assert "row 5, column 'year': year 2026 appears twice for option 'zero', category 'operations' (also row 2)" in found[1]
    assert frame["row"].tolist() == [2, 4]


def test_problems_come_in_row_order_and_the_file_is_read_to_the_end(tmp_path):
    path = write(
        tmp_path,
        "contract-strategy,zero,2025,operations,1,2,3,\n"
        "contract-strategy,zero,2026,operations,3,2,1,x\n"
        "contract-strategy,zeroo,2027,operations,1,2,3,x\n",
    )
    _, found = problems(path)
    rows = [int(p.split("row ")[1].split(",")[0]) for p in found]
    assert rows == sorted(rows) == [2, 3, 4]


def test_structural_problems_are_added_not_raised(tmp_path):
    path = write(tmp_path, "contract-strategy,zero,2025,operations,1,2,3\n",
                 header="decision,option,year,category,low,likely,high\n")
    frame, found = problems(path)
    assert any("missing column 'source'" in p for p in found)
    assert frame.empty and list(frame.columns)[-1] == "row"


def test_unknown_unit_and_load_raises(tmp_path):
    path = write(tmp_path, "contract-strategy,zero,2025,operations,1,2,3,x\n")
    _, found = problems(path, "MNOKK")
    assert found == ["case.yaml: key 'cash_flow_unit': unknown unit 'MNOKK' (did you mean 'MNOK'?)"]
    bad = write(tmp_path, "contract-strategy,zero,2025,operations,3,2,1,x\n", name="bad.csv")
    with pytest.raises(InputError, match="bad.csv: row 2"):
        load_cashflows(bad, OPTIONS)


def test_example_case_cash_flows_read_cleanly():
    root = Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution"
    options = pd.read_csv(root / "options.csv", comment="#")
    by_decision = {d: set(g["id"]) for d, g in options.groupby("decision")}
    frame = load_cashflows(root / "cashflows.csv", by_decision, "MNOK")
    assert set(frame["category"]) <= {"investment", "operations", "transition", "benefit"}
    assert (frame["low"] <= frame["likely"]).all() and (frame["likely"] <= frame["high"]).all()


def test_one_mistyped_year_is_one_problem_on_its_own_row(tmp_path):
    """2125 for 2025 at the top of a run of years: only that row is named, not every row after it."""
    rows = "".join(f"contract-strategy,zero,{y},operations,1,2,3,x\n" for y in [2125] + list(range(2026, 2040)))
    frame, found = problems(write(tmp_path, rows))
    assert len(found) == 1
    assert "row 2, column 'year': year 2125 is out of order" in found[0] and "before 2026" in found[0]
