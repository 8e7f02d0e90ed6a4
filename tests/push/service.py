"""A push service on 127.0.0.1, as a browser's vendor runs one (RFC 8030), and the phone's
side of a subscription.

The service takes a POST to a subscription's endpoint, checks its VAPID Authorization header
(RFC 8292: an ES256 JWT for this service's origin, signed with the server's key, which the
header names) and answers 201, or what the test asks for that endpoint (404, 410, 500). The
phone made its own key pair and authentication secret when it subscribed and decrypts the body
(RFC 8291, aes128gcm) with them, as the browser would.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from trygghet.push.vapid import b64url, b64url_decode


@dataclass
class Received:
    token: str
    headers: dict[str, str]
    body: bytes
    claims: dict
    server_key: str


@dataclass
class Phone:
    """The browser's side of one subscription."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        public = self.private_key.public_key()
        return b64url(public.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def subscription(self) -> dict[str, str]:
        """What the page posts: PushSubscription.toJSON()'s fields."""
        return {"endpoint": self.endpoint, "p256dh": self.p256dh, "auth": self.auth}

    def decrypt(self, received: Received) -> dict:
        plain = http_ece.decrypt(
            received.body,
            private_key=self.private_key,
            auth_secret=self.auth_secret,
            version="aes128gcm",
        )
        return json.loads(plain)


def verify_vapid(authorization: str, *, audience: str) -> tuple[dict, str]:
    """The JWT's claims and the server key the header names, once the signature checks out
    against that key (ValueError or InvalidSignature otherwise)."""
    scheme, _space, params = authorization.partition(" ")
    if scheme != "vapid":
        raise ValueError(f"not a VAPID header: {authorization!r}")
    parts = dict(part.strip().split("=", 1) for part in params.split(","))
    token, key = parts["t"], parts["k"]
    header, payload, signature = token.split(".")
    raw = b64url_decode(signature)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
    public.verify(
        encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
        f"{header}.{payload}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )
    if json.loads(b64url_decode(header)) != {"typ": "JWT", "alg": "ES256"}:
        raise ValueError("not an ES256 JWT")
    claims = json.loads(b64url_decode(payload))
    if claims["aud"] != audience:
        raise ValueError(f"for {claims['aud']}, not this push service")
    return claims, key


class PushService:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.answers: dict[str, int] = {}  # token -> status
        self.arrived = threading.Condition()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                token = self.path.rsplit("/", 1)[-1]
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                try:
                    claims, key = verify_vapid(
                        self.headers.get("Authorization", ""), audience=service.origin
                    )
                except Exception:  # any flaw in the header is the push service's 401
                    self.send_response(401)
                    self.end_headers()
                    return
                headers = {name.lower(): value for name, value in self.headers.items()}
                with service.arrived:
                    service.received.append(Received(token, headers, body, claims, key))
                    service.arrived.notify_all()
                self.send_response(service.answers.get(token, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def phone(self) -> Phone:
        return Phone(endpoint=f"{self.origin}/push/{secrets.token_urlsafe(16)}")

    def answer(self, phone: Phone, status: int) -> None:
        self.answers[phone.endpoint.rsplit("/", 1)[-1]] = status

    def to(self, phone: Phone) -> list[Received]:
        token = phone.endpoint.rsplit("/", 1)[-1]
        return [message for message in self.received if message.token == token]

    def __enter__(self) -> PushService:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
