"""What every operation of the API under /api/v1/ shares, in one place: the error shape,
limit/offset pagination, ETags with 304 answers, Cache-Control, and stable operation ids.

- Errors: every 4xx/5xx answer is `{"detail": "...", "code": "...", "errors": [...]?}`
  (`errors` only for validation). Codes: `not_found`, `validation_error`,
  `not_authenticated`, `permission_denied`, `rate_limited`, `rejected` (a domain rule
  refused a write), `server_error`.
- Lists: `?limit=` (1–500, default 50) and `?offset=` (≥ 0); the answer is
  `{"count", "next", "previous", "results"}` with absolute URLs (or null) for the pages
  beside this one.
- GET answers carry a strong ETag computed from the body; a request whose If-None-Match
  names it gets 304 without a body. Public answers may be cached for a minute
  (`Cache-Control: public, max-age=60`); answers to token holders are private.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import urlencode
from django_ratelimit import ALL
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.throttling import BaseThrottle
from pydantic import field_validator

from sangyo.core.errors import DomainError
from sangyo.core.errors import PermissionDenied as DomainPermissionDenied

logger = logging.getLogger(__name__)

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
MAX_OFFSET = 1_000_000_000
PUBLIC_CACHE = "public, max-age=60"
PRIVATE_CACHE = "private, no-cache"
SESSION_CACHE = "private, max-age=60"


# --- schemas ------------------------------------------------------------------------------


class Text(Schema):
    """A text in both languages (English falls back to Japanese where none is written)."""

    ja: str
    en: str


class FieldError(Schema):
    loc: list[str | int] = Field(..., description="Where: e.g. ['query', 'limit']")
    msg: str
    type: str


class ErrorOut(Schema):
    """The one shape of every error answer."""

    detail: str = Field(..., description="人が読む説明 / human-readable explanation")
    code: str = Field(
        ...,
        description=(
            "not_found, validation_error, not_authenticated, permission_denied, "
            "rate_limited, rejected, server_error"
        ),
    )
    errors: list[FieldError] | None = Field(None, description="validation_error only")

    model_config = {
        "json_schema_extra": {
            "examples": [{"detail": "見つかりません。 / Not found.", "code": "not_found"}]
        }
    }


class Input(Schema):
    """Base of query filters and request bodies: text with a NUL character is refused (422)
    before it reaches a database that cannot store it (PostgreSQL)."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("NUL文字は使えません / NUL characters are not allowed")
        return value


