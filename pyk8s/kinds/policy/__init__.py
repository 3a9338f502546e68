"""The policy API group."""
