"""POST /v1/transcribe and /v1/route/audio: voice notes uploaded as multipart `file` (+ optional `language`)."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from api.deps import ServicesDep
from api.jsonable import jsonable
from api.metrics import timed_recognition
from api.speech import SpeechError, decode
from api.uploads import read_audio_upload

router = APIRouter(prefix="/v1", tags=["speech"])

LANGUAGES = ("te", "en")
STATUS_FOR_REASON = {"too_large": 413, "unsupported": 415}


async def _samples_and_language(request: Request, services):
    upload = await read_audio_upload(request, services.settings.max_audio_bytes)
    language = upload.fields.get("language") or None
    if language is not None and language not in LANGUAGES:
        raise HTTPException(422, f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    try:
        samples = await run_in_threadpool(decode, services, upload.content)
    except SpeechError as exc:
        raise HTTPException(STATUS_FOR_REASON.get(exc.reason, 422),
                            {"error": exc.reason, "message": str(exc)}) from None
    return samples, language


@router.post("/transcribe")
async def transcribe(request: Request, services: ServicesDep) -> dict:
    samples, language = await _samples_and_language(request, services)
    def run():
        with timed_recognition():
            return services.transcriber().transcribe(samples, language=language)

    return jsonable(await run_in_threadpool(run))


@router.post("/route/audio")
async def route_audio(request: Request, services: ServicesDep) -> dict:
    from voice.pipeline import route_transcript

    samples, language = await _samples_and_language(request, services)

    def run():
        with timed_recognition():
            transcript = services.transcriber().transcribe(samples, language=language)
        return transcript, route_transcript(services.router(), services.matcher(), transcript)

    transcript, routed = await run_in_threadpool(run)
    return {"transcript": jsonable(transcript), "route": jsonable(routed)}
