"""The authorization API group."""
