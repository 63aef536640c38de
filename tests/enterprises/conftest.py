from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Every enterprises test stores its uploads in a folder of its own, which it can inspect."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)
