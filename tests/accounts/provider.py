"""Identity providers on 127.0.0.1 for the single sign-on tests, spoken to over HTTP as the
municipality's would be; the client library is never mocked.

`mock_provider()` runs oidc-provider-mock, a real OpenID provider (discovery, authorize with its
own sign-in page, token, userinfo, JWKS, end session). It signs every token correctly, so the
ways a provider can go wrong come from `FlawedProvider`, a small provider whose ID tokens carry
one chosen flaw: another audience, an expiry in the past, a signature by another key, another
issuer.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import oidc_provider_mock
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.serving import make_server

HOST = "127.0.0.1"


@contextmanager
def _serving(server) -> Iterator[str]:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def mock_provider() -> Iterator[str]:
    """oidc-provider-mock on a free port; yields its issuer URL. Any client id and secret."""
    server = make_server(HOST, 0, oidc_provider_mock.app(require_nonce=True), threaded=True)
    with _serving(server) as url:
        yield url


def set_claims(issuer: str, subject: str, claims: dict) -> None:
    """The person `subject` at the mock provider, with these claims (e.g. their groups)."""
    response = requests.put(f"{issuer}/users/{subject}", json=claims, timeout=5)
    response.raise_for_status()


def authorize_at_mock(authorize_url: str, subject: str) -> str:
    """Sign in as `subject` on the mock provider's page; returns where it sends the browser."""
    answer = requests.post(authorize_url, data={"sub": subject}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FlawedProvider:
    """A provider whose ID tokens have the flaw named by `flaw` (None: none): "audience",
    "expired", "signature" or "issuer". Its authorize endpoint answers at once, as a provider
    does for a person already signed in there."""

    KID = "key-1"

    def __init__(self) -> None:
        self.flaw: str | None = None
        self.claims: dict = {}
        self.key = _key()
        self.other_key = _key()
        self.nonces: dict[str, str] = {}
        self.url = ""

    def jwks(self) -> dict:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": self.KID, "alg": "RS256", "use": "sig"}]}

    def discovery(self) -> dict:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def id_token(self, client_id: str, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **self.claims,
        }
        if self.flaw == "audience":
            claims["aud"] = "another-application"
        elif self.flaw == "expired":
            claims.update(iat=now - 7200, exp=now - 3600)
        elif self.flaw == "issuer":
            claims["iss"] = "https://login.example.net/someone-else"
        key = self.other_key if self.flaw == "signature" else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.KID})

    def handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):
                pass

            def answer(self, status: int, body: dict | None = None, location: str = "") -> None:
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                data = json.dumps(body or {}).encode()
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                parts = urlsplit(self.path)
                query = {name: values[0] for name, values in parse_qs(parts.query).items()}
                if parts.path == "/.well-known/openid-configuration":
                    self.answer(200, provider.discovery())
                elif parts.path == "/jwks":
                    self.answer(200, provider.jwks())
                elif parts.path == "/authorize":
                    code = secrets.token_urlsafe(16)
                    provider.nonces[code] = query.get("nonce", "")
                    back = urlencode({"code": code, "state": query.get("state", "")})
                    self.answer(302, location=f"{query['redirect_uri']}?{back}")
                elif parts.path == "/userinfo":
                    self.answer(200, provider.claims)
                else:
                    self.answer(404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                nonce = provider.nonces.pop(form.get("code", ""), None)
                if self.path != "/token" or nonce is None:
                    self.answer(400, {"error": "invalid_grant"})
                    return
                token = provider.id_token(form["client_id"], nonce)
                self.answer(200, {"access_token": "at", "token_type": "Bearer", "id_token": token})

        return Handler

    @contextmanager
    def running(self) -> Iterator[FlawedProvider]:
        server = ThreadingHTTPServer((HOST, 0), self.handler())
        with _serving(server) as url:
            self.url = url
            yield self
