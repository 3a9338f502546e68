"""The storage API group."""
