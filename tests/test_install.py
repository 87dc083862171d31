"""The workbench as an installed package: built as a wheel, installed into a fresh venv, run from
any folder, with its reference data found inside the package and overridable by the user.

The wheel test builds without build isolation (the test extra brings setuptools and wheel) and
gives the fresh venv the main venv's dependencies through a ``.pth`` line; it then proves that
``procurement`` is imported from the wheel, not from this repository's ``src/``.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

import procurement
from procurement import reference
from procurement.cli import main

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"
REFERENCE = ROOT / "src" / "procurement" / "reference"
ROUTE = ["route", "--value", "2000000", "--authority", "municipal", "--kind", "services", "--date", "2025-06-01"]


def test_package_under_test_is_this_repository():
    here = Path(procurement.__file__).resolve()
    assert here.is_relative_to(ROOT / "src"), (
        f"procurement is imported from {here}, not from this repository's src/ ({ROOT / 'src'}): "
        f"reinstall with `pip install -e '.[test]'` in {ROOT}"
    )


def test_reference_data_is_found_in_the_package(monkeypatch):
    from procurement.cba.effects import default_matrix_path
    from procurement.cba.parameters import default_rules_path
    from procurement.law.loader import default_rules_dir

    monkeypatch.delenv("PROCUREMENT_RULES", raising=False)
    monkeypatch.chdir(ROOT.parent)  # the defaults must not depend on the cwd
    assert reference.files() == REFERENCE
    assert default_rules_dir() == REFERENCE
    assert default_matrix_path() == REFERENCE / "plus-minus.yaml"
    assert default_rules_path() == REFERENCE / "r109.yaml"
    assert sorted(reference.NAMES) == sorted(p.name for p in REFERENCE.glob("*.yaml"))
    with pytest.raises(ValueError, match="no reference file 'rules.yaml'"):
        reference.path("rules.yaml")


# --- overrides -------------------------------------------------------------------------------


def _rules_with_national_threshold(tmp_path: Path, value: int) -> Path:
    rules = tmp_path / "my-rules"
    shutil.copytree(REFERENCE, rules, ignore=shutil.ignore_patterns("*.py", "*.md", "__pycache__"))
    p = rules / "thresholds.yaml"
    data = yaml.safe_load(p.read_text(encoding="utf-8"))
    rows = {r["id"]: r["value"] for r in data["national"]}
    assert rows["national-1.3m"] == 1_300_000  # FOA § 5-1 as published (in force since 6 April 2018)
    text = p.read_text(encoding="utf-8")
    assert text.count("value: 1300000") == 1
    p.write_text(text.replace("value: 1300000", f"value: {value}"), encoding="utf-8")
    return rules


def _route_json(capsys, argv: list[str]) -> dict:
    assert main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_rules_folder_override(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("PROCUREMENT_RULES", raising=False)
    rules = _rules_with_national_threshold(tmp_path, 2_100_000)
    packaged = _route_json(capsys, ROUTE)
    assert (packaged["part"], packaged["national_threshold"]["value"]) == ("II", 1_300_000)
    flagged = _route_json(capsys, [*ROUTE, "--rules", str(rules)])
    assert (flagged["part"], flagged["national_threshold"]["value"]) == ("I", 2_100_000)
    monkeypatch.setenv("PROCUREMENT_RULES", str(rules))
    from_env = _route_json(capsys, ROUTE)
    assert (from_env["part"], from_env["national_threshold"]["value"]) == ("I", 2_100_000)


def test_parameters_file_override(tmp_path, capsys):
    own = tmp_path / "r109.yaml"
    text = (REFERENCE / "r109.yaml").read_text(encoding="utf-8")
    assert text.count("value: 0.20") == 1  # tax-financing cost, R-109/21: 20 %
    own.write_text(text.replace("value: 0.20", "value: 0.25"), encoding="utf-8")
    argv = ["cba", str(CASE), "--decision", "contract-strategy", "--samples", "0", "--format", "json"]
    for extra, rate in (([], 0.20), (["--parameters", str(own)], 0.25)):
        assert main([*argv, *extra]) == 0
        out = json.loads(capsys.readouterr().out)
        tax = {p["parameter"]: p["value"] for p in out["parameters"]}["tax_financing_cost"]
        assert tax == rate
    assert Path(out["parameters_file"]).resolve() == own.resolve()


# --- the wheel in a fresh venv ---------------------------------------------------------------


def _run(cmd: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _build_wheel(tmp: Path) -> Path:
    """A wheel of a copy of the project, so that the build leaves nothing in the working tree."""
    import setuptools

    major = int(setuptools.__version__.split(".")[0])
    assert major >= 68, f"setuptools {setuptools.__version__} is too old to build the wheel: pip install -e '.[test]'"
    src = tmp / "project"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "src", src / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"))
    dist = tmp / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "--disable-pip-version-check", "--quiet", "-w", dist, src], cwd=tmp)
    (wheel,) = dist.glob("procurement_workbench-*.whl")
    return wheel


def _fresh_venv(tmp: Path, wheel: Path) -> Path:
    """A venv without pip holding only the wheel; the main venv's site-packages give the dependencies."""
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    purelib = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=tmp).strip())
    # A path line in a .pth file adds the folder only: the .pth files inside it (the editable
    # install's path to src/ among them) are not run, so the repository stays out of sys.path.
    (purelib / "_main_venv_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--force-reinstall",
          "--disable-pip-version-check", "--quiet", wheel], cwd=tmp)
    return venv


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("install")
    wheel = _build_wheel(tmp)
    venv = _fresh_venv(tmp, wheel)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PROCUREMENT_RULES")}
    env["PYTHONNOUSERSITE"] = "1"
    return {"wheel": wheel, "venv": venv, "bin": venv / ("Scripts" if os.name == "nt" else "bin"), "env": env}


