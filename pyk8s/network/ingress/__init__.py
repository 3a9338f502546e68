"""The Ingress controller (`pyk8s ingress`): an asyncio L7 HTTP(S) proxy for the `pyk8s`
IngressClass (controller `pyk8s.io/ingress`), routing by host and path to Service endpoints
read from EndpointSlices, with TLS from Secrets chosen by SNI.

    config = IngressConfig(kubeconfig="~/.pyk8s/kubeconfig", upstream_netns="pyk8s-node-host")
    await run_ingress(config, stop)
"""

from pyk8s.network.ingress.config import IngressConfig
from pyk8s.network.ingress.controller import IngressController
from pyk8s.network.ingress.run import run_ingress

__all__ = ["IngressConfig", "IngressController", "run_ingress"]
