"""A Streamlit session without a browser: the app's websocket, spoken as the browser speaks it.

``WebsocketSession(port).load("links")`` opens ``/_stcore/stream``, asks for the page with a
``rerun_script`` BackMsg (the page's URL path and its query string) and reads ForwardMsgs until the
run's ``script_finished``; it returns the seconds taken and the page's headings. ``start`` asks for a
page and keeps the session open (reading what it is sent) until ``close``. Used by the serving tests
and ``scripts/load-test.py``: it measures the server alone, with no browser on the same cores.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


class WebsocketSession:
    def __init__(self, port: int):
        self.port = port
        self.socket = None
        self.reader: asyncio.Task | None = None
        self.headings: list[str] = []

    @classmethod
    async def open(cls, port: int) -> WebsocketSession:
        return cls(port)

    async def _connect(self, path: str):
        page, _, query = path.partition("?")
        socket = await websockets.connect(f"ws://127.0.0.1:{self.port}/_stcore/stream", subprotocols=["streamlit"],
                                          max_size=None)
        message = BackMsg()
        message.rerun_script.page_name = page
        message.rerun_script.query_string = query
        await socket.send(message.SerializeToString())
        return socket

    async def _read_run(self, socket) -> None:
        self.headings = []
        while True:
            message = ForwardMsg()
            message.ParseFromString(await socket.recv())
            kind = message.WhichOneof("type")
            if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                if element.WhichOneof("type") == "heading":
                    self.headings.append(element.heading.body)
            elif kind == "script_finished":
                return

    async def load(self, path: str) -> float:
        """Seconds from opening the session to the end of the page's run (a fresh page load)."""
        started = time.monotonic()
        socket = await self._connect(path)
        try:
            await self._read_run(socket)
        finally:
            await socket.close()
        return time.monotonic() - started

    async def stay(self, path: str) -> float:
        """Like :meth:`load`, but the session stays open afterwards (a person reading the page)."""
        started = time.monotonic()
        self.socket = await self._connect(path)
        await self._read_run(self.socket)
        return time.monotonic() - started

    async def start(self, path: str) -> None:
        """Ask for ``path`` and stay, without waiting for the run to end (a page that computes)."""
        self.socket = await self._connect(path)

        async def drain() -> None:  # read what the page sends while it waits, as a browser would
            with contextlib.suppress(websockets.ConnectionClosed):
                async for _ in self.socket:
                    pass

        self.reader = asyncio.create_task(drain())

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
            if self.reader is not None:
                await self.reader
            self.socket = self.reader = None
