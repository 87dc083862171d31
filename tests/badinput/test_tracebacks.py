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
EXAMPLE_CASE = Path(__file__).resolve().parents[2] / "data" / "national-municipal-solution"


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


# --- a returned form: only workbooks are read, and the hidden sheet's numbers are checked -------------------------


def _filled_tender_forms(case: Path) -> Path:
    """The evaluators' forms of the example competition, filled with the scores of its evaluations.csv."""
    import csv

    from openpyxl import load_workbook

    folder = case / "tenders" / COMPETITION
    with (folder / "evaluations.csv").open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        scores = {(r["evaluator"], r["tenderer"], r["criterion"]): float(r["score"]) for r in rows}
    code, _, err = call(["tender", "forms", str(case), "--competition", COMPETITION, "--language", "en"])
    assert code == 0, err
    for path in (folder / "forms").glob("*.xlsx"):
        wb = load_workbook(path)
        ws = wb["Scores"]
        for row in range(2, ws.max_row + 1):
            ws.cell(row, 6).value = scores[(path.stem, ws.cell(row, 1).value, ws.cell(row, 3).value)]
        wb.save(path)
    return folder / "forms"


def _not_a_workbook(kind: str, path: Path) -> None:
    import os

    if kind == "text":
        path.write_text("my notes about the tenders\n", encoding="utf-8")
    elif kind == "folder":
        path.mkdir()
    elif kind == "pipe":  # would block the reader forever
        os.mkfifo(path)
    elif kind == "encrypted":  # how a password-protected .xlsx starts: an OLE compound file, not a zip
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    else:  # a zip, but no workbook inside
        import zipfile

        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "hello")


NOT_WORKBOOKS = {"text": "is not an Excel workbook", "folder": "is a folder", "pipe": "is not a regular file",
                 "encrypted": "password-protected", "zip": "cannot be read as an Excel workbook"}


@pytest.mark.parametrize("kind", list(NOT_WORKBOOKS))
def test_tender_collect_names_a_file_in_forms_that_is_no_workbook(tmp_path, kind):
    case = example_copy(tmp_path)
    forms = _filled_tender_forms(case)
    _not_a_workbook(kind, forms / "notes.xlsx")
    before = snapshot(tmp_path)
    code, _, err = call(["tender", "collect", str(case), "--competition", COMPETITION])
    assert_one_clear_line(code, err, "notes.xlsx", NOT_WORKBOOKS[kind])
    assert snapshot(tmp_path) == before
    (forms / "notes.xlsx").rmdir() if kind == "folder" else (forms / "notes.xlsx").unlink()
    code, _, err = call(["tender", "collect", str(case), "--competition", COMPETITION])
    assert code == 0 and "Traceback" not in err, err  # the forms themselves were fine


@pytest.mark.parametrize("kind", list(NOT_WORKBOOKS))
def test_weight_collect_and_import_name_a_file_that_is_no_workbook(tmp_path, kind):
    case = example_copy(tmp_path)
    bad = tmp_path / "returned.xlsx"
    _not_a_workbook(kind, bad)
    before = snapshot(tmp_path)
    for argv in (["collect", str(case), str(bad)], ["import", str(bad), str(case)]):
        code, _, err = call(argv)
        assert "Traceback" not in err and code == 2, (argv, err)
        line = [x for x in err.splitlines() if x.startswith("error:")][0]
        assert "returned.xlsx" in line and NOT_WORKBOOKS[kind] in line, line
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("value", ["abc", -3, 0, 1_000_000_000, 9.5, "1e9", float("inf"), ""],
                         ids=["text", "negative", "zero", "huge", "fraction", "exponent", "inf", "empty"])
def test_a_tampered_first_row_in_a_weight_form_is_one_line(tmp_path, value):
    from openpyxl import load_workbook

    case = example_copy(tmp_path)
    out = tmp_path / "forms"
    code, _, err = call(["forms", str(case), "--decision", "contract-strategy", "--out", str(out)])
    assert code == 0, err
    form = sorted(out.glob("*.xlsx"))[0]
    wb = load_workbook(form)
    row = next(r for r in wb["meta"].iter_rows() if r[0].value == "first_row")
    assert row[1].value == 9  # what the writer puts there
    row[1].value = value
    wb.save(form)
    before = snapshot(tmp_path)
    code, _, err = call(["collect", str(case), str(form)])
    assert_one_clear_line(code, err, form.name, "key 'first_row'")
    assert snapshot(tmp_path) == before


