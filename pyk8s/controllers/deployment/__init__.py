"""The Deployment controller (kube-controller-manager's `deployment-controller`).

- `controller.py`: wiring (informers, handlers) and the reconcile flow;
- `rollout.py`: RollingUpdate, Recreate, resize and rollback paths;
- `sync.py`: the writes: claiming ReplicaSets, creating the new one, scaling, status;
- pure decisions, unit-tested without a cluster: `fenceposts.py` (maxSurge and
  maxUnavailable), `scaling.py` (rollout steps, proportional scaling), `replicasets.py`
  (new and old ReplicaSets, counts, history cleanup), `revisions.py` (revision
  annotations), `status.py` (status and conditions), `templatehash.py` (pod-template-hash).
"""

from pyk8s.controllers.deployment.controller import (
    DEPLOYMENT_CONTROLLER,
    DeploymentReconciler,
    new_deployment_controller,
)

__all__ = ["DEPLOYMENT_CONTROLLER", "DeploymentReconciler", "new_deployment_controller"]
