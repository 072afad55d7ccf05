"""Training a Rasa project: a project `rasa data validate` refuses is never cached as a model; the whole
catalog's export is one Rasa accepts."""
from __future__ import annotations

import pytest

pytestmark = [pytest.mark.rasa, pytest.mark.slow]

PROJECT = {
    "config.yml": "recipe: default.v1\nlanguage: en\nassistant_id: refused\npipeline: []\npolicies:\n"
                  "- name: RulePolicy\n",
    "domain.yml": "version: '3.1'\nintents:\n- greet\nresponses:\n  utter_greet:\n  - text: Hello\n",
    "data/nlu.yml": "version: '3.1'\nnlu:\n- intent: greet\n  examples: |\n    - hi\n    - hello\n",
    # an action the domain does not list: Rasa's validation refuses the project
    "data/rules.yml": "version: '3.1'\nrules:\n- rule: greet\n  steps:\n  - intent: greet\n"
                      "  - action: action_not_in_the_domain\n",
}


def test_a_refused_project_says_why_and_leaves_no_model(rasa_venv, tmp_path):
    from bot import rasa_runtime

    project, cache = tmp_path / "project", tmp_path / "models"
    for name, text in PROJECT.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    with pytest.raises(rasa_runtime.RasaUnavailable) as refused:
        rasa_runtime.train(project, "refused", cache=cache)
    assert "data validate" in str(refused.value) and "action_not_in_the_domain" in str(refused.value)
    assert not list(cache.glob("*.tar.gz")) and not list(cache.glob("*.valid"))


def test_rasa_accepts_the_whole_catalogs_export(rasa_venv, catalog, tmp_path):
    """tests/rasa trains and serves a few departments' export (tests/utils/rasa_warmup.py); every service's form,
    slots and rules are Rasa's to refuse here."""
    from bot import rasa_runtime
    from bot.rasa_export import export_project

    exported = export_project(catalog, tmp_path / "project")
    assert exported.forms == len(catalog.services)
    # raises RasaUnavailable with Rasa's complaint; validated once per export (the warm-up does it beside the tests)
    rasa_runtime.validated(exported.directory, exported.digest)
