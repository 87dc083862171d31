"""The plus-minus method: consequence matrix as data, effects.csv, tables per option."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from procurement.cba.effects import effects_by_option, effects_table, load_effects, load_plus_minus, read_effects
from procurement.case.errors import ProblemList

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = {"d": ["zero", "a", "b"]}
HEADER = "decision,effect,label,importance,option,extent,rationale,source\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "effects.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def read(path: Path) -> tuple[pd.DataFrame, list[str]]:
    found = ProblemList()
    frame = read_effects(path, OPTIONS, found)
    return frame, [str(p) for p in found.problems]


def test_consequence_matrix_from_data():
    pm = load_plus_minus()
    assert pm.verified is False  # brief §5: [U on the exact matrix]
    assert pm.importance == ["small", "medium", "large"]
    assert pm.consequence("large", 3) == "++++"
    assert pm.consequence("stor", -3) == "----"
    assert pm.consequence("medium", 2) == "++"
    assert pm.consequence("liten", -1) == "0"
    assert pm.consequence("middels", 0) == "0"
    assert pm.parse_extent("stort negativt") == -3 and pm.parse_extent("+2") == 2 and pm.parse_extent("4") is None
    frame = pm.matrix_frame()
    assert frame.shape == (7, 3) and frame.iloc[0].tolist() == ["++", "+++", "++++"]


def test_table_per_option(tmp_path):
    path = write(
        tmp_path,
        "d,lock-in,Lock-in,large,a,-2,r,s\n"
        "d,lock-in,Lock-in,large,b,1,r,s\n"
        "d,market,Supplier market,small,a,stort positivt,r,s\n"
        "d,market,Supplier market,small,b,-3,r,s\n",
    )
    effects, found = read(path)
    assert found == []
    table = effects_table(effects, "d", OPTIONS["d"])
    assert table.loc["Lock-in"].tolist() == ["large", "0", "---", "++"]
    assert table.loc["Supplier market"].tolist() == ["small", "0", "++", "--"]
    by_option = effects_by_option(effects, "d", OPTIONS["d"])
    assert by_option.loc["a", ["n_plus", "n_minus"]].tolist() == [1, 1]
    assert by_option.loc["zero", ["n_plus", "n_minus"]].tolist() == [0, 0]


@pytest.mark.parametrize(
    "body, expected",
    [
        ("d,e,E,large,a,1,r,s\nd,e,E,small,b,1,r,s\n",
         "row 3, column 'importance': effect 'e' is 'small' here but 'large' in row 2"),
        ("d,e,E,large,a,5,r,s\nd,e,E,large,b,1,r,s\n", "row 2, column 'extent': '5' is not an extent"),
        ("d,e,E,huge,a,1,r,s\nd,e,E,large,b,1,r,s\n", "row 2, column 'importance': unknown importance 'huge'"),
        ("d,e,E,large,a,1,r,s\n", "effect 'e': no row for option 'b' of decision 'd'"),
        ("d,e,E,large,a,1,r,s\nd,e,E,large,b,1,r,s\nd,e,E,large,zero,2,r,s\n",
         "row 4, column 'extent': the 0-alternative 'zero' has extent 2"),
        ("d,e,E,large,a,1,r,s\nd,e,E,large,b,1,r,s\nd,e,E,large,b,2,r,s\n",
         "row 4: effect 'e' for option 'b' appears twice (also row 3)"),
        ("d,e,E,large,a,1,,s\nd,e,E,large,b,1,r,s\n", "row 2, column 'rationale': is empty"),
        ("d,e,E,large,c,1,r,s\nd,e,E,large,a,1,r,s\nd,e,E,large,b,1,r,s\n",
         "row 2, column 'option': decision 'd' has no option 'c'"),
    ],
)
def test_bad_effects_name_file_and_row(tmp_path, body, expected):
    _, found = read(write(tmp_path, body))
    assert len(found) == 1, found
    assert found[0].split(": ", 1)[1].startswith(expected)
    assert "effects.csv" in found[0]


def test_example_case_effects():
    options = pd.read_csv(ROOT / "data" / "national-municipal-solution" / "options.csv", comment="#")
    by_decision = {d: list(g["id"]) for d, g in options.groupby("decision", sort=False)}
    effects = load_effects(ROOT / "data" / "national-municipal-solution" / "effects.csv", by_decision)
    table = effects_by_option(effects, "contract-strategy", by_decision["contract-strategy"])
    assert list(table.index) == by_decision["contract-strategy"]
    assert (table.drop(columns=["n_plus", "n_minus"]).loc["zero"] == "0").all()
    assert len(table.columns) >= 5
