"""The node API group."""
