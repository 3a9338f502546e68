"""Types of storage.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    QUANTITY,
    TIME,
    boolean,
    int64,
    integer,
    list_of,
    map_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta
from pyk8s.kinds.core import types as core

P = "io.k8s.api.storage.v1."

TokenRequest = struct(
    P + "TokenRequest",
    "A service account token the kubelet should hand to a CSI driver when mounting.",
    required=("audience",),
    audience=string("The audience the token is issued for."),
    expirationSeconds=int64("How long the token is valid, in seconds; defaults as for a TokenRequest."),
)

CSIDriverSpec = struct(
    P + "CSIDriverSpec",
    "How Kubernetes should work with a CSI driver.",
    attachRequired=boolean(
        "Whether volumes must be attached before mounting, via VolumeAttachments. Defaults to true."
    ),
    fsGroupPolicy=string(
        "How the pod's fsGroup applies to volume ownership: None, File or ReadWriteOnceWithFSType (default)."
    ),
    nodeAllocatableUpdatePeriodSeconds=int64(
        "How often, in seconds, the CSINode volume limit of this driver is refreshed; unset means never."
    ),
    podInfoOnMount=boolean(
        "Whether the kubelet passes the pod's name, namespace and UID when mounting. Defaults to false."
    ),
    preventPodSchedulingIfMissing=boolean(
        "Whether pods using the driver are kept off nodes where the driver is not registered."
    ),
    requiresRepublish=boolean(
        "Whether the kubelet calls NodePublishVolume again periodically, to refresh mounts."
    ),
    seLinuxMount=boolean(
        "Whether the driver can mount volumes with the -o context option, for fast SELinux labelling."
    ),
    serviceAccountTokenInSecrets=boolean(
        "Whether service account tokens go in the secrets of the mount request instead of the volume context."
    ),
    storageCapacity=boolean(
        "Whether the scheduler checks CSIStorageCapacity objects before placing pods. Defaults to false."
    ),
    tokenRequests=list_of(TokenRequest, "Service account tokens the kubelet passes to the driver on mount."),
    volumeLifecycleModes=list_of(
        string(),
        "Volume kinds the driver supports: Persistent, Ephemeral or both. Defaults to Persistent.",
        list_type="set",
    ),
)

CSIDriver = struct(
    P + "CSIDriver",
    "Describes a CSI volume driver installed in the cluster; its name is the driver's name.",
    required=("spec",),
    gvk=("storage.k8s.io", "v1", "CSIDriver"),
    apiVersion=string("Group and version of this object's schema."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, labels and other standard object metadata."),
    spec=ref(CSIDriverSpec, "The driver's capabilities and requirements."),
)

CSIDriverList = struct(
    P + "CSIDriverList",
    "A list of CSIDrivers.",
    required=("items",),
    gvk=("storage.k8s.io", "v1", "CSIDriverList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(CSIDriver, "The CSIDrivers."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)

VolumeNodeResources = struct(
    P + "VolumeNodeResources",
    "Limits on the volumes a driver can handle on one node.",
    count=integer("Most volumes of this driver the node can use at once; unset means no limit."),
)

CSINodeDriver = struct(
    P + "CSINodeDriver",
    "A CSI driver registered on a node.",
    required=("name", "nodeID"),
    allocatable=ref(VolumeNodeResources, "How many volumes of this driver the node can take."),
    name=string("Name of the driver, as in its CSIDriver object."),
    nodeID=string("The node's identity as the driver knows it, used when attaching volumes."),
    topologyKeys=list_of(
        string(), "Node label keys the driver uses to express topology, such as a zone key."
    ),
)

CSINodeSpec = struct(
    P + "CSINodeSpec",
    "The CSI drivers found on a node.",
    required=("drivers",),
    drivers=list_of(
        CSINodeDriver,
        "Drivers registered on the node; empty when none are.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge",
        merge_key="name",
    ),
)

CSINode = struct(
    P + "CSINode",
    "The CSI drivers installed on one node; it shares the node's name.",
    required=("spec",),
    gvk=("storage.k8s.io", "v1", "CSINode"),
    apiVersion=string("Group and version of this object's schema."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(
        meta.OBJECT_META, "Name, labels and other standard object metadata; the name is the node's."
    ),
    spec=ref(CSINodeSpec, "The drivers on the node."),
)

CSINodeList = struct(
    P + "CSINodeList",
    "A list of CSINodes.",
    required=("items",),
    gvk=("storage.k8s.io", "v1", "CSINodeList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(CSINode, "The CSINodes."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)

CSIStorageCapacity = struct(
    P + "CSIStorageCapacity",
    "Storage a class can still provide in one topology segment, published for the scheduler.",
    required=("storageClassName",),
    gvk=("storage.k8s.io", "v1", "CSIStorageCapacity"),
    apiVersion=string("Group and version of this object's schema."),
    capacity=ref(QUANTITY, "Space available for new volumes; unset means unknown, zero means none."),
    kind=string("The type of this object, in CamelCase."),
    maximumVolumeSize=ref(
        QUANTITY, "Largest single volume that can be created; unset means no limit beyond capacity."
    ),
    metadata=ref(meta.OBJECT_META, "Name, namespace, labels and other standard object metadata."),
    nodeTopology=ref(meta.LABEL_SELECTOR, "The nodes that can reach this storage; unset means none."),
    storageClassName=string("The StorageClass the capacity is for; cannot be changed."),
)

CSIStorageCapacityList = struct(
    P + "CSIStorageCapacityList",
    "A list of CSIStorageCapacities.",
    required=("items",),
    gvk=("storage.k8s.io", "v1", "CSIStorageCapacityList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(CSIStorageCapacity, "The CSIStorageCapacities."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)

StorageClass = struct(
    P + "StorageClass",
    "A class of storage that volumes can be provisioned dynamically from.",
    required=("provisioner",),
    gvk=("storage.k8s.io", "v1", "StorageClass"),
    allowVolumeExpansion=boolean("Whether claims of this class may be resized to a larger size."),
    allowedTopologies=list_of(
        core.TopologySelectorTerm, "Where volumes may be provisioned; empty allows any topology."
    ),
    apiVersion=string("Group and version of this object's schema."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, labels and other standard object metadata."),
    mountOptions=list_of(string(), "Mount options for the class's volumes, such as ro; not validated."),
    parameters=map_of(string(), "Settings passed to the provisioner; their meaning depends on it."),
    provisioner=string("Name of the volume plugin or CSI driver that creates the volumes; cannot change."),
    reclaimPolicy=string(
        "What happens to a volume when its claim goes: Delete or Retain. Defaults to Delete."
    ),
    volumeBindingMode=string(
        "When volumes are provisioned and bound: Immediate, or WaitForFirstConsumer. Defaults to Immediate."
    ),
)

StorageClassList = struct(
    P + "StorageClassList",
    "A list of StorageClasses.",
    required=("items",),
    gvk=("storage.k8s.io", "v1", "StorageClassList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(StorageClass, "The StorageClasses."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)

VolumeAttachmentSource = struct(
    P + "VolumeAttachmentSource",
    "The volume to attach: a PersistentVolume by name, or an inline volume; exactly one.",
    inlineVolumeSpec=ref(
        core.PersistentVolumeSpec, "An inline pod volume translated for a CSI driver, during CSI migration."
    ),
    persistentVolumeName=string("Name of the PersistentVolume to attach."),
)

VolumeAttachmentSpec = struct(
    P + "VolumeAttachmentSpec",
    "Which volume to attach, to which node, by which driver.",
    required=("attacher", "source", "nodeName"),
    attacher=string("Name of the driver that does the attaching, as its CSI name."),
    nodeName=string("The node the volume is attached to."),
    source=ref(VolumeAttachmentSource, "The volume to attach."),
)

VolumeError = struct(
    P + "VolumeError",
    "An error from attaching or detaching a volume.",
    errorCode=integer("A numeric code for the error, such as a gRPC status code, when known."),
    message=string("A description of the failure, safe to write to logs."),
    time=ref(TIME, "When the error happened."),
)

VolumeAttachmentStatus = struct(
    P + "VolumeAttachmentStatus",
    "The state of an attachment, written by the attacher.",
    required=("attached",),
    attachError=ref(VolumeError, "The last error while attaching, if any; cleared on success."),
    attached=boolean("Whether the volume is attached and ready to use."),
    attachmentMetadata=map_of(string(), "Data the attacher returns, passed on to later mount calls."),
    detachError=ref(VolumeError, "The last error while detaching, if any; cleared on success."),
)

VolumeAttachment = struct(
    P + "VolumeAttachment",
    "A request to attach a volume to a node, or to detach it; cluster-scoped.",
    required=("spec",),
    gvk=("storage.k8s.io", "v1", "VolumeAttachment"),
    apiVersion=string("Group and version of this object's schema."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, labels and other standard object metadata."),
    spec=ref(VolumeAttachmentSpec, "The attachment wanted; set by the system."),
    status=ref(VolumeAttachmentStatus, "Whether the attachment succeeded; set by the attacher."),
)

VolumeAttachmentList = struct(
    P + "VolumeAttachmentList",
    "A list of VolumeAttachments.",
    required=("items",),
    gvk=("storage.k8s.io", "v1", "VolumeAttachmentList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(VolumeAttachment, "The VolumeAttachments."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)

VolumeAttributesClass = struct(
    P + "VolumeAttributesClass",
    "A named set of mutable volume settings, such as performance levels, for a CSI driver.",
    required=("driverName",),
    gvk=("storage.k8s.io", "v1", "VolumeAttributesClass"),
    apiVersion=string("Group and version of this object's schema."),
    driverName=string("Name of the CSI driver the class is for; cannot change."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, labels and other standard object metadata."),
    parameters=map_of(string(), "Driver-specific settings applied to volumes of the class; cannot change."),
)

VolumeAttributesClassList = struct(
    P + "VolumeAttributesClassList",
    "A list of VolumeAttributesClasses.",
    required=("items",),
    gvk=("storage.k8s.io", "v1", "VolumeAttributesClassList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(VolumeAttributesClass, "The VolumeAttributesClasses."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)
