"""Report 08 and the runner: the notebook runs only for a scenario that names a competition; its tables are in the
report language."""

from __future__ import annotations

from pathlib import Path

import pytest

from procurement.case.errors import InputError
from procurement.report.plan import prepare
from procurement.report.sections.tender import start

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"


def _scenario(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(f"name: s\ncase: {CASE}\ndecision: contract-strategy\n{extra}", encoding="utf-8")
    return path


def test_runner_adds_08_only_with_a_competition(tmp_path):
    without = [p.stem for p in prepare(_scenario(tmp_path), root=ROOT).notebooks]
    assert "08-tender-evaluation" not in without and "07-summary" in without
    plan = prepare(_scenario(tmp_path, "competition: dialogue-final-round\n"), root=ROOT)
    assert [p.stem for p in plan.notebooks][-1] == "08-tender-evaluation"
    nb08 = next(p for p in plan.notebooks if p.stem == "08-tender-evaluation")
    assert plan.notebook_parameters(nb08)["competition"] == "dialogue-final-round"


def test_runner_names_an_unknown_competition(tmp_path):
    with pytest.raises(InputError) as err:
        prepare(_scenario(tmp_path, "competition: dialogue-final\n"), root=ROOT)
    assert "key 'competition': no competition 'dialogue-final'" in str(err.value)
    assert "did you mean 'dialogue-final-round'?" in str(err.value)


def test_asking_for_08_without_a_competition_is_a_problem(tmp_path):
    with pytest.raises(InputError, match="needs a competition"):
        prepare(_scenario(tmp_path), notebooks=["08-tender-evaluation"], root=ROOT)


def _report(language: str):
    return start({"case": str(CASE), "scenario": "t", "competition": "dialogue-final-round", "language": language},
                 "08-tender-evaluation")


def test_bokmal_tables_have_bokmal_headers_and_values():
    r = _report("nb")
    t = r.show(r.evaluation_table(), "evaluation")
    assert list(t.frame.columns)[:3] == ["Tilbyder", "Evaluert pris (MNOK)", "Livsløpskostnad (nåverdi, 10 år)"]
    assert t.frame["Tilbyder"].iloc[0] == "Leverandør A (illustrativ)"
    p = r.paradox_table()
    assert list(p["change"]) [0] == "fjernet" and set(p["before"]) == {"foran"}
    assert "Fast referanse (R = 2\u00a0000)" in set(r.simulation_table()["model"])
    assert "forseglet" in r.seal_line() or "IKKE forseglet" in r.seal_line()


def test_english_tables():
    r = _report("en")
    assert list(r.show(r.consensus_table(), "c").frame.columns)[:3] == ["Tenderer", "Criterion", "Consensus"]
    assert "Fixed reference (R = 2,000)" in set(r.simulation_table()["model"])


def test_bokmal_report_page_has_no_english(tmp_path):
    """Report 08 run by the runner in bokmål: the checks of the default report (no English words, no decimal point)."""
    import re

    from procurement.cli import main
    from test_bokmal_report import DECIMAL_POINT, ENGLISH, _Text

    scenario = _scenario(tmp_path, "competition: dialogue-final-round\nlanguage: nb\n")
    assert main(["run", str(scenario), "--notebooks", "08-tender-evaluation", "--out", str(tmp_path / "out"),
                 "--no-progress"]) == 0
    [page] = list((tmp_path / "out").glob("*/08-tender-evaluation.html"))
    reader = _Text()
    reader.feed(page.read_text(encoding="utf-8"))
    text = " ".join(reader.parts)
    english = [w for w in ENGLISH if re.search(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", text, flags=re.I)]
    assert english == []
    assert DECIMAL_POINT.findall(text) == []
    assert "Fast referanse (R = 2\u00a0000)" in text and "Leverandør A (illustrativ)" in text
    assert all(alt for alt in reader.images)
