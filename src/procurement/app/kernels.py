"""The kernel manager behind ``procurement app``: a cap on concurrent kernels, with a clear page when it is reached.

Voilà starts one kernel (about 270 MB here) per page load. Idle kernels of
closed tabs are culled by jupyter-server's own settings
(``MappingKernelManager.cull_idle_timeout`` and friends, set by
:mod:`procurement.cli.app`); this class adds the cap: when
``max_kernels`` kernels are running, the next page load gets HTTP 503 and
Voilà's error page with one sentence saying so, instead of another kernel.
"""

from __future__ import annotations

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer

#: The message of the 503 page (bokmål and English, the page has no language setting yet).
FULL = (
    "Arbeidsbenken har for mange åpne faner ({n}). Lukk en fane eller vent noen minutter og last siden på nytt. / "
    "Too many open workbench tabs ({n}). Close one, or wait a few minutes, then reload this page."
)


class CappedKernelManager(AsyncMappingKernelManager):
    """An AsyncMappingKernelManager that refuses to start more than `max_kernels` kernels."""

    max_kernels = Integer(8, config=True, help="most kernels running at once; 0 = no limit")
    #: kernels asked for and not yet running: a kernel takes seconds to start, and page loads in that time must
    #: count it (issue 26: 16 concurrent loads against a cap of 8 started 16 kernels)
    _starting = 0

    async def start_kernel(self, *args, **kwargs):  # type: ignore[override]
        # the check and the count happen with no await between them, so concurrent page loads cannot both pass
        if self.max_kernels and len(self.list_kernel_ids()) + self._starting >= self.max_kernels:
            self.log.warning("procurement app: %d kernels running, refusing another", self.max_kernels)
            raise web.HTTPError(503, reason="Too many open workbenches", log_message=FULL.format(n=self.max_kernels))
        self._starting += 1
        try:
            return await super().start_kernel(*args, **kwargs)
        finally:
            self._starting -= 1
