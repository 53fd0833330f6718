import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Charge letters write PDFs under MEDIA_ROOT: keep them in the test's own folder."""
    settings.MEDIA_ROOT = tmp_path
