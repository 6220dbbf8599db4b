import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Files written by a test go to its own folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
