"""NetworkPolicy enforcement (`pyk8s network-policy`): per node, an `inet pyk8s-policy`
nftables table in the node host namespace, filtering forwarded traffic to and from the
node's pods as the cluster's NetworkPolicies say.

    await run_policy(PolicyConfig(kubeconfig=path, node_name="node-1"), stop)
"""

from pyk8s.network.policy.config import PolicyConfig
from pyk8s.network.policy.controller import PolicyEnforcer
from pyk8s.network.policy.run import run_policy

__all__ = ["PolicyConfig", "PolicyEnforcer", "run_policy"]
