"""API machinery, pure and I/O-free: object meta, GVK/GVR, Status errors, selectors, patches."""
