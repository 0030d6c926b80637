"""POST /api/v1/auth/token/: exchange a username and password for a new API token.

Clients then send `Authorization: Token <token>`; browser sessions work as well. Each call issues a new token
(only its SHA-256 is stored, so an earlier one cannot be shown again), valid for LABORCOOP_API_TOKEN_TTL_DAYS.
Failed attempts count towards the sign-in lockout (django-axes, per account and per client address, the same
counters as the login page); the endpoint is also throttled per client address, which comes from
`laborcoop.core.client_ip` (X-Forwarded-For only from trusted proxies).
"""

from typing import Any

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from laborcoop.accounts.lockout import lockout_message
from laborcoop.accounts.tokens import api_token_obtain
from laborcoop.core.api.serializers import DetailSerializer
from laborcoop.core.api.views import error_responses
from laborcoop.core.client_ip import client_ip

INVALID_CREDENTIALS = "用户名或密码错误，或账号已停用。"


class LoginLockedOut(exceptions.APIException):
    status_code = 429
    default_code = "locked_out"


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        request = self.context["request"]
        user = authenticate(request=request, username=attrs["username"], password=attrs["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):  # set by django-axes on this request
                raise LoginLockedOut(lockout_message())
            raise serializers.ValidationError({"non_field_errors": [INVALID_CREDENTIALS]})
        attrs["user"] = user
        return attrs


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="请求时放在 Authorization 头：Token <token>；仅此一次显示，请妥善保存")
    expires_at = serializers.DateTimeField(help_text="过期时间，过期后请重新获取")


class TokenObtainThrottle(AnonRateThrottle):
    scope = "token"
    rate = "10/min"

    def get_ident(self, request: Request) -> str:
        return client_ip(request)


class TokenObtainView(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenObtainThrottle]

    @extend_schema(
        tags=["认证"],
        summary="获取 API 令牌",
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            **error_responses(400),
            429: OpenApiResponse(DetailSerializer, description="登录失败次数过多，账号或地址已暂时锁定（429）"),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        body = TokenRequestSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        issued = api_token_obtain(user=body.validated_data["user"])
        data = {"token": issued.key, "expires_at": issued.token.expires_at}
        response = Response(TokenResponseSerializer(data).data)
        response["Cache-Control"] = "no-store"
        return response
