"""The node agent: registration, pod workers, runtimes, images, volumes, probes, streams."""
