import pytest

from tests.access import DONE, LOGIN, by_role


def test_a_grid_says_which_redirect_it_means():
    roles = dict(
        chief=200, host=403, owner=403, partner=403, report_client=LOGIN, admin=DONE, dpo=403
    )
    assert [param.values for param in by_role(anonymous=LOGIN, **roles)][0] == ("anonymous", LOGIN)
    with pytest.raises(ValueError, match="LOGIN or DONE"):
        by_role(anonymous=302, **roles)
