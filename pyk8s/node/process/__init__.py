"""The `process` runtime: containers as host process groups, for machines where the oci
runtime cannot run (no root, or no crun). See `runtime.py` for what is and is not
isolated, `shim.py` for the per-container shim and the filesystem view, `commands.py` for
how images map to host programs."""

from pyk8s.node.process.runtime import ProcessRuntime
from pyk8s.node.process.sandbox import DirectorySandbox, DirectorySandboxes

__all__ = ["DirectorySandbox", "DirectorySandboxes", "ProcessRuntime"]
