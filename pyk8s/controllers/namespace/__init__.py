"""The namespace controller: a deleted namespace's content is deleted, its conditions say
how that goes, and its `kubernetes` finalizer is removed once it is empty.

`conditions.py` holds the pure condition logic; `controller.py` the deletion passes.
"""

from pyk8s.controllers.namespace.controller import NamespaceReconciler, new_namespace_controller
from pyk8s.controllers.runtime.registry import ControllerDescriptor

NAMESPACE_CONTROLLER = ControllerDescriptor(
    "namespace",
    new_namespace_controller,
    aliases=("namespace-controller",),
    description="deletes the content of deleted namespaces, then finalizes them",
)

__all__ = ["NAMESPACE_CONTROLLER", "NamespaceReconciler", "new_namespace_controller"]
