"""The CronJob controller: Jobs created on a schedule.

`schedule.py` holds the missed-activation arithmetic, `jobs.py` the Jobs of a CronJob
(template, history limits, `status.active`), both pure; `controller.py` the reconciler.
The cron syntax itself is `pyk8s.api.cron`, shared with CronJob validation.
"""

from pyk8s.controllers.cronjob.controller import CronJobReconciler, new_controller
from pyk8s.controllers.runtime.registry import ControllerDescriptor

CRONJOB_CONTROLLER = ControllerDescriptor(
    "cronjob",
    new_controller,
    aliases=("cronjob-controller",),
    description="creates the Jobs of each CronJob on its schedule",
)

__all__ = ["CRONJOB_CONTROLLER", "CronJobReconciler", "new_controller"]
