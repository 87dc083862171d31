"""The layers are a test: the import-linter contracts of pyproject.toml catch a face or a lower layer reaching up.

``make lint`` (and so ``make test``) runs ``lint-imports`` on the package. These tests prove the contracts can fail:
a copy of the package gets one planted import that breaks a rule, and ``lint-imports`` run on the copy with the
project's own contracts must fail naming that import.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_with(tmp_path: Path, module: str, code: str, contract: str) -> subprocess.CompletedProcess:
    """``lint-imports --contract <contract>`` on a copy of the package holding `module` with `code`."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "procurement", src / "procurement",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    planted = src / Path(*module.split(".")).with_suffix(".py")
    planted.write_text(f'"""Planted by tests/test_layers.py."""\n\n{code}\n', encoding="utf-8")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    env = {**os.environ, "PYTHONPATH": str(src)}  # the copy comes before the installed (editable) package
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo", "--contract", contract], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is installed with the test extras")
def test_a_face_importing_a_domain_module_breaks_the_faces_contract(tmp_path):
    done = _lint_with(tmp_path, "procurement.cli._planted", "from procurement.mcda import methods  # noqa: F401",
                      "faces-render-only")
    assert done.returncode != 0
    assert "procurement.cli._planted -> procurement.mcda.methods" in done.stdout, done.stdout[-2000:]


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is installed with the test extras")
def test_the_input_layer_reaching_up_to_the_engine_breaks_the_layers_contract(tmp_path):
    """The loader once imported the analysis (issue 22); a case module that does so again is named, even lazily."""
    code = "def analyse(case):\n    from procurement.analysis import Analysis\n\n    return Analysis(case)"
    done = _lint_with(tmp_path, "procurement.case._planted", code, "layers")
    assert done.returncode != 0
    assert "procurement.case._planted -> procurement.analysis" in done.stdout, done.stdout[-2000:]
