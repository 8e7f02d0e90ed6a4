"""Single sign-on with the municipality's identity provider over OpenID Connect, through
mozilla-django-oidc: the authorization code flow with PKCE, a nonce and a state.

The library is configured with endpoint settings; here they come from the provider's discovery
document instead, fetched the first time they are needed and then kept for the life of the
process. The library's checks of the ID token are widened: its audience must be our client id
and its issuer the configured one (the library checks neither), and every way a sign-in can fail
becomes a SignInRefused with a message the person can act on, never a server error.
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from trygghet.accounts.services import SignInRefused, provider_user_sign_in

# Clocks differ a little between the provider and us.
LEEWAY_SECONDS = 60


def sso_enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def unreachable() -> SignInRefused:
    return SignInRefused(
        _(
            "The municipality's sign-in service could not be reached. Try again in a while; "
            "if it goes on, tell IT support."
        )
    )


def not_verified() -> SignInRefused:
    return SignInRefused(
        _("The answer from the municipality's sign-in service could not be verified.")
    )


@functools.cache
def _discovery(issuer: str) -> dict:
    try:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise unreachable() from error
    # OpenID Connect Discovery 1.0, 4.3: a document naming another issuer is not this provider's.
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise not_verified()
    return document


def provider_metadata() -> dict:
    """The provider's discovery document (a failure is not kept: the next sign-in tries again)."""
    return _discovery(settings.OIDC_ISSUER)


def endpoint(name: str) -> str:
    url = provider_metadata().get(name)
    if not isinstance(url, str):
        raise not_verified()
    return url


# The library's endpoint settings, and the discovery document's names for them.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def oidc_setting(name: str, *default):
    """The library's settings lookup, with the endpoints from discovery."""
    if name in DISCOVERED:
        return endpoint(DISCOVERED[name])
    return import_from_settings(name, *default)


class ProviderBackend(OIDCAuthenticationBackend):
    """Signs in the person the provider vouches for, matched on issuer and subject
    (services.provider_user_sign_in), with roles and department from their groups."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # Not the parent's: it looks up the endpoints, which would fetch the discovery document
        # whenever a backend is made, on every password sign-in and every request of a signed-in
        # user too. Here they are looked up when a sign-in through the provider needs them.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return endpoint("token_endpoint")

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:
        return endpoint("userinfo_endpoint")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return endpoint("jwks_uri")

    def authenticate(self, request, **kwargs):
        # Only the callback view passes exactly these; a password sign-in whose address happens
        # to carry ?code=…&state=… must not start a token exchange.
        if not sso_enabled() or set(kwargs) != {"nonce", "code_verifier"}:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except requests.RequestException as error:
            raise unreachable() from error
        except (SuspiciousOperation, jwt.InvalidTokenError) as error:  # e.g. the nonce differs
            raise not_verified() from error

    def retrieve_matching_jwk(self, token):
        """The provider's signing key for the token: the one its `kid` names, or the only one
        for the algorithm when it names none (the parent's fails on a token without a kid)."""
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        kid = jwt.get_unverified_header(token).get("kid")
        keys = response.json().get("keys", [])
        matching = [
            key
            for key in keys
            if isinstance(key, dict)
            and key.get("use", "sig") == "sig"
            and key.get("alg", self.OIDC_RP_SIGN_ALGO) == self.OIDC_RP_SIGN_ALGO
            and (kid is None or key.get("kid") == kid)
        ]
        if len(matching) != 1:
            raise not_verified()
        return jwt.PyJWK(matching[0], algorithm=self.OIDC_RP_SIGN_ALGO)

    def get_payload_data(self, token, key):
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise SignInRefused(
                _("The sign-in had expired before it reached Trygghet. Sign in again.")
            ) from error
        except jwt.InvalidAudienceError as error:
            raise SignInRefused(
                _(
                    "The sign-in service vouched for you to another application, not to "
                    "Trygghet (wrong audience). Tell IT support."
                )
            ) from error
        except jwt.InvalidIssuerError as error:
            raise SignInRefused(
                _("The sign-in came from another service than the municipality's. Tell IT support.")
            ) from error
        except jwt.InvalidTokenError as error:  # a bad signature, a missing claim, garbage
            raise not_verified() from error
        audiences = payload["aud"] if isinstance(payload["aud"], list) else [payload["aud"]]
        if len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise not_verified()
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 5.3.2: the userinfo must be about the ID token's subject.
        if not isinstance(userinfo, dict) or userinfo.get("sub") != payload["sub"]:
            raise not_verified()
        # The ID token's signed claims win; some providers (ADFS) put the groups only there.
        claims = {**userinfo, **payload}
        return provider_user_sign_in(issuer=payload["iss"], subject=payload["sub"], claims=claims)


def provider_logout_url(request) -> str | None:
    """Where to send a person who signs out, so that the provider's session ends too
    (OpenID Connect RP-Initiated Logout); None when they did not sign in through the provider or
    it does not offer that."""
    id_token = request.session.get("oidc_id_token")
    if not (sso_enabled() and id_token):
        return None
    try:
        end_session = provider_metadata().get("end_session_endpoint")
    except SignInRefused:
        return None
    if not isinstance(end_session, str):
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
    )
    return f"{end_session}{'&' if '?' in end_session else '?'}{query}"
