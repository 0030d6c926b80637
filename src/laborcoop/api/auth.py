"""POST /api/v1/auth/token/: exchange a username and password for the account's API token.

Clients then send `Authorization: Token <token>`; browser sessions work as well. The endpoint is throttled
per client address, because it is the one place a password can be guessed through the API.
"""

from typing import Any

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from laborcoop.api.views.common import error_responses

INVALID_CREDENTIALS = "用户名或密码错误，或账号已停用。"


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = authenticate(request=self.context.get("request"), username=attrs["username"], password=attrs["password"])
        if user is None:
            raise serializers.ValidationError({"non_field_errors": [INVALID_CREDENTIALS]})
        attrs["user"] = user
        return attrs


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="请求时放在 Authorization 头：Token <token>")


class TokenObtainThrottle(AnonRateThrottle):
    scope = "token"
    rate = "10/min"


class TokenObtainView(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenObtainThrottle]

    @extend_schema(
        tags=["认证"],
        summary="获取 API 令牌",
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer, **error_responses(400)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        body = TokenRequestSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=body.validated_data["user"])
        response = Response(TokenResponseSerializer({"token": token.key}).data)
        response["Cache-Control"] = "no-store"
        return response
