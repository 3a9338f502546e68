"""The scheduler: assigns pending pods to nodes, in the shape of kube-scheduler's
scheduling framework (queue, cache with assumed pods, plugins, preemption, binding).

    await run_scheduler(SchedulerConfig(kubeconfig="~/.pyk8s/kubeconfig"), stop)

or `python -m pyk8s.scheduler --kubeconfig FILE`. See DESIGN.md ("Scheduler").
"""

from pyk8s.scheduler.config import Profile, SchedulerConfig
from pyk8s.scheduler.run import run_scheduler
from pyk8s.scheduler.scheduler import Scheduler

__all__ = ["Profile", "Scheduler", "SchedulerConfig", "run_scheduler"]
