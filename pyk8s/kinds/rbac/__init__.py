"""The rbac API group."""
