"""Live new-block messages: ``GET /stream`` (server-sent events) and ``WS /ws``.

Both subscribe to ``backend.subscribe()`` and unsubscribe when the client goes away. The SSE stream starts with a
``: subscribed`` comment (sent once the subscription exists, so a client that waits for it misses no block) and
sends a ``: keepalive`` comment whenever no block came for ``app.state.keepalive_s`` seconds.
"""
from __future__ import annotations

import asyncio
import json
from typing import Any, AsyncIterator

from fastapi import APIRouter, Depends, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import StreamingResponse

from suretychain.api.deps import get_backend
from suretychain.node.backend import NodeBackend

router = APIRouter(tags=["stream"])

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


@router.get("/stream", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}},
                             "description": "one `data: <json>` event per new block (see docs/api.md)"}})
async def stream_blocks(request: Request, backend: NodeBackend = Depends(get_backend)) -> StreamingResponse:
    """Server-sent events: one ``new_block`` JSON message per committed block."""
    events = compute_sse_events(backend, request.app.state.keepalive_s)
    return StreamingResponse(events, media_type="text/event-stream", headers=SSE_HEADERS)


@router.websocket("/ws")
async def websocket_blocks(websocket: WebSocket, backend: NodeBackend = Depends(get_backend)) -> None:
    """WebSocket: one ``new_block`` JSON text message per committed block; messages from the client are ignored."""
    await websocket.accept()
    queue = backend.subscribe()
    closed = asyncio.ensure_future(wait_for_disconnect(websocket))
    try:
        while True:
            message = asyncio.ensure_future(queue.get())
            await asyncio.wait({message, closed}, return_when=asyncio.FIRST_COMPLETED)
            if closed.done():
                message.cancel()
                break
            await websocket.send_text(format_message(message.result()))
    except WebSocketDisconnect:
        pass
    finally:
        closed.cancel()
        backend.unsubscribe(queue)


async def compute_sse_events(backend: NodeBackend, keepalive_s: float) -> AsyncIterator[str]:
    """The SSE text of the block stream, subscribed for as long as the response runs."""
    queue = backend.subscribe()
    try:
        yield ": subscribed\n\n"
        while True:
            try:
                message = await asyncio.wait_for(queue.get(), keepalive_s)
            except asyncio.TimeoutError:
                yield ": keepalive\n\n"
                continue
            yield f"data: {format_message(message)}\n\n"
    finally:
        backend.unsubscribe(queue)


async def wait_for_disconnect(websocket: WebSocket) -> None:
    """Read (and drop) client messages until the client disconnects."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return


def format_message(message: dict[str, Any]) -> str:
    """One stream message as compact JSON."""
    return json.dumps(message, separators=(",", ":"))
