"""The authentication API group."""
