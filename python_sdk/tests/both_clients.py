"""The blocking client and framebridge.asyncio's behind one call interface, so one test body
checks both (conftest's `api` fixture is parametrised over them). The asyncio side runs each
call to completion on its own event loop, made for the test and closed after it."""

import asyncio
from typing import Any, Awaitable, List, TypeVar

import framebridge as fb
import framebridge.asyncio as fba

_T = TypeVar("_T")


class Blocking:
    name = "blocking"

    def connect(self, **kwargs: Any) -> Any:
        return fb.connect(**kwargs)

    def latest(self, client: Any, timeout: Any = None) -> fb.Frame:
        return client.latest(timeout=timeout)

    def frames(self, client: Any, count: int) -> List[int]:
        """The seqs of the first count frames of `for frame in client` (all, if it ends)."""
        seqs: List[int] = []
        for frame in client:
            seqs.append(frame.seq)
            if len(seqs) == count:
                break
        return seqs

    def results(self, client: Any, timeout: Any = None) -> List[fb.Result]:
        return list(client.results(timeout=timeout))

    def send_result(self, client: Any, frame: fb.Frame, **fields: Any) -> None:
        client.send_result(frame, **fields)

    def list_streams(self, **kwargs: Any) -> List[fb.StreamInfo]:
        return fb.list_streams(**kwargs)

    def close(self, client: Any) -> None:
        client.close()


class Async:
    name = "asyncio"

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def run(self, awaitable: Awaitable[_T]) -> _T:
        async def wrapped() -> _T:
            return await awaitable
        return self.loop.run_until_complete(wrapped())

    def connect(self, **kwargs: Any) -> Any:
        return self.run(fba.connect(**kwargs))

    def latest(self, client: Any, timeout: Any = None) -> fb.Frame:
        return self.run(client.latest(timeout=timeout))

    def frames(self, client: Any, count: int) -> List[int]:
        async def read() -> List[int]:
            seqs: List[int] = []
            async for frame in client:
                seqs.append(frame.seq)
                if len(seqs) == count:
                    break
            return seqs
        return self.run(read())

    def results(self, client: Any, timeout: Any = None) -> List[fb.Result]:
        async def read() -> List[fb.Result]:
            return [result async for result in client.results(timeout=timeout)]
        return self.run(read())

    def send_result(self, client: Any, frame: fb.Frame, **fields: Any) -> None:
        self.run(client.send_result(frame, **fields))

    def list_streams(self, **kwargs: Any) -> List[fb.StreamInfo]:
        return self.run(fba.list_streams(**kwargs))

    def close(self, client: Any) -> None:
        self.run(client.close())

    def shut(self) -> None:
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()
