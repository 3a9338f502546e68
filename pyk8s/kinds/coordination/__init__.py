"""The coordination API group."""
