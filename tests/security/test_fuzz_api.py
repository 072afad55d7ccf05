"""Schemathesis fuzzing of every operation in the app's OpenAPI schema, over loopback HTTP against the real app
(router, database, bot), with a token that is both an analyst and a service token: no answer may be a 5xx.

MITRA_FUZZ_EXAMPLES sets the examples per operation (10 here; bench/fuzz_api.py runs a longer pass).
Two operations cannot be reached usefully by generated requests and are also tested by hand:
POST /webhook needs a signature over the exact body (test_fuzz_webhook.py signs generated payloads), and an
accepted POST /v1/analyst/train starts minutes of training (fuzzed unauthenticated here; tests/analyst run it).
"""
from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api.app import create_app
from tests.fakes.http_server import ThreadedServer
from tests.security.conftest import ANALYST_TOKEN, SERVICE_TOKEN

EXAMPLES = int(os.environ.get("MITRA_FUZZ_EXAMPLES", "10"))
FUZZ_TOKEN = "fuzz-token-both-analyst-and-service"
UNAUTHENTICATED = {("POST", "/v1/analyst/train")}


@pytest.fixture(scope="module")
def fuzz_url(tmp_path_factory, catalog, router):
    """One app for the whole run (as a deployment would see the requests), on its own database."""
    from core.settings import Settings
    from runtime.services import Services
    from tests.fakes.graph_server import GraphServer

    patch = pytest.MonkeyPatch()
    patch.setenv("MITRA_SERVICE_TOKENS", f"{SERVICE_TOKEN},{FUZZ_TOKEN}")
    folder = tmp_path_factory.mktemp("fuzz")
    with GraphServer() as graph:
        settings_ = Settings(_env_file=None, data_dir=folder, models_dir=folder / "models",
                             whatsapp_app_secret="fuzz-app-secret", whatsapp_access_token=graph.graph.token,
                             whatsapp_phone_number_id=graph.graph.phone_number_id, graph_base_url=graph.url,
                             secret_key="fuzz-secret-key",
                             analyst_tokens=f"{ANALYST_TOKEN}:asha:analyst,{FUZZ_TOKEN}:fuzzer:analyst")
        services = Services.start(settings_, catalog=catalog, _router=router)
        with ThreadedServer(create_app(settings_, services=services)) as server:
            yield server.url
    patch.undo()


schema = schemathesis.openapi.from_dict(create_app(run_worker=False).openapi())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_operation_answers_with_a_server_error(case, fuzz_url):
    authorized = (case.method.upper(), case.path) not in UNAUTHENTICATED
    headers = {"Authorization": f"Bearer {FUZZ_TOKEN}"} if authorized else {}
    case.call_and_validate(base_url=fuzz_url, headers=headers, checks=[not_a_server_error], timeout=60)
