"""POST /v1/transcribe and /v1/route/audio: voice notes uploaded as multipart `file` (+ optional `language`)."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from api.deps import ServicesDep
from api.jsonable import jsonable
from api.uploads import read_audio_upload
from runtime.speech import SpeechError, decode, transcribe_samples

router = APIRouter(prefix="/v1", tags=["speech"])

LANGUAGES = ("te", "en")
STATUS_FOR_REASON = {"too_large": 413, "unsupported": 415}


def _refused(exc: SpeechError) -> HTTPException:
    return HTTPException(STATUS_FOR_REASON.get(exc.reason, 422), {"error": exc.reason, "message": str(exc)})


async def _samples_and_language(request: Request, services):
    upload = await read_audio_upload(request, services.settings.max_audio_bytes)
    language = upload.fields.get("language") or None
    if language is not None and language not in LANGUAGES:
        raise HTTPException(422, f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    try:
        samples = await run_in_threadpool(decode, services, upload.content)
    except SpeechError as exc:
        raise _refused(exc) from None
    return samples, language


@router.post("/transcribe")
async def transcribe(request: Request, services: ServicesDep) -> dict:
    samples, language = await _samples_and_language(request, services)
    try:
        return jsonable(await run_in_threadpool(transcribe_samples, services, samples, language))
    except SpeechError as exc:  # the recognizer found no speech (noise, hum)
        raise _refused(exc) from None


@router.post("/route/audio")
async def route_audio(request: Request, services: ServicesDep) -> dict:
    from nlu.voice_route import route_transcript

    samples, language = await _samples_and_language(request, services)

    def run():
        transcript = transcribe_samples(services, samples, language)
        return transcript, route_transcript(services.router(), services.matcher(), transcript)

    try:
        transcript, routed = await run_in_threadpool(run)
    except SpeechError as exc:
        raise _refused(exc) from None
    return {"transcript": jsonable(transcript), "route": jsonable(routed)}
