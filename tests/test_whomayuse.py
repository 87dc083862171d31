"""Who may use the contract and conditional screening (issue 13).

Expected answers are the legal facts of the domain brief, not the code's output: joining Helseplattformen's
contract outside Central Norway is an illegal direct award (KOFA 2015/65) because an extension covers only
authorities clearly identified with a determined quantity (CJEU C-216/17); a framework needs an estimated and a
maximum quantity (C-23/20); in-house needs control, more than 80 % activity and no private capital (FOA § 3-1).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import procurement as pw
from procurement.cli import main
from procurement.law.whomayuse import Condition, Facts, check, load_screening, problems, verdicts
from procurement.mcda.screening import MARKER, conditional, lead_times, screen
from procurement import Analysis

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"


@pytest.fixture(scope="module")
def case():
    return pw.load_case(CASE)


def test_helseplattformen_extension_fails_citing_c216_and_kofa(case):
    facts = load_screening(CASE).who_may_use["contract-strategy"]["helseplattformen-extend"]
    v = check("helseplattformen-extend", facts)
    assert v.status == "fail"
    assert "C-216/17" in v.citation and "KOFA 2015/65" in v.citation
    assert {f.requirement for f in v.findings if not f.met} == {"joining-basis", "maximum-quantity"}
    assert "ulovlig direkte anskaffelse" in v.rule("nb") and "illegal direct award" in v.rule("en")


def test_helseplattformen_extension_passes_if_authorities_named_with_a_maximum(case):
    facts = load_screening(CASE).who_may_use["contract-strategy"]["helseplattformen-extend"]
    changed = facts.model_copy(update={"authorities_named": True, "maximum_quantity": True})
    v = check("helseplattformen-extend", changed)
    assert v.status == "pass-if"
    assert [cid for cid, _ in v.conditions] == ["extension-notice"]
    assert v.conditions[0][1].kind == "notice" and v.lead_time_months == 1
    assert "C-216/17" in v.citation


def test_an_intention_notice_is_no_legal_basis_to_join_kofa_2015_65(case):
    """Issue 24 defect 3: in KOFA 2015/65 Innovasjon Norge had published an intention notice (23 April 2015) and the
    joining was still an illegal direct award; the notice only protects against ineffectiveness."""
    facts = load_screening(CASE).who_may_use["contract-strategy"]["helseplattformen-extend"]
    with_notice = facts.model_copy(update={"fixed_by": {"joining-basis": "extension-notice",
                                                        "maximum-quantity": "extension-notice"}})
    v = check("helseplattformen-extend", with_notice)
    assert v.status == "fail" and v.conditions == ()
    assert "KOFA 2015/65" in v.citation
    assert [(rid, cid) for rid, cid, _ in v.refused] == [("joining-basis", "extension-notice"),
                                                         ("maximum-quantity", "extension-notice")]
    assert "illegal direct award" in v.rule("en") and "ineffective" in v.rule("en")
    assert "intensjonskunngjøring gir ingen hjemmel" in v.rule("nb")
    # the same with authorities named but the notice offered for the basis alone: still no pass-if
    only_basis = facts.model_copy(update={"maximum_quantity": True, "fixed_by": {"joining-basis": "extension-notice"}})
    assert check("helseplattformen-extend", only_basis).status == "fail"
    d = check("helseplattformen-extend", only_basis).to_dict("en")
    assert d["refused"][0]["condition"] == "extension-notice" and "KOFA 2015/65" in d["refused"][0]["why"]


def test_a_fix_must_be_of_a_kind_the_law_allows():
    owners = {"owners": _condition("ownership-change"), "notice": _condition("notice")}
    f = Facts(route="in-house", joint_control=False, activity_share=0.9, no_private_capital=True,
              fixed_by={"in-house-control": "owners"})
    assert check("x", f, owners).status == "pass-if"
    f = f.model_copy(update={"fixed_by": {"in-house-control": "notice"}})
    assert check("x", f, owners).status == "fail"


def _condition(kind: str) -> Condition:
    return Condition(kind=kind, label={"nb": "x", "en": "x"}, lead_time_months=1, citation="c", verified=False,
                     source="s")


@pytest.mark.parametrize("share, status", [(0.95, "pass"), (0.81, "pass"), (0.80, "fail"), (0.5, "fail")])
def test_in_house_activity_must_exceed_80_percent(share, status):
    f = Facts(route="in-house", joint_control=True, activity_share=share, no_private_capital=True)
    assert check("x", f).status == status


def test_in_house_without_joint_control_passes_if_all_users_become_owners(case):
    v = next(v for v in verdicts(CASE, "contract-strategy", case.decision("contract-strategy").option_ids)
             if v.option == "inhouse-company")
    assert v.status == "pass-if" and v.lead_time_months == 9
    assert v.conditions[0][1].kind == "ownership-change"
    assert check("x", Facts(route="in-house", joint_control=False, activity_share=0.9, no_private_capital=True)).status == "fail"


def test_framework_needs_estimated_and_maximum_quantity():
    ok = Facts(route="framework", authorities_named=True, estimated_quantity=True, maximum_quantity=True)
    assert check("f", ok).status == "pass"
    v = check("f", ok.model_copy(update={"maximum_quantity": False}))
    assert v.status == "fail" and v.citation == "C-23/20"


def test_zero_alternative_passes_outside_the_rules():
    assert check("zero", Facts(route="none")).status == "pass"


def test_screening_replaces_the_subjective_must_pass(case):
    d = case.decision("contract-strategy")
    assert d.criterion("legal-robustness").must_pass is None
    kept, excluded = screen(d)
    assert "helseplattformen-extend" not in kept and "inhouse-company" in kept
    row = excluded.set_index("option").loc["helseplattformen-extend"]
    assert row["criterion"] == "who-may-use" and "KOFA 2015/65" in row["citation"]
    assert row["rule_nb"].startswith("krav ikke oppfylt")


def test_governance_financing_is_screened_with_conditions(case):
    d = case.decision("governance-financing")
    kept, excluded = screen(d)
    assert excluded.empty and len(kept) == 5
    lt = lead_times(d)
    assert lt == {"nhn-service": 12.0, "state-agency": 24.0, "ks-company": 9.0, "state-municipal-company": 9.0}
    c = conditional(d).set_index("option")
    assert c.loc["state-agency", "kind"] == "law-change" and "pasientjournalloven § 8" in c.loc["state-agency", "citation"]


def test_rank_shows_the_pass_if_marker_and_condition(capsys):
    assert main(["rank", str(CASE), "--decision", "governance-financing"]) == 0
    out = capsys.readouterr().out
    assert f"State agency {MARKER}" in out or f"Statlig forvaltningsorgan {MARKER}" in out
    assert f"Regional intermunicipal companies {MARKER}" not in out
    assert "state-agency †" in out and "24 months lead time" in out
    assert main(["rank", str(CASE), "--decision", "contract-strategy", "--format", "json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert [c["option"] for c in d["conditional"]] == ["inhouse-company"]
    assert d["excluded"][0]["value"] is None


def test_problems_name_missing_facts_and_unknown_conditions(tmp_path, case):
    folder = tmp_path / "c"
    shutil.copytree(CASE, folder)
    text = (folder / "screening.yaml").read_text(encoding="utf-8")
    text = text.replace("      maximum_quantity: false       # no maximum for users outside the region\n", "")
    text = text.replace("fixed_by: {in-house-control: all-users-owners}", "fixed_by: {in-house-control: all-owners}")
    (folder / "screening.yaml").write_text(text, encoding="utf-8")
    ids = {did: d.option_ids for did, d in case.decisions.items()}
    found = [f"{p.where}: {p.message} {p.hint}" for p in problems(folder, ids)]
    assert any("helseplattformen-extend" in x and "maximum_quantity" in x for x in found)
    assert any("unknown condition 'all-owners'" in x and "all-users-owners" in x for x in found)
    assert problems(CASE, ids) == []


def test_bad_yaml_names_the_line(tmp_path):
    (tmp_path / "screening.yaml").write_text("who_may_use:\n  a: [\n", encoding="utf-8")
    found = problems(tmp_path, {})
    assert len(found) == 1 and found[0].where.startswith("line ")


def _english_texts() -> set[str]:
    """Every English rule text in the reference data and the case's screening file."""
    import yaml

    from procurement import reference

    texts: set[str] = set()

    def walk(x):
        if isinstance(x, dict):
            if set(x) >= {"nb", "en"} and isinstance(x["en"], str):
                texts.add(x["en"])
            for k, v in x.items():
                if k in ("label", "name_en") and isinstance(v, str):
                    texts.add(v)
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    for name in ("thresholds.yaml", "procedures.yaml", "who-may-use.yaml", "enforcement.yaml"):
        walk(yaml.safe_load(reference.path(name).read_text(encoding="utf-8")))
    walk(yaml.safe_load((CASE / "screening.yaml").read_text(encoding="utf-8")))
    return {t for t in texts if len(t) > 12}  # names such as "Complaint to KOFA" and whole rule sentences


