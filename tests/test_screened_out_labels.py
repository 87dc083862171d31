"""The screened-out table names a screen in the reader's language, never by its id (issue 25: the bokmål report
showed `who-may-use`). The words are the reference who-may-use screen's own heading (docs/rules.md, "Who may use the
contract")."""

from __future__ import annotations

from pathlib import Path

import pytest

import procurement as pw
from procurement.report.notebook import excluded_table

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution"


@pytest.mark.parametrize(("language", "words"), [("nb", "Hvem kan bruke kontrakten"), ("en", "Who may use the contract")])
def test_the_who_may_use_screen_is_named_in_words(language, words):
    decision = pw.Analysis(pw.load_case(EXAMPLE), "default").decision
    table = excluded_table(decision, language)
    row = table[table["option"] == decision.option("helseplattformen-extend").label(language)]
    assert row["criterion"].tolist() == [words]
    assert "who-may-use" not in table.to_string()
