"""The analysts' page (/analyst) and its JSON endpoints (/v1/analyst/...): queue, labels, models, audit.

Every endpoint but the page itself needs an analyst token; every change is written to the audit log.
While the app runs, a background thread switches the router to a newly promoted version (hot reload).
"""
from __future__ import annotations

import asyncio
import logging
import tempfile
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from analysts import audit, review, review_files
from analysts.model_scores import measure_frozen
from analysts.training import TrainingJob, train_new_version
from api.analyst_auth import AdminDep, Analyst, AnalystDep
from api.deps import ServicesDep
from nlu.model import training_threads
from runtime.model_reload import PromotionWatcher, reload_router
from runtime.services import Services

log = logging.getLogger(__name__)

PAGE = Path(__file__).resolve().parent.parent / "static" / "analyst.html"
MAX_IMPORT_BYTES = 5 * 1024 * 1024
BIGGEST_ROW = 2**63 - 1  # the database's integers: a larger number is refused with 422, not an overflow
ItemId = Annotated[int, PathParam(ge=1, le=BIGGEST_ROW)]
Count = Query(ge=-BIGGEST_ROW, le=BIGGEST_ROW)


@asynccontextmanager
async def lifespan(app: FastAPI):
    """Runs inside the app's own lifespan, so the services already exist."""
    app.state.analyst_training = TrainingJob()
    watcher = PromotionWatcher(app.state.services).start()
    try:
        yield
    finally:
        await asyncio.to_thread(watcher.stop)


router = APIRouter(tags=["analyst"], lifespan=lifespan)


class LabelRequest(BaseModel):
    label: str


class TranscriptRequest(BaseModel):
    corrected_text: str
    label: str | None = None


class PromoteRequest(BaseModel):
    force: bool = False


def _review_errors(exc: review.ReviewError) -> HTTPException:
    return HTTPException(404 if str(exc).startswith("no review item") else 422, str(exc))


@router.get("/analyst", response_class=HTMLResponse)
def analyst_page() -> HTMLResponse:
    return HTMLResponse(PAGE.read_text(encoding="utf-8"), headers={"Cache-Control": "no-store"})


@router.get("/analyst/plotly.js", include_in_schema=False)
def plotly_js() -> Response:
    """The charting library, served from the installed plotly package: the page needs no internet."""
    return Response(_plotly_js(), media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


@router.get("/v1/analyst/me")
def me(analyst: AnalystDep) -> dict:
    return {"name": analyst.name, "role": analyst.role}


# ------------------------------------------------------------------------------------------- queue

@router.get("/v1/analyst/queue")
def queue(analyst: AnalystDep, services: ServicesDep, status: str = "open",
          limit: Annotated[int, Count] = 50, offset: Annotated[int, Count] = 0) -> dict:
    with services.session_factory() as session:
        try:
            page = review.list_items(session, status, limit, max(0, offset))
        except review.ReviewError as exc:
            raise HTTPException(422, str(exc)) from None
        return {"total": page.total, "items": [review.item_as_dict(i) for i in page.items]}


@router.get("/v1/analyst/labels")
def labels(analyst: AnalystDep, services: ServicesDep) -> dict:
    catalog = services.catalog
    options = [{"id": s.id, "name": s.name.en} for s in sorted(catalog.services.values(), key=lambda s: s.id)]
    from nlu.types import META_INTENTS, OUT_OF_SCOPE

    options += [{"id": m, "name": f"(conversation) {m}"} for m in META_INTENTS]
    options.append({"id": OUT_OF_SCOPE, "name": "out of scope"})
    return {"labels": options}


def _change_item(services: Services, change) -> dict:
    with services.session_factory.begin() as session:
        try:
            return review.item_as_dict(change(session))
        except review.ReviewError as exc:
            raise _review_errors(exc) from None


@router.post("/v1/analyst/queue/{item_id}/label")
def label(item_id: ItemId, body: LabelRequest, analyst: AnalystDep, services: ServicesDep) -> dict:
    return _change_item(services, lambda s: review.label_item(s, item_id, body.label, services.catalog,
                                                              analyst.name, analyst.role))


@router.post("/v1/analyst/queue/{item_id}/skip")
def skip(item_id: ItemId, analyst: AnalystDep, services: ServicesDep) -> dict:
    return _change_item(services, lambda s: review.skip_item(s, item_id, analyst.name, analyst.role))


@router.post("/v1/analyst/queue/{item_id}/transcript")
def correct_transcript(item_id: ItemId, body: TranscriptRequest, analyst: AnalystDep, services: ServicesDep) -> dict:
    return _change_item(services, lambda s: review.correct_transcript(
        s, item_id, body.corrected_text, services.catalog, analyst.name, body.label, analyst.role))


# ------------------------------------------------------------------------------------------- files

@router.post("/v1/analyst/import")
async def import_labels(request: Request, analyst: AnalystDep, services: ServicesDep,
                        format: str = "csv", filename: str = "upload") -> dict:
    body = await request.body()
    if len(body) > MAX_IMPORT_BYTES:
        raise HTTPException(413, f"the file is {len(body)} bytes; the limit is {MAX_IMPORT_BYTES}")
    if format not in review_files.FORMATS:
        raise HTTPException(422, f"unknown format {format!r}; use one of {', '.join(review_files.FORMATS)}")
    suffix = {"csv": ".csv", "jsonl": ".jsonl", "rasa": ".yml"}[format]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(filename).stem[:40] or "upload")
        path = path.with_suffix(suffix)
        path.write_bytes(body)
        with services.session_factory.begin() as session:
            try:
                report = review_files.import_labels(session, path, services.catalog, analyst.name, format,
                                                    analyst.role)
            except review_files.LabelFileError as exc:
                raise HTTPException(422, str(exc).replace(str(path), path.name)) from None
    return report.as_dict()


