"""``create_api(backend)``: the FastAPI app serving a ``NodeBackend``; it only wires routers, errors and metrics."""
from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from suretychain.api.errors import install_error_handlers
from suretychain.api.routers import (
    accounts,
    bank,
    blocks,
    court,
    devnet,
    distribution,
    insurance,
    metrics,
    query,
    slashing,
    staking,
    status,
    stream,
    txs,
    web,
)
from suretychain.api.telemetry import ApiMetrics, RequestCounter
from suretychain.node.backend import NodeBackend
from suretychain.web import STATIC_DIR

KEEPALIVE_S = 15.0
ROUTERS = (status.router, blocks.router, txs.router, accounts.router, bank.router, staking.router, slashing.router,
           distribution.router, insurance.router, court.router, query.router, stream.router, metrics.router,
           devnet.router, web.router)


def create_api(backend: NodeBackend, *, keepalive_s: float = KEEPALIVE_S) -> FastAPI:
    """The HTTP API over ``backend`` (contract: ``docs/api.md``)."""
    app = FastAPI(title="Surety API", version="1", description="HTTP API of a Surety node (see docs/api.md).")
    app.state.backend = backend
    app.state.metrics = ApiMetrics()
    app.state.keepalive_s = keepalive_s
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(RequestCounter, metrics=app.state.metrics)
    return app
