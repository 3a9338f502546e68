"""asyncio kits with no Kubernetes knowledge: clock, guarded tasks, bounded fan-out."""