# --- an output path that cannot be written: one line naming it, before anything is written ------------------------

LONG = "x" * 300  # more than the 255 bytes a file system allows in one name
TARGETS = {  # where the output goes -> the words of the line
    "existing-file": ("afile", "is a file, not a folder"),
    "under-proc": ("/proc/procurement-out", "cannot be created there"),
    "under-a-file": ("afile/sub", "a part of the path is a file"),
    "name-too-long": (LONG, "more than the 255 a file system allows"),
}
WRITERS = {  # command line before the output path, and the option the line names
    "forms": (["forms", "{case}", "--decision", "contract-strategy", "--out"], "--out"),
    "tender-forms": (["tender", "forms", "{case}", "--competition", COMPETITION, "--out"], "forms folder"),
}


def _target(tmp_path: Path, given: str) -> str:
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    return given if given.startswith("/") else str(tmp_path / given)


@pytest.mark.parametrize("writer", list(WRITERS))
@pytest.mark.parametrize("target", list(TARGETS))
def test_an_output_folder_that_cannot_be_written_is_one_line(tmp_path, writer, target):
    case = example_copy(tmp_path)
    given, words = TARGETS[target]
    out = _target(tmp_path, given)
    before = snapshot(tmp_path)
    argv, option = WRITERS[writer]
    code, _, err = call([a.replace("{case}", str(case)) for a in argv] + [out])
    assert_one_clear_line(code, err, option, words)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("target", [*TARGETS, "a-folder"])
def test_export_to_a_path_that_cannot_be_written_is_one_line(tmp_path, target):
    case = example_copy(tmp_path)
    if target == "a-folder":
        (tmp_path / "adir").mkdir()
        out, words = str(tmp_path / "adir"), "is a folder, not a file"
    else:
        given, words = TARGETS[target]
        out = _target(tmp_path, given + ("/case.xlsx" if target != "name-too-long" else ".xlsx"))
        words = words if target == "name-too-long" else "its folder"
    before = snapshot(tmp_path)
    code, _, err = call(["export", str(case), "--xlsx", out])
    assert_one_clear_line(code, err, "--xlsx", words)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("target", ["under-proc", "under-a-file", "name-too-long"])
def test_new_into_a_path_that_cannot_be_written_is_one_line(tmp_path, target):
    given, words = TARGETS[target]
    out = _target(tmp_path, given + ("/case" if target != "name-too-long" else ""))
    before = snapshot(tmp_path)
    code, _, err = call(["new", out, "--decision", "pick"])
    assert_one_clear_line(code, err, "CASE_DIR", words if target == "name-too-long" else "its folder")
    assert snapshot(tmp_path) == before


def test_an_evaluator_whose_file_name_takes_more_than_200_bytes_is_refused(tmp_path):
    """80 characters (under the 100 a name may have) of a letter UTF-8 writes in 3 bytes: 240 bytes, with '.xlsx'
    and the writer's '.<name>.partial' more than the 255 a file name may take."""
    case = example_copy(tmp_path)
    before = snapshot(tmp_path)
    code, _, err = call(["tender", "forms", str(case), "--competition", COMPETITION, "--evaluators", "語" * 80])
    assert_one_clear_line(code, err, "--evaluators", "240 bytes as a file name, more than 200")
    assert snapshot(tmp_path) == before


# --- sensitivity with every method --help offers: wsm-sum on the example case ------------------------------------


def test_sensitivity_with_wsm_sum_runs_on_the_example_case(tmp_path):
    case = example_copy(tmp_path)
    before = snapshot(tmp_path)
    code, out, err = call(["sensitivity", str(case), "--scenario", "default", "--method", "wsm-sum", "--samples", "200"])
    assert code == 0 and "Traceback" not in err, err
    assert "What would it take" in out
    assert snapshot(tmp_path) == before


