"""load_parameters reads a parameter file once per version of it (its values are a frozen model)."""

from __future__ import annotations

import os

from procurement.cba.parameters import default_rules_path, load_parameters


def test_a_parameter_file_is_read_once_per_version_and_overrides_are_never_shared(tmp_path):
    path = tmp_path / "r109.yaml"
    text = default_rules_path().read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    first = load_parameters(path)
    assert load_parameters(path) is first
    assert first.analysis_period is None

    changed = text.replace("  analysis_period:\n    value: null", "  analysis_period:\n    value: 10")
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # a later version, whatever the clock's grain
    second = load_parameters(path)
    assert second is not first and second.analysis_period == 10

    overridden = load_parameters(path, analysis_period=12)
    assert overridden.analysis_period == 12 and overridden.citations["analysis_period"].citation == "set by the user"
    assert load_parameters(path).analysis_period == 10
