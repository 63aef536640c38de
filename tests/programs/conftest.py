import pytest

from programs.answers import _published_schema

from .factories import CallFactory, park_rules


@pytest.fixture(autouse=True)
def _fresh_schemas():
    """Published form schemas are cached per process by version id; each test's database reuses ids."""
    _published_schema.cache_clear()
    yield
    _published_schema.cache_clear()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def call():
    """A rolling call, open since ten days, with the Science Park's usual rules (a test module
    that needs another call defines its own ``call``)."""
    call = CallFactory()
    park_rules(call)
    return call
