"""One exception tree for the whole service, rendered once as OpenAI's error envelope.

    ImagegateError                      500 server_error (base; also unexpected failures)
    ├── InvalidRequestError             400 invalid_request_error (param + code say what)
    │   └── UserError                   400 image_generation_user_error (policy, bad images)
    ├── AuthenticationError             401 (invalid_api_key)
    ├── PermissionDeniedError           403 (e.g. a tampered signed URL)
    ├── NotFoundError                   404 (unknown route, model_not_found)
    ├── GoneError                       410 (an expired signed URL)
    ├── PayloadTooLargeError            413
    ├── RateLimitError                  429 (rate_limit_exceeded, insufficient_quota)
    ├── RequestCancelledError           499 (the work was stopped: client gone, job cancelled)
    ├── BadGatewayError                 502 (an upstream image service answered unusably)
    ├── ServiceUnavailableError         503 (storage, database or every upstream backend down)
    └── ConfigurationError              500 (the operator's configuration is wrong)

Services raise these; the HTTP layer turns them into
`{"error": {"message", "type", "param", "code"}}` with the matching status, so the official
SDK raises BadRequestError, AuthenticationError, NotFoundError, RateLimitError, ...
"""

from __future__ import annotations

from typing import Any


class ImagegateError(Exception):
    """Base error: an HTTP status and OpenAI's error fields."""

    status_code = 500
    error_type = "server_error"

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
        error_type: str | None = None,
    ) -> None:
        super().__init__(message)
        if error_type:
            self.error_type = error_type
        self.message = message
        self.param = param
        self.code = code
        self.headers = headers or {}
        self.extra = extra or {}

    def to_body(self) -> dict[str, Any]:
        """The error envelope, all four keys always present."""
        error = {"message": self.message, "type": self.error_type, "param": self.param, "code": self.code}
        error.update(self.extra)
        return {"error": error}


class InvalidRequestError(ImagegateError):
    status_code = 400
    error_type = "invalid_request_error"


class UserError(InvalidRequestError):
    error_type = "image_generation_user_error"


class AuthenticationError(ImagegateError):
    status_code = 401
    error_type = "invalid_request_error"


class PermissionDeniedError(ImagegateError):
    status_code = 403
    error_type = "invalid_request_error"


class NotFoundError(ImagegateError):
    status_code = 404
    error_type = "invalid_request_error"


class GoneError(ImagegateError):
    status_code = 410
    error_type = "invalid_request_error"


class PayloadTooLargeError(ImagegateError):
    status_code = 413
    error_type = "invalid_request_error"


class RateLimitError(ImagegateError):
    status_code = 429
    error_type = "requests"


class RequestCancelledError(ImagegateError):
    """The work was stopped before it finished (the client left, the job was cancelled); 499 as
    proxies log a request whose client closed the connection."""

    status_code = 499
    error_type = "invalid_request_error"


class BadGatewayError(ImagegateError):
    """An upstream image service answered something this server cannot pass on (its own
    credentials refused, a malformed answer)."""

    status_code = 502
    error_type = "server_error"


class ServiceUnavailableError(ImagegateError):
    """A dependency (storage, database, a provider) failed; the client may retry later."""

    status_code = 503
    error_type = "server_error"


class ConfigurationError(ImagegateError):
    status_code = 500
    error_type = "server_error"


def invalid_value(param: str, value: Any, allowed: list[str] | None = None) -> InvalidRequestError:
    """OpenAI's `Invalid value: 'x'. Supported values are: 'a', 'b', and 'c'.` error."""
    message = f"Invalid value: {value!r}."
    if allowed:
        quoted = [f"'{a}'" for a in allowed]
        listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f", and {quoted[-1]}"
        message += f" Supported values are: {listed}."
    return InvalidRequestError(message, param=param, code="invalid_value")
