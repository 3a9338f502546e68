"""Real containers: OCI runtime specs, crun, the per-container log shim, pod sandboxes
(persistent namespaces) and overlay root filesystems."""