def test_wsm_sum_score_changes_agree_with_scikit_criteria_where_the_scale_starts_at_zero():
    """A minimised criterion whose scale starts at 0 (cost-pv, time-to-first-live) is swept towards 0, where 1/x is
    undefined: the required score lies inside the scale, and scikit-criteria's own pipeline (InvertMinimize,
    SumScaler, WeightedSumModel) agrees that a little beyond it the option wins and a little short of it it does not."""
    import skcriteria as skc

    import procurement as pw
    from procurement.mcda.methods import _wsm_sum
    from procurement.mcda.screening import screen
    from procurement.uncertainty.sensitivity import score_changes
    from procurement.uncertainty.smaa import point_weights

    decision = pw.load_case(EXAMPLE_CASE).decision("contract-strategy")
    table = score_changes(decision, "wsm-sum")
    kept, _ = screen(decision)
    crit = decision.criterion_ids
    likely = decision.matrix("likely").loc[kept, crit].to_numpy(dtype=float)
    obj = decision.value_objectives.loc[crit].to_numpy()
    w = point_weights(decision, None, None).loc[crit].to_numpy(dtype=float)

    def first(option: str, criterion: str, score: float) -> bool:
        x = likely.copy()
        x[kept.index(option), crit.index(criterion)] = score
        rank = _wsm_sum().evaluate(skc.mkdm(x, obj, weights=w, alternatives=kept, criteria=crit)).rank_
        return bool(rank[kept.index(option)] == 1 and (rank == 1).sum() == 1)

    at_zero = [c for c in crit if decision.criterion(c).scale.min == 0 and obj[crit.index(c)] < 0]
    rows = table[table["criterion"].isin(at_zero) & table["required"].notna()]
    assert len(rows) >= 3
    for r in rows.to_dict("records"):
        assert 0 < r["required"] < r["score"]
        step = 1e-6 * r["score"]
        assert first(r["option"], r["criterion"], r["required"] - step), r
        assert not first(r["option"], r["criterion"], r["required"] + step), r


# --- silent accepts: numbers that overflow, a title that breaks the case it is written into -----------------------


@pytest.mark.parametrize("old, new, key", [
    ("max_points: 10\n", "max_points: 1e308\n", "max_points"),
    ("    weight: 40\n", "    weight: 1e308\n", "criterion 'price', key 'weight'"),
], ids=["max-points", "weight"])
def test_model_numbers_that_overflow_the_totals_are_refused(tmp_path, old, new, key):
    """1e308 points or weight made every total inf or NaN and five tenderers tied for first; now validate, seal and
    evaluate refuse it (the seal check is bypassed with --allow-changed-model, the limit is not)."""
    case = example_copy(tmp_path)
    model = case / "tenders" / COMPETITION / "model.yaml"
    text = model.read_text(encoding="utf-8")
    assert old in text
    model.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = snapshot(tmp_path)
    for argv in (["validate", str(case)], ["tender", "seal", str(case), "--force"],
                 ["tender", str(case), "--allow-changed-model"]):
        code, out, err = call(argv)
        assert_one_clear_line(code, err, "model.yaml", key if "criterion" in key else f"key '{key}'")
        assert "nan" not in out.lower() and "inf" not in out.lower()
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("title, words", [("Bell\x07 case", "U+0007"), ("Esc\x1b[31m red", "U+001B"),
                                          ("two\nlines", "U+000A"), ("", "is empty"), ("x" * 201, "201 characters")],
                         ids=["bel", "escape", "newline", "empty", "too-long"])
def test_new_refuses_a_title_that_is_no_line_of_text(tmp_path, title, words):
    before = snapshot(tmp_path)
    code, _, err = call(["new", str(tmp_path / "bell"), "--decision", "pick", "--title", title])
    assert_one_clear_line(code, err, "--title", words)
    assert snapshot(tmp_path) == before and not (tmp_path / "bell").exists()


def test_new_with_a_norwegian_title_still_validates(tmp_path):
    title = "Velferdsteknologi «Nordfjord» – ø"
    code, _, err = call(["new", str(tmp_path / "nordfjord"), "--decision", "pick", "--title", title])
    assert code == 0, err
    code, _, err = call(["validate", str(tmp_path / "nordfjord")])
    assert code == 0 and "Traceback" not in err, err


# --- a competition too large to evaluate, a price that overflows: refused by validate and by evaluate --------------


