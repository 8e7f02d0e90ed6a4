import pytest

from tests.browser.conftest import require_chromium


def test_a_missing_browser_fails_rather_than_skips(tmp_path):
    with pytest.raises(pytest.fail.Exception, match="is missing"):
        require_chromium(str(tmp_path / "chromium"))
