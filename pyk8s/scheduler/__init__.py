"""The scheduler: framework, queue, cache with assumed pods, one module per plugin."""
