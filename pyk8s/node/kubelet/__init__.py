"""The node agent's pod logic for real runtimes: what to run for each container (command,
environment, mounts, limits), pod sandboxes, restarts with back-off, probes and the pod
status the kubelet reports."""
