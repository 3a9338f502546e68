"""The `pyk8s` command."""
