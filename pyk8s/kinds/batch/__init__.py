"""The batch API group."""
