"""The Job controller: pods run to completion, counted exactly once.

`state.py` computes what one sync sees and decides (pure), `sync.py` carries it out through
`JobActions`, `controller.py` wires it to informers and the API. The rules live in small
modules: `pods.py` (what a pod says), `indexes.py` (Indexed Jobs), `policy.py` (pod
failure and success policies), `backoff.py` (delays after failures), `tracking.py` (the
tracking finalizer and uncountedTerminatedPods), `conditions.py` (how a Job ends).
"""

from pyk8s.controllers.job.controller import JobController, JobReconciler, new_controller
from pyk8s.controllers.runtime.registry import ControllerDescriptor

JOB_CONTROLLER = ControllerDescriptor(
    "job",
    new_controller,
    aliases=("job-controller",),
    description="runs the pods of each Job to completion and reports its status",
)

__all__ = ["JOB_CONTROLLER", "JobController", "JobReconciler", "new_controller"]