def _tenders(case: Path, n: int, price: str = "1500") -> None:
    folder = case / "tenders" / COMPETITION
    (folder / "tenders.csv").write_text("tenderer,name,price\n" + "".join(
        f"supplier-{i:05d},S {i},{price if i == 0 else 1500 + i}\n" for i in range(n)), encoding="utf-8")


@pytest.mark.parametrize("n, price, field, words", [
    (2_001, "1500", "tenders.csv", "more than the 2,000"),
    (5, "1e308", "column 'price'", "is more than 1e+15"),
], ids=["2001-tenderers", "price-1e308"])
def test_a_competition_too_large_or_a_price_that_overflows_is_refused(tmp_path, n, price, field, words):
    case = example_copy(tmp_path)
    _tenders(case, n, price)
    before = snapshot(tmp_path)
    for argv in (["validate", str(case)], ["tender", str(case), "--competition", COMPETITION]):
        code, _, err = call(argv)
        assert "Traceback" not in err and code == 2, err
        line = [x for x in err.splitlines() if x.startswith("error:")][0]
        assert "tenders.csv" in line and field in line and words in line, line
    assert snapshot(tmp_path) == before


# --- criteria sharing a priority may have different weights (FOA § 18-1 orders nothing within equal importance) ---


def _weights(case: Path, implementation: str, risk: str, order: str = "as-is") -> Path:
    """The example model with the weights of 'implementation' and 'risk' (both priority 4), optionally swapped in
    the file, so the order of the criteria in model.yaml changes."""
    model = case / "tenders" / COMPETITION / "model.yaml"
    text = model.read_text(encoding="utf-8")
    head, rest = text.split("  - id: implementation\n", 1)
    impl, rest = rest.split("  - id: risk\n", 1)
    risk_block, tail = rest.split("\nsources:", 1) if "\nsources:" in rest else (rest, "")
    impl = "  - id: implementation\n" + impl.replace("    weight: 10\n", f"    weight: {implementation}\n")
    risk_block = "  - id: risk\n" + risk_block.replace("    weight: 10\n", f"    weight: {risk}\n")
    if order == "swapped":
        risk_block, impl = impl, risk_block
        if not impl.endswith("\n"):
            impl, risk_block = impl + "\n", risk_block.rstrip("\n") + "\n"
    model.write_text(head + impl + risk_block + ("\nsources:" + tail if tail else ""), encoding="utf-8")
    return case


@pytest.mark.parametrize("order", ["as-is", "swapped"])
@pytest.mark.parametrize("implementation, risk", [("8", "10"), ("10", "8"), ("10", "10")])
def test_criteria_sharing_a_priority_may_have_different_weights_whatever_the_file_order(tmp_path, implementation,
                                                                                         risk, order):
    from procurement.tender import load_competition

    case = _weights(example_copy(tmp_path), implementation, risk, order)
    model = load_competition(case, COMPETITION).model
    weights = {c.id: c.weight for c in model.criteria}
    assert (weights["implementation"], weights["risk"]) == (float(implementation), float(risk))
    assert {c.id: c.priority for c in model.criteria}["risk"] == 4


@pytest.mark.parametrize("order", ["as-is", "swapped"])
def test_a_higher_priority_with_a_lower_weight_is_still_refused(tmp_path, order):
    """risk (priority 4) weighted 20 above functionality (priority 3, weight 15): refused in one line."""
    case = _weights(example_copy(tmp_path), "10", "20", order)
    before = snapshot(tmp_path)
    code, _, err = call(["tender", "seal", str(case), "--force"])
    assert_one_clear_line(code, err, "model.yaml", "functionality")
    assert "'risk' (priority 4); a higher priority needs at least the same weight" in err
    assert snapshot(tmp_path) == before


def test_sealing_where_seal_json_is_a_folder_is_one_line_for_seal_evaluate_and_validate(tmp_path):
    case = example_copy(tmp_path)
    (case / SEAL).unlink()
    (case / SEAL).mkdir()
    before = snapshot(tmp_path)
    code, _, err = call(["tender", "seal", str(case), "--force"])
    assert_one_clear_line(code, err, "seal.json", "is a folder, not a file")
    for argv in (["tender", str(case)], ["validate", str(case)]):
        code, _, err = call(argv)
        assert_one_clear_line(code, err, "seal.json", "is a folder, not a file")
    assert snapshot(tmp_path) == before
