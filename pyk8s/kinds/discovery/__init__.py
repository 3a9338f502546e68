"""The discovery API group."""
