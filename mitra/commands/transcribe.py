"""mitra transcribe: voice notes to transcripts, one JSON object per file."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer


def _print(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def transcribe(
    files: list[Path] = typer.Argument(..., help="voice notes: OGG/Opus, MP3, M4A/AAC, AMR or WAV"),
    engine: str | None = typer.Option(None, "--engine", help="faster-whisper | openai-whisper | transformers"),
    model: str | None = typer.Option(None, "--model", help='"base", "tiny.en", or a path/name for the engine'),
    language: str | None = typer.Option(None, "--language", help="te or en (default: detect)"),
    threads: int | None = typer.Option(None, "--threads", help="inference threads (default: settings)"),
) -> None:
    """Transcribe voice notes. A file that cannot be used prints {"file", "error", "message"} and the
    command goes on; the exit code is 1 if any file failed."""
    from core.settings import get_settings
    from voice.audio import AudioError
    from voice.transcriber import load_transcriber

    if language not in (None, "te", "en"):
        typer.echo(f"--language must be te or en, not {language!r}", err=True)
        raise typer.Exit(2)
    settings = get_settings()
    engine, model = engine or settings.asr_engine, model or settings.asr_model
    try:
        transcriber = load_transcriber(
            engine, model, model_te=settings.asr_model_te if model == settings.asr_model else None,
            model_en=settings.asr_model_en if model == settings.asr_model else None,
            threads=threads or settings.inference_threads, max_seconds=settings.max_audio_seconds,
            max_bytes=settings.max_audio_bytes)
    except (ValueError, OSError) as exc:
        typer.echo(f"cannot load speech engine {engine!r} model {model!r}: {exc}", err=True)
        raise typer.Exit(2) from None
    failed = False
    for path in files:
        try:
            result = transcriber.transcribe(path, language=language)
        except AudioError as exc:
            failed = True
            _print({"file": str(path), **exc.to_dict()})
            continue
        _print({"file": str(path), **result.to_dict()})
    raise typer.Exit(1 if failed else 0)


def register(app: typer.Typer) -> None:
    app.command("transcribe")(transcribe)
