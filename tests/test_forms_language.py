"""Forms in the case's language (issue 25): the weighting forms of `procurement forms` and the evaluator forms of
`procurement tender forms` are bokmål by default and English with --language en, and so are the lines the four
form commands print. Criterion names are compared with the labels read from the case files with PyYAML (not the
workbench's loader); the words are typed here by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from procurement.case.models import Bilingual
from procurement.casebook.forms import _description
from procurement.cli import main
from procurement.tender import load_competition
from procurement.tender.forms import JUSTIFICATION_COL, SCORE_COL, collect

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"
COMP = "dialogue-final-round"
DECISION = "contract-strategy"

NB_HOW_POINTS = "Fordel 100 poeng på kriteriene: flere poeng til det som betyr mer. Summen må bli 100."
NB_HOW_ALL = "Fyll bare inn de hvite cellene og send filen tilbake. Navn og dato lagres sammen med vektene."
EN_HOW_POINTS = "Distribute 100 points over the criteria: more points for what matters more. The sum must be 100."
NB_TENDER_HOW = "Fyll inn poeng og begrunnelse på hver rad; de andre cellene er låst."
EN_TENDER_HOW = "Fill in score and justification for every row; other cells are locked."


def _criteria() -> list[dict]:
    return yaml.safe_load((ROOT / "criteria" / f"{DECISION}.yaml").read_text(encoding="utf-8"))["criteria"]


def _tender_quality() -> list[dict]:
    model = yaml.safe_load((CASE / "tenders" / COMP / "model.yaml").read_text(encoding="utf-8"))
    return [c for c in model["criteria"] if c["kind"] == "quality"]


def _texts(ws) -> list[str]:
    return [str(v) for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _rubric_texts(criteria: list[dict], language: str) -> list[str]:
    return [_flat(t[language]) for c in criteria for t in (c["scale"].get("rubric") or {}).values()]


def test_weighting_form_is_bokmal_by_default(tmp_path, capsys):
    assert main(["forms", str(CASE), "--decision", DECISION, "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed and all(line.startswith("skrev ") for line in printed)
    wb = load_workbook(tmp_path / f"{DECISION}-ks.xlsx")
    assert wb.sheetnames == ["Skjema", "Rubrikk", "meta"]
    ws = wb["Skjema"]
    assert ws["A1"].value == "Vektskjema: Kontraktsstrategi"
    assert [ws[f"A{r}"].value for r in (2, 3, 4, 5)] == ["Sak", "Interessentgruppe", "Ditt navn", "Dato (dd.mm.åååå)"]
    assert (ws["A6"].value, ws["A7"].value) == (NB_HOW_POINTS, NB_HOW_ALL)
    assert [c.value for c in ws[8]] == ["kriterie-id", "kriterium", "beskrivelse", "fra dårligst til best",
                                         "poeng (0–100)"]
    criteria = _criteria()
    assert [ws.cell(9 + i, 2).value for i in range(len(criteria))] == [c["label"]["nb"] for c in criteria]
    english = {c["label"]["en"] for c in criteria if c["label"]["en"] != c["label"]["nb"]} | {EN_HOW_POINTS}
    assert not english & set(_texts(ws)) and not english & set(_texts(wb["Rubrikk"]))
    # every criterion's description is the bokmål text of the criteria file, and no English description is shown
    assert [ws.cell(9 + i, 3).value for i in range(len(criteria))] == [_flat(c["description"]["nb"]) for c in criteria]
    shown = " ".join(_texts(ws) + _texts(wb["Rubrikk"]))
    assert not [c["id"] for c in criteria if _flat(c["description"]["en"]) in shown]
    assert not [t for t in _rubric_texts(criteria, "en") if t in shown]
    rubric = wb["Rubrikk"]
    assert [c.value for c in rubric[1]] == ["kriterie-id", "kriterium", "nivå", "beskrivelse"]
    assert [r[3] for r in rubric.iter_rows(min_row=2, values_only=True)] == _rubric_texts(criteria, "nb")
    first = criteria[0]["scale"]["rubric"]  # legal-robustness: higher is better, worst 0 and best 10
    assert ws.cell(9, 4).value == f"0: {_flat(first[0]['nb'])} → 10: {_flat(first[10]['nb'])} (høyere er bedre)"
    assert all(ws.cell(9 + i, 4).value.endswith("(høyere er bedre)") or ws.cell(9 + i, 4).value.endswith(
        "(lavere er bedre)") for i in range(len(criteria)))


def test_weighting_form_in_english(tmp_path, capsys):
    assert main(["forms", str(CASE), "--decision", DECISION, "--out", str(tmp_path), "--language", "en"]) == 0
    assert all(line.startswith("wrote ") for line in capsys.readouterr().out.splitlines())
    wb = load_workbook(tmp_path / f"{DECISION}-ks.xlsx")
    ws = wb["Form"]
    assert ws["A1"].value == "Weighting form: Contract strategy" and ws["A6"].value == EN_HOW_POINTS
    assert ws.cell(8, 3).value == "description"
    criteria = _criteria()
    assert [ws.cell(9 + i, 2).value for i in range(len(criteria))] == [c["label"]["en"] for c in criteria]
    assert [ws.cell(9 + i, 3).value for i in range(len(criteria))] == [_flat(c["description"]["en"]) for c in criteria]
    assert [r[3] for r in wb["Rubric"].iter_rows(min_row=2, values_only=True)] == _rubric_texts(criteria, "en")
    first = criteria[0]["scale"]["rubric"]
    assert ws.cell(9, 4).value == f"0: {_flat(first[0]['en'])} → 10: {_flat(first[10]['en'])} (higher is better)"


def _english_only(data: dict) -> dict:
    """A criteria file as it was written before bokmål texts: descriptions and rubric levels as plain strings."""
    data = dict(data, description=data["description"]["en"])
    for c in data["criteria"]:
        c["description"] = c["description"]["en"]
        if c["scale"].get("rubric"):
            c["scale"]["rubric"] = {k: v["en"] for k, v in c["scale"]["rubric"].items()}
    return data


def test_a_criteria_file_with_plain_english_descriptions_still_loads_and_the_form_says_so(tmp_path, capsys):
    case = tmp_path / "data" / "case"
    shutil.copytree(CASE, case, ignore=shutil.ignore_patterns("reports", "tenders"))
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")  # case.yaml: criteria_dir ../../criteria
    path = tmp_path / "criteria" / f"{DECISION}.yaml"
    data = _english_only(yaml.safe_load(path.read_text(encoding="utf-8")))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert "nb:" not in yaml.safe_dump([c["description"] for c in data["criteria"]])
    out = tmp_path / "forms"
    assert main(["forms", str(case), "--decision", DECISION, "--out", str(out)]) == 0
    capsys.readouterr()
    wb = load_workbook(out / f"{DECISION}-ks.xlsx")
    ws = wb["Skjema"]
    assert ws.cell(8, 3).value == "beskrivelse (på engelsk)"
    criteria = data["criteria"]
    assert [ws.cell(9 + i, 3).value for i in range(len(criteria))] == [_flat(c["description"]) for c in criteria]
    rubric = wb["Rubrikk"]
    assert rubric.cell(1, 4).value == "beskrivelse (på engelsk)"
    assert [r[3] for r in rubric.iter_rows(min_row=2, values_only=True)] == [
        _flat(t) for c in criteria for t in (c["scale"].get("rubric") or {}).values()]


def test_a_text_in_one_language_falls_back_to_it():
    both = Bilingual(nb="Hvor trygt veivalget står seg ved en klage", en="How safely the route stands up to a complaint")
    assert _description(both, "nb") == "Hvor trygt veivalget står seg ved en klage"
    assert _description(both, "en") == "How safely the route stands up to a complaint"
    plain = Bilingual.model_validate("Settled law")  # a plain string in a file is English
    assert (plain.nb, plain.en, plain.get("nb"), plain.has("nb"), plain.has("en")) == ("", "Settled law", "Settled law",
                                                                                      False, True)
    assert Bilingual(nb="Avklart rett").get("en") == "Avklart rett"
    assert not Bilingual() and _description(Bilingual(), "nb") == ""


@pytest.fixture
def case(tmp_path) -> Path:
    target = tmp_path / "case"
    shutil.copytree(CASE / "tenders", target / "tenders")
    return target


def _fill_fives(path: Path) -> None:
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    for row in range(2, ws.max_row + 1):
        ws.cell(row, SCORE_COL).value = 5
        ws.cell(row, JUSTIFICATION_COL).value = "middels"
    wb.save(path)


def test_tender_form_is_bokmal_by_default(case, capsys):
    assert main(["tender", "forms", str(case), "--competition", COMP, "--evaluators", "ingrid"]) == 0
    assert capsys.readouterr().out.startswith("skrev ")
    path = case / "tenders" / COMP / "forms" / "ingrid.xlsx"
    wb = load_workbook(path)
    assert wb.sheetnames == ["Poeng", "Rubrikk", "Om skjemaet", "meta"] and wb["meta"].sheet_state == "hidden"
    ws = wb["Poeng"]
    assert [c.value for c in ws[1]] == ["tilbyder", "tilbydernavn", "kriterium", "kriterienavn", "skala", "poeng",
                                        "begrunnelse"]
    quality = _tender_quality()
    assert {ws.cell(r, 4).value for r in range(2, ws.max_row + 1)} == {c["label"]["nb"] for c in quality}
    assert [c.value for c in wb["Rubrikk"][1]] == ["kriterium", "navn", "vekt", "nivå", "betydning (på engelsk)"]
    about = {r[0]: r[1] for r in wb["Om skjemaet"].iter_rows(values_only=True)}
    assert about["veiledning"] == NB_TENDER_HOW and about["konkurranse"] == COMP and about["evaluator"] == "ingrid"
    english = {c["label"]["en"] for c in quality} | {EN_TENDER_HOW}
    assert not english & {t for s in wb.worksheets for t in _texts(s)}
    _fill_fives(path)
    assert main(["tender", "collect", str(case), "--competition", COMP]) == 0
    assert capsys.readouterr().out.startswith("skrev ")


def test_tender_form_in_english(case, capsys):
    assert main(["tender", "forms", str(case), "--competition", COMP, "--evaluators", "ingrid", "--language", "en"]) == 0
    assert capsys.readouterr().out.startswith("wrote ")
    wb = load_workbook(case / "tenders" / COMP / "forms" / "ingrid.xlsx")
    assert wb.sheetnames == ["Scores", "Rubric", "About", "meta"]
    ws = wb["Scores"]
    assert {ws.cell(r, 4).value for r in range(2, ws.max_row + 1)} == {c["label"]["en"] for c in _tender_quality()}
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True)}
    assert about["instructions"] == EN_TENDER_HOW
    _fill_fives(case / "tenders" / COMP / "forms" / "ingrid.xlsx")
    assert main(["tender", "collect", str(case), "--competition", COMP, "--language", "en"]) == 0
    assert capsys.readouterr().out.startswith("wrote ")


def test_a_form_written_before_the_hidden_sheet_is_still_read(case, tmp_path):
    """Forms written before this change had only the About sheet (English keys) and a sheet named Scores."""
    assert main(["tender", "forms", str(case), "--competition", COMP, "--evaluators", "lars", "--language", "en",
                 "--out", str(tmp_path / "forms")]) == 0
    path = tmp_path / "forms" / "lars.xlsx"
    _fill_fives(path)
    wb = load_workbook(path)
    del wb["meta"]
    wb.save(path)
    collect(load_competition(case, COMP), tmp_path / "forms")
    lars = load_competition(case, COMP).evaluations
    assert lars is not None
    assert set(lars[lars["evaluator"] == "lars"]["score"]) == {5.0}
