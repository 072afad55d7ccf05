"""Read an uploaded audio file with the size limit enforced before and during the upload, not after."""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, Request
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

MULTIPART_OVERHEAD = 64 * 1024  # boundaries, headers and small fields around the file
AUDIO_TYPES = ("audio/", "video/webm", "video/ogg", "video/mp4", "application/ogg", "application/octet-stream")


@dataclass
class AudioUpload:
    content: bytes
    filename: str
    content_type: str
    fields: dict[str, str]


def _too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"audio upload larger than the limit of {limit} bytes")


async def _limited(request: Request, limit: int):
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise _too_large(limit - MULTIPART_OVERHEAD)
        yield chunk


async def read_audio_upload(request: Request, max_bytes: int) -> AudioUpload:
    """The multipart `file` part plus any small text fields; 413/415/422 with a reason otherwise."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise HTTPException(415, "send the audio as multipart/form-data with a 'file' part")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes + MULTIPART_OVERHEAD:
        raise _too_large(max_bytes)
    parser = MultiPartParser(request.headers, _limited(request, max_bytes + MULTIPART_OVERHEAD),
                             max_files=1, max_fields=10, max_part_size=max_bytes)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise HTTPException(422, f"malformed upload: {exc.message}") from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise HTTPException(422, "the upload has no 'file' part")
    content = await upload.read(max_bytes + 1)
    await upload.close()
    if len(content) > max_bytes:
        raise _too_large(max_bytes)
    if not content:
        raise HTTPException(422, "the uploaded file is empty")
    content_type = (upload.content_type or "application/octet-stream").lower()
    if not content_type.startswith(AUDIO_TYPES):
        raise HTTPException(415, f"{content_type} is not an audio type")
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return AudioUpload(content, upload.filename or "", content_type, fields)
