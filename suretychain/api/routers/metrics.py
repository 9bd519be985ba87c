"""``GET /metrics``: Prometheus text of this API instance's registry."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST

from suretychain.api.deps import get_backend, get_metrics
from suretychain.api.telemetry import ApiMetrics
from suretychain.node.backend import NodeBackend

router = APIRouter(tags=["metrics"])


@router.get("/metrics", response_class=Response, responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}})
async def get_metrics_text(backend: NodeBackend = Depends(get_backend),
                           metrics: ApiMetrics = Depends(get_metrics)) -> Response:
    """Latest height, mempool size, txs broadcast by result code, HTTP requests by route and status."""
    metrics.observe_status(backend.status())
    return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)
