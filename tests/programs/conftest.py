import pytest

from programs.answers import _published_schema


@pytest.fixture(autouse=True)
def _fresh_schemas():
    """Published form schemas are cached per process by version id; each test's database reuses ids."""
    _published_schema.cache_clear()
    yield
    _published_schema.cache_clear()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
