"""Tracebacks and silent accepts of issue 26, second round: each input ends in one clear line naming the file and
the field, exit 2, no traceback, the input files unchanged.

Every case works on a copy of the example case (six folders below tmp_path, as in test_security).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_security import COMPETITION, assert_one_clear_line, call, example_copy, snapshot

SEAL = Path("tenders") / COMPETITION / "seal.json"


def _seal_edit(fn):
    def go(case: Path) -> None:
        p = case / SEAL
        p.write_text(fn(p.read_text(encoding="utf-8")), encoding="utf-8")

    return go


def _stamp(value: object):
    def fn(text: str) -> str:
        record = json.loads(text)
        record["sealed_at"] = value
        return json.dumps(record)

    return fn


SEALS = {
    "a-list": (_seal_edit(lambda t: "[1, 2]"), "top level", "is a list, not the object a seal is"),
    "no-offset": (_seal_edit(_stamp("2026-12-01T16:12:29")), "key 'sealed_at'", "not a time with its offset"),
    "yesterday": (_seal_edit(_stamp("yesterday")), "key 'sealed_at'", "not a time with its offset"),
    "stamp-a-number": (_seal_edit(_stamp(5)), "key 'sealed_at'", "is a number, not a string"),
    "no-parameters": (_seal_edit(lambda t: json.dumps({k: v for k, v in json.loads(t).items() if k != "parameters"})),
                      "key 'parameters'", "is missing"),
    "200000-nested-arrays": (_seal_edit(lambda t: "[" * 200_000 + "]" * 200_000), "seal.json", "nested too deeply"),
    "900-nested-arrays": (_seal_edit(lambda t: '{"parameters": ' + "[" * 900 + "]" * 900 + "}"), "seal.json",
                          "nested more than 32 levels"),
    "not-json": (_seal_edit(lambda t: t[: len(t) // 2]), "line ", "is not JSON"),
}


@pytest.mark.parametrize("name", list(SEALS))
def test_a_broken_seal_is_one_line_for_evaluate_and_validate(tmp_path, name):
    mutate, field, words = SEALS[name]
    case = example_copy(tmp_path)
    mutate(case)
    before = snapshot(tmp_path)
    for argv in (["tender", str(case), "--competition", COMPETITION], ["validate", str(case)]):
        code, _, err = call(argv)
        assert_one_clear_line(code, err, "seal.json", field)
        assert words in err, err
    assert snapshot(tmp_path) == before


# --- the simulation's size is bounded, on the command line and in the model ----------------------------------------


@pytest.mark.parametrize("fields", ["-5", "0", "1000000000", "200001"])
def test_simulate_refuses_a_number_of_fields_outside_its_limit(tmp_path, fields):
    case = example_copy(tmp_path)
    before = snapshot(tmp_path)
    code, out, err = call(["tender", "simulate", str(case), "--competition", COMPETITION, "--fields", fields])
    assert_one_clear_line(code, err, "--fields", "give 1 to 200,000")
    assert "nan" not in out.lower() and out == ""
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("old, new, key", [
    ("  fields: 20000", "  fields: 2000000000", "simulation.fields"),
    ("  tenderers: [3, 6]", "  tenderers: [3, 100000]", "simulation"),
], ids=["fields", "tenderers"])
def test_validate_refuses_a_simulation_too_large_to_run(tmp_path, old, new, key):
    case = example_copy(tmp_path)
    model = case / "tenders" / COMPETITION / "model.yaml"
    text = model.read_text(encoding="utf-8")
    assert old in text
    model.write_text(text.replace(old, new), encoding="utf-8")
    before = snapshot(tmp_path)
    for argv in (["validate", str(case)], ["tender", "simulate", str(case), "--competition", COMPETITION]):
        code, _, err = call(argv)
        assert_one_clear_line(code, err, "model.yaml", f"key '{key}'")
    assert snapshot(tmp_path) == before


# --- a raw control byte in a YAML file: one line naming the file, the line and the byte --------------------------


def _roots(err: str) -> list[str]:
    """Error lines but the 'not checked, because ... has a problem' lines of the files that depend on a broken one."""
    return [line for line in err.splitlines() if line.startswith("error:") and "not checked" not in line]


@pytest.mark.parametrize("rel", ["case.yaml", "scenarios/default.yaml", "criteria/contract-strategy.yaml"])
@pytest.mark.parametrize("byte", ["\x07", "\x1b", "\x0c"], ids=["bel", "esc", "form-feed"])
def test_a_raw_control_byte_in_a_yaml_file_names_its_line_and_byte(tmp_path, rel, byte):
    case = example_copy(tmp_path)
    path = case.parents[1] / rel if rel.startswith("criteria/") else case / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2] + byte  # the third line, at its end
    path.write_text("\n".join(lines), encoding="utf-8")
    column = len(lines[2])
    before = snapshot(tmp_path)
    code, _, err = call(["validate", str(case)])
    assert "Traceback" not in err and code == 2, err
    (line,) = _roots(err)
    assert path.name in line and f"line 3, column {column}" in line, line
    assert f"control byte 0x{ord(byte):02X}" in line, line
    assert snapshot(tmp_path) == before
