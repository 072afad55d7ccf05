"""The short form of bench/service_walk.py: a sample of services walked to their end through the real Bot."""
from __future__ import annotations

from bench import service_walk


def test_free_text_requests_are_never_catalog_examples_or_synonyms(catalog):
    for service in catalog.services.values():
        taken = {e.text.casefold() for e in service.examples} | {s.casefold() for s in service.synonyms.all()}
        for tag in ("en", "te", "te-latn"):
            request = service_walk.free_text_request(service, tag)
            assert request.casefold() not in taken
            assert service.name.en.lower() in request or service.name.te in request or tag == "te-latn"


def test_a_sample_of_services_is_finished_in_every_mode(catalog, router, tmp_path):
    services = sorted(catalog.services.values(), key=lambda s: s.menu_path)[::15]
    report = service_walk.run(catalog, router, services, data_dir=tmp_path)
    stuck = [(w.mode, w.service_id, w.stopped_at) for w in report.walks if not w.finished]
    for mode in ("menu", "invalid"):
        assert report.finished(mode) == (len(services), len(services)), stuck
    for tag in ("en", "te", "te-latn"):
        done, total = report.finished(tag)
        assert total == len(services) and done >= total - 1, stuck  # the bar: 95% over the catalog


def test_a_walk_notices_a_refused_answer(catalog, router, tmp_path):
    """The walk can fail: an answer the field cannot take stops it at that field."""
    service = next(s for s in sorted(catalog.services.values(), key=lambda s: s.menu_path)
                   if s.fields and s.fields[0].type.value == "name" and s.outcome.value != "information")
    original = service_walk.valid_answer
    try:
        service_walk.valid_answer = lambda spec, *a: "12345" if spec.type.value == "name" else original(spec, *a)
        walk = service_walk.Walker(service_walk.build_bot(catalog, None, tmp_path), catalog).walk(service, "menu")
    finally:
        service_walk.valid_answer = original
    assert not walk.finished and walk.stopped_at.startswith(service.fields[0].name)


def test_a_status_walk_that_only_asks_for_a_reference_is_not_finished(catalog):
    """"Please send your reference number" is where a status service gives up, not its end."""
    from bot.replies import Reply
    from bot.texts import messages

    service = next(s for s in catalog.services.values() if s.outcome.value == "status")
    walker = service_walk.Walker(None, catalog)
    for column in ("en", "te"):
        asked = messages()["status_ask_reference"][column]
        assert not walker._ended(service, [Reply(kind="text", text=asked)])
        status = messages()["dept_status"][column]  # a department's answer ends the walk
        assert walker._ended(service, [Reply(kind="text", text=status)])
