"""How the OpenAPI schema describes the token authentication (loaded in AccountsConfig.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "trygghet.accounts.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A key from `manage.py create_api_token`, sent as `Token <key>`.",
        }
