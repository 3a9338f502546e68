"""Controller runtime: work queue, rate limiters, Reconciler, controller, manager."""
