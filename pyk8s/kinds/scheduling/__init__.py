"""The scheduling API group."""
