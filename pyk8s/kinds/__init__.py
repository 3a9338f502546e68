"""The built-in API: one module per kind with its ResourceInfo, strategy, validation and columns."""
