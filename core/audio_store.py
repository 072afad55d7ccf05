"""Raw voice notes as received, kept (for analysts re-checking a transcript) until retention deletes them.

Files live under data_dir/audio/<citizen lookup hash>/<message id>.<ext>: a folder per citizen, so erasing a
citizen's data removes their audio with one folder.
"""
from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

SAFE = re.compile(r"[^A-Za-z0-9_.=-]")
EXTENSIONS = {"audio/ogg": "ogg", "audio/mpeg": "mp3", "audio/mp4": "m4a", "audio/aac": "aac", "audio/amr": "amr"}


class AudioStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def save(self, citizen_hash: str, message_id: str, content: bytes, mime_type: str = "audio/ogg") -> Path:
        folder = self.root / SAFE.sub("_", citizen_hash)
        folder.mkdir(parents=True, exist_ok=True)
        ext = EXTENSIONS.get(mime_type.split(";")[0].strip(), "bin")
        path = folder / f"{SAFE.sub('_', message_id)}.{ext}"
        path.write_bytes(content)
        return path

    def erase(self, citizen_hash: str) -> int:
        folder = self.root / SAFE.sub("_", citizen_hash)
        count = len(list(folder.glob("*"))) if folder.is_dir() else 0
        shutil.rmtree(folder, ignore_errors=True)
        return count

    def delete_older_than(self, days: float, now: float | None = None) -> int:
        """Delete voice notes received more than `days` ago; returns how many."""
        cutoff = (now or time.time()) - days * 86400
        deleted = 0
        for path in self.root.glob("*/*"):
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                deleted += 1
        return deleted
