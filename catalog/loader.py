"""Load the YAML catalog, validate it and report the first problem precisely."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from catalog.schema import Bilingual, Department, DepartmentFile, Gazetteer, Outcome, Service
from core.yaml_files import read_yaml

CATALOG_DIR = Path(__file__).parent
SERVICES_DIR = CATALOG_DIR / "services"
GAZETTEER_FILE = CATALOG_DIR / "gazetteer.yaml"
FIELD_LABELS_FILE = CATALOG_DIR / "field_labels.yaml"  # short names of the fields many services share


class CatalogError(ValueError):
    """A catalog file is wrong; the message names the file, the service and the field."""


@dataclass
class Catalog:
    departments: dict[str, Department]
    services: dict[str, Service]
    gazetteer: Gazetteer
    version: str  # content hash of all catalog files
    source_of: dict[str, Path] = field(default_factory=dict)

    def service(self, service_id: str) -> Service:
        return self.services[service_id]

    def department_of(self, service: Service) -> Department:
        return self.departments[service.department]

    def by_department(self, department_id: str) -> list[Service]:
        return sorted(
            (s for s in self.services.values() if s.department == department_id),
            key=lambda s: s.menu_path,
        )

    def by_menu_path(self, department_number: int, service_number: int) -> Service | None:
        for service in self.services.values():
            if tuple(service.menu_path) == (department_number, service_number):
                return service
        return None

    def departments_in_menu_order(self) -> list[Department]:
        return sorted(self.departments.values(), key=lambda d: d.menu_number)


def _format_error(path: Path, where: str, error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        loc = ".".join(str(part) for part in item["loc"])
        problems.append(f"{loc}: {item['msg']}" if loc else item["msg"])
    return f"{path}: {where}: " + "; ".join(problems)


def _read_yaml(path: Path) -> dict:
    try:
        data = read_yaml(path)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: expected a mapping with 'department' and 'services'")
    return data


def _load_department_file(path: Path) -> DepartmentFile:
    data = _read_yaml(path)
    unknown = set(data) - {"department", "services"}
    if unknown:
        raise CatalogError(f"{path}: unknown top-level keys {sorted(unknown)}")
    try:
        department = Department.model_validate(data.get("department"))
    except ValidationError as exc:
        raise CatalogError(_format_error(path, "department", exc)) from exc
    services = []
    for index, raw in enumerate(data.get("services") or []):
        service_id = raw.get("id", f"#{index}") if isinstance(raw, dict) else f"#{index}"
        if isinstance(raw, dict):
            raw = {**raw, "department": department.id, "fields": _labelled(raw.get("fields"))}
        try:
            services.append(Service.model_validate(raw))
        except ValidationError as exc:
            raise CatalogError(_format_error(path, f"service {service_id}", exc)) from exc
    if not services:
        raise CatalogError(f"{path}: department {department.id} has no services")
    return DepartmentFile(department=department, services=services)


def _labelled(fields):
    """A service's fields, each without a `label` of its own given the shared one for its name, if any."""
    if not isinstance(fields, list):
        return fields if fields is not None else []
    shared = shared_field_labels()
    return [{**f, "label": shared[f["name"]]} if isinstance(f, dict) and "label" not in f and f.get("name") in shared
            else f for f in fields]


@lru_cache(maxsize=1)
def shared_field_labels() -> dict[str, dict]:
    data = read_yaml(FIELD_LABELS_FILE) or {}
    try:
        return {name: Bilingual.model_validate(label).model_dump() for name, label in data.items()}
    except ValidationError as exc:
        raise CatalogError(_format_error(FIELD_LABELS_FILE, "field labels", exc)) from exc


def load_gazetteer(path: Path = GAZETTEER_FILE) -> Gazetteer:
    try:
        return Gazetteer.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise CatalogError(_format_error(path, "gazetteer", exc)) from exc


def load_configured_catalog(settings) -> Catalog:
    """The catalog in `settings.catalog_dir` (MITRA_CATALOG_DIR), else the bundled one.

    A configured directory may carry its own gazetteer.yaml; otherwise the bundled gazetteer is used.
    """
    services_dir = Path(settings.catalog_dir) if settings.catalog_dir else SERVICES_DIR
    own_gazetteer = services_dir / "gazetteer.yaml"
    return load_catalog(services_dir, own_gazetteer if own_gazetteer.exists() else GAZETTEER_FILE)


