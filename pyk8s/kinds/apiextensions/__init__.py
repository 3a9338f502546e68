"""The apiextensions API group."""