@router.get("/v1/analyst/export")
def export_labels(analyst: AnalystDep, services: ServicesDep, format: str = "csv") -> Response:
    if format not in review_files.FORMATS:
        raise HTTPException(422, f"unknown format {format!r}; use one of {', '.join(review_files.FORMATS)}")
    with services.session_factory.begin() as session:
        rows = review_files.labelled_rows(session)
        audit.record(session, analyst.name, analyst.role, "export", {"format": format, "rows": len(rows)})
    name = {"csv": "labels.csv", "jsonl": "labels.jsonl", "rasa": "nlu.yml"}[format]
    media = {"csv": "text/csv", "jsonl": "application/x-ndjson", "rasa": "application/yaml"}[format]
    return Response(review_files.render_rows(rows, format), media_type=f"{media}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# ------------------------------------------------------------------------------------------- models

def _store(services: Services):
    from nlu.model_store import ModelStore

    return ModelStore(services.settings.model_root)


@router.get("/v1/analyst/models")
def models(analyst: AnalystDep, services: ServicesDep) -> dict:
    store = _store(services)
    loaded = services._router
    return {
        "promoted": store.promoted(),
        "serving": loaded.version if loaded is not None else None,
        "versions": [{"version": v.version, "promoted": v.promoted, "created_at": v.manifest.get("created_at"),
                      "created_by": v.manifest.get("created_by"), "encoder": v.manifest.get("encoder"),
                      "n_examples": v.manifest.get("n_examples"), "metrics": v.manifest.get("metrics", {}),
                      "training_seconds": v.manifest.get("training_seconds")}
                     for v in reversed(store.list())],
    }


def _job(request: Request) -> TrainingJob:
    return request.app.state.analyst_training


@router.get("/v1/analyst/train")
def training_state(request: Request, analyst: AnalystDep) -> dict:
    return _job(request).state()


@router.post("/v1/analyst/train", status_code=202)
def start_training(request: Request, analyst: AnalystDep, services: ServicesDep) -> dict:
    settings, catalog, store = services.settings, services.catalog, _store(services)
    encoder = services.router().model.encoder  # reuse the loaded encoder

    def work(progress) -> str:
        with services.session_factory() as session:
            labelled = review.labelled_texts(session)
        return train_new_version(store, catalog, labelled, encoder_name=settings.embedding_model,
                                 created_by=analyst.name, encoder=encoder,
                                 threads=training_threads(settings.training_threads),
                                 folds=settings.training_folds, progress=progress)

    def audited(version: str) -> None:
        with services.session_factory.begin() as session:
            audit.record(session, analyst.name, analyst.role, "train", {"version": version})
        try:  # after the job is done: the dashboard compares versions on the frozen split
            measure_frozen(store, version, catalog, encoder)
        except Exception:
            log.exception("could not measure %s on the frozen test split", version)

    if not _job(request).start(work, analyst.name, on_done=audited):
        raise HTTPException(409, "a training run is already in progress")
    return _job(request).state()


def _audit(services: Services, analyst: Analyst, action: str, details: dict) -> None:
    with services.session_factory.begin() as session:
        audit.record(session, analyst.name, analyst.role, action, details)


@router.post("/v1/analyst/models/{version}/promote")
def promote(version: str, body: PromoteRequest, analyst: AnalystDep, services: ServicesDep) -> dict:
    from nlu.model_store import ModelStoreError
    from nlu.promotion import PromotionRefused, promote_checked

    if body.force and not analyst.is_admin:
        raise HTTPException(403, "only an admin may force a promotion")
    encoder = services._router.model.encoder if services._router is not None else None
    try:
        decision = promote_checked(_store(services), version, services.catalog, by=analyst.name,
                                   force=body.force, encoder=encoder)
    except ModelStoreError as exc:
        raise HTTPException(404, str(exc)) from None
    except PromotionRefused as exc:
        _audit(services, analyst, "promote", {**exc.decision.as_dict(), "refused": True})
        raise HTTPException(409, str(exc)) from None
    except FileNotFoundError as exc:
        raise HTTPException(409, str(exc)) from None
    _audit(services, analyst, "promote", decision.as_dict())
    reload_router(services)
    return decision.as_dict()


@router.post("/v1/analyst/models/rollback")
def rollback(analyst: AdminDep, services: ServicesDep) -> dict:
    from nlu.model_store import ModelStoreError

    try:
        target = _store(services).rollback(by=analyst.name)
    except ModelStoreError as exc:
        raise HTTPException(409, str(exc)) from None
    _audit(services, analyst, "rollback", {"version": target})
    reload_router(services)
    return {"promoted": target}


@router.get("/v1/analyst/audit")
def audit_log(analyst: AnalystDep, services: ServicesDep, limit: Annotated[int, Count] = 100,
              action: str | None = None) -> dict:
    with services.session_factory() as session:
        return {"entries": [audit.entry_as_dict(e) for e in audit.recent(session, limit, action)]}


class DailyCountOut(BaseModel):
    day: str
    channel: str
    kind: str
    language: str
    messages: int


class MisrouteOut(BaseModel):
    predicted: str
    label: str
    count: int


class AbandonedOut(BaseModel):
    service_id: str
    abandoned: int
    submitted: int
    rate: float


class ModelAccuracyOut(BaseModel):
    version: str
    promoted: bool
    n: int
    accuracy: float
    per_language: dict[str, float]


class DashboardOut(BaseModel):
    per_day: list[DailyCountOut]
    decisions: dict[str, int]
    decision_rates: dict[str, float]
    top_services: list[tuple[str, int]]
    top_departments: list[tuple[str, int]]
    voice_share: float
    voice_confidence_mean: float | None
    voice_confidence_histogram: list[tuple[str, int]]
    misroutes: list[MisrouteOut]
    abandoned: list[AbandonedOut]
    model_accuracy: list[ModelAccuracyOut]


@router.get("/v1/analyst/dashboard", response_model=DashboardOut)
def dashboard(analyst: AnalystDep, services: ServicesDep) -> DashboardOut:
    """The dashboard's figures, from the stored (masked) messages: see analysts/dashboard.py."""
    from dataclasses import asdict

    from analysts.dashboard import build_dashboard

    with services.session_factory() as session:
        figures = build_dashboard(session, services.catalog, vault=services.vault, store=_store(services))
        return DashboardOut(**asdict(figures))
