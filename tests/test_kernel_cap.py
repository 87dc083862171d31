"""The app's kernel cap holds under concurrent page loads (issue 26: 16 concurrent loads against --max-kernels 8
started 16 kernels, 50 loads 50 kernels and 8.5 GB). Voilà asks the kernel manager for a kernel per page load;
here 20 such requests arrive before any kernel has finished starting, as they do when a kernel takes seconds to
start. The starting itself is replaced by one that waits for an event, so nothing depends on timing."""

from __future__ import annotations

import asyncio
import itertools

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web

from procurement.app.kernels import CappedKernelManager


def test_twenty_concurrent_page_loads_start_at_most_four_kernels(monkeypatch):
    ids = itertools.count()

    async def scenario() -> list:
        release = asyncio.Event()

        async def slow_start(self, *args, **kwargs):
            await release.wait()  # the kernel is starting: not yet in the list
            kid = f"k{next(ids)}"
            self._kernels[kid] = object()
            return kid

        monkeypatch.setattr(AsyncMappingKernelManager, "start_kernel", slow_start)
        manager = CappedKernelManager(max_kernels=4)
        tasks = [asyncio.ensure_future(manager.start_kernel()) for _ in range(20)]
        for _ in range(100):  # every request runs up to its first await: refused at once, or waiting to start
            await asyncio.sleep(0)
        release.set()
        return await asyncio.gather(*tasks, return_exceptions=True)

    results = asyncio.run(scenario())
    started = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, web.HTTPError)]
    assert len(started) == 4 and len(refused) == 16
    assert all(r.status_code == 503 for r in refused)
