from django.db import connection
from django.test.utils import CaptureQueriesContext


def assert_fixed_query_count(client, url: str, make_more) -> None:
    """A list costs the same number of queries after `make_more()` adds rows."""
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    make_more()
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]
