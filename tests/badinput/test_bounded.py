"""Bounded parsing units (issue 16): YAML limits, one-line problems, number bounds, language names, year order."""

from __future__ import annotations

import bisect
import random
import tracemalloc

import pytest

from procurement.case import yamlsafe
from procurement.case.errors import InputError, Problem, clip
from procurement.case.models import MAX_SAMPLES, Scenario, load_model


def _bomb(levels: int) -> str:
    names = "abcdefghijklmnop"
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"{names[i]}: &{names[i]} [" + ",".join([f"*{names[i - 1]}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_at_once_in_one_line(tmp_path):
    p = tmp_path / "case.yaml"
    p.write_text(_bomb(9), encoding="utf-8")
    warm = tmp_path / "warm.yaml"
    warm.write_text("warm: up\n", encoding="utf-8")
    yamlsafe.load(warm)  # imports done: what is timed is the refusal
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as e:
            yamlsafe.load(p)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20, f"{peak / 2**20:.0f} MB: the aliases were expanded before the refusal"  # 9^9 values: GBs
    (line,) = [str(x) for x in e.value.problems]
    assert "case.yaml: line 1, column 1: refused: expands to more than 1,000,000 values through aliases" in line
    assert len(line) < 300


def test_alias_count_is_limited_even_without_expansion(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("a: &a 1\nb: [" + ",".join(["*a"] * (yamlsafe.MAX_ALIASES + 1)) + "]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"refused: more than 1,000 aliases"):
        yamlsafe.load(p)


def test_ordinary_anchors_and_merge_keys_still_work(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\nlist: [*b, *b]\n", encoding="utf-8")
    data = yamlsafe.load(p)
    assert data["other"] == {"x": 1, "y": 3}
    assert data["list"] == [{"x": 1, "y": 2}] * 2


def test_expanded_size_counts_shared_nodes_once_per_use():
    """Nine levels of nine: 9 + 9 * (1 + 9 * (...)) nodes; the counter agrees with a closed form."""
    import yaml

    loader = yamlsafe._Bounded(_bomb(3))
    node = loader.get_single_node()
    # a: 1 + 9 scalars = 10 nodes; b: 1 + 9 * 10 = 91; c: 1 + 9 * 91 = 820; mapping: 1 + 3 keys + 10 + 91 + 820
    assert yamlsafe._expanded_size(node) == 1 + 3 + 10 + 91 + 820
    assert isinstance(node, yaml.MappingNode)


def test_python_tags_and_deep_nesting_are_one_line(tmp_path):
    tag = tmp_path / "tag.yaml"
    tag.write_text("x: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    deep = tmp_path / "deep.yaml"
    deep.write_text("x: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    for path, words in ((tag, "YAML syntax error"), (deep, "nested too deeply")):
        with pytest.raises(InputError) as e:
            yamlsafe.load(path)
        assert len(e.value.problems) == 1 and words in str(e.value.problems[0])


def test_control_character_in_a_yaml_string_is_refused_with_its_key(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text('title: {nb: "Bø\\a", en: "ok"}\n', encoding="utf-8")
    with pytest.raises(InputError) as e:
        yamlsafe.load(p)
    assert "x.yaml: key 'title.nb': contains the control character U+0007" in str(e.value.problems[0])


def test_problem_lines_quote_at_most_about_80_characters_and_stay_one_line():
    p = Problem("scores.csv", "row 2, column 'option'", "unknown option '" + "x" * 5000 + "\nnext'", "did you mean 'y'?")
    text = str(p)
    assert "\n" not in text
    assert len(text) < 200
    assert "characters)" in text and "x" * 100 not in text
    assert clip("a\x07b\u2028c") == "a\\x07b\\u2028c"


@pytest.mark.parametrize("value", ["no", "No", "nb", "norsk", "bokmål", "Bokmal", "nob"])
def test_every_name_of_bokmal_selects_nb(tmp_path, value):
    p = tmp_path / "s.yaml"
    p.write_text(f"name: s\ndecision: d\nlanguage: {value}\n", encoding="utf-8")
    assert load_model(Scenario, p).language == "nb"


def test_other_language_is_refused_naming_the_choices(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text("name: s\ndecision: d\nlanguage: fr\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_model(Scenario, p)
    assert "s.yaml: key 'language': 'fr' is not allowed: should be 'nb' or 'en'" in str(e.value.problems[0])


@pytest.mark.parametrize(("text", "key"), [
    (f"samples: {MAX_SAMPLES + 1}", "samples"),
    ("weights: {a: .nan}", "weights.a"),
    ("weights: {a: .inf}", "weights.a"),
    ("weights: {a: 1e308}", "weights"),
    ("uncertainty: {spread: .inf}", "uncertainty.spread"),
])
def test_scenario_numbers_out_of_bounds_are_refused(tmp_path, text, key):
    p = tmp_path / "s.yaml"
    p.write_text(f"name: s\ndecision: d\n{text}\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_model(Scenario, p)
    assert f"key '{key}'" in str(e.value.problems[0])


def test_year_order_is_the_same_as_the_quadratic_search_and_fast():
    from procurement.case.cashflows import _longest_increasing

    def quadratic(values):  # the previous implementation, kept here as the reference
        n = len(values)
        length, prev = [1] * n, [-1] * n
        for j in range(n):
            for i in range(j):
                if values[i] < values[j] and length[i] + 1 > length[j]:
                    length[j], prev[j] = length[i] + 1, i
        if not n:
            return set()
        end = max(range(n), key=lambda k: (length[k], -k))
        out = set()
        while end != -1:
            out.add(end)
            end = prev[end]
        return out

    rng = random.Random(16)
    for _ in range(2000):
        values = [rng.randint(2020, 2040) for _ in range(rng.randint(0, 25))]
        if rng.random() < 0.5:
            values.sort()
            if values:
                values[rng.randrange(len(values))] = rng.randint(2010, 2050)
        assert _longest_increasing(values) == quadratic(values), values
    # 200,000 values: a quadratic search would not end within the hang guard; the answer is an increasing
    # subsequence as long as patience sorting (bisect, an independent O(n log n) method) says the longest is
    big = [rng.randint(0, 10**6) for _ in range(200_000)]
    picked = sorted(_longest_increasing(big))
    assert all(big[i] < big[j] for i, j in zip(picked, picked[1:], strict=False))
    piles: list[int] = []
    for v in big:
        k = bisect.bisect_left(piles, v)
        piles[k:k + 1] = [v]
    assert len(picked) == len(piles)


@pytest.mark.parametrize("text", [
    "a: 1\n",
    "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\nlist: [*b, *b]\n",
    "a: &a 1\nb: [" + ",".join(["*a"] * 50) + "]\nc: *a\n",
    _bomb(4),
])
def test_aliases_counted_on_the_composed_graph_agree_with_the_counting_loader(text):
    """libyaml composes without counting; counting shared references afterwards gives what the Python loader counts."""
    import yaml

    counting = yamlsafe._Bounded(text)
    counting.get_single_node()
    if yamlsafe._FAST is None:
        pytest.skip("PyYAML without libyaml: the counting loader is the one used")
    node = yaml.CSafeLoader(text).get_single_node()
    assert yamlsafe._aliases(node)[0] == counting.aliases


@pytest.mark.parametrize("text", ["a: 1\n", "a: [1, 2, {b: [3, 4]}]\nc: {d: e}\n", "[" + ",".join(["1"] * 500) + "]\n"])
def test_without_aliases_the_distinct_nodes_are_the_expanded_size(text):
    """load_text skips the expansion walk when no node is shared: the composed nodes are then the expanded ones."""
    import yaml

    node = yaml.SafeLoader(text).get_single_node()
    aliases, distinct = yamlsafe._aliases(node)
    assert aliases == 0
    assert distinct == yamlsafe._expanded_size(node)


def test_a_document_of_too_many_nodes_without_aliases_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlsafe, "MAX_NODES", 100)
    path = tmp_path / "big.yaml"
    path.write_text("[" + ",".join(["1"] * 200) + "]\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        yamlsafe.load(path)
    assert "expands to more than 100 values" in str(err.value.problems[0])
