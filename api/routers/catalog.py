"""GET /v1/catalog/...: departments and services as the catalog defines them."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query

from api.deps import ServicesDep

router = APIRouter(prefix="/v1/catalog", tags=["catalog"])


def _service(service) -> dict:
    return service.model_dump(mode="json")


@router.get("/departments")
def departments(services: ServicesDep) -> list[dict]:
    catalog = services.catalog
    return [{**d.model_dump(mode="json"), "services": len(catalog.by_department(d.id))}
            for d in catalog.departments_in_menu_order()]


@router.get("/services")
def list_services(services: ServicesDep,
                  department: str | None = Query(None, description="department id, e.g. revenue")) -> list[dict]:
    catalog = services.catalog
    if department is not None and department not in catalog.departments:
        raise HTTPException(404, f"unknown department {department!r}; known: {', '.join(sorted(catalog.departments))}")
    chosen = [department] if department else [d.id for d in catalog.departments_in_menu_order()]
    return [_service(s) for d in chosen for s in catalog.by_department(d)]


@router.get("/services/{service_id}")
def get_service(service_id: str, services: ServicesDep) -> dict:
    if service_id not in services.catalog.services:
        raise HTTPException(404, f"unknown service id {service_id!r}")
    return _service(services.catalog.services[service_id])
