"""`python -m pyk8s.network.policy`: NetworkPolicy enforcement, with the flags of `pyk8s network-policy`."""

from __future__ import annotations

import sys

from pyk8s._aio.component import component_main
from pyk8s.network.policy.options import add_policy_flags, policy_config
from pyk8s.network.policy.run import run_policy


def main(argv: list[str] | None = None) -> int:
    return component_main(
        argv,
        prog="python -m pyk8s.network.policy",
        description="Enforce NetworkPolicies on one node.",
        add_flags=add_policy_flags,
        to_config=policy_config,
        run=run_policy,
    )


if __name__ == "__main__":
    sys.exit(main())