def as_utc(value: datetime.datetime | None) -> datetime.datetime | None:
    """A client's datetime as UTC (naive = Japan time), clamped to what databases store:
    PostgreSQL refuses odd offsets on ancient dates, and year 1 minus an offset overflows."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = timezone.make_aware(value)
    try:
        value = value.astimezone(datetime.UTC)
    except OverflowError:
        edge = datetime.datetime.min if value.year < 100 else datetime.datetime.max
        return edge.replace(tzinfo=datetime.UTC)
    return max(value, datetime.datetime(1, 1, 2, tzinfo=datetime.UTC))


class PageParams(Schema):
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"件数 / page size (1–{MAX_LIMIT})"
    )
    # Bounded so a database never sees an integer wider than 64 bits.
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="先頭から飛ばす件数 / rows to skip")


class Page(Schema):
    """Base of every list answer; subclasses add `results: list[Item]`."""

    count: int = Field(..., description="条件に合う全件数 / rows matching the filters")
    next: str | None = Field(None, description="次のページのURL / URL of the next page")
    previous: str | None = Field(None, description="前のページのURL / URL of the previous page")


def page_schema(name: str, item: type[Schema]) -> type[Page]:
    """`class <name>(Page): results: list[item]`, named for the OpenAPI document."""
    return type(name, (Page,), {"__annotations__": {"results": list[item]}})


# --- responses per operation ---------------------------------------------------------------

# Every operation may answer 304 (its ETag matched), 422 (a parameter did not validate)
# and 429 (rate limit). Operations with an id in the path add 404; token operations 401/403.
_ERROR_TEXT = {
    400: "不正な要求 / bad request",
    401: "トークンがない・無効 / missing or invalid token",
    403: "スコープ・権限が足りない / scope or role not sufficient",
    404: "見つからない / not found",
    409: "競合 / conflict",
    422: "パラメータが不正・業務ルールにより拒否 / invalid parameters or refused by a rule",
    429: "回数制限 / rate limited",
}


def responses(ok: Any, *errors: int, status: int = 200, read: bool = True) -> dict[int, Any]:
    """The `response=` of an operation: `ok` for `status`, ErrorOut for the errors it may
    answer, and (for reads) 304 without a body."""
    codes = {422, 429, *errors}
    out: dict[int, Any] = {status: ok}
    if read:
        out[304] = None
    for code in sorted(codes - {status}):
        out[code] = ok if code == 200 else ErrorOut
    return out


def describe_responses(schema: dict) -> dict:
    """Say in the OpenAPI document what each error status means (ninja writes 'OK')."""
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for code, resp in operation.get("responses", {}).items():
                code = int(code)
                if code == 304:
                    resp["description"] = "ETag一致（本文なし） / not modified (ETag matched)"
                elif code in _ERROR_TEXT:
                    resp["description"] = _ERROR_TEXT[code]
    return schema


# --- pagination ------------------------------------------------------------------------------


def _page_url(request: HttpRequest, offset: int, limit: int) -> str:
    query = request.GET.copy()
    query["offset"] = str(offset)
    query["limit"] = str(limit)
    return request.build_absolute_uri(
        f"{request.path}?{urlencode(sorted(query.lists()), doseq=True)}"
    )


def paginate(
    request: HttpRequest,
    rows: Sequence | Any,
    params: PageParams,
    serialize: Callable[[Any], dict] | None = None,
    *,
    count: int | None = None,
) -> dict:
    """One page of `rows` (a queryset or a list) as {count, next, previous, results}.

    Pass `count` when the rows are already the page (e.g. a search engine that pages by
    itself); otherwise the rows are sliced here."""
    limit, offset = params.limit, params.offset
    if count is None:
        count = rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)
        page: Iterable = rows[offset : offset + limit]
    else:
        page = rows
    results = [serialize(r) if serialize else r for r in page]
    return {
        "count": count,
        "next": _page_url(request, offset + limit, limit) if offset + limit < count else None,
        "previous": _page_url(request, max(0, offset - limit), limit) if offset > 0 else None,
        "results": results,
    }


# --- ETags and caching ----------------------------------------------------------------------


def etag_for(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:40] + '"'


def etag_matches(header: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/ is ignored."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in wanted


def conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Add ETag and Cache-Control to a successful GET answer; 304 when the client has it."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    from django.conf import settings

    etag = etag_for(response.content)
    private = getattr(request, "auth", None) is not None
    # A signed-in browser's answer may carry a refreshed session cookie (added by middleware
    # after this point): never let a shared cache keep it.
    has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
    cache = PRIVATE_CACHE if private else SESSION_CACHE if has_session else PUBLIC_CACHE
    if etag_matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Cache-Control"] = cache
    if private:
        response["Vary"] = "Authorization"
    return response


# --- rate limit ------------------------------------------------------------------------------

# Per client IP, counted in the shared cache like the site's other limits (docs/security.md);
# `settings.SANGYO_RATELIMITS["api"]` overrides it.
DEFAULT_API_RATE = "300/m"


def _api_rate(_group, _request):
    from django.conf import settings

    return getattr(settings, "SANGYO_RATELIMITS", {}).get("api", DEFAULT_API_RATE)


class ClientRateThrottle(BaseThrottle):
    """Answers 429 (code `rate_limited`, with Retry-After) past the rate for one client."""

    def allow_request(self, request) -> bool:
        from django_ratelimit.core import get_usage

        # A request without the client's address (no REMOTE_ADDR behind a unix socket, or no
        # RATELIMIT_IP_META_KEY header) counts as one shared client rather than failing.
        try:
            usage = get_usage(
                request, group="sangyo.api", key="ip", rate=_api_rate, method=ALL, increment=True
            )
        except (KeyError, ValueError, ImproperlyConfigured):
            usage = get_usage(
                request,
                group="sangyo.api",
                key=lambda _g, _r: "unknown",
                rate=_api_rate,
                method=ALL,
                increment=True,
            )
        self._wait = usage["time_left"] if usage else None
        return not (usage and usage["should_limit"])

    def wait(self):
        # django-ninja writes ceil(wait) into Retry-After; at the very end of a window the
        # time left is 0, and a client must still be asked to wait a second.
        return None if self._wait is None else max(1, self._wait)


# --- the API class -----------------------------------------------------------------------


class SangyoAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        return conditional(request, response)

    def get_openapi_schema(self, *args, **kwargs):
        return describe_responses(super().get_openapi_schema(*args, **kwargs))

    def get_openapi_operation_id(self, operation) -> str:
        # The function's name: stable across refactors of modules, and the same as the URL
        # name the access rules use.
        return operation.view_func.__name__


def error(request, api: NinjaAPI, status: int, code: str, detail: str, **extra) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


def _loc(value) -> list:
    return [p if isinstance(p, int) else str(p) for p in value]


def install_error_handlers(api: NinjaAPI) -> None:
    """Every error in the one shape: the handlers ninja would install, replaced."""

    @api.exception_handler(ValidationError)
    def validation(request, exc: ValidationError):
        errors = [
            {
                "loc": _loc(e.get("loc", [])),
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors
        ]
        return error(
            request,
            api,
            422,
            "validation_error",
            "パラメータが正しくありません。 / Invalid parameters.",
            errors=errors,
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error(request, api, 404, "not_found", "見つかりません。 / Not found.")

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request, exc):
        response = error(
            request,
            api,
            401,
            "not_authenticated",
            "有効なAPIトークンが必要です（Authorization: Bearer …）。 / A valid API token is needed.",
        )
        response["WWW-Authenticate"] = 'Bearer realm="sangyo"'
        return response

    @api.exception_handler(AuthorizationError)
    def forbidden(request, exc):
        return error(
            request, api, 403, "permission_denied", str(exc) or "権限がありません。 / Not allowed."
        )

    @api.exception_handler(DjangoPermissionDenied)
    def django_forbidden(request, exc):
        from django_ratelimit.exceptions import Ratelimited

        if isinstance(exc, Ratelimited):
            return error(
                request, api, 429, "rate_limited", "リクエストが多すぎます。 / Too many requests."
            )
        return error(
            request, api, 403, "permission_denied", str(exc) or "権限がありません。 / Not allowed."
        )

    @api.exception_handler(DomainPermissionDenied)
    def domain_forbidden(request, exc):
        return error(
            request, api, 403, "permission_denied", str(exc) or "権限がありません。 / Not allowed."
        )

    @api.exception_handler(DomainError)
    def rejected(request, exc):
        return error(request, api, 422, "rejected", str(exc))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        code = {429: "rate_limited", 404: "not_found", 403: "permission_denied"}.get(
            exc.status_code, "error"
        )
        response = error(request, api, exc.status_code, code, str(exc))
        wait = getattr(exc, "wait", None)
        if wait is not None or exc.status_code == 429:
            # At the very end of a window the time left rounds to 0: still ask for a second.
            response["Retry-After"] = str(max(1, int(wait or 0) + 1))
        if exc.status_code == 429:
            response["Cache-Control"] = "no-store"
        return response

    @api.exception_handler(Exception)
    def server_error(request, exc):
        logger.exception("API error on %s %s", request.method, request.path)
        return error(
            request, api, 500, "server_error", "サーバーでエラーが発生しました。 / Server error."
        )
