"""Weighting forms: written per stakeholder group, filled by openpyxl, collected back into profiles.csv."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from procurement.case.errors import InputError
from procurement import load_case
from procurement.casebook.forms import FIRST_ROW, collect, write_forms
from procurement.cli import main
from procurement import Analysis

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "national-municipal-solution"
DECISION = "contract-strategy"


@pytest.fixture
def case_copy(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "case")
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")
    p = tmp_path / "case" / "case.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("criteria_dir: ../../criteria", "criteria_dir: ../criteria"),
                 encoding="utf-8")
    return tmp_path / "case"


def _today_profiles() -> pd.DataFrame:
    """profiles.csv as it is today, read with pandas (not the workbench's reader)."""
    f = pd.read_csv(EXAMPLE / "profiles.csv")
    return f[f["decision"] == DECISION]


def _fill(path: Path, values: dict[str, float], who: str = "Kari Nordmann", when: object = dt.date(2026, 11, 30)) -> None:
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    ws["B4"] = who
    ws["B5"] = when
    row = FIRST_ROW
    while ws.cell(row=row, column=1).value:
        cid = ws.cell(row=row, column=1).value
        if cid in values:
            ws.cell(row=row, column=5, value=values[cid])
        row += 1
    wb.save(path)


def _rankings(case_dir: Path) -> dict[str, list[str]]:
    case = load_case(case_dir)
    out = {}
    for g in case.decision(DECISION).profiles:
        table = Analysis(case, {"decision": DECISION, "profile": g, "methods": ["wsm", "topsis"]}).ranking("topsis").table
        out[g] = list(table.sort_values("rank").index)
    return out


def _points(rows: pd.DataFrame) -> dict[str, float]:
    """A group's weights from today's profiles.csv as 100 points distributed in the same proportions."""
    w = rows["weight"].astype(float)
    return dict(zip(rows["criterion"], w * 100 / w.sum(), strict=True))


def test_seven_forms_filled_with_todays_weights_give_todays_rankings(case_copy: Path, tmp_path: Path, capsys) -> None:
    before = _rankings(case_copy)
    assert len(before) == 7
    assert main(["forms", str(case_copy), "--decision", DECISION, "--out", str(tmp_path / "forms"), "--language", "en"]) == 0
    files = sorted((tmp_path / "forms").glob("*.xlsx"))
    assert len(files) == 7
    today = _today_profiles()
    n = today["criterion"].nunique()
    for f in files:
        group = f.stem.removeprefix(f"{DECISION}-")
        rows = today[today["group"] == group]
        ranks = rows["weight"].isna().all()
        assert ranks == (group == "directorate")  # the directorate's form asks for ranks, as its profile has today
        values = dict(zip(rows["criterion"], rows["rank"].astype(int), strict=True)) if ranks else _points(rows)
        _fill(f, values, who=f"Respondent {group}")
    capsys.readouterr()
    assert main(["collect", str(case_copy), *map(str, files), "--language", "en"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 7 and all(": OK — decision contract-strategy, group " in line for line in out)
    assert any(f"group directorate, {n} criteria, rank, Respondent directorate, 30.11.2026" in line for line in out)
    assert any(f"group ks, {n} criteria, points, sum 100, Respondent ks, 30.11.2026" in line for line in out)
    assert _rankings(case_copy) == before
    # the same weights as today (in proportion) and the same ranks, with the respondent and the date recorded
    after = pd.read_csv(case_copy / "profiles.csv", comment="#")
    mine = after[after["decision"] == DECISION].set_index(["group", "criterion"]).sort_index()
    theirs = today.set_index(["group", "criterion"]).sort_index()
    share = mine["weight"] / mine["weight"].groupby(level="group").transform("sum")
    expected = theirs["weight"] / theirs["weight"].groupby(level="group").transform("sum")
    pd.testing.assert_series_equal(share, expected, atol=1e-12)
    pd.testing.assert_series_equal(mine["rank"], theirs["rank"])
    text = (case_copy / "profiles.csv").read_text(encoding="utf-8")
    assert f"# collected {DECISION}/ks: Respondent ks, 2026-11-30, points form {DECISION}-ks.xlsx\n" in text
    # the other decisions' rows are untouched, in their order
    other = [line for line in (EXAMPLE / "profiles.csv").read_text().splitlines() if not line.startswith(DECISION)]
    kept = [line for line in (case_copy / "profiles.csv").read_text().splitlines()
            if not line.startswith((DECISION, "# collected"))]
    assert kept == other


def test_collect_changes_only_the_rows_of_the_collected_group(case_copy: Path, tmp_path: Path) -> None:
    """Issue 25: collect rewrote all of profiles.csv (+232/-232: a note column on every row, the group moved to the
    end). Now a diff shows the group's own rows, where they were, and one comment line saying where they came from."""
    import difflib

    before = (case_copy / "profiles.csv").read_text(encoding="utf-8").splitlines()
    today = _today_profiles()
    rows = today[today["group"] == "bergen"]
    points = _points(rows)
    points = {c: (v + 1 if i == 0 else v - 1 / (len(points) - 1)) for i, (c, v) in enumerate(points.items())}
    [f] = write_forms(load_case(case_copy), DECISION, tmp_path / "forms", kinds={"bergen": "points"}, kind="points",
                      respondents=None)[2:3]
    _fill(f, points)
    collect(case_copy, [f])
    after = (case_copy / "profiles.csv").read_text(encoding="utf-8").splitlines()
    changed = [line[1:] for line in difflib.unified_diff(before, after, lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    removed = [x for x in changed if x in before and x not in after]
    added = [x for x in changed if x in after and x not in before]
    assert all(x.startswith(f"{DECISION},bergen,") for x in removed) and len(removed) == len(rows)
    assert [x for x in added if not x.startswith(f"{DECISION},bergen,")] == [
        f"# collected {DECISION}/bergen: Kari Nordmann, 2026-11-30, points form {f.name}"]
    assert after[0] == before[0] or after[0].startswith("# collected")  # the header and comments kept
    # the other lines are the same lines in the same order, and the group's rows sit where they were
    assert [x for x in after if not x.startswith((f"{DECISION},bergen,", "# collected"))] == [
        x for x in before if not x.startswith(f"{DECISION},bergen,")]
    first = next(i for i, x in enumerate(before) if x.startswith(f"{DECISION},bergen,"))
    assert after[first + 1].startswith(f"{DECISION},bergen,")  # one comment line above the header moves it by one


def test_swing_weights_give_the_same_normalised_weights(case_copy: Path, tmp_path: Path) -> None:
    today = _today_profiles()
    rows = today[today["group"] == "bergen"]
    w = dict(zip(rows["criterion"], rows["weight"].astype(float), strict=True))
    top = max(w.values())
    case = load_case(case_copy)
    [f] = write_forms(case, DECISION, tmp_path / "forms", kinds={"bergen": "swing"}, kind="points",
                      respondents=None)[2:3]
    assert f.name == f"{DECISION}-bergen.xlsx"
    _fill(f, {c: round(v / top * 100, 6) for c, v in w.items()}, when="30.11.2026")
    collect(case_copy, [f])
    got = load_case(case_copy).decision(DECISION).profiles["bergen"]
    expected = pd.Series(w) / sum(w.values())  # by hand: swing weights normalised to sum 1
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False, atol=1e-6)


def test_broken_forms_are_reported_by_file_and_nothing_written(case_copy: Path, tmp_path: Path, capsys) -> None:
    case = load_case(case_copy)
    files = write_forms(case, DECISION, tmp_path / "forms", language="nb")
    today = _today_profiles()

    def todays(group):
        return _points(today[today["group"] == group])

    ks, tromso, bergen, kristiansand = files[:4]
    sum_wrong = todays("ks")
    sum_wrong["competition"] += 1  # 101 points
    _fill(ks, sum_wrong)
    missing = todays("tromso")
    missing.pop("cost-pv")
    _fill(tromso, missing)
    _fill(bergen, todays("bergen"))
    _fill(kristiansand, todays("kristiansand"))
    twice = tmp_path / "forms" / "kristiansand-again.xlsx"
    shutil.copy(kristiansand, twice)
    other = write_forms(case, "procurement-procedure", tmp_path / "other", language="nb")[0]
    before = (case_copy / "profiles.csv").read_text(encoding="utf-8")
    with pytest.raises(InputError) as err:
        collect(case_copy, [ks, tromso, bergen, kristiansand, twice, other], decision_id=DECISION)
    lines = [str(p) for p in err.value.problems]
    assert (case_copy / "profiles.csv").read_text(encoding="utf-8") == before
    by_file = {Path(line.split(":")[0]).name: line for line in lines}
    assert "the points add up to 101, not 100" in by_file[ks.name]
    assert "sheet 'Skjema', row 13, column E 'poeng (0–100)': no value for criterion 'cost-pv'" in by_file[tromso.name]
    assert "returned more than one form" in by_file[twice.name]
    assert "is a form for decision 'procurement-procedure', not 'contract-strategy'" in by_file[other.name]
    assert bergen.name not in by_file
    assert len(lines) == 5  # ks, tromso, both kristiansand copies, the other decision's form
    # --skip-invalid merges bergen alone and lists what was skipped
    capsys.readouterr()
    assert main(["collect", str(case_copy), str(ks), str(bergen), "--skip-invalid"]) == 0
    captured = capsys.readouterr()
    err_text = captured.err
    assert f"{bergen}: OK — beslutning {DECISION}, gruppe bergen, " in captured.out  # bokmål by default
    assert f"skipped: {ks}: sheet 'Skjema', column E 'poeng (0–100)': the points add up to 101, not 100" in err_text
    assert "1 skjema hoppet over" in err_text  # bokmål by default
    notes = [x for x in (case_copy / "profiles.csv").read_text(encoding="utf-8").splitlines()
             if x.startswith("# collected")]
    assert notes == [f"# collected {DECISION}/bergen: Kari Nordmann, 2026-11-30, points form {bergen.name}"]


def test_forms_for_a_list_of_municipalities(case_copy: Path, tmp_path: Path) -> None:
    lst = tmp_path / "municipalities.csv"
    lst.write_text("id;name\nalta;Alta kommune\nbaerum-k;Bærum kommune\n", encoding="utf-8")
    assert main(["forms", str(case_copy), "--decision", DECISION, "--out", str(tmp_path / "m"),
                 "--respondents", str(lst), "--method", "rank"]) == 0
    files = sorted((tmp_path / "m").glob("*.xlsx"))
    assert [f.name for f in files] == [f"{DECISION}-alta.xlsx", f"{DECISION}-baerum-k.xlsx"]
    ids = load_case(case_copy).decision(DECISION).criterion_ids
    for f in files:
        _fill(f, {c: i + 1 for i, c in enumerate(ids)})
    collect(case_copy, files)
    case = load_case(case_copy)
    assert {"alta", "baerum-k"} <= set(case.stakeholder_ids)
    assert case.meta.stakeholders[-1].label.nb == "Bærum kommune"
    text = (case_copy / "case.yaml").read_text(encoding="utf-8")
    assert "sources:                    # referred to by id in the source columns" in text  # comments kept
    prof = case.decision(DECISION).profiles["alta"]
    assert prof.iloc[0] > prof.iloc[-1]  # rank 1 weighs most


def test_forms_for_the_cases_municipalities_csv(case_copy: Path, tmp_path: Path) -> None:
    from procurement.casebook.forms import respondents_from_csv

    lines = [line for line in (EXAMPLE / "municipalities.csv").read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]  # the file cites its lists in a comment above the header
    some = tmp_path / "some.csv"
    some.write_text("\n".join(lines[:3] + [line for line in lines if ",Bærum," in line]) + "\n", encoding="utf-8")
    people = respondents_from_csv(some)
    assert [(r.id, r.label) for r in people] == [("oslo-0301", "Oslo"), ("eigersund-1101", "Eigersund"),
                                                 ("baerum-3201", "Bærum")]
    files = write_forms(load_case(case_copy), DECISION, tmp_path / "k", respondents=people, kind="rank")
    assert [f.name for f in files] == [f"{DECISION}-oslo-0301.xlsx", f"{DECISION}-eigersund-1101.xlsx",
                                       f"{DECISION}-baerum-3201.xlsx"]
    assert len(respondents_from_csv(EXAMPLE / "municipalities.csv")) == len(lines) - 1


def test_a_merged_case_the_loader_refuses_is_reported_by_the_cases_own_file(case_copy: Path, tmp_path: Path,
                                                                            monkeypatch) -> None:
    """Issue 26: collect's messages named its temporary copy (data/.collect-…/case/profiles.csv) instead of the
    case's file. The loader's refusal of the merged copy is stood in for here (a problem in the copy's
    profiles.csv); the message must name the case's own profiles.csv, and nothing is written."""
    from procurement.case.errors import Problem
    from procurement.casebook import forms as forms_mod

    today = _today_profiles()
    [f] = write_forms(load_case(case_copy), DECISION, tmp_path / "forms", kinds={"bergen": "points"}, kind="points",
                      respondents=None)[2:3]
    _fill(f, _points(today[today["group"] == "bergen"]))
    real = forms_mod.load_case

    def refuse_the_copy(path, *a, **k):
        if Path(path).resolve() != case_copy.resolve():
            raise InputError(Problem(str(Path(path) / "profiles.csv"), "row 3", "stands in for a loader refusal"))
        return real(path, *a, **k)

    monkeypatch.setattr(forms_mod, "load_case", refuse_the_copy)
    before = (case_copy / "profiles.csv").read_bytes()
    with pytest.raises(InputError) as err:
        collect(case_copy, [f])
    (line,) = [str(p) for p in err.value.problems]
    assert ".collect-" not in line and line.startswith(f"{case_copy / 'profiles.csv'}: row 3")
    assert (case_copy / "profiles.csv").read_bytes() == before
