"""The service proxy: one node's Services as nftables rules in the node's network namespace.

    config = ProxyConfig(kubeconfig=path, node_name="node-a")   # namespace pyk8s-node-node-a
    await run_proxy(config, stop)                               # until stop is set

`model.py` turns Services and EndpointSlices into plain data, `ruleset.py` renders it as
`nft` commands (full and incremental transactions), `nft.py` runs them in the namespace,
`proxier.py` watches the cluster and decides when to sync.
"""

from pyk8s.network.proxy.config import ProxyConfig, ProxyConfigError
from pyk8s.network.proxy.proxier import Proxier, SyncRecord
from pyk8s.network.proxy.run import run_proxy

__all__ = ["Proxier", "ProxyConfig", "ProxyConfigError", "SyncRecord", "run_proxy"]
