"""Versioned model directories and which one is promoted.

    <models root>/versions/<version>/manifest.json ...   one directory per trained version
    <models root>/promoted                                the promoted version's name
    <models root>/promotions.jsonl                        every promotion and rollback, newest last
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path


class ModelStoreError(ValueError):
    pass


@dataclass
class VersionInfo:
    version: str
    path: Path
    manifest: dict
    promoted: bool


class ModelStore:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.versions_dir = self.root / "versions"

    def new_version_name(self, data_hash: str) -> str:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        name = f"v{stamp}-{data_hash[:6]}"
        suffix = 1
        while (self.versions_dir / name).exists():
            suffix += 1
            name = f"v{stamp}-{data_hash[:6]}-{suffix}"
        return name

    def path_of(self, version: str) -> Path:
        path = self.versions_dir / version
        if not (path / "manifest.json").exists():
            known = ", ".join(v.version for v in self.list()) or "none"
            raise ModelStoreError(f"unknown model version {version!r} (known: {known})")
        return path

    def resolve(self, version_or_path: str | Path | None) -> Path:
        """A version name, a model directory, or None for the promoted version."""
        if version_or_path is None:
            promoted = self.promoted()
            if promoted is None:
                raise ModelStoreError(f"no model has been promoted in {self.root}; run `mitra train`")
            return self.path_of(promoted)
        candidate = Path(version_or_path)
        if (candidate / "manifest.json").exists():
            return candidate
        return self.path_of(str(version_or_path))

    def list(self) -> list[VersionInfo]:
        if not self.versions_dir.exists():
            return []
        promoted = self.promoted()
        infos = []
        for path in sorted(self.versions_dir.iterdir()):
            manifest_file = path / "manifest.json"
            if manifest_file.exists():
                manifest = json.loads(manifest_file.read_text())
                infos.append(VersionInfo(path.name, path, manifest, path.name == promoted))
        return infos

    def promoted(self) -> str | None:
        marker = self.root / "promoted"
        return marker.read_text().strip() or None if marker.exists() else None

    def promote(self, version: str, *, by: str = "", reason: str = "promote") -> None:
        self.path_of(version)
        previous = self.promoted()
        self._write_marker(version)
        self._log({"action": reason, "version": version, "previous": previous, "by": by,
                   "at": time.strftime("%Y-%m-%dT%H:%M:%S%z")})

    def rollback(self, *, by: str = "") -> str:
        """Return to the version that was promoted before the current one."""
        stack = self._promotion_stack()
        if len(stack) < 2:
            raise ModelStoreError("nothing to roll back to: no earlier promoted version")
        target = stack[-2]
        self.promote(target, by=by, reason="rollback")
        return target

    def _promotion_stack(self) -> list[str]:
        stack: list[str] = []
        for entry in self._history():
            if entry["action"] == "rollback" and stack:
                stack.pop()
            elif entry["action"] != "rollback":
                stack.append(entry["version"])
        return stack

    def _history(self) -> list[dict]:
        log = self.root / "promotions.jsonl"
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]

    def _write_marker(self, version: str) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".promoted.{os.getpid()}"
        tmp.write_text(version)
        os.replace(tmp, self.root / "promoted")  # atomic: a reader sees the old or the new name

    def _log(self, entry: dict) -> None:
        with (self.root / "promotions.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")
