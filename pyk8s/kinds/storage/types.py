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
    string,
    struct,
)
from pyk8s.kinds import meta
from pyk8s.kinds.core import types as core

P = "io.k8s.api.storage.v1."

TokenRequest = struct(
    P + "TokenRequest",
    "",
    required=("audience",),
    audience=string(),
    expirationSeconds=int64(),
)

CSIDriverSpec = struct(
    P + "CSIDriverSpec",
    "",
    attachRequired=boolean(),
    fsGroupPolicy=string(),
    nodeAllocatableUpdatePeriodSeconds=int64(),
    podInfoOnMount=boolean(),
    preventPodSchedulingIfMissing=boolean(),
    requiresRepublish=boolean(),
    seLinuxMount=boolean(),
    serviceAccountTokenInSecrets=boolean(),
    storageCapacity=boolean(),
    tokenRequests=list_of(TokenRequest, ""),
    volumeLifecycleModes=list_of(string(), "", list_type="set"),
)

CSIDriver = struct(
    P + "CSIDriver",
    "",
    required=("spec",),
    gvk=("storage.k8s.io", "v1", "CSIDriver"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=CSIDriverSpec,
)

CSIDriverList = struct(
    P + "CSIDriverList",
    "",
    required=("items",),
    gvk=("storage.k8s.io", "v1", "CSIDriverList"),
    apiVersion=string(),
    items=list_of(CSIDriver, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

VolumeNodeResources = struct(
    P + "VolumeNodeResources",
    "",
    count=integer(),
)

CSINodeDriver = struct(
    P + "CSINodeDriver",
    "",
    required=("name", "nodeID"),
    allocatable=VolumeNodeResources,
    name=string(),
    nodeID=string(),
    topologyKeys=list_of(string(), ""),
)

CSINodeSpec = struct(
    P + "CSINodeSpec",
    "",
    required=("drivers",),
    drivers=list_of(
        CSINodeDriver, "", list_type="map", map_keys=("name",), patch_strategy="merge", merge_key="name"
    ),
)

CSINode = struct(
    P + "CSINode",
    "",
    required=("spec",),
    gvk=("storage.k8s.io", "v1", "CSINode"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=CSINodeSpec,
)

CSINodeList = struct(
    P + "CSINodeList",
    "",
    required=("items",),
    gvk=("storage.k8s.io", "v1", "CSINodeList"),
    apiVersion=string(),
    items=list_of(CSINode, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

CSIStorageCapacity = struct(
    P + "CSIStorageCapacity",
    "",
    required=("storageClassName",),
    gvk=("storage.k8s.io", "v1", "CSIStorageCapacity"),
    apiVersion=string(),
    capacity=QUANTITY,
    kind=string(),
    maximumVolumeSize=QUANTITY,
    metadata=meta.OBJECT_META,
    nodeTopology=meta.LABEL_SELECTOR,
    storageClassName=string(),
)

CSIStorageCapacityList = struct(
    P + "CSIStorageCapacityList",
    "",
    required=("items",),
    gvk=("storage.k8s.io", "v1", "CSIStorageCapacityList"),
    apiVersion=string(),
    items=list_of(CSIStorageCapacity, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

StorageClass = struct(
    P + "StorageClass",
    "",
    required=("provisioner",),
    gvk=("storage.k8s.io", "v1", "StorageClass"),
    allowVolumeExpansion=boolean(),
    allowedTopologies=list_of(core.TopologySelectorTerm, ""),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    mountOptions=list_of(string(), ""),
    parameters=map_of(string(), ""),
    provisioner=string(),
    reclaimPolicy=string(),
    volumeBindingMode=string(),
)

StorageClassList = struct(
    P + "StorageClassList",
    "",
    required=("items",),
    gvk=("storage.k8s.io", "v1", "StorageClassList"),
    apiVersion=string(),
    items=list_of(StorageClass, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

VolumeAttachmentSource = struct(
    P + "VolumeAttachmentSource",
    "",
    inlineVolumeSpec=core.PersistentVolumeSpec,
    persistentVolumeName=string(),
)

VolumeAttachmentSpec = struct(
    P + "VolumeAttachmentSpec",
    "",
    required=("attacher", "source", "nodeName"),
    attacher=string(),
    nodeName=string(),
    source=VolumeAttachmentSource,
)

VolumeError = struct(
    P + "VolumeError",
    "",
    errorCode=integer(),
    message=string(),
    time=TIME,
)

VolumeAttachmentStatus = struct(
    P + "VolumeAttachmentStatus",
    "",
    required=("attached",),
    attachError=VolumeError,
    attached=boolean(),
    attachmentMetadata=map_of(string(), ""),
    detachError=VolumeError,
)

VolumeAttachment = struct(
    P + "VolumeAttachment",
    "",
    required=("spec",),
    gvk=("storage.k8s.io", "v1", "VolumeAttachment"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=VolumeAttachmentSpec,
    status=VolumeAttachmentStatus,
)

VolumeAttachmentList = struct(
    P + "VolumeAttachmentList",
    "",
    required=("items",),
    gvk=("storage.k8s.io", "v1", "VolumeAttachmentList"),
    apiVersion=string(),
    items=list_of(VolumeAttachment, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

VolumeAttributesClass = struct(
    P + "VolumeAttributesClass",
    "",
    required=("driverName",),
    gvk=("storage.k8s.io", "v1", "VolumeAttributesClass"),
    apiVersion=string(),
    driverName=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    parameters=map_of(string(), ""),
)

VolumeAttributesClassList = struct(
    P + "VolumeAttributesClassList",
    "",
    required=("items",),
    gvk=("storage.k8s.io", "v1", "VolumeAttributesClassList"),
    apiVersion=string(),
    items=list_of(VolumeAttributesClass, ""),
    kind=string(),
    metadata=meta.LIST_META,
)
