"""The layers of docs/architecture.md hold: import-linter's contracts (pyproject.toml) pass on this tree."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_layer_contracts_are_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "BROKEN" not in result.stdout and result.stdout.count("KEPT") >= 2


def test_a_lower_layer_importing_a_higher_one_is_caught(tmp_path):
    """The contract is live: copy the tree, make core import the CLI, and lint-imports must fail."""
    for package in ("core", "catalog", "voice", "nlu", "applications", "departments", "payments", "analysts",
                    "bot", "whatsapp", "runtime", "api", "mitra"):
        source = ROOT / package
        target = tmp_path / package
        target.mkdir()
        for path in source.rglob("*.py"):
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "core" / "sneaky.py").write_text(textwrap.dedent("""
        from mitra import cli  # the floor reaching for the roof
    """), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    result = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=300, env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0
    assert "core.sneaky -> mitra.cli" in result.stdout