def test_wheel_holds_reference_data_and_py_typed(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    wanted = {f"procurement/reference/{n}" for n in (*reference.NAMES, "README.md", "__init__.py")} | {"procurement/py.typed"}
    assert wanted <= names, f"missing from the wheel: {sorted(wanted - names)}"


def test_installed_package_comes_from_the_wheel(installed, tmp_path):
    code = ("import json, sys, procurement, procurement.reference as r; "
            "print(json.dumps({'file': procurement.__file__, 'reference': str(r.files()), 'path': sys.path}))")
    out = json.loads(_run([installed["bin"] / "python", "-c", code], cwd=tmp_path, env=installed["env"]))
    venv = installed["venv"].resolve()
    assert Path(out["file"]).resolve().is_relative_to(venv), f"procurement imported from {out['file']}, not from the wheel"
    assert Path(out["reference"]).resolve().is_relative_to(venv)
    assert all(p.name in reference.NAMES for p in Path(out["reference"]).glob("*.yaml"))
    leaked = [p for p in out["path"] if p and Path(p).resolve().is_relative_to(ROOT) and ".venv" not in Path(p).parts]
    assert not leaked, f"the repository is on the fresh venv's sys.path: {leaked}"


def test_installed_validate_runs_from_any_folder(installed, tmp_path):
    out = _run([installed["bin"] / "procurement", "validate", CASE], cwd=tmp_path, env=installed["env"])
    assert "OK — 3 decisions" in out
    assert "contract-strategy: 8 options × 13 criteria" in out


def test_installed_route_reads_the_packaged_thresholds(installed, tmp_path):
    out = _run([installed["bin"] / "procurement", *ROUTE], cwd=tmp_path, env=installed["env"])
    # FOA § 5-1 national threshold NOK 1.3 m; FOA § 5-3 EEA threshold for municipalities, goods and
    # services, NOK 2.3 m from 14 March 2024: NOK 2 m on 1 June 2025 is Part II.
    assert "Part: II" in out
    assert "Threshold row used: eea-2024-municipal-goods-services: NOK 2,300,000, from 2024-03-14" in out
    assert "National threshold: national-1.3m: NOK 1,300,000" in out
