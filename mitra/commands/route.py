"""mitra route: route text (or voice notes) and print RouteResult JSON."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer


def _print(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def route(
    text: str | None = typer.Argument(None, help="the citizen's message"),
    jsonl: bool = typer.Option(False, "--jsonl", help='read {"text": ...} or {"audio": path} lines on stdin'),
    audio: list[Path] | None = typer.Option(None, "--audio", help="voice note file(s) to transcribe and route"),
    model: str | None = typer.Option(None, "--model", help="model version or directory (default: promoted)"),
) -> None:
    """Route a message to a service, a meta intent or out of scope."""
    from core.settings import get_settings
    from nlu.normalize import TextError
    from nlu.router import Router

    settings = get_settings()
    router = Router.load(model, encoder_name=settings.embedding_model, threads=settings.inference_threads)
    failed = False
    items: list[dict] = [{"audio": str(p)} for p in audio or []]
    if text is not None:
        items.append({"text": text})
    if jsonl:
        items = _stdin_items(items)
    if not items:
        typer.echo("give a text, --audio FILE or --jsonl", err=True)
        raise typer.Exit(2)
    voice = None
    for item in items:
        if "_error" in item:
            failed = True
            _print({"error": item["_error"]})
            continue
        try:
            if "audio" in item:
                voice = voice or _voice_pipeline(router, settings)
                _print(voice(item["audio"]))
            else:
                _print(router.route(item["text"]).to_dict())
        except TextError as exc:
            failed = True
            _print({"error": str(exc), "input": item})
        except Exception as exc:  # a bad line or file must not stop the batch
            if type(exc).__name__ != "AudioError":
                raise
            failed = True
            _print({"error": str(exc), "input": item})
    raise typer.Exit(1 if failed else 0)


def _stdin_items(items: list[dict]) -> list[dict]:
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            items.append({"text": "", "_error": f"line {number}: not JSON: {exc}"})
            continue
        if not isinstance(obj, dict) or not ({"text", "audio"} & set(obj)):
            items.append({"text": "", "_error": f'line {number}: expected {{"text": ...}} or {{"audio": ...}}'})
            continue
        items.append(obj)
    return items


def _voice_pipeline(router, settings):
    from nlu.voice_match import PhoneticMatcher
    from nlu.voice_route import route_audio
    from voice.transcriber import load_transcriber

    transcriber = load_transcriber(settings.asr_engine, settings.asr_model, model_te=settings.asr_model_te,
                                   model_en=settings.asr_model_en, threads=settings.inference_threads,
                                   max_seconds=settings.max_audio_seconds, max_bytes=settings.max_audio_bytes)
    matcher = PhoneticMatcher(router.catalog)
    return lambda path: route_audio(path, router, matcher, transcriber)


def register(app: typer.Typer) -> None:
    app.command("route")(route)
