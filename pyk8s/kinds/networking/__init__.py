"""The networking API group."""
