import pytest


@pytest.fixture(scope="session")
def models_root(tmp_path_factory):
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def router(catalog, models_root):
    """A router trained from the real catalog with the bundled multilingual encoder, once per session."""
    from nlu.router import Router

    return Router.load(catalog=catalog, models_root=models_root)
