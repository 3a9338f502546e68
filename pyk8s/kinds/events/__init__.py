"""The events API group."""
