"""`Authorization: Token <key>` against the project's own expiring, hashed tokens (accounts.tokens)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from laborcoop.accounts.tokens import TokenExpired, TokenInvalid, api_token_authenticate


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's header parsing and `WWW-Authenticate: Token` challenge, our token store: an unknown, revoked or
    expired key is 401 with a Chinese message."""

    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        try:
            token = api_token_authenticate(key=key)
        except (TokenInvalid, TokenExpired) as exc:
            raise AuthenticationFailed(exc.message) from exc
        return (token.user, token)


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    """The schema's `tokenAuth` security scheme for ExpiringTokenAuthentication."""

    target_class = ExpiringTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Token <令牌>：由 POST /api/v1/auth/token/ 签发，有效期内可用；改密码、停用账号或本人撤销后失效。"
            ),
        }
