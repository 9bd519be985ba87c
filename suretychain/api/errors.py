"""The one place a ``SuretyError`` becomes an HTTP answer.

Every error body is ``{"error": {"codespace", "code", "message"}}`` and keeps the chain's own codespace and code.
Status 400 by default; 404 when the thing asked for does not exist (height, tx, query route); 503 when the mempool
is full. Errors of the HTTP layer itself (a malformed request, an unknown URL) use the codespace ``api`` with the
HTTP status as the code.
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from suretychain.core.errors import (
    ErrInternal,
    ErrMempoolFull,
    ErrorDef,
    SuretyError,
    is_not_found,
)

API_CODESPACE = "api"

UNAVAILABLE_ERRORS: tuple[ErrorDef, ...] = (ErrMempoolFull,)

log = logging.getLogger(__name__)


def compute_http_status(err: SuretyError) -> int:
    """The HTTP status of a coded chain error."""
    if is_not_found(err.codespace, err.code):
        return 404
    if any(kind.is_(err) for kind in UNAVAILABLE_ERRORS):
        return 503
    return 400


def error_body(codespace: str, code: int, message: str) -> dict[str, Any]:
    """The JSON body of every error answer."""
    return {"error": {"codespace": codespace, "code": code, "message": message}}


def error_response(err: SuretyError) -> JSONResponse:
    """A coded chain error as an HTTP answer."""
    return JSONResponse(error_body(err.codespace, err.code, err.log), status_code=compute_http_status(err))


def raise_for_code(codespace: str, code: int, log_text: str) -> None:
    """Raise the chain's error for a non-zero result code (a rejected tx, a failed query)."""
    if code != 0:
        raise SuretyError(codespace, code, log_text)


def describe_validation_error(exc: RequestValidationError) -> str:
    """FastAPI's validation errors as one line: ``query.limit: Input should be ...; body.tx: Field required``."""
    parts = []
    for item in exc.errors():
        location = ".".join(str(part) for part in item.get("loc", ()))
        parts.append(f"{location}: {item.get('msg', 'invalid')}" if location else str(item.get("msg", "invalid")))
    return "; ".join(parts) or "invalid request"


async def handle_surety_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SuretyError)
    return error_response(exc)


async def handle_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(error_body(API_CODESPACE, 400, describe_validation_error(exc)), status_code=400)


async def handle_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return JSONResponse(error_body(API_CODESPACE, exc.status_code, str(exc.detail)), status_code=exc.status_code,
                        headers=getattr(exc, "headers", None))


async def handle_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error serving %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(error_body(ErrInternal.codespace, ErrInternal.code, ErrInternal.message), status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers above on ``app``."""
    app.add_exception_handler(SuretyError, handle_surety_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_error)
    app.add_exception_handler(Exception, handle_unexpected_error)
