"""Controllers: `runtime/` (work queue, Reconciler, manager) and one module per controller."""
