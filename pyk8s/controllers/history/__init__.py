"""ControllerRevision history shared by the DaemonSet and StatefulSet controllers.

`revisions` is the pure part (snapshots of a pod template, their hash, name and number,
equality, pruning); `store` reads revisions from an informer and writes them through the
client (create with name-collision handling, renumber, delete, adopt).
"""

from pyk8s.controllers.history.gojson import go_json
from pyk8s.controllers.history.revisions import (
    CONTROLLER_REVISION_HASH_LABEL,
    POD_REVISION_LABEL,
    apply_revision,
    data_bytes,
    equal_revision,
    find_equal_revisions,
    hash_revision,
    new_revision,
    next_revision,
    revision_hash,
    revision_name,
    revisions_to_prune,
    sort_revisions,
    template_patch,
)

__all__ = [
    "CONTROLLER_REVISION_HASH_LABEL",
    "POD_REVISION_LABEL",
    "apply_revision",
    "data_bytes",
    "equal_revision",
    "find_equal_revisions",
    "go_json",
    "hash_revision",
    "new_revision",
    "next_revision",
    "revision_hash",
    "revision_name",
    "revisions_to_prune",
    "sort_revisions",
    "template_patch",
]
