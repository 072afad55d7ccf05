"""Fixtures shared by every test area. Area-specific fixtures live in tests/<area>/conftest.py."""
from __future__ import annotations

import os

import pytest

# Tests never reach a model hub: everything comes from packages or paths.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def catalog():
    from catalog.loader import load_catalog

    return load_catalog()
