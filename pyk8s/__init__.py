"""pyk8s: Kubernetes, written in Python.

The public surface is re-exported here; everything else may move between releases.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
