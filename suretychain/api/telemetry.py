"""Prometheus metrics of one API instance, in its own registry (several APIs can live in one process).

Gauges are read from the backend when ``/metrics`` is scraped; counters are bumped as requests are served.
"""
from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from suretychain.node.backend import NodeStatus

UNMATCHED_ROUTE = "unmatched"


class ApiMetrics:
    """The API's metrics and their registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.latest_height = Gauge("surety_latest_height", "Height of the latest committed block",
                                   registry=self.registry)
        self.mempool_size = Gauge("surety_mempool_size", "Txs waiting in the mempool", registry=self.registry)
        self.txs_broadcast = Counter("surety_txs_broadcast", "Txs broadcast through the API, by result",
                                     ["codespace", "code"], registry=self.registry)
        self.http_requests = Counter("surety_http_requests", "HTTP requests served, by route template and status",
                                     ["method", "route", "status"], registry=self.registry)

    def observe_status(self, status: NodeStatus) -> None:
        """Set the gauges from the node's status."""
        self.latest_height.set(status.latest_height)
        self.mempool_size.set(status.mempool_size)

    def count_broadcast(self, codespace: str, code: int) -> None:
        self.txs_broadcast.labels(codespace=codespace, code=str(code)).inc()

    def count_request(self, method: str, route: str, status: int) -> None:
        self.http_requests.labels(method=method, route=route, status=str(status)).inc()

    def render(self) -> bytes:
        """The Prometheus text exposition of this registry."""
        return generate_latest(self.registry)


def route_template(scope: Scope) -> str:
    """The matched route's path template (``/blocks/{height}``), so labels stay few."""
    route: Any = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED_ROUTE


class RequestCounter:
    """ASGI middleware counting HTTP requests by route template and status (streams are counted when they end)."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            self.metrics.count_request(scope.get("method", ""), route_template(scope), status)
