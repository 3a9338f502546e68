"""The apps API group."""
