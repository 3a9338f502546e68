"""The certificates API group."""
