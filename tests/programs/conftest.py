import pytest

from .factories import CallFactory, park_rules


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