def load_catalog(services_dir: Path = SERVICES_DIR, gazetteer_file: Path = GAZETTEER_FILE) -> Catalog:
    """Read every department file, validate each one and the references between them."""
    files = sorted(p for p in Path(services_dir).glob("*.yaml") if p.name != Path(gazetteer_file).name)
    if not files:
        raise CatalogError(f"{services_dir}: no department files (*.yaml)")
    digest = hashlib.sha256()
    departments: dict[str, Department] = {}
    services: dict[str, Service] = {}
    source_of: dict[str, Path] = {}
    menu_numbers: dict[int, str] = {}
    menu_paths: dict[tuple[int, int], str] = {}
    for path in [*files, Path(gazetteer_file), FIELD_LABELS_FILE]:
        digest.update(path.read_bytes())
    for path in files:
        parsed = _load_department_file(path)
        dept = parsed.department
        if dept.id in departments:
            raise CatalogError(f"{path}: department {dept.id} is also defined in {source_of[dept.id]}")
        if dept.menu_number in menu_numbers:
            raise CatalogError(
                f"{path}: department {dept.id}: menu_number {dept.menu_number} "
                f"is already used by department {menu_numbers[dept.menu_number]}"
            )
        departments[dept.id] = dept
        source_of[dept.id] = path
        menu_numbers[dept.menu_number] = dept.id
        for service in parsed.services:
            _check_service_in_department(path, dept, service, services, source_of, menu_paths)
            services[service.id] = service
            source_of[service.id] = path
            menu_paths[tuple(service.menu_path)] = service.id
    gazetteer = load_gazetteer(Path(gazetteer_file))
    _check_references(services, source_of)
    _check_formats(services, source_of)
    return Catalog(departments, services, gazetteer, digest.hexdigest()[:12], source_of)


def _check_service_in_department(path, dept, service, services, source_of, menu_paths) -> None:
    where = f"{path}: service {service.id}"
    if service.id in services:
        raise CatalogError(f"{where}: duplicate id, first defined in {source_of[service.id]}")
    if service.id.split(".")[0] != dept.id:
        raise CatalogError(f"{where}: id must start with the department id '{dept.id}.'")
    if service.menu_path[0] != dept.menu_number:
        raise CatalogError(
            f"{where}: menu_path: department number {service.menu_path[0]} "
            f"does not match the department's menu_number {dept.menu_number}"
        )
    if tuple(service.menu_path) in menu_paths:
        raise CatalogError(f"{where}: menu_path {list(service.menu_path)} is already used by "
                           f"{menu_paths[tuple(service.menu_path)]}")


def _check_references(services: dict[str, Service], source_of: dict[str, Path]) -> None:
    for service in services.values():
        where = f"{source_of[service.id]}: service {service.id}"
        for key, refs in (("related", service.related), ("look_alikes", service.look_alikes)):
            for ref in refs:
                if ref not in services:
                    raise CatalogError(f"{where}: {key}: unknown service id {ref!r}")
        if service.id in service.look_alikes:
            raise CatalogError(f"{where}: look_alikes: a service is not its own look-alike")
        status = services.get(service.status_service or "")
        if service.status_service and (status is None or status.outcome != Outcome.status):
            raise CatalogError(f"{where}: status_service: {service.status_service!r} is not a status service")


def _check_formats(services: dict[str, Service], source_of: dict[str, Path]) -> None:
    """Every format the registry has, and every one a field names, accepts its own example."""
    from catalog.formats import FormatError, check_examples, get_format

    problems = check_examples()
    if problems:
        raise CatalogError("catalog/formats: " + "; ".join(problems))
    for service in services.values():
        for spec in service.fields:
            if not spec.format:
                continue
            fmt = get_format(spec.format)
            try:
                fmt.check(fmt.example)
            except FormatError as exc:
                raise CatalogError(f"{source_of[service.id]}: service {service.id}: field {spec.name}: "
                                   f"format {spec.format} refuses its own example: {exc.reason_en}") from exc
