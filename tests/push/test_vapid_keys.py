import io

from django.core.management import call_command
from py_vapid import Vapid

from trygghet.push.vapid import b64url, b64url_decode


def test_the_command_prints_a_pair_that_signs_and_verifies():
    out = io.StringIO()
    call_command("vapid_keys", stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines())

    assert lines.keys() == {"VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY"}
    server = Vapid.from_string(lines["VAPID_PRIVATE_KEY"])
    public = b64url_decode(lines["VAPID_PUBLIC_KEY"])
    assert len(public) == 65 and public[0] == 4
    header = server.sign({"sub": "mailto:a@example.se", "aud": "https://push.example.se"})
    assert header["Authorization"].endswith(f"k={b64url(public)}")


def test_make_run_adds_a_pair_once_and_keeps_the_file(tmp_path):
    env = tmp_path / ".env"
    env.write_text("SECRET_KEY=x")

    call_command("vapid_keys", append_to=env, stdout=io.StringIO())
    first = env.read_text()
    call_command("vapid_keys", append_to=env, stdout=io.StringIO())

    assert env.read_text() == first
    assert first.startswith("SECRET_KEY=x\nVAPID_PUBLIC_KEY=")
    assert "\nVAPID_PRIVATE_KEY=" in first
    assert env.stat().st_mode & 0o077 == 0
