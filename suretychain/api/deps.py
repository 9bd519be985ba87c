"""Shared dependencies: the node backend, the metrics, and the read-only chain view at a height.

The backend lives on ``app.state.backend`` (set by ``create_api``); tests may replace :func:`get_backend` through
``app.dependency_overrides``. Every dependency is ``async`` so backend calls stay on the event loop thread, as
``NodeBackend`` requires.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from fastapi import Depends, Query
from starlette.requests import HTTPConnection

from suretychain.api.errors import raise_for_code
from suretychain.api.telemetry import ApiMetrics
from suretychain.core.app import QueryResult
from suretychain.core.encoding import to_json
from suretychain.node.backend import NodeBackend


async def get_backend(connection: HTTPConnection) -> NodeBackend:
    """The node this API serves."""
    return connection.app.state.backend


async def get_metrics(connection: HTTPConnection) -> ApiMetrics:
    """This API instance's Prometheus metrics."""
    return connection.app.state.metrics


@dataclass(frozen=True)
class ChainView:
    """Reads of committed state through ``App.query`` at one height (0 = latest), with proofs if ``prove``."""

    backend: NodeBackend
    height: int = 0
    prove: bool = False

    def query_result(self, path: str, data: bytes) -> QueryResult:
        """Run ``path`` with the JSON request ``data``; raise the App's coded error if it fails."""
        result = self.backend.query(path, data, self.height, self.prove)
        raise_for_code(result.codespace, result.code, result.log)
        return result

    def query(self, path: str, **request: Any) -> Any:
        """Run ``path`` with ``request`` as its fields and return the decoded JSON value."""
        result = self.query_result(path, to_json(request))
        return msgspec.json.decode(result.value)


async def chain_view(backend: NodeBackend = Depends(get_backend),
                     height: int = Query(0, ge=0, description="block height to read at; 0 = latest")) -> ChainView:
    """The chain view at the ``height`` query parameter."""
    return ChainView(backend, height)
