"""The report's prose says what the analysis used: change the scenario, and the text changes with it (issue 22).

A copy of the example case gets a scenario with a spread, a number of samples, a method list and a weight
profile that differ from the default scenario's (0.2, 10 000, weighted sum and TOPSIS, the criteria file's
weights). ``procurement run`` makes the report of notebooks 01 (inputs) and 07 (the summary) in bokmål and in
English, and each new value is found in the report's text, written the reader's way, while the default values
are not: the sentences come from what the analysis recorded, not from text typed into a notebook.

The expected words are written here by hand (a Norwegian reader's ``±35 %`` with a no-break space, an English
reader's ``2,345``), not produced by the code under test.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from procurement.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "national-municipal-solution"
NBSP = "\u00a0"

SCENARIO = """\
name: prose-{language}
decision: contract-strategy
profile: tromso
methods: [topsis, promethee2]
samples: 2345
seed: 7
language: {language}
uncertainty:
  weights: bounds
  spread: 0.35
  scores: triangular
"""

#: What a reader must find, per language: the spread, the samples, the method list, the profile's name and id.
EXPECTED = {
    "nb": [f"±35{NBSP}%", f"2{NBSP}345 trekninger med frø 7", "TOPSIS og PROMETHEE II", "Hver trekning rangeres med TOPSIS",
           "Vektprofil: Kommunegruppen rundt Tromsø (tromso)"],
    "en": ["±35%", "2,345 draws with seed 7", "TOPSIS and PROMETHEE II", "Each draw is ranked by TOPSIS",
           "Weight profile: Municipal cluster around Tromsø (tromso)"],
}
#: The default scenario's values, and the figure notebook 07 once typed: none may appear.
ABSENT = {
    "nb": [f"±20{NBSP}%", f"±50{NBSP}%", "±50 %", f"10{NBSP}000 trekninger", "Vektprofil: Kriteriefilen"],
    "en": ["±20%", "±50 %", "±50%", "10,000 draws", "Weight profile: Criteria file"],
}


def text_of(page: Path) -> str:
    """The words of an HTML page as a reader sees them: tags removed, entities decoded, runs of spaces one space."""
    raw = page.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))  # a no-break space stays


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """Run notebooks 01 and 07 for the changed scenario in both languages; the run folder per language."""
    tmp = tmp_path_factory.mktemp("prose")
    case = tmp / "data" / EXAMPLE.name
    shutil.copytree(EXAMPLE, case)
    shutil.copytree(ROOT / "criteria", tmp / "criteria")  # case.yaml: criteria_dir ../../criteria
    files = []
    for language in ("nb", "en"):
        path = case / "scenarios" / f"prose-{language}.yaml"
        path.write_text(SCENARIO.format(language=language), encoding="utf-8")
        files.append(str(path))
    out = tmp / "reports"
    code = main(["run", *files, "--notebooks", "01-inputs", "07-summary", "--notebooks-dir", str(ROOT / "notebooks"),
                 "--out", str(out), "--no-progress"])
    assert code == 0
    return {language: next(out.glob(f"*-prose-{language}")) for language in ("nb", "en")}


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_summary_states_the_scenarios_values(reports, language):
    text = text_of(reports[language] / "07-summary.html")
    missing = [words for words in EXPECTED[language] if words not in text]
    assert not missing, missing
    found = [words for words in ABSENT[language] if words in text]
    assert not found, found


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_inputs_report_names_the_profile_it_weighs_with(reports, language):
    text = text_of(reports[language] / "01-inputs.html")
    assert EXPECTED[language][-1] in text
    assert ABSENT[language][-1] not in text


def test_no_notebook_types_a_spread_or_a_seed():
    """No number describing a parameter is typed into a notebook's prose (Markdown) or its parameters' comments."""
    import nbformat

    typed = re.compile(r"±\s?\d+\s?%|spread:\s*0\.\d|\b20261125\b")
    found = []
    for path in sorted((ROOT / "notebooks").glob("0[17]-*.ipynb")):
        for i, cell in enumerate(nbformat.read(str(path), as_version=4).cells):
            if cell.cell_type == "markdown" or "parameters" in cell.metadata.get("tags", []):
                found += [f"{path.name} cell {i}: {m.group(0)}" for m in typed.finditer(cell.source)]
    assert not found, found
