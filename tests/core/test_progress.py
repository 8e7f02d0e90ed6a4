import io

from trygghet.core.progress import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_that_ends_done():
    out = Terminal()
    assert list(progress(range(4), total=4, label="Incidents", out=out)) == [0, 1, 2, 3]
    assert "[##############################] 100% 4/4" in out.getvalue()
    assert out.getvalue().rstrip().endswith("Incidents: 4 done")


def test_a_log_gets_nothing_the_caller_does_not_say_itself():
    out = io.StringIO()
    assert list(progress(range(3), total=3, label="Incidents", out=out)) == [0, 1, 2]
    assert out.getvalue() == ""
