"""Shared fixtures: a tiny valid case written into a temporary folder.

How the suite is spread over workers, and the hypothesis profile, are in the project's root ``conftest.py``.
"""

from __future__ import annotations

import fcntl
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CASE = ROOT / "data" / "national-municipal-solution"

CRITERIA = """\
decision: pick
title: {nb: "Valg", en: "Pick"}
groups:
  - id: quality
    label: {nb: "Kvalitet", en: "Quality"}
  - id: economy
    label: {nb: "Økonomi", en: "Economy"}
criteria:
  - id: legal
    label: {nb: "Juridisk robusthet", en: "Legal robustness"}
    direction: max
    group: quality
    weight: 2
    scale:
      kind: ordinal
      min: 0
      max: 10
      rubric: {0: "Illegal", 10: "Settled law"}
  - id: fit
    label: {nb: "Behovsdekning", en: "Fit to needs"}
    direction: max
    group: quality
    weight: 1
    scale:
      kind: ordinal
      min: 0
      max: 10
      rubric: {0: "None", 10: "Full"}
  - id: cost
    label: {nb: "Kostnad", en: "Cost"}
    direction: min
    group: economy
    weight: 1
    scale: {kind: natural, unit: MNOK, min: 0, max: 1000}
"""

CASE = """\
id: tiny
title: {nb: "Liten sak", en: "Tiny case"}
base_year: 2024
cash_flow_unit: MNOK
decisions: [pick]
stakeholders:
  - id: alpha
    label: {nb: "Alfa", en: "Alpha"}
  - id: beta
    label: {nb: "Beta", en: "Beta"}
"""

OPTIONS = """\
decision,id,name_nb,name_en,description,procedure,contract,notes
pick,a,Alternativ A,Option A,"First, plain",open,SSA-T,
pick,b,Alternativ B,Option B,Second,competitive-dialogue,SSA-T+SSA-D,
pick,c,Alternativ C – Bærum,Option C,Third,none,,
"""

SCORES = """\
decision,option,criterion,low,likely,high,rationale,source
pick,a,legal,6,7,8,"Standard procedure, low risk",test
pick,a,fit,4,5,6,Partial fit,test
pick,a,cost,400,500,650,Quote,test
pick,b,legal,7,8,9,Dialogue is well tried,test
pick,b,fit,7,8,9,Good fit,test
pick,b,cost,500,600,800,Estimate,test
pick,c,legal,8,9,10,No procurement,test
pick,c,fit,1,2,3,Poor fit,test
pick,c,cost,200,300,350,Current costs,test
"""

PROFILES = """\
decision,group,criterion,weight,rank
pick,alpha,legal,1,
pick,alpha,fit,1,
pick,alpha,cost,2,
pick,beta,legal,,1
pick,beta,fit,,2
pick,beta,cost,,3
"""


def write_case(root: Path, **overrides: str) -> Path:
    """Write the tiny case (files may be overridden by name) and return its folder."""
    files = {
        "criteria/pick.yaml": CRITERIA,
        "case/case.yaml": CASE,
        "case/options.csv": OPTIONS,
        "case/scores.csv": SCORES,
        "case/profiles.csv": PROFILES,
    }
    for key, text in overrides.items():
        files[key.replace("__", "/").replace("_csv", ".csv").replace("_yaml", ".yaml")] = text
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text, encoding="utf-8")
    return root / "case"


@pytest.fixture
def tiny_case(tmp_path: Path) -> Path:
    return write_case(tmp_path)


def shared_default_report(config: pytest.Config, tmp_path_factory: pytest.TempPathFactory, language: str) -> Path:
    """The example case's default scenario in `language`, run once per test session with ``--pdf`` and shared by
    every module and every xdist worker that reads it (the first asks for it and runs it while the others wait on a
    lock; the pages are only read). Returns the report folder."""
    from procurement.cli import main

    base = tmp_path_factory.getbasetemp()
    root = base.parent if hasattr(config, "workerinput") else base  # the workers' folders share this session's parent
    out = root / f"default-report-{language}"
    with open(root / f"default-report-{language}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = out / "done"
        if not done.exists():
            scenario = yaml.safe_load((EXAMPLE_CASE / "scenarios" / "default.yaml").read_text(encoding="utf-8"))
            scenario.update(case=str(EXAMPLE_CASE), language=language)
            out.mkdir(exist_ok=True)
            path = out / "default.yaml"
            path.write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
            assert main(["run", str(path), "--out", str(out / "reports"), "--no-progress", "--pdf"]) == 0
            done.write_text("ok", encoding="utf-8")
    (folder,) = [p for p in (out / "reports").iterdir() if p.is_dir()]
    return folder
