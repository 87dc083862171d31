"""The sentence layer: templates with typed fields written the reader's way (text/sentences.py)."""

from __future__ import annotations

import pytest

from procurement.text import sentences
from procurement.text.sentences import Assumption, describe, sentence


@pytest.fixture
def template(monkeypatch):
    monkeypatch.setitem(sentences.SENTENCES, "test.spread", (
        "Vektene varierer innenfor ±{spread:percent0} av scenarioets vekter, {n:number0} trekk fra {y:year} ({d:date}).",
        "Weights vary within ±{spread:percent0} of the scenario's weights, {n:number0} draws from {y:year} ({d:date}).",
    ))
    monkeypatch.setitem(sentences.SENTENCES, "test.money", ("Kostnaden er {c:money1}.", "The cost is {c:money1}."))


def test_fields_are_written_in_the_readers_language(template):
    values = {"spread": 0.2, "n": 10000, "y": 2026, "d": "2026-10-24"}
    assert sentence("test.spread", "nb", **values) == (
        "Vektene varierer innenfor ±20\u00a0% av scenarioets vekter, 10\u00a0000 trekk fra 2026 (24.10.2026).")
    assert sentence("test.spread", "en", **values) == (
        "Weights vary within ±20% of the scenario's weights, 10,000 draws from 2026 (24 Oct 2026).")
    assert sentence("test.money", "nb", c=(1250.25, "MNOK")) == "Kostnaden er 1\u00a0250,2\u00a0MNOK."


def test_describe_keeps_the_order_and_to_dict_the_raw_values(template):
    items = [Assumption("test.money", {"c": 3.0}),
             Assumption("test.spread", {"spread": 0.5, "n": 1, "y": 2020, "d": "2020-01-02"})]
    assert describe(items, "en") == ["The cost is 3.0\u00a0MNOK.",
                                     "Weights vary within ±50% of the scenario's weights, 1 draws from 2020 (2 Jan 2020)."]
    assert items[0].to_dict() == {"key": "test.money", "c": 3.0}


def test_unknown_key_and_kind_are_named():
    with pytest.raises(KeyError, match="no sentence 'nope'"):
        sentence("nope")
    sentences.SENTENCES["test.bad"] = ("{x:colour}", "{x:colour}")
    try:
        with pytest.raises(ValueError, match="unknown value kind 'colour'"):
            sentence("test.bad", "nb", x=1)
    finally:
        del sentences.SENTENCES["test.bad"]
