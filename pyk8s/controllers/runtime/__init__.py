"""The controller runtime: what every controller in pyk8s is built from.

    informer events ──► handlers (enqueue keys only) ──► WorkQueue ──► N workers
                                                                        │
                          Controller: retry policy in one place ◄── reconcile(key) -> Result

- `WorkQueue`: deduplicating, fair, never hands one key to two workers, delayed and
  rate-limited adds, shutdown that drains (`workqueue.py`, `ratelimiter.py`).
- `Controller` + `Reconciler`/`Result`/`TerminalError`: the reconcile loop (`controller.py`,
  `reconciler.py`); handlers that enqueue objects or their owners (`handlers.py`).
- `ControllerContext`: client, shared informers, event broadcaster, clock, options
  (`context.py`); `ControllerDescriptor`/`ControllerRegistry`: controllers by name for the
  manager and `--controllers` (`registry.py`).
- Shared controller machinery: `ControllerExpectations` (`expectations.py`), owner
  references and adoption (`ownership.py`), pod predicates and deletion ranking
  (`pods.py`), pod creation and deletion with events (`podcontrol.py`).

Everything here reaches the cluster through `pyk8s.client` only.
"""

from pyk8s.controllers.runtime.context import DEFAULT_WORKERS, ControllerContext, ControllerOptions
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.expectations import (
    ControllerExpectations,
    UIDTrackingControllerExpectations,
)
from pyk8s.controllers.runtime.handlers import EnqueueMapped, EnqueueObject, EnqueueOwner, unwrap
from pyk8s.controllers.runtime.ownership import (
    ControllerRefManager,
    controller_ref,
    is_controlled_by,
    new_controller_ref,
)
from pyk8s.controllers.runtime.ratelimiter import (
    BucketRateLimiter,
    ItemExponentialFailureRateLimiter,
    MaxOfRateLimiter,
    RateLimiter,
    default_controller_rate_limiter,
)
from pyk8s.controllers.runtime.reconciler import Reconciler, Result, TerminalError
from pyk8s.controllers.runtime.registry import (
    ControllerDescriptor,
    ControllerRegistry,
    Runnable,
    UnknownControllerError,
)
from pyk8s.controllers.runtime.workqueue import ShutDownError, WorkQueue

__all__ = [
    "DEFAULT_WORKERS",
    "BucketRateLimiter",
    "Controller",
    "ControllerContext",
    "ControllerDescriptor",
    "ControllerExpectations",
    "ControllerOptions",
    "ControllerRefManager",
    "ControllerRegistry",
    "EnqueueMapped",
    "EnqueueObject",
    "EnqueueOwner",
    "ItemExponentialFailureRateLimiter",
    "MaxOfRateLimiter",
    "RateLimiter",
    "Reconciler",
    "Result",
    "Runnable",
    "ShutDownError",
    "TerminalError",
    "UIDTrackingControllerExpectations",
    "UnknownControllerError",
    "WorkQueue",
    "controller_ref",
    "default_controller_rate_limiter",
    "is_controlled_by",
    "new_controller_ref",
    "unwrap",
]