@pytest.mark.parametrize("decision", ["contract-strategy", "procurement-procedure", "governance-financing"])
def test_no_english_rule_text_in_the_bokmaal_report_tables(case, decision):
    """What notebook 05 and the ranking show in bokmål: route, procedures, screening, enforcement, exclusions."""
    from procurement.law.enforcement import enforcement_table
    from procurement.mcda.screening import conditional_lines, excluded_lines, verdict_table

    a = Analysis(case, "default").with_(decision=decision, language="nb") if decision != "contract-strategy" else \
        Analysis(case, "default").with_(language="nb")
    d = case.decision(decision)
    shown = [verdict_table(d, "nb").to_string(), enforcement_table(case, decision, "nb").to_string(),
             "\n".join(conditional_lines(d, "nb")), "\n".join(excluded_lines(d, "nb")), str(a.screened_out())]
    if decision == "contract-strategy":
        r = a.route()
        shown += [r.table.to_string(), r.access.to_string(), r.lengthened.to_string()]
    out = "\n".join(shown)
    leaks = sorted(t for t in _english_texts() if t in out)
    assert leaks == []
    assert "requirement not met" not in out and "passes if" not in out and "always allowed" not in out


def test_analysis_exposes_the_pass_if_options(case):
    a = Analysis(case, "default").with_(decision="governance-financing")
    c = a.conditional()
    assert set(c["option"]) == {"state-agency", "nhn-service", "ks-company", "state-municipal-company"}
    assert "regional-iks" in a.ranking().table.index and "state-agency" in a.ranking().table.index
