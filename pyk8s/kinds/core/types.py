"""Types of core.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    INT_OR_STRING,
    MICRO_TIME,
    QUANTITY,
    TIME,
    boolean,
    byte_string,
    int64,
    integer,
    list_of,
    map_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.core.v1."

AWSElasticBlockStoreVolumeSource = struct(
    P + "AWSElasticBlockStoreVolumeSource",
    "An AWS EBS disk attached to the node and mounted into the pod (deprecated; use the EBS CSI driver).",
    required=("volumeID",),
    fsType=string("Filesystem type to mount, such as ext4, xfs or ntfs; ext4 is used when left empty."),
    partition=integer(
        "Partition number to mount, when the disk is partitioned; 0 or empty mounts the whole device."
    ),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
    volumeID=string("The EBS volume ID, for example vol-0123456789abcdef0."),
)

NodeSelectorRequirement = struct(
    P + "NodeSelectorRequirement",
    "One condition on a node label or field, made of a key, an operator and values.",
    required=("key", "operator"),
    key=string("The node label key (or field name) the condition tests."),
    operator=string("How the key is compared: In, NotIn, Exists, DoesNotExist, Gt or Lt."),
    values=list_of(
        string(), "Values to compare with: one integer for Gt and Lt, none for Exists and DoesNotExist."
    ),
)

NodeSelectorTerm = struct(
    P + "NodeSelectorTerm",
    "A group of node conditions that must all hold for a node to match.",
    struct_type="atomic",
    matchExpressions=list_of(
        NodeSelectorRequirement, "Conditions on the node's labels, all of which must be met."
    ),
    matchFields=list_of(
        NodeSelectorRequirement,
        "Conditions on the node's fields (only metadata.name is supported), all of which must be met.",
    ),
)

NodeSelector = struct(
    P + "NodeSelector",
    "A list of node selector terms, of which any one may match for the node to qualify.",
    required=("nodeSelectorTerms",),
    struct_type="atomic",
    nodeSelectorTerms=list_of(
        NodeSelectorTerm, "The alternatives; a node qualifies when it matches at least one of them."
    ),
)

PreferredSchedulingTerm = struct(
    P + "PreferredSchedulingTerm",
    "A weighted node preference that adds to a node's score when it matches.",
    required=("weight", "preference"),
    preference=ref(NodeSelectorTerm, "The node conditions that earn the weight."),
    weight=integer("Score added to matching nodes, from 1 to 100."),
)

NodeAffinity = struct(
    P + "NodeAffinity",
    "Rules that steer the pod towards nodes with particular labels or fields.",
    preferredDuringSchedulingIgnoredDuringExecution=list_of(
        PreferredSchedulingTerm,
        "Soft node preferences; nodes matching terms with the largest total weight are favoured.",
    ),
    requiredDuringSchedulingIgnoredDuringExecution=ref(
        NodeSelector,
        "Hard node constraints the pod must satisfy to be scheduled; later label changes do not evict it.",
    ),
)

PodAffinityTerm = struct(
    P + "PodAffinityTerm",
    "Picks a set of pods and a topology key, defining which topology domains count as near those pods.",
    required=("topologyKey",),
    labelSelector=ref(meta.LABEL_SELECTOR, "Selects the pods this term is about."),
    matchLabelKeys=list_of(
        string(), "Label keys whose values on the incoming pod are added to the selector as key In (value)."
    ),
    mismatchLabelKeys=list_of(
        string(),
        "Label keys whose values on the incoming pod are added to the selector as key NotIn (value).",
    ),
    namespaceSelector=ref(
        meta.LABEL_SELECTOR,
        "Selects the namespaces searched for matching pods; an empty selector means every namespace.",
    ),
    namespaces=list_of(
        string(), "Namespaces to look in besides those selected; the pod's own namespace when both are empty."
    ),
    topologyKey=string(
        "Node label that defines a domain, such as kubernetes.io/hostname or topology.kubernetes.io/zone."
    ),
)

WeightedPodAffinityTerm = struct(
    P + "WeightedPodAffinityTerm",
    "A pod affinity term paired with a weight, used for soft (preferred) rules.",
    required=("weight", "podAffinityTerm"),
    podAffinityTerm=ref(PodAffinityTerm, "The pods and topology the preference is about."),
    weight=integer("Score added to nodes that satisfy the term, from 1 to 100."),
)

PodAffinity = struct(
    P + "PodAffinity",
    "Rules that place the pod in the same topology domain as certain other pods.",
    preferredDuringSchedulingIgnoredDuringExecution=list_of(
        WeightedPodAffinityTerm,
        "Soft co-location preferences; nodes get the weights of the terms they satisfy.",
    ),
    requiredDuringSchedulingIgnoredDuringExecution=list_of(
        PodAffinityTerm, "Hard co-location rules that must all hold for the pod to be scheduled on a node."
    ),
)

PodAntiAffinity = struct(
    P + "PodAntiAffinity",
    "Rules that keep the pod out of topology domains where certain other pods run.",
    preferredDuringSchedulingIgnoredDuringExecution=list_of(
        WeightedPodAffinityTerm,
        "Soft separation preferences; nodes that would break heavily weighted terms are disfavoured.",
    ),
    requiredDuringSchedulingIgnoredDuringExecution=list_of(
        PodAffinityTerm, "Hard separation rules; the pod is not placed where any of them would be broken."
    ),
)

Affinity = struct(
    P + "Affinity",
    "Groups the pod's node affinity, pod affinity and pod anti-affinity scheduling rules.",
    nodeAffinity=ref(NodeAffinity, "Rules on which nodes the pod prefers or requires."),
    podAffinity=ref(PodAffinity, "Rules that co-locate the pod with other pods."),
    podAntiAffinity=ref(PodAntiAffinity, "Rules that keep the pod apart from other pods."),
)

AppArmorProfile = struct(
    P + "AppArmorProfile",
    "The AppArmor profile a pod or container runs under.",
    required=("type",),
    localhostProfile=string(
        "Name of a profile already loaded on the node; required when type is Localhost, and only then."
    ),
    type=string("Which profile to use: RuntimeDefault, Localhost or Unconfined."),
)

AttachedVolume = struct(
    P + "AttachedVolume",
    "A volume the attach/detach controller has attached to a node.",
    required=("name", "devicePath"),
    devicePath=string("Where the attached device shows up on the node."),
    name=string("Name of the volume."),
)

AzureDiskVolumeSource = struct(
    P + "AzureDiskVolumeSource",
    "An Azure data disk mounted into the pod (deprecated in favour of the Azure Disk CSI driver).",
    required=("diskName", "diskURI"),
    cachingMode=string("Host caching mode for the disk: None, ReadOnly or ReadWrite."),
    diskName=string("Name of the VHD data disk in the storage account."),
    diskURI=string("URI of the VHD in the storage account."),
    fsType=string("Filesystem type to mount, such as ext4, xfs or ntfs; ext4 is used when left empty."),
    kind=string("Disk kind: Shared, Dedicated or Managed. Defaults to Shared."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
)

AzureFilePersistentVolumeSource = struct(
    P + "AzureFilePersistentVolumeSource",
    "An Azure File share used as a persistent volume (deprecated; use the Azure File CSI driver).",
    required=("secretName", "shareName"),
    readOnly=boolean("Mount the share read-only. Defaults to false."),
    secretName=string("Secret with the azurestorageaccountname and azurestorageaccountkey entries."),
    secretNamespace=string("Namespace of that secret; the pod's namespace when empty."),
    shareName=string("Name of the Azure file share."),
)

AzureFileVolumeSource = struct(
    P + "AzureFileVolumeSource",
    "An Azure File share mounted into the pod (deprecated in favour of the Azure File CSI driver).",
    required=("secretName", "shareName"),
    readOnly=boolean("Mount the share read-only. Defaults to false."),
    secretName=string("Secret, in the pod's namespace, with the storage account name and key entries."),
    shareName=string("Name of the Azure file share."),
)

ObjectReference = struct(
    P + "ObjectReference",
    "A pointer to another API object, or to a field within it.",
    struct_type="atomic",
    apiVersion=string("API version of the referenced object."),
    fieldPath=string(
        "Path of a field inside the object, when only part of it is meant, e.g. spec.containers{app}."
    ),
    kind=string("Kind of the referenced object."),
    name=string("Name of the referenced object."),
    namespace=string("Namespace of the referenced object."),
    resourceVersion=string("Resource version of the object at the time the reference was made."),
    uid=string("UID of the referenced object."),
)

Binding = struct(
    P + "Binding",
    "Ties an object to another, most often a pod to the node the scheduler chose for it.",
    required=("target",),
    gvk=("", "v1", "Binding"),
    apiVersion=string("API group and version the object is written in; v1 for every core kind."),
    kind=string("The object's type name, for example Pod."),
    metadata=ref(
        meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations and the like."
    ),
    target=ref(ObjectReference, "The object to bind to, usually a Node."),
)

SecretReference = struct(
    P + "SecretReference",
    "Names a secret, possibly in another namespace.",
    struct_type="atomic",
    name=string("Name of the secret."),
    namespace=string("Namespace of the secret."),
)

CSIPersistentVolumeSource = struct(
    P + "CSIPersistentVolumeSource",
    "A persistent volume whose storage is handled by a CSI driver.",
    required=("driver", "volumeHandle"),
    controllerExpandSecretRef=ref(
        SecretReference,
        "Secret passed to the driver's ControllerExpandVolume call when the volume is resized.",
    ),
    controllerPublishSecretRef=ref(
        SecretReference,
        "Secret passed to the driver's ControllerPublishVolume and ControllerUnpublishVolume calls.",
    ),
    driver=string("Registered name of the CSI driver responsible for the volume."),
    fsType=string("Filesystem type to mount, such as ext4, xfs or ntfs."),
    nodeExpandSecretRef=ref(
        SecretReference, "Secret passed to the driver's NodeExpandVolume call when the volume is resized."
    ),
    nodePublishSecretRef=ref(
        SecretReference, "Secret passed to the driver's NodePublishVolume and NodeUnpublishVolume calls."
    ),
    nodeStageSecretRef=ref(
        SecretReference, "Secret passed to the driver's NodeStageVolume and NodeUnstageVolume calls."
    ),
    readOnly=boolean("Publish the volume read-only. Defaults to false."),
    volumeAttributes=map_of(
        string(), "Driver-specific attributes of the volume, passed through to the driver."
    ),
    volumeHandle=string("The driver's own identifier for the volume."),
)

LocalObjectReference = struct(
    P + "LocalObjectReference",
    "Names an object in the same namespace.",
    struct_type="atomic",
    name=string("Name of the object."),
)

CSIVolumeSource = struct(
    P + "CSIVolumeSource",
    "An ephemeral, pod-scoped volume provided by a CSI driver.",
    required=("driver",),
    driver=string("Registered name of the CSI driver that provides the volume."),
    fsType=string("Filesystem type to mount, such as ext4; the driver chooses when empty."),
    nodePublishSecretRef=ref(
        LocalObjectReference,
        "Secret in the pod's namespace passed to the driver's publish and unpublish calls.",
    ),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
    volumeAttributes=map_of(string(), "Driver-specific settings for the volume."),
)

Capabilities = struct(
    P + "Capabilities",
    "Linux capabilities to grant to or remove from a container.",
    add=list_of(string(), "Capabilities to add, for example NET_ADMIN."),
    drop=list_of(string(), "Capabilities to remove, for example ALL."),
)

CephFSPersistentVolumeSource = struct(
    P + "CephFSPersistentVolumeSource",
    "A CephFS filesystem mounted as a persistent volume.",
    required=("monitors",),
    monitors=list_of(string(), "Addresses of the Ceph monitors."),
    path=string("Path inside the CephFS tree to mount. Defaults to /."),
    readOnly=boolean("Mount the filesystem read-only. Defaults to false."),
    secretFile=string(
        "Path on the node of the keyring file for the Ceph user. Defaults to /etc/ceph/user.secret."
    ),
    secretRef=ref(SecretReference, "Secret holding the Ceph user's key; takes precedence over secretFile."),
    user=string("Ceph user to authenticate as. Defaults to admin."),
)

CephFSVolumeSource = struct(
    P + "CephFSVolumeSource",
    "A CephFS filesystem mounted into the pod.",
    required=("monitors",),
    monitors=list_of(string(), "Addresses of the Ceph monitors."),
    path=string("Path inside the CephFS tree to mount. Defaults to /."),
    readOnly=boolean("Mount the filesystem read-only. Defaults to false."),
    secretFile=string(
        "Path on the node of the keyring file for the Ceph user. Defaults to /etc/ceph/user.secret."
    ),
    secretRef=ref(
        LocalObjectReference,
        "Secret in the pod's namespace holding the Ceph user's key; takes precedence over secretFile.",
    ),
    user=string("Ceph user to authenticate as. Defaults to admin."),
)

CinderPersistentVolumeSource = struct(
    P + "CinderPersistentVolumeSource",
    "An OpenStack Cinder volume used as a persistent volume (deprecated; use the Cinder CSI driver).",
    required=("volumeID",),
    fsType=string("Filesystem type to mount, such as ext4, xfs or ntfs; ext4 is used when left empty."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
    secretRef=ref(SecretReference, "Secret with the OpenStack credentials used to reach Cinder."),
    volumeID=string("ID of the Cinder volume."),
)

CinderVolumeSource = struct(
    P + "CinderVolumeSource",
    "An OpenStack Cinder volume mounted into the pod (deprecated in favour of the Cinder CSI driver).",
    required=("volumeID",),
    fsType=string("Filesystem type to mount, such as ext4, xfs or ntfs; ext4 is used when left empty."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
    secretRef=ref(
        LocalObjectReference,
        "Secret in the pod's namespace with the OpenStack credentials used to reach Cinder.",
    ),
    volumeID=string("ID of the Cinder volume."),
)

ClientIPConfig = struct(
    P + "ClientIPConfig",
    "Settings for session affinity by client IP.",
    timeoutSeconds=integer(
        "Seconds a client stays pinned to one endpoint, from 1 to 86400. Defaults to 10800 (3 hours)."
    ),
)

ClusterTrustBundleProjection = struct(
    P + "ClusterTrustBundleProjection",
    "Projects the certificates of one or more ClusterTrustBundles into a file.",
    required=("path",),
    labelSelector=ref(
        meta.LABEL_SELECTOR,
        "Selects the bundles to include, combined into one file; ignored when name is set.",
    ),
    name=string("Name of a single ClusterTrustBundle to project; excludes signerName and labelSelector."),
    optional=boolean("Write an empty file instead of failing when no bundle matches."),
    path=string("File path, relative to the volume root, that receives the certificates."),
    signerName=string("Only bundles for this signer are considered when selecting by labels."),
)

ComponentCondition = struct(
    P + "ComponentCondition",
    "One health condition of a control-plane component.",
    required=("type", "status"),
    error=string("Error text from the health check, when it failed."),
    message=string("Output of the health check."),
    status=string("Whether the condition holds: True, False or Unknown."),
    type=string("Kind of condition; Healthy is the only one."),
)

ComponentStatus = struct(
    P + "ComponentStatus",
    "Health of a control-plane component such as etcd or the scheduler (deprecated).",
    gvk=("", "v1", "ComponentStatus"),
    apiVersion=string("API group and version the object is written in; v1 for every core kind."),
    conditions=list_of(
        ComponentCondition,
        "Health conditions reported for the component.",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
    kind=string("The object's type name, for example Pod."),
    metadata=ref(
        meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations and the like."
    ),
)

ComponentStatusList = struct(
    P + "ComponentStatusList",
    "A list of component statuses.",
    required=("items",),
    gvk=("", "v1", "ComponentStatusList"),
    apiVersion=string("API group and version the list is written in; v1 for every core kind."),
    items=list_of(ComponentStatus, "The component statuses."),
    kind=string("The list's type name, for example PodList."),
    metadata=ref(
        meta.LIST_META,
        "List metadata: the resource version of the snapshot and the continue token for paging.",
    ),
)

ConfigMap = struct(
    P + "ConfigMap",
    "Non-confidential configuration data, stored as key/value pairs for pods to consume.",
    gvk=("", "v1", "ConfigMap"),
    apiVersion=string("API group and version the object is written in; v1 for every core kind."),
    binaryData=map_of(
        byte_string(),
        "Entries holding binary data, base64 encoded on the wire; keys must not clash with those in data.",
    ),
    data=map_of(
        string(), "Entries holding UTF-8 text; keys are letters, digits, dashes, underscores and dots."
    ),
    immutable=boolean(
        "When true, the data can no longer change (only deletion is allowed); cannot be unset once set."
    ),
    kind=string("The object's type name, for example Pod."),
    metadata=ref(
        meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations and the like."
    ),
)

ConfigMapEnvSource = struct(
    P + "ConfigMapEnvSource",
    "A config map whose entries are all turned into environment variables.",
    name=string("Name of the config map."),
    optional=boolean("Start the container even if the config map does not exist."),
)

ConfigMapKeySelector = struct(
    P + "ConfigMapKeySelector",
    "Picks one key of a config map.",
    required=("key",),
    struct_type="atomic",
    key=string("The key to read."),
    name=string("Name of the config map."),
    optional=boolean("Tolerate a missing config map or key instead of failing."),
)

ConfigMapList = struct(
    P + "ConfigMapList",
    "A list of config maps.",
    required=("items",),
    gvk=("", "v1", "ConfigMapList"),
    apiVersion=string("API group and version the list is written in; v1 for every core kind."),
    items=list_of(ConfigMap, "The config maps."),
    kind=string("The list's type name, for example PodList."),
    metadata=ref(
        meta.LIST_META,
        "List metadata: the resource version of the snapshot and the continue token for paging.",
    ),
)

ConfigMapNodeConfigSource = struct(
    P + "ConfigMapNodeConfigSource",
    "A config map used as the source of a node's kubelet configuration.",
    required=("namespace", "name", "kubeletConfigKey"),
    kubeletConfigKey=string("Key in the config map that holds the KubeletConfiguration."),
    name=string("Name of the config map."),
    namespace=string("Namespace of the config map."),
    resourceVersion=string("Resource version of the config map; set in status, forbidden in spec."),
    uid=string("UID of the config map; set in status, forbidden in spec."),
)

KeyToPath = struct(
    P + "KeyToPath",
    "Selects one key of a config map or secret and the file it is written to.",
    required=("key", "path"),
    key=string("The key whose value becomes the file's content."),
    mode=integer("Permission bits of the file, from 0 to 0777 (octal); the volume's defaultMode when unset."),
    path=string("File path, relative to the volume, that receives the value; no .. components."),
)

ConfigMapProjection = struct(
    P + "ConfigMapProjection",
    "Puts the entries of a config map, as files, into a projected volume.",
    items=list_of(
        KeyToPath, "Keys to project and where; every key becomes a file named after it when empty."
    ),
    name=string("Name of the config map."),
    optional=boolean("Tolerate a missing config map or key instead of failing."),
)

ConfigMapVolumeSource = struct(
    P + "ConfigMapVolumeSource",
    "Mounts the entries of a config map as files.",
    defaultMode=integer("Permission bits for the created files, from 0 to 0777 (octal). Defaults to 0644."),
    items=list_of(
        KeyToPath, "Keys to project and where; every key becomes a file named after it when empty."
    ),
    name=string("Name of the config map."),
    optional=boolean("Tolerate a missing config map or key instead of failing."),
)

ContainerPort = struct(
    P + "ContainerPort",
    "A network port a container listens on.",
    required=("containerPort",),
    containerPort=integer("Port number inside the container, from 1 to 65535."),
    hostIP=string("Node IP that hostPort listens on."),
    hostPort=integer(
        "Node port forwarded to this port; rarely needed, and equal to containerPort with host networking."
    ),
    name=string("Name of the port, unique within the pod, that services can refer to; an IANA_SVC_NAME."),
    protocol=string("Transport protocol: TCP, UDP or SCTP. Defaults to TCP."),
)

ContainerResizePolicy = struct(
    P + "ContainerResizePolicy",
    "What happens to a container when one of its resources is resized in place.",
    required=("resourceName", "restartPolicy"),
    resourceName=string("The resource the policy is for, such as cpu or memory."),
    restartPolicy=string(
        "NotRequired to resize without a restart, or RestartContainer. Defaults to NotRequired."
    ),
)

ContainerRestartRuleOnExitCodes = struct(
    P + "ContainerRestartRuleOnExitCodes",
    "Matches a container exit against a set of exit codes.",
    required=("operator",),
    operator=string("In to match exit codes in values, NotIn to match all others."),
    values=list_of(integer(), "The exit codes to match; at most 255 of them.", list_type="set"),
)

ContainerRestartRule = struct(
    P + "ContainerRestartRule",
    "A rule deciding, from how a container exited, whether it is restarted.",
    required=("action",),
    action=string("What to do when the rule matches; Restart is the only action."),
    exitCodes=ref(ContainerRestartRuleOnExitCodes, "The exit codes the rule applies to."),
)

SecretEnvSource = struct(
    P + "SecretEnvSource",
    "A secret whose entries are all turned into environment variables.",
    name=string("Name of the secret."),
    optional=boolean("Start the container even if the secret does not exist."),
)

EnvFromSource = struct(
    P + "EnvFromSource",
    "A config map or secret whose entries all become environment variables.",
    configMapRef=ref(ConfigMapEnvSource, "The config map to read."),
    prefix=string("Text put in front of every variable name taken from the source."),
    secretRef=ref(SecretEnvSource, "The secret to read."),
)

FileKeySelector = struct(
    P + "FileKeySelector",
    "Picks one key of an env-style file found on a volume.",
    required=("volumeName", "path", "key"),
    struct_type="atomic",
    key=string("The key to read from the file."),
    optional=boolean("Leave the variable unset instead of failing when the file or key is missing."),
    path=string("Path of the file within the volume; relative, without .. components."),
    volumeName=string("Volume mount in which the file is found."),
)

ObjectFieldSelector = struct(
    P + "ObjectFieldSelector",
    "Picks a field of the pod itself.",
    required=("fieldPath",),
    struct_type="atomic",
    apiVersion=string("API version in which fieldPath is interpreted. Defaults to v1."),
    fieldPath=string("Path of the field, for example metadata.name or status.podIP."),
)

ResourceFieldSelector = struct(
    P + "ResourceFieldSelector",
    "Picks a container resource request or limit, expressed in a chosen unit.",
    required=("resource",),
    struct_type="atomic",
    containerName=string("Which container's resources to read; mandatory in downward API volumes."),
    divisor=ref(QUANTITY, "Unit the value is expressed in, for example 1Mi or 1m. Defaults to 1."),
    resource=string("The resource to read, for example limits.cpu or requests.memory."),
)

SecretKeySelector = struct(
    P + "SecretKeySelector",
    "Picks one key of a secret.",
    required=("key",),
    struct_type="atomic",
    key=string("The key to read."),
    name=string("Name of the secret."),
    optional=boolean("Tolerate a missing secret or key instead of failing."),
)

EnvVarSource = struct(
    P + "EnvVarSource",
    "Where an environment variable gets its value from, when not written literally.",
    configMapKeyRef=ref(ConfigMapKeySelector, "Read the value from a config map entry."),
    fieldRef=ref(ObjectFieldSelector, "Read a field of the pod, such as metadata.name or status.podIP."),
    fileKeyRef=ref(FileKeySelector, "Read a key of an env file on one of the pod's volumes."),
    resourceFieldRef=ref(ResourceFieldSelector, "Read a container's resource limit or request."),
    secretKeyRef=ref(SecretKeySelector, "Read the value from a secret entry."),
)

EnvVar = struct(
    P + "EnvVar",
    "An environment variable set in a container.",
    required=("name",),
    name=string("Name of the variable."),
    value=string(
        "Literal value; $(OTHER) references to earlier variables are expanded and $$ gives a plain $."
    ),
    valueFrom=ref(EnvVarSource, "Where to read the value from instead; cannot be combined with value."),
)

ExecAction = struct(
    P + "ExecAction",
    "Runs a command inside the container.",
    command=list_of(
        string(), "The command and its arguments, run directly without a shell; exit status 0 means success."
    ),
)

HTTPHeader = struct(
    P + "HTTPHeader",
    "A header sent with an HTTP probe request.",
    required=("name", "value"),
    name=string("Header name; normalised to canonical form before sending."),
    value=string("Header value."),
)

HTTPGetAction = struct(
    P + "HTTPGetAction",
    "Performs an HTTP GET against the container.",
    required=("port",),
    host=string(
        "Address to connect to instead of the pod IP; to change the virtual host, set a Host header."
    ),
    httpHeaders=list_of(HTTPHeader, "Extra headers to send with the request."),
    path=string("Path to request."),
    port=ref(INT_OR_STRING, "Port to connect to, by number or by container port name."),
    scheme=string("HTTP or HTTPS. Defaults to HTTP."),
)

SleepAction = struct(
    P + "SleepAction",
    "Pauses for a fixed time.",
    required=("seconds",),
    seconds=int64("How many seconds to sleep."),
)

TCPSocketAction = struct(
    P + "TCPSocketAction",
    "Opens a TCP connection to the container.",
    required=("port",),
    host=string("Address to connect to instead of the pod IP."),
    port=ref(INT_OR_STRING, "Port to connect to, by number or by container port name."),
)

LifecycleHandler = struct(
    P + "LifecycleHandler",
    "An action run at a point of a container's lifecycle; exactly one kind of action is set.",
    exec=ref(ExecAction, "Run a command in the container."),
    httpGet=ref(HTTPGetAction, "Call an HTTP endpoint of the container with GET."),
    sleep=ref(SleepAction, "Wait for a while."),
    tcpSocket=ref(
        TCPSocketAction, "Not supported as a lifecycle hook; accepted only so that old objects still decode."
    ),
)

Lifecycle = struct(
    P + "Lifecycle",
    "Actions the kubelet runs right after a container starts and right before it stops.",
    postStart=ref(
        LifecycleHandler,
        "Runs right after the container is created; on failure the container is killed and maybe restarted.",
    ),
    preStop=ref(
        LifecycleHandler,
        "Runs before the container is stopped (but not after a crash); the grace period keeps running.",
    ),
    stopSignal=string(
        "Signal used to stop the container, instead of the runtime's default; needs spec.os.name."
    ),
)

GRPCAction = struct(
    P + "GRPCAction",
    "Calls the standard gRPC health check service of the container.",
    required=("port",),
    port=integer("Port the gRPC health service listens on (1-65535)."),
    service=string("Service name passed in the health check request; empty checks the server as a whole."),
)

Probe = struct(
    P + "Probe",
    "A periodic health check the kubelet runs against a container.",
    exec=ref(ExecAction, "Run a command in the container."),
    failureThreshold=integer("Consecutive failures after which the probe counts as failed. Defaults to 3."),
    grpc=ref(GRPCAction, "Call the gRPC health check service."),
    httpGet=ref(HTTPGetAction, "Call an HTTP endpoint of the container with GET."),
    initialDelaySeconds=integer("Seconds to wait after the container starts before the first probe."),
    periodSeconds=integer("Seconds between probes. Defaults to 10."),
    successThreshold=integer(
        "Successes in a row needed after a failure; liveness and startup probes only allow 1. Defaults to 1."
    ),
    tcpSocket=ref(TCPSocketAction, "Open a TCP connection to the container."),
    terminationGracePeriodSeconds=int64(
        "Grace period used when this probe's failure kills the container, overriding the pod's value."
    ),
    timeoutSeconds=integer("Seconds before a probe attempt is abandoned. Defaults to 1."),
)

ResourceClaim = struct(
    P + "ResourceClaim",
    "Gives a container access to a resource claim of its pod.",
    required=("name",),
    name=string("Name of the claim entry in the pod's resourceClaims list."),
    request=string("A single request within the claim to use; the whole claim when empty."),
)

ResourceRequirements = struct(
    P + "ResourceRequirements",
    "The compute resources a container (or pod) asks for and is limited to.",
    claims=list_of(
        ResourceClaim,
        "Resource claims from the pod's resourceClaims that this container uses.",
        list_type="map",
        map_keys=("name",),
    ),
    limits=map_of(QUANTITY, "Most of each resource the container may use, such as cpu or memory."),
    requests=map_of(
        QUANTITY, "Amount of each resource reserved and used for scheduling; the limit when not given."
    ),
)

SELinuxOptions = struct(
    P + "SELinuxOptions",
    "An SELinux label applied to a container.",
    level=string("The SELinux level (MLS/MCS range)."),
    role=string("The SELinux role."),
    type=string("The SELinux type."),
    user=string("The SELinux user."),
)

SeccompProfile = struct(
    P + "SeccompProfile",
    "The seccomp profile a pod or container runs under.",
    required=("type",),
    localhostProfile=string(
        "Profile file on the node, under the kubelet's seccomp directory; for Localhost only."
    ),
    type=string("Which profile to use: RuntimeDefault, Localhost or Unconfined."),
)

WindowsSecurityContextOptions = struct(
    P + "WindowsSecurityContextOptions",
    "Settings specific to containers running on Windows.",
    gmsaCredentialSpec=string(
        "Full GMSA credential spec, filled in by the GMSA webhook from gmsaCredentialSpecName."
    ),
    gmsaCredentialSpecName=string("Name of the GMSACredentialSpec resource to use."),
    hostProcess=boolean(
        "Run as a Windows HostProcess container; all containers must agree and use host networking."
    ),
    runAsUserName=string("Windows user name to run the entrypoint as; the image's default when unset."),
)

SecurityContext = struct(
    P + "SecurityContext",
    "Security settings for one container; where they overlap with the pod's, the container's win.",
    allowPrivilegeEscalation=boolean(
        "Whether processes may gain privileges beyond their parent's (no_new_privs); true if privileged."
    ),
    appArmorProfile=ref(AppArmorProfile, "AppArmor profile for the container, overriding the pod's."),
    capabilities=ref(
        Capabilities, "Linux capabilities to add or drop, relative to the runtime's default set."
    ),
    privileged=boolean(
        "Run the container with nearly full access to the host, like root on the node. Defaults to false."
    ),
    procMount=string(
        "How /proc is mounted: Default masks sensitive paths, Unmasked does not (needs a user namespace)."
    ),
    readOnlyRootFilesystem=boolean("Mount the container's root filesystem read-only. Defaults to false."),
    runAsGroup=int64("Primary group ID for the container's processes; the runtime default when unset."),
    runAsNonRoot=boolean("When true, the kubelet checks the image user and rejects running as root (UID 0)."),
    runAsUser=int64("User ID for the container's processes; the image's user when unset."),
    seLinuxOptions=ref(
        SELinuxOptions, "SELinux label for the container; a random one is assigned when unset."
    ),
    seccompProfile=ref(SeccompProfile, "Seccomp profile for the container, overriding the pod's."),
    windowsOptions=ref(WindowsSecurityContextOptions, "Windows-specific settings for the container."),
)

VolumeDevice = struct(
    P + "VolumeDevice",
    "Exposes a raw block volume to a container as a device.",
    required=("name", "devicePath"),
    devicePath=string("Path inside the container where the device appears."),
    name=string("Name of a persistent volume claim volume of the pod."),
)

VolumeMount = struct(
    P + "VolumeMount",
    "Mounts one of the pod's volumes into a container.",
    required=("name", "mountPath"),
    mountPath=string("Path inside the container to mount at; must not contain a colon."),
    mountPropagation=string(
        "Mount propagation between host and container: None, HostToContainer or Bidirectional."
    ),
    name=string("Name of the pod volume to mount."),
    readOnly=boolean("Mount read-only. Defaults to false."),
    recursiveReadOnly=string(
        "Whether sub-mounts are also made read-only: Disabled, IfPossible or Enabled; needs readOnly."
    ),
    subPath=string("Path within the volume to mount instead of its root."),
    subPathExpr=string("Like subPath, with $(VAR) references to the container's environment expanded."),
)

Container = struct(
    P + "Container",
    "One application container of a pod: its image, command, environment, ports and resources.",
    required=("name",),
    args=list_of(
        string(), "Arguments to the entrypoint, replacing the image's CMD; $(VAR) references are expanded."
    ),
    command=list_of(
        string(), "The entrypoint, run without a shell, replacing the image's ENTRYPOINT; $(VAR) is expanded."
    ),
    env=list_of(
        EnvVar,
        "Environment variables for the container's processes.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge",
        merge_key="name",
    ),
    envFrom=list_of(
        EnvFromSource,
        "Sources whose entries all become environment variables; entries in env win on a clash.",
    ),
    image=string("Container image to run, for example nginx:1.27 or an image digest."),
    imagePullPolicy=string(
        "Always, Never or IfNotPresent. Defaults to Always for the latest tag, IfNotPresent otherwise."
    ),
    lifecycle=ref(Lifecycle, "Hooks run after the container starts and before it stops."),
    livenessProbe=ref(Probe, "Periodic check; the container is restarted when it fails."),
    name=string("Name of the container, a DNS label unique within the pod."),
    ports=list_of(
        ContainerPort,
        "Ports the container exposes; informational, as any port the process listens on is reachable.",
        list_type="map",
        map_keys=("containerPort", "protocol"),
        patch_strategy="merge",
        merge_key="containerPort",
    ),
    readinessProbe=ref(Probe, "Periodic check; the pod is taken out of service endpoints while it fails."),
    resizePolicy=list_of(ContainerResizePolicy, "How each resource may be resized in place."),
    resources=ref(ResourceRequirements, "Compute resources the container requests and is limited to."),
    restartPolicy=string(
        "Per-container restart behaviour; Always on an init container turns it into a sidecar."
    ),
    restartPolicyRules=list_of(
        ContainerRestartRule,
        "Rules, checked in order, that decide from the exit code whether an exited container is restarted.",
    ),
    securityContext=ref(SecurityContext, "Security settings for the container."),
    startupProbe=ref(
        Probe,
        "Check that must pass before the other probes start; the container is restarted if it never does.",
    ),
    stdin=boolean(
        "Allocate a stdin buffer for the container; reads return EOF when false. Defaults to false."
    ),
    stdinOnce=boolean("Close stdin after the first attached client disconnects. Defaults to false."),
    terminationMessagePath=string(
        "File whose text is reported as the termination message. Defaults to /dev/termination-log."
    ),
    terminationMessagePolicy=string(
        "File, or FallbackToLogsOnError to use the log tail if the file is empty after an error."
    ),
    tty=boolean("Allocate a terminal for the container; needs stdin as well. Defaults to false."),
    volumeDevices=list_of(
        VolumeDevice,
        "Raw block volumes exposed to the container as devices.",
        list_type="map",
        map_keys=("devicePath",),
        patch_strategy="merge",
        merge_key="devicePath",
    ),
    volumeMounts=list_of(
        VolumeMount,
        "Which pod volumes to mount, and where in the container.",
        list_type="map",
        map_keys=("mountPath",),
        patch_strategy="merge",
        merge_key="mountPath",
    ),
    workingDir=string("Working directory of the process; the image's default when unset."),
)

ContainerExtendedResourceRequest = struct(
    P + "ContainerExtendedResourceRequest",
    "Links a container's extended resource to a request in a scheduler-generated resource claim.",
    required=("containerName", "resourceName", "requestName"),
    containerName=string("Name of the container asking for the resource."),
    requestName=string("Name of the matching request in the generated resource claim."),
    resourceName=string(
        "The extended resource, backed by dynamic resource allocation, that the container asked for."
    ),
)

ContainerImage = struct(
    P + "ContainerImage",
    "An image present on a node.",
    names=list_of(string(), "Names the image is known by, such as tags and digests."),
    sizeBytes=int64("Image size in bytes."),
)

ContainerStateRunning = struct(
    P + "ContainerStateRunning",
    "The container is running.",
    startedAt=ref(TIME, "When the container last started."),
)

ContainerStateTerminated = struct(
    P + "ContainerStateTerminated",
    "The container has finished running.",
    required=("exitCode",),
    containerID=string("Runtime ID of the container, as type://id."),
    exitCode=integer("Exit status of the last run."),
    finishedAt=ref(TIME, "When the container last finished."),
    message=string("Human-readable details about the termination."),
    reason=string("Short machine-readable reason for the termination, such as Completed or OOMKilled."),
    signal=integer("Signal that ended the container, if any."),
    startedAt=ref(TIME, "When the container started before it terminated."),
)

ContainerStateWaiting = struct(
    P + "ContainerStateWaiting",
    "The container is not running yet.",
    message=string("Human-readable details on why it is waiting."),
    reason=string(
        "Short machine-readable reason for waiting, such as ContainerCreating or CrashLoopBackOff."
    ),
)

ContainerState = struct(
    P + "ContainerState",
    "The state of a container: at most one of waiting, running or terminated is set.",
    running=ref(ContainerStateRunning, "Set while the container runs."),
    terminated=ref(ContainerStateTerminated, "Set after the container finished."),
    waiting=ref(
        ContainerStateWaiting, "Set while the container waits to start; the default when nothing else is set."
    ),
)

LinuxContainerUser = struct(
    P + "LinuxContainerUser",
    "The Linux user and groups a container's first process started with.",
    required=("uid", "gid"),
    gid=int64("Primary group ID."),
    supplementalGroups=list_of(int64(), "Supplementary group IDs."),
    uid=int64("User ID."),
)

ContainerUser = struct(
    P + "ContainerUser",
    "The identity a container's first process started with, by operating system.",
    linux=ref(LinuxContainerUser, "The identity on Linux; unset for Windows containers."),
)

ResourceHealth = struct(
    P + "ResourceHealth",
    "The health of one device or resource assigned to a container.",
    required=("resourceID",),
    health=string("Health of the resource: Healthy, Unhealthy or Unknown."),
    message=string("Extra human-readable context about the health, when the driver gives some."),
    resourceID=string("Identifier of the resource, unique within its driver or plugin."),
)

ResourceStatus = struct(
    P + "ResourceStatus",
    "Health of the resources a container got for one resource name or claim.",
    required=("name",),
    name=string("Resource name (device plugin) or claim:request name (dynamic resource allocation)."),
    resources=list_of(
        ResourceHealth,
        "Health of each resource assigned under that name.",
        list_type="map",
        map_keys=("resourceID",),
    ),
)

ImageVolumeStatus = struct(
    P + "ImageVolumeStatus",
    "Status of a volume backed by an OCI image.",
    required=("imageRef",),
    imageRef=string("Digest of the image mounted for the volume, like the imageID of a container."),
)

VolumeStatus = struct(
    P + "VolumeStatus",
    "Status details of a mounted volume, by volume type.",
    image=ref(ImageVolumeStatus, "Status of an image volume."),
)

VolumeMountStatus = struct(
    P + "VolumeMountStatus",
    "The state of a volume mount in a running container.",
    required=("name", "mountPath"),
    mountPath=string("Where the volume is mounted in the container."),
    name=string("Name of the volume mount."),
    readOnly=boolean("Whether the mount is read-only."),
    recursiveReadOnly=string("Whether sub-mounts are read-only too: Disabled or Enabled."),
    volumeStatus=ref(VolumeStatus, "Extra status of the mounted volume."),
)

ContainerStatus = struct(
    P + "ContainerStatus",
    "The observed state of one container of a pod.",
    required=("name", "ready", "restartCount", "image", "imageID"),
    allocatedResources=map_of(QUANTITY, "Resources the node has set aside for the container."),
    allocatedResourcesStatus=list_of(
        ResourceStatus,
        "Health of the devices and other resources assigned to the container.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge",
        merge_key="name",
    ),
    containerID=string("Runtime ID of the container, as type://id."),
    image=string("The image the container runs, as the runtime reports it."),
    imageID=string("The resolved ID or digest of the image."),
    lastState=ref(ContainerState, "Details of the previous run, for example why it last terminated."),
    name=string("Name of the container, as in the pod spec."),
    ready=boolean("Whether the container passes its readiness probe."),
    resources=ref(ResourceRequirements, "Requests and limits actually configured for the running container."),
    restartCount=integer("Number of restarts of the container so far."),
    started=boolean("True once the postStart hook finished and the startup probe succeeded."),
    state=ref(ContainerState, "What the container is doing now."),
    stopSignal=string("The signal that will be sent to stop the container."),
    user=ref(ContainerUser, "Identity the container's first process started with."),
    volumeMounts=list_of(
        VolumeMountStatus,
        "State of the container's volume mounts.",
        list_type="map",
        map_keys=("mountPath",),
        patch_strategy="merge",
        merge_key="mountPath",
    ),
)

DaemonEndpoint = struct(
    P + "DaemonEndpoint",
    "A port a node daemon listens on.",
    required=("Port",),
    Port=integer("Port number."),
)

DownwardAPIVolumeFile = struct(
    P + "DownwardAPIVolumeFile",
    "A file in a downward API volume holding one pod field or resource value.",
    required=("path",),
    fieldRef=ref(
        ObjectFieldSelector, "The pod field to write: metadata.name, namespace, uid, labels or annotations."
    ),
    mode=integer("Permission bits of the file, from 0 to 0777 (octal); the volume's defaultMode when unset."),
    path=string("File path, relative to the volume, to create; no .. components."),
    resourceFieldRef=ref(ResourceFieldSelector, "The container resource limit or request to write."),
)

DownwardAPIProjection = struct(
    P + "DownwardAPIProjection",
    "Projects pod fields and resource values into files of a projected volume.",
    items=list_of(DownwardAPIVolumeFile, "The files to create."),
)

DownwardAPIVolumeSource = struct(
    P + "DownwardAPIVolumeSource",
    "A volume holding files with fields and resource values of the pod.",
    defaultMode=integer("Permission bits for the created files, from 0 to 0777 (octal). Defaults to 0644."),
    items=list_of(DownwardAPIVolumeFile, "The files to create."),
)

EmptyDirVolumeSource = struct(
    P + "EmptyDirVolumeSource",
    "A scratch directory that starts empty and lives as long as the pod.",
    medium=string("Backing storage: empty for the node's disk, Memory for a tmpfs."),
    sizeLimit=ref(QUANTITY, "Most storage the volume may use; the pod is evicted when it grows past this."),
)

EndpointAddress = struct(
    P + "EndpointAddress",
    "One IP address of a service backend.",
    required=("ip",),
    struct_type="atomic",
    hostname=string("Hostname of the backend."),
    ip=string("IP address of the backend."),
    nodeName=string("Node the backend runs on."),
    targetRef=ref(ObjectReference, "The object, usually a pod, behind the address."),
)

EndpointPort = struct(
    P + "EndpointPort",
    "A port served by the backends of an endpoint subset.",
    required=("port",),
    struct_type="atomic",
    appProtocol=string("Application protocol of the port, such as http or kubernetes.io/h2c."),
    name=string("Name of the port, matching the service port name; optional when there is only one."),
    port=integer("Port number."),
    protocol=string("TCP, UDP or SCTP. Defaults to TCP."),
)

EndpointSubset = struct(
    P + "EndpointSubset",
    "A group of backend addresses that all serve the same ports.",
    addresses=list_of(EndpointAddress, "Addresses that are ready to receive traffic."),
    notReadyAddresses=list_of(EndpointAddress, "Addresses that exist but are not ready yet."),
    ports=list_of(EndpointPort, "Ports served at every address of the subset."),
)

Endpoints = struct(
    P + "Endpoints",
    "The backend addresses and ports of a service (superseded by EndpointSlice).",
    gvk=("", "v1", "Endpoints"),
    apiVersion=string("API group and version the object is written in; v1 for every core kind."),
    kind=string("The object's type name, for example Pod."),
    metadata=ref(
        meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations and the like."
    ),
    subsets=list_of(EndpointSubset, "Groups of addresses and the ports they serve."),
)

EndpointsList = struct(
    P + "EndpointsList",
    "A list of endpoints.",
    required=("items",),
    gvk=("", "v1", "EndpointsList"),
    apiVersion=string("API group and version the list is written in; v1 for every core kind."),
    items=list_of(Endpoints, "The endpoints objects."),
    kind=string("The list's type name, for example PodList."),
    metadata=ref(
        meta.LIST_META,
        "List metadata: the resource version of the snapshot and the continue token for paging.",
    ),
)

EphemeralContainer = struct(
    P + "EphemeralContainer",
    "A temporary container added to a running pod, typically for debugging.",
    required=("name",),
    args=list_of(
        string(), "Arguments to the entrypoint, replacing the image's CMD; $(VAR) references are expanded."
    ),
    command=list_of(
        string(), "The entrypoint, run without a shell, replacing the image's ENTRYPOINT; $(VAR) is expanded."
    ),
    env=list_of(
        EnvVar,
        "Environment variables for the container's processes.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge",
        merge_key="name",
    ),
    envFrom=list_of(
        EnvFromSource,
        "Sources whose entries all become environment variables; entries in env win on a clash.",
    ),
    image=string("Container image to run, for example nginx:1.27 or an image digest."),
    imagePullPolicy=string(
        "Always, Never or IfNotPresent. Defaults to Always for the latest tag, IfNotPresent otherwise."
    ),
    lifecycle=ref(Lifecycle, "Must stay unset; ephemeral containers have no lifecycle hooks."),
    livenessProbe=ref(Probe, "Must stay unset; ephemeral containers get no probes."),
    name=string("Name of the container, a DNS label unique across all containers of the pod."),
    ports=list_of(
        ContainerPort,
        "Must stay unset; ephemeral containers cannot expose ports.",
        list_type="map",
        map_keys=("containerPort", "protocol"),
        patch_strategy="merge",
        merge_key="containerPort",
    ),
    readinessProbe=ref(Probe, "Must stay unset; ephemeral containers get no probes."),
    resizePolicy=list_of(ContainerResizePolicy, "Must stay unset for ephemeral containers."),
    resources=ref(
        ResourceRequirements, "Must stay unset; ephemeral containers run within what the pod already has."
    ),
    restartPolicy=string("Must stay unset for ephemeral containers."),
    restartPolicyRules=list_of(ContainerRestartRule, "Must stay unset for ephemeral containers."),
    securityContext=ref(SecurityContext, "Security settings for the ephemeral container."),
    startupProbe=ref(Probe, "Must stay unset; ephemeral containers get no probes."),
    stdin=boolean(
        "Allocate a stdin buffer for the container; reads return EOF when false. Defaults to false."
    ),
    stdinOnce=boolean("Close stdin after the first attached client disconnects. Defaults to false."),
    targetContainerName=string(
        "Container whose namespaces (such as the process namespace) the ephemeral container joins."
    ),
    terminationMessagePath=string(
        "File whose text is reported as the termination message. Defaults to /dev/termination-log."
    ),
    terminationMessagePolicy=string(
        "File, or FallbackToLogsOnError to use the log tail if the file is empty after an error."
    ),
    tty=boolean("Allocate a terminal for the container; needs stdin as well. Defaults to false."),
    volumeDevices=list_of(
        VolumeDevice,
        "Raw block volumes exposed to the container as devices.",
        list_type="map",
        map_keys=("devicePath",),
        patch_strategy="merge",
        merge_key="devicePath",
    ),
    volumeMounts=list_of(
        VolumeMount,
        "Which pod volumes to mount, and where; subPath mounts are not allowed.",
        list_type="map",
        map_keys=("mountPath",),
        patch_strategy="merge",
        merge_key="mountPath",
    ),
    workingDir=string("Working directory of the process; the image's default when unset."),
)

TypedLocalObjectReference = struct(
    P + "TypedLocalObjectReference",
    "Names an object of some kind in the same namespace.",
    required=("kind", "name"),
    struct_type="atomic",
    apiGroup=string("API group of the object; empty for the core group."),
    kind=string("Kind of the object."),
    name=string("Name of the object."),
)

TypedObjectReference = struct(
    P + "TypedObjectReference",
    "Names an object of some kind, possibly in another namespace.",
    required=("kind", "name"),
    apiGroup=string("API group of the object; empty for the core group."),
    kind=string("Kind of the object."),
    name=string("Name of the object."),
    namespace=string("Namespace of the object; another namespace needs a ReferenceGrant there."),
)

VolumeResourceRequirements = struct(
    P + "VolumeResourceRequirements",
    "The storage a volume claim asks for and is limited to.",
    limits=map_of(QUANTITY, "Most storage the claim may get."),
    requests=map_of(QUANTITY, "Least storage the claim needs."),
)

PersistentVolumeClaimSpec = struct(
    P + "PersistentVolumeClaimSpec",
    "What storage a persistent volume claim asks for.",
    accessModes=list_of(
        string(), "Ways the volume must be mountable, such as ReadWriteOnce or ReadOnlyMany."
    ),
    dataSource=ref(TypedLocalObjectReference, "An existing snapshot or claim to fill the new volume from."),
    dataSourceRef=ref(
        TypedObjectReference,
        "An object to fill the new volume from, which may be of any kind a populator supports.",
    ),
    resources=ref(VolumeResourceRequirements, "Minimum and maximum storage the claim asks for."),
    selector=ref(meta.LABEL_SELECTOR, "Label selector restricting which existing volumes may be bound."),
    storageClassName=string(
        "Storage class to provision from; the cluster default when unset, none when empty."
    ),
    volumeAttributesClassName=string(
        "Volume attributes class to apply, which sets mutable properties such as IOPS."
    ),
    volumeMode=string("Filesystem or Block. Defaults to Filesystem."),
    volumeName=string("Name of a specific persistent volume to bind to."),
)

PersistentVolumeClaimTemplate = struct(
    P + "PersistentVolumeClaimTemplate",
    "A template from which a per-pod persistent volume claim is created.",
    required=("spec",),
    metadata=ref(
        meta.OBJECT_META, "Labels and annotations copied to the claim; other metadata fields are rejected."
    ),
    spec=ref(PersistentVolumeClaimSpec, "Spec of the claim to create, copied unchanged."),
)

EphemeralVolumeSource = struct(
    P + "EphemeralVolumeSource",
    "A volume backed by a claim created for the pod and deleted with it.",
    volumeClaimTemplate=ref(
        PersistentVolumeClaimTemplate,
        "Template of the claim; it gets the name pod-volume and the pod as owner.",
    ),
)

EventSeries = struct(
    P + "EventSeries",
    "Data about a series of repeated events.",
    count=integer("Number of occurrences in the series so far."),
    lastObservedTime=ref(MICRO_TIME, "When the last occurrence was seen."),
)

EventSource = struct(
    P + "EventSource",
    "The component that reported an event.",
    component=string("Name of the reporting component."),
    host=string("Node the reporting component ran on."),
)

Event = struct(
    P + "Event",
    "A report that something happened to an object, such as a pod being scheduled.",
    required=("metadata", "involvedObject"),
    gvk=("", "v1", "Event"),
    action=string("What the reporter did or failed to do, for example Binding."),
    apiVersion=string("API group and version the object is written in; v1 for every core kind."),
    count=integer("How many times the event has occurred."),
    eventTime=ref(MICRO_TIME, "When the event was first seen, at microsecond precision."),
    firstTimestamp=ref(TIME, "Time of the first occurrence."),
    involvedObject=ref(ObjectReference, "Object the event concerns."),
    kind=string("The object's type name, for example Pod."),
    lastTimestamp=ref(TIME, "Time of the most recent occurrence."),
    message=string("Human-readable description of what happened."),
    metadata=ref(
        meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations and the like."
    ),
    reason=string("Short machine-readable CamelCase cause, such as FailedScheduling."),
    related=ref(ObjectReference, "A second object involved in the event, if any."),
    reportingComponent=string("Controller that reported the event, such as kubernetes.io/kubelet."),
    reportingInstance=string("ID of the reporting controller instance, for example the kubelet's node name."),
    series=ref(EventSeries, "Data about the series, when the event repeats."),
    source=ref(EventSource, "Component that reported the event (older form of reportingComponent)."),
    type=string("Normal or Warning."),
)

EventList = struct(
    P + "EventList",
    "A list of events.",
    required=("items",),
    gvk=("", "v1", "EventList"),
    apiVersion=string("API group and version the list is written in; v1 for every core kind."),
    items=list_of(Event, "The events."),
    kind=string("The list's type name, for example PodList."),
    metadata=ref(
        meta.LIST_META,
        "List metadata: the resource version of the snapshot and the continue token for paging.",
    ),
)

FCVolumeSource = struct(
    P + "FCVolumeSource",
    "A Fibre Channel volume attached to the node and mounted into the pod.",
    fsType=string("Filesystem type to mount, such as ext4, xfs or ntfs; ext4 is used when left empty."),
    lun=integer("Logical unit number of the target."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
    targetWWNs=list_of(string(), "World wide names of the targets."),
    wwids=list_of(string(), "World wide identifiers of the volume; use either these or targetWWNs with lun."),
)

FlexPersistentVolumeSource = struct(
    P + "FlexPersistentVolumeSource",
    "A persistent volume handled by a FlexVolume driver plugin (deprecated).",
    required=("driver",),
    driver=string("Name of the FlexVolume driver."),
    fsType=string("Filesystem type to mount; the driver's default script decides when empty."),
    options=map_of(string(), "Extra command options passed to the driver."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
    secretRef=ref(SecretReference, "Secret with credentials passed to the driver."),
)

FlexVolumeSource = struct(
    P + "FlexVolumeSource",
    "A volume handled by a FlexVolume driver plugin (deprecated).",
    required=("driver",),
    driver=string("Name of the FlexVolume driver."),
    fsType=string("Filesystem type to mount; the driver's default script decides when empty."),
    options=map_of(string(), "Extra command options passed to the driver."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
    secretRef=ref(
        LocalObjectReference, "Secret in the pod's namespace with credentials passed to the driver."
    ),
)

FlockerVolumeSource = struct(
    P + "FlockerVolumeSource",
    "A Flocker dataset mounted into the pod (deprecated).",
    datasetName=string("Name of the dataset, kept as metadata by Flocker."),
    datasetUUID=string("UUID of the dataset; use either this or datasetName."),
)

GCEPersistentDiskVolumeSource = struct(
    P + "GCEPersistentDiskVolumeSource",
    "A GCE persistent disk mounted into the pod (deprecated; use the PD CSI driver).",
    required=("pdName",),
    fsType=string("Filesystem type to mount, such as ext4, xfs or ntfs; ext4 is used when left empty."),
    partition=integer(
        "Partition number to mount, when the disk is partitioned; 0 or empty mounts the whole device."
    ),
    pdName=string("Name of the disk in GCE."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
)

GitRepoVolumeSource = struct(
    P + "GitRepoVolumeSource",
    "A directory holding a clone of a git repository (deprecated; clone in an init container instead).",
    required=("repository",),
    directory=string(
        "Target directory name; . clones into the volume root, otherwise into a subdirectory of that name."
    ),
    repository=string("URL of the repository."),
    revision=string("Commit hash to check out."),
)

GlusterfsPersistentVolumeSource = struct(
    P + "GlusterfsPersistentVolumeSource",
    "A GlusterFS volume mounted as a persistent volume.",
    required=("endpoints", "path"),
    endpoints=string("Name of the endpoints object listing the Gluster servers."),
    endpointsNamespace=string("Namespace of that endpoints object; the claim's namespace when empty."),
    path=string("Name of the Gluster volume."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
)

GlusterfsVolumeSource = struct(
    P + "GlusterfsVolumeSource",
    "A GlusterFS volume mounted into the pod (removed from recent releases).",
    required=("endpoints", "path"),
    endpoints=string("Name of the endpoints object listing the Gluster servers."),
    path=string("Name of the Gluster volume."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
)

HostAlias = struct(
    P + "HostAlias",
    "An extra entry for the pod's /etc/hosts file.",
    required=("ip",),
    hostnames=list_of(string(), "Host names that resolve to the address."),
    ip=string("The IP address."),
)

HostIP = struct(
    P + "HostIP",
    "One IP address of the node a pod runs on.",
    required=("ip",),
    ip=string("The address."),
)

HostPathVolumeSource = struct(
    P + "HostPathVolumeSource",
    "A file or directory of the node mounted into the pod.",
    required=("path",),
    path=string("Path on the node; symbolic links are followed."),
    type=string(
        "What the path must be, such as Directory, DirectoryOrCreate, File or Socket; empty skips checks."
    ),
)

ISCSIPersistentVolumeSource = struct(
    P + "ISCSIPersistentVolumeSource",
    "An iSCSI disk attached to the node and mounted as a persistent volume.",
    required=("targetPortal", "iqn", "lun"),
    chapAuthDiscovery=boolean("Use CHAP authentication during iSCSI discovery."),
    chapAuthSession=boolean("Use CHAP authentication for the iSCSI session."),
    fsType=string("Filesystem type to mount, such as ext4, xfs or ntfs; ext4 is used when left empty."),
    initiatorName=string(
        "Custom initiator name; a new iface named portal:volume is created for the connection."
    ),
    iqn=string("Qualified name of the iSCSI target."),
    iscsiInterface=string("iSCSI iface to connect through. Defaults to default (tcp)."),
    lun=integer("Logical unit number of the target."),
    portals=list_of(string(), "Extra target portals, as ip or ip:port, used for multipath."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
    secretRef=ref(SecretReference, "Secret with the CHAP credentials."),
    targetPortal=string("Main target portal, as ip or ip:port; port 3260 when not given."),
)

ISCSIVolumeSource = struct(
    P + "ISCSIVolumeSource",
    "An iSCSI disk attached to the node and mounted into the pod.",
    required=("targetPortal", "iqn", "lun"),
    chapAuthDiscovery=boolean("Use CHAP authentication during iSCSI discovery."),
    chapAuthSession=boolean("Use CHAP authentication for the iSCSI session."),
    fsType=string("Filesystem type to mount, such as ext4, xfs or ntfs; ext4 is used when left empty."),
    initiatorName=string(
        "Custom initiator name; a new iface named portal:volume is created for the connection."
    ),
    iqn=string("Qualified name of the iSCSI target."),
    iscsiInterface=string("iSCSI iface to connect through. Defaults to default (tcp)."),
    lun=integer("Logical unit number of the target."),
    portals=list_of(string(), "Extra target portals, as ip or ip:port, used for multipath."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
    secretRef=ref(LocalObjectReference, "Secret in the pod's namespace with the CHAP credentials."),
    targetPortal=string("Main target portal, as ip or ip:port; port 3260 when not given."),
)

ImageVolumeSource = struct(
    P + "ImageVolumeSource",
    "An OCI image or artifact mounted read-only into the pod.",
    pullPolicy=string(
        "Always, Never or IfNotPresent. Defaults to Always for the latest tag, IfNotPresent otherwise."
    ),
    reference=string("Image or artifact reference, as for a container image."),
)

LimitRangeItem = struct(
    P + "LimitRangeItem",
    "Resource bounds and defaults for one kind of object.",
    required=("type",),
    default=map_of(QUANTITY, "Limits given to containers that set none."),
    defaultRequest=map_of(QUANTITY, "Requests given to containers that set none."),
    max=map_of(QUANTITY, "Largest amount of each resource allowed."),
    maxLimitRequestRatio=map_of(QUANTITY, "Largest allowed ratio of limit to request for each resource."),
    min=map_of(QUANTITY, "Smallest amount of each resource allowed."),
    type=string("What the bounds apply to: Container, Pod or PersistentVolumeClaim."),
)

LimitRangeSpec = struct(
    P + "LimitRangeSpec",
    "The bounds a limit range enforces.",
    required=("limits",),
    limits=list_of(LimitRangeItem, "Bounds per object type."),
)

LimitRange = struct(
    P + "LimitRange",
    "Per-namespace minimums, maximums and defaults for the resources of containers, pods and claims.",
    gvk=("", "v1", "LimitRange"),
    apiVersion=string("API group and version the object is written in; v1 for every core kind."),
    kind=string("The object's type name, for example Pod."),
    metadata=ref(
        meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations and the like."
    ),
    spec=ref(LimitRangeSpec, "The bounds and defaults to enforce."),
)

LimitRangeList = struct(
    P + "LimitRangeList",
    "A list of limit ranges.",
    required=("items",),
    gvk=("", "v1", "LimitRangeList"),
    apiVersion=string("API group and version the list is written in; v1 for every core kind."),
    items=list_of(LimitRange, "The limit ranges."),
    kind=string("The list's type name, for example PodList."),
    metadata=ref(
        meta.LIST_META,
        "List metadata: the resource version of the snapshot and the continue token for paging.",
    ),
)

PortStatus = struct(
    P + "PortStatus",
    "The state of one port of a load balancer.",
    required=("port", "protocol"),
    error=string("Why the port is failing, as a CamelCase reason; empty when it works."),
    port=integer("Port number."),
    protocol=string("TCP, UDP or SCTP."),
)

LoadBalancerIngress = struct(
    P + "LoadBalancerIngress",
    "An address where a load balancer accepts traffic.",
    hostname=string("DNS name of the load balancer, for those known by name."),
    ip=string("IP address of the load balancer, for those known by address."),
    ipMode=string(
        "VIP: packets reach nodes still addressed to this IP; Proxy: the load balancer readdresses them."
    ),
    ports=list_of(PortStatus, "State of each service port on this load balancer."),
)

LoadBalancerStatus = struct(
    P + "LoadBalancerStatus",
    "The state of a load balancer.",
    ingress=list_of(LoadBalancerIngress, "Addresses of the load balancer."),
)

LocalVolumeSource = struct(
    P + "LocalVolumeSource",
    "A disk, partition or directory local to one node, used as a persistent volume.",
    required=("path",),
    fsType=string("Filesystem type, for block devices only; chosen automatically when empty."),
    path=string("Absolute path on the node of the directory or block device."),
)

ModifyVolumeStatus = struct(
    P + "ModifyVolumeStatus",
    "Progress of a change of a claim's volume attributes class.",
    required=("status",),
    status=string("Pending, InProgress or Infeasible."),
    targetVolumeAttributesClassName=string("The class the volume is being moved to."),
)

NFSVolumeSource = struct(
    P + "NFSVolumeSource",
    "An NFS export mounted into the pod.",
    required=("server", "path"),
    path=string("Directory exported by the server."),
    readOnly=boolean("Mount the export read-only. Defaults to false."),
    server=string("Address (host name or IP) of the NFS server."),
)

NamespaceSpec = struct(
    P + "NamespaceSpec",
    "The desired state of a namespace.",
    finalizers=list_of(
        string(), "Finalizers that must be cleared before the namespace is removed from storage."
    ),
)

NamespaceCondition = struct(
    P + "NamespaceCondition",
    "One aspect of a namespace's state.",
    required=("type", "status"),
    lastTransitionTime=ref(TIME, "When the condition last changed status."),
    message=string("Human-readable details about the condition."),
    reason=string("Short machine-readable reason for the last change."),
    status=string("True, False or Unknown."),
    type=string("The aspect the condition reports on, for example NamespaceDeletionContentFailure."),
)

NamespaceStatus = struct(
    P + "NamespaceStatus",
    "The observed state of a namespace.",
    conditions=list_of(
        NamespaceCondition,
        "Conditions reported for the namespace.",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
    phase=string("Active or Terminating."),
)

Namespace = struct(
    P + "Namespace",
    "A scope for names that divides the cluster between teams or applications.",
    gvk=("", "v1", "Namespace"),
    apiVersion=string("API group and version the object is written in; v1 for every core kind."),
    kind=string("The object's type name, for example Pod."),
    metadata=ref(
        meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations and the like."
    ),
    spec=ref(NamespaceSpec, "The desired state of the namespace."),
    status=ref(NamespaceStatus, "The observed state of the namespace."),
)

NamespaceList = struct(
    P + "NamespaceList",
    "A list of namespaces.",
    required=("items",),
    gvk=("", "v1", "NamespaceList"),
    apiVersion=string("API group and version the list is written in; v1 for every core kind."),
    items=list_of(Namespace, "The namespaces."),
    kind=string("The list's type name, for example PodList."),
    metadata=ref(
        meta.LIST_META,
        "List metadata: the resource version of the snapshot and the continue token for paging.",
    ),
)

NodeConfigSource = struct(
    P + "NodeConfigSource",
    "Where a node's kubelet configuration comes from.",
    configMap=ref(ConfigMapNodeConfigSource, "A config map holding the configuration."),
)

Taint = struct(
    P + "Taint",
    "A mark on a node that repels pods which do not tolerate it.",
    required=("key", "effect"),
    effect=string("What happens to intolerant pods: NoSchedule, PreferNoSchedule or NoExecute."),
    key=string("Taint key."),
    timeAdded=ref(TIME, "When a NoExecute taint was added."),
    value=string("Taint value."),
)

NodeSpec = struct(
    P + "NodeSpec",
    "The desired state of a node.",
    configSource=ref(NodeConfigSource, "Dynamic kubelet configuration source (no longer used)."),
    externalID=string("Deprecated and unused."),
    podCIDR=string("Pod IP range given to the node."),
    podCIDRs=list_of(
        string(),
        "Pod IP ranges given to the node, at most one per family; the first must equal podCIDR.",
        list_type="set",
        patch_strategy="merge",
    ),
    providerID=string("Cloud provider's ID for the node, as provider://id."),
    taints=list_of(Taint, "Taints on the node."),
    unschedulable=boolean("Keep new pods off the node (cordon). Defaults to false."),
)

NodeAddress = struct(
    P + "NodeAddress",
    "An address of a node.",
    required=("type", "address"),
    address=string("The address."),
    type=string("Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS."),
)

NodeCondition = struct(
    P + "NodeCondition",
    "One aspect of a node's state, such as Ready or MemoryPressure.",
    required=("type", "status"),
    lastHeartbeatTime=ref(TIME, "When the condition was last updated."),
    lastTransitionTime=ref(TIME, "When the condition last changed status."),
    message=string("Human-readable details about the condition."),
    reason=string("Short machine-readable reason for the last change."),
    status=string("True, False or Unknown."),
    type=string("The aspect the condition reports on, such as Ready, DiskPressure or NetworkUnavailable."),
)

NodeConfigStatus = struct(
    P + "NodeConfigStatus",
    "Status of dynamic kubelet configuration (no longer used).",
    active=ref(NodeConfigSource, "The configuration the kubelet runs with."),
    assigned=ref(NodeConfigSource, "The configuration the node was told to use."),
    error=string("Problem encountered applying the configuration."),
    lastKnownGood=ref(NodeConfigSource, "The configuration the kubelet falls back to on failure."),
)

NodeDaemonEndpoints = struct(
    P + "NodeDaemonEndpoints",
    "The ports that daemons on a node listen on.",
    kubeletEndpoint=ref(DaemonEndpoint, "The port the kubelet serves its API on."),
)

NodeFeatures = struct(
    P + "NodeFeatures",
    "Features the node's container runtime supports.",
    supplementalGroupsPolicy=boolean(
        "True when the runtime can honour supplementalGroupsPolicy and report each container's user."
    ),
)

NodeRuntimeHandlerFeatures = struct(
    P + "NodeRuntimeHandlerFeatures",
    "Features a runtime handler supports.",
    recursiveReadOnlyMounts=boolean("Whether the handler supports recursive read-only mounts."),
    userNamespaces=boolean("Whether the handler supports user namespaces, volumes included."),
)

NodeRuntimeHandler = struct(
    P + "NodeRuntimeHandler",
    "A runtime handler available on a node.",
    features=ref(NodeRuntimeHandlerFeatures, "Features the handler supports."),
    name=string("Name of the handler; empty means the default one."),
)

NodeSwapStatus = struct(
    P + "NodeSwapStatus",
    "Swap memory of a node.",
    capacity=int64("Total swap, in bytes."),
)

NodeSystemInfo = struct(
    P + "NodeSystemInfo",
    "Identifiers and software versions of a node.",
    required=(
        "machineID",
        "systemUUID",
        "bootID",
        "kernelVersion",
        "osImage",
        "containerRuntimeVersion",
        "kubeletVersion",
        "kubeProxyVersion",
        "operatingSystem",
        "architecture",
    ),
    architecture=string("CPU architecture, such as amd64 or arm64."),
    bootID=string("ID of the node's current boot."),
    containerRuntimeVersion=string("Container runtime and its version, as runtime://version."),
    kernelVersion=string("Kernel version, as uname -r reports it."),
    kubeProxyVersion=string(
        "Deprecated; was meant to report the kube-proxy version and cannot be relied on."
    ),
    kubeletVersion=string("Version of the kubelet."),
    machineID=string("Machine ID of the node, from /etc/machine-id."),
    operatingSystem=string("Operating system, such as linux or windows."),
    osImage=string("Operating system image, from /etc/os-release."),
    swap=ref(NodeSwapStatus, "Swap memory of the node."),
    systemUUID=string("Hardware UUID of the node."),
)

NodeStatus = struct(
    P + "NodeStatus",
    "The observed state of a node.",
    addresses=list_of(
        NodeAddress,
        "Addresses the node is reachable at.",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
    allocatable=map_of(QUANTITY, "Resources available to pods, after system reservations."),
    capacity=map_of(QUANTITY, "Total resources of the node."),
    conditions=list_of(
        NodeCondition,
        "Conditions reported for the node, such as Ready.",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
    config=ref(NodeConfigStatus, "Status of dynamic kubelet configuration (no longer used)."),
    daemonEndpoints=ref(NodeDaemonEndpoints, "Where the node's daemons, such as the kubelet, listen."),
    declaredFeatures=list_of(string(), "Feature-gate related features the node says it has."),
    features=ref(NodeFeatures, "Features the node's container runtime supports."),
    images=list_of(ContainerImage, "Container images present on the node."),
    nodeInfo=ref(NodeSystemInfo, "Identifiers and software versions of the node."),
    phase=string("Deprecated and unused."),
    runtimeHandlers=list_of(NodeRuntimeHandler, "Runtime handlers the node offers."),
    volumesAttached=list_of(AttachedVolume, "Volumes attached to the node."),
    volumesInUse=list_of(string(), "Attached volumes currently used by pods."),
)

Node = struct(
    P + "Node",
    "A machine, physical or virtual, that runs pods.",
    gvk=("", "v1", "Node"),
    apiVersion=string("API group and version the object is written in; v1 for every core kind."),
    kind=string("The object's type name, for example Pod."),
    metadata=ref(
        meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations and the like."
    ),
    spec=ref(NodeSpec, "The desired state of the node."),
    status=ref(NodeStatus, "The observed state of the node."),
)

NodeAllocatableResourceClaimStatus = struct(
    P + "NodeAllocatableResourceClaimStatus",
    "Node-allocatable resources given to a pod through a dynamic resource claim.",
    required=("resourceClaimName", "resources"),
    containers=list_of(string(), "Containers of the pod that use the claim.", list_type="set"),
    resourceClaimName=string("Name of the resource claim that led to the allocation."),
    resources=map_of(QUANTITY, "Amount of each node-allocatable resource assigned to the claim."),
)

NodeList = struct(
    P + "NodeList",
    "A list of nodes.",
    required=("items",),
    gvk=("", "v1", "NodeList"),
    apiVersion=string("API group and version the list is written in; v1 for every core kind."),
    items=list_of(Node, "The nodes."),
    kind=string("The list's type name, for example PodList."),
    metadata=ref(
        meta.LIST_META,
        "List metadata: the resource version of the snapshot and the continue token for paging.",
    ),
)

PhotonPersistentDiskVolumeSource = struct(
    P + "PhotonPersistentDiskVolumeSource",
    "A disk from VMware Photon Controller (deprecated).",
    required=("pdID",),
    fsType=string("Filesystem type to mount, such as ext4, xfs or ntfs; ext4 is used when left empty."),
    pdID=string("ID of the persistent disk."),
)

PortworxVolumeSource = struct(
    P + "PortworxVolumeSource",
    "A Portworx volume (deprecated in favour of the Portworx CSI driver).",
    required=("volumeID",),
    fsType=string("Filesystem type to mount, such as ext4 or xfs; ext4 is used when left empty."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
    volumeID=string("ID of the Portworx volume."),
)

QuobyteVolumeSource = struct(
    P + "QuobyteVolumeSource",
    "A Quobyte volume mounted into the pod (removed from recent releases).",
    required=("registry", "volume"),
    group=string("Group that volume access is mapped to; none when empty."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
    registry=string("Quobyte registry addresses, as host:port, comma separated."),
    tenant=string("Tenant owning the volume, for dynamically provisioned volumes."),
    user=string("User that volume access is mapped to; the service account's user when empty."),
    volume=string("Name of an existing Quobyte volume."),
)

RBDPersistentVolumeSource = struct(
    P + "RBDPersistentVolumeSource",
    "A Ceph RADOS block device mounted as a persistent volume.",
    required=("monitors", "image"),
    fsType=string("Filesystem type to mount, such as ext4, xfs or ntfs; ext4 is used when left empty."),
    image=string("Name of the RBD image."),
    keyring=string("Path of the keyring for the RBD user. Defaults to /etc/ceph/keyring."),
    monitors=list_of(string(), "Addresses of the Ceph monitors."),
    pool=string("RADOS pool name. Defaults to rbd."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
    secretRef=ref(SecretReference, "Secret with the RBD user's key; takes precedence over keyring."),
    user=string("RADOS user name. Defaults to admin."),
)

ScaleIOPersistentVolumeSource = struct(
    P + "ScaleIOPersistentVolumeSource",
    "A Dell EMC ScaleIO volume mounted as a persistent volume.",
    required=("gateway", "system", "secretRef"),
    fsType=string("Filesystem type to mount, such as ext4 or xfs. Defaults to xfs."),
    gateway=string("Where the ScaleIO API gateway can be reached."),
    protectionDomain=string("ScaleIO protection domain holding the storage."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
    secretRef=ref(SecretReference, "Secret with the ScaleIO user's credentials."),
    sslEnabled=boolean("Use SSL to talk to the gateway. Defaults to false."),
    storageMode=string("ThickProvisioned or ThinProvisioned. Defaults to ThinProvisioned."),
    storagePool=string("Storage pool, within the protection domain, to use."),
    system=string("Name of the ScaleIO storage system."),
    volumeName=string("Name of an existing ScaleIO volume."),
)

StorageOSPersistentVolumeSource = struct(
    P + "StorageOSPersistentVolumeSource",
    "A StorageOS volume mounted as a persistent volume.",
    fsType=string("Filesystem type to mount, such as ext4 or xfs; ext4 is used when left empty."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
    secretRef=ref(ObjectReference, "Secret with the StorageOS API credentials; defaults apply when unset."),
    volumeName=string("The StorageOS volume to use; names are scoped to a StorageOS namespace."),
    volumeNamespace=string("StorageOS namespace of the volume; the pod's namespace when empty."),
)

VolumeNodeAffinity = struct(
    P + "VolumeNodeAffinity",
    "The nodes from which a persistent volume can be reached.",
    props={"required": ref(NodeSelector, "Node constraints that a pod using the volume must satisfy.")},
)

VsphereVirtualDiskVolumeSource = struct(
    P + "VsphereVirtualDiskVolumeSource",
    "A vSphere virtual disk mounted into the pod (deprecated in favour of the vSphere CSI driver).",
    required=("volumePath",),
    fsType=string("Filesystem type to mount, such as ext4, xfs or ntfs; ext4 is used when left empty."),
    storagePolicyID=string("ID of the storage policy (SPBM) tied to storagePolicyName."),
    storagePolicyName=string("Name of the SPBM storage policy to apply."),
    volumePath=string("Path identifying the vmdk of the disk."),
)

PersistentVolumeSpec = struct(
    P + "PersistentVolumeSpec",
    "The properties and backing storage of a persistent volume.",
    accessModes=list_of(
        string(), "Access modes the volume supports, such as ReadWriteOnce, ReadOnlyMany or ReadWriteMany."
    ),
    awsElasticBlockStore=ref(
        AWSElasticBlockStoreVolumeSource, "An AWS EBS disk (deprecated; use the EBS CSI driver)."
    ),
    azureDisk=ref(AzureDiskVolumeSource, "An Azure data disk (deprecated; use the Azure Disk CSI driver)."),
    azureFile=ref(
        AzureFilePersistentVolumeSource, "An Azure File share (deprecated; use the Azure File CSI driver)."
    ),
    capacity=map_of(QUANTITY, "Size of the volume and any other resources it offers, usually just storage."),
    cephfs=ref(CephFSPersistentVolumeSource, "A CephFS filesystem."),
    cinder=ref(
        CinderPersistentVolumeSource, "An OpenStack Cinder volume (deprecated; use the Cinder CSI driver)."
    ),
    claimRef=ref(
        ObjectReference,
        "The claim bound to the volume, set when binding; can be preset to reserve the volume.",
        struct_type="granular",
    ),
    csi=ref(CSIPersistentVolumeSource, "A volume provided by a CSI driver."),
    fc=ref(FCVolumeSource, "A Fibre Channel disk."),
    flexVolume=ref(FlexPersistentVolumeSource, "A volume handled by a FlexVolume driver (deprecated)."),
    flocker=ref(FlockerVolumeSource, "A Flocker dataset (deprecated)."),
    gcePersistentDisk=ref(
        GCEPersistentDiskVolumeSource, "A GCE persistent disk (deprecated; use the PD CSI driver)."
    ),
    glusterfs=ref(GlusterfsPersistentVolumeSource, "A GlusterFS volume."),
    hostPath=ref(
        HostPathVolumeSource, "A path on the node itself; only for trusted workloads and single-node testing."
    ),
    iscsi=ref(ISCSIPersistentVolumeSource, "An iSCSI disk."),
    local=ref(LocalVolumeSource, "A disk or directory local to one node."),
    mountOptions=list_of(string(), "Mount options used when the volume is mounted, not validated."),
    nfs=ref(NFSVolumeSource, "An NFS export."),
    nodeAffinity=ref(VolumeNodeAffinity, "Nodes the volume can be used from."),
    persistentVolumeReclaimPolicy=string(
        "What happens when the claim goes away: Retain, Delete or Recycle (deprecated)."
    ),
    photonPersistentDisk=ref(PhotonPersistentDiskVolumeSource, "A Photon Controller disk (deprecated)."),
    portworxVolume=ref(PortworxVolumeSource, "A Portworx volume (deprecated; use the Portworx CSI driver)."),
    quobyte=ref(QuobyteVolumeSource, "A Quobyte volume."),
    rbd=ref(RBDPersistentVolumeSource, "A Ceph RADOS block device."),
    scaleIO=ref(ScaleIOPersistentVolumeSource, "A ScaleIO volume."),
    storageClassName=string(
        "Storage class the volume belongs to; only claims asking for that class bind to it."
    ),
    storageos=ref(StorageOSPersistentVolumeSource, "A StorageOS volume."),
    volumeAttributesClassName=string(
        "Volume attributes class applied to the volume, setting mutable properties such as IOPS."
    ),
    volumeMode=string("Filesystem or Block. Defaults to Filesystem."),
    vsphereVolume=ref(
        VsphereVirtualDiskVolumeSource, "A vSphere virtual disk (deprecated; use the vSphere CSI driver)."
    ),
)

PersistentVolumeStatus = struct(
    P + "PersistentVolumeStatus",
    "The observed state of a persistent volume.",
    lastPhaseTransitionTime=ref(TIME, "When the volume last changed phase."),
    message=string("Human-readable explanation of the current phase."),
    phase=string("Pending, Available, Bound, Released or Failed."),
    reason=string("Short machine-readable reason for a failure."),
)

PersistentVolume = struct(
    P + "PersistentVolume",
    "A piece of storage in the cluster, provisioned by an admin or dynamically, that claims bind to.",
    gvk=("", "v1", "PersistentVolume"),
    apiVersion=string("API group and version the object is written in; v1 for every core kind."),
    kind=string("The object's type name, for example Pod."),
    metadata=ref(
        meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations and the like."
    ),
    spec=ref(PersistentVolumeSpec, "The volume's properties and backing storage."),
    status=ref(PersistentVolumeStatus, "The observed state of the volume."),
)

PersistentVolumeClaimCondition = struct(
    P + "PersistentVolumeClaimCondition",
    "One aspect of a persistent volume claim's state.",
    required=("type", "status"),
    lastProbeTime=ref(TIME, "When the condition was last checked."),
    lastTransitionTime=ref(TIME, "When the condition last changed status."),
    message=string("Human-readable details about the condition."),
    reason=string("Short machine-readable reason for the last change, such as Resizing."),
    status=string("True, False or Unknown."),
    type=string("The aspect the condition reports on, such as Resizing or FileSystemResizePending."),
)

PersistentVolumeClaimStatus = struct(
    P + "PersistentVolumeClaimStatus",
    "The observed state of a persistent volume claim.",
    accessModes=list_of(string(), "Access modes of the bound volume."),
    allocatedResourceStatuses=map_of(
        string(),
        "Progress of a resize for each resource, such as ControllerResizeInProgress or NodeResizePending.",
        map_type="granular",
    ),
    allocatedResources=map_of(
        QUANTITY, "Resources set aside for the claim, which can exceed the request during a resize."
    ),
    capacity=map_of(QUANTITY, "Size and other resources the bound volume really has."),
    conditions=list_of(
        PersistentVolumeClaimCondition,
        "Conditions reported for the claim, such as Resizing.",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
    currentVolumeAttributesClassName=string("Volume attributes class currently applied to the volume."),
    modifyVolumeStatus=ref(
        ModifyVolumeStatus, "Progress of a change of volume attributes class, if one is going on."
    ),
    phase=string("Pending, Bound or Lost."),
)

PersistentVolumeClaim = struct(
    P + "PersistentVolumeClaim",
    "Storage asked for by a user, fulfilled by binding to a matching persistent volume.",
    gvk=("", "v1", "PersistentVolumeClaim"),
    apiVersion=string("API group and version the object is written in; v1 for every core kind."),
    kind=string("The object's type name, for example Pod."),
    metadata=ref(
        meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations and the like."
    ),
    spec=ref(PersistentVolumeClaimSpec, "The storage the claim asks for."),
    status=ref(PersistentVolumeClaimStatus, "The observed state of the claim."),
)

PersistentVolumeClaimList = struct(
    P + "PersistentVolumeClaimList",
    "A list of persistent volume claims.",
    required=("items",),
    gvk=("", "v1", "PersistentVolumeClaimList"),
    apiVersion=string("API group and version the list is written in; v1 for every core kind."),
    items=list_of(PersistentVolumeClaim, "The persistent volume claims."),
    kind=string("The list's type name, for example PodList."),
    metadata=ref(
        meta.LIST_META,
        "List metadata: the resource version of the snapshot and the continue token for paging.",
    ),
)

PersistentVolumeClaimVolumeSource = struct(
    P + "PersistentVolumeClaimVolumeSource",
    "Mounts the volume bound to a persistent volume claim of the pod's namespace.",
    required=("claimName",),
    claimName=string("Name of the claim."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
)

PersistentVolumeList = struct(
    P + "PersistentVolumeList",
    "A list of persistent volumes.",
    required=("items",),
    gvk=("", "v1", "PersistentVolumeList"),
    apiVersion=string("API group and version the list is written in; v1 for every core kind."),
    items=list_of(PersistentVolume, "The persistent volumes."),
    kind=string("The list's type name, for example PodList."),
    metadata=ref(
        meta.LIST_META,
        "List metadata: the resource version of the snapshot and the continue token for paging.",
    ),
)

PodDNSConfigOption = struct(
    P + "PodDNSConfigOption",
    "An option line for the pod's resolv.conf.",
    name=string("Option name, such as ndots."),
    value=string("Option value, if it takes one."),
)

PodDNSConfig = struct(
    P + "PodDNSConfig",
    "Extra DNS settings merged into those derived from the pod's DNS policy.",
    nameservers=list_of(string(), "DNS server addresses, added to the generated list without duplicates."),
    options=list_of(
        PodDNSConfigOption, "Resolver options; ones with a name already present replace the generated ones."
    ),
    searches=list_of(string(), "DNS search domains, added to the generated list without duplicates."),
)

PodOS = struct(
    P + "PodOS",
    "The operating system a pod's containers run on.",
    required=("name",),
    name=string("linux or windows; validation and the allowed fields depend on it."),
)

PodReadinessGate = struct(
    P + "PodReadinessGate",
    "An extra pod condition that must be true for the pod to count as ready.",
    required=("conditionType",),
    conditionType=string("The condition type in the pod's status conditions to wait for."),
)

PodResourceClaim = struct(
    P + "PodResourceClaim",
    "Names a resource claim a pod uses, either existing or created from a template.",
    required=("name",),
    name=string("Name of the entry, unique within the pod, that containers refer to."),
    resourceClaimName=string("Name of an existing resource claim in the pod's namespace."),
    resourceClaimTemplateName=string(
        "Name of a resource claim template from which a claim is created for the pod and deleted with it."
    ),
)

PodSchedulingGate = struct(
    P + "PodSchedulingGate",
    "A gate that holds a pod back from scheduling until it is removed.",
    required=("name",),
    name=string("Name of the gate, unique among the pod's gates."),
)

PodSchedulingGroup = struct(
    P + "PodSchedulingGroup",
    "The workload scheduling group a pod belongs to.",
    podGroupName=string("Name of the PodGroup object that stands for the group."),
)

Sysctl = struct(
    P + "Sysctl",
    "A kernel parameter set for the pod.",
    required=("name", "value"),
    name=string("Name of the parameter, such as net.ipv4.ip_local_port_range."),
    value=string("Value to set."),
)

PodSecurityContext = struct(
    P + "PodSecurityContext",
    "Security settings for a whole pod; some also serve as defaults for its containers.",
    appArmorProfile=ref(AppArmorProfile, "AppArmor profile for the pod's containers."),
    fsGroup=int64("Extra group added to every container that also gets ownership of the pod's volumes."),
    fsGroupChangePolicy=string(
        "Always, or OnRootMismatch to skip volumes whose root already has the right owner."
    ),
    runAsGroup=int64("Primary group ID for the containers' processes; the runtime default when unset."),
    runAsNonRoot=boolean("When true, the kubelet rejects any container that would run as root (UID 0)."),
    runAsUser=int64("User ID for the containers' processes; the image's user when unset."),
    seLinuxChangePolicy=string(
        "MountOption to label volumes with a mount option, or Recursive to relabel each file."
    ),
    seLinuxOptions=ref(
        SELinuxOptions, "SELinux label for all containers; a random one is assigned when unset."
    ),
    seccompProfile=ref(SeccompProfile, "Seccomp profile for the pod's containers."),
    supplementalGroups=list_of(int64(), "Extra group IDs added to the first process of every container."),
    supplementalGroupsPolicy=string(
        "Merge adds groups from the image's /etc/group; Strict uses only those given. Defaults to Merge."
    ),
    sysctls=list_of(Sysctl, "Namespaced kernel parameters set for the pod."),
    windowsOptions=ref(WindowsSecurityContextOptions, "Windows-specific settings for all containers."),
)

Toleration = struct(
    P + "Toleration",
    "Lets a pod be scheduled on, or stay on, nodes with a matching taint.",
    effect=string("Taint effect to match: NoSchedule, PreferNoSchedule or NoExecute; empty matches all."),
    key=string("Taint key to match; empty with operator Exists matches every taint."),
    operator=string(
        "Equal matches the value, Exists matches any value, Lt and Gt compare numbers. Defaults to Equal."
    ),
    tolerationSeconds=int64(
        "How long the pod stays on a node after a NoExecute taint appears; forever when unset."
    ),
    value=string("Taint value to match; must be empty with Exists."),
)

TopologySpreadConstraint = struct(
    P + "TopologySpreadConstraint",
    "A rule that spreads matching pods evenly across topology domains such as zones or nodes.",
    required=("maxSkew", "topologyKey", "whenUnsatisfiable"),
    labelSelector=ref(meta.LABEL_SELECTOR, "Selects the pods counted in each domain."),
    matchLabelKeys=list_of(
        string(),
        "Label keys whose values on the incoming pod are added to the selector, e.g. pod-template-hash.",
    ),
    maxSkew=integer(
        "How unevenly matching pods may be spread, as the largest gap between domain counts; at least 1."
    ),
    minDomains=integer(
        "Least number of eligible domains; below it, empty domains count as zero for the skew."
    ),
    nodeAffinityPolicy=string(
        "Honor counts only nodes that match the pod's node affinity; Ignore counts all. Defaults to Honor."
    ),
    nodeTaintsPolicy=string(
        "Honor skips nodes with taints the pod does not tolerate; Ignore counts all. Defaults to Ignore."
    ),
    topologyKey=string("Node label whose values define the domains."),
    whenUnsatisfiable=string(
        "DoNotSchedule keeps the pod pending; ScheduleAnyway places it while preferring low skew."
    ),
)

PodCertificateProjection = struct(
    P + "PodCertificateProjection",
    "Has the kubelet create a key and fetch a certificate for the pod, written into the volume.",
    required=("signerName", "keyType"),
    certificateChainPath=string(
        "Where to write the certificate chain; credentialBundlePath avoids reading mid-rotation."
    ),
    credentialBundlePath=string(
        "Where to write a single PEM file with the private key followed by the certificate chain."
    ),
    keyPath=string("Where to write the private key; credentialBundlePath avoids reading mid-rotation."),
    keyType=string("Key algorithm: RSA3072, RSA4096, ECDSAP256, ECDSAP384, ECDSAP521 or ED25519."),
    maxExpirationSeconds=integer(
        "Longest certificate lifetime the pod accepts, from one hour to 91 days. Defaults to 24 hours."
    ),
    signerName=string("The signer the certificate requests are sent to."),
    userAnnotations=map_of(string(), "Free-form data passed to the signer; keys need a domain prefix."),
)

SecretProjection = struct(
    P + "SecretProjection",
    "Puts the entries of a secret, as files, into a projected volume.",
    items=list_of(
        KeyToPath, "Keys to project and where; every key becomes a file named after it when empty."
    ),
    name=string("Name of the secret."),
    optional=boolean("Tolerate a missing secret or key instead of failing."),
)

ServiceAccountTokenProjection = struct(
    P + "ServiceAccountTokenProjection",
    "Projects a token for the pod's service account into a file, refreshed by the kubelet.",
    required=("path",),
    audience=string("Audience the token is issued for; the API server's own identifier when empty."),
    expirationSeconds=int64(
        "Requested token lifetime, at least 600 seconds; refreshed before expiry. Defaults to 3600."
    ),
    path=string("Path of the token file, relative to the volume root."),
)

VolumeProjection = struct(
    P + "VolumeProjection",
    "One source of files in a projected volume; exactly one field is set.",
    clusterTrustBundle=ref(ClusterTrustBundleProjection, "Certificates from cluster trust bundles."),
    configMap=ref(ConfigMapProjection, "Entries of a config map."),
    downwardAPI=ref(DownwardAPIProjection, "Fields and resource values of the pod."),
    podCertificate=ref(PodCertificateProjection, "A private key and certificate issued for the pod."),
    secret=ref(SecretProjection, "Entries of a secret."),
    serviceAccountToken=ref(ServiceAccountTokenProjection, "A service account token."),
)

ProjectedVolumeSource = struct(
    P + "ProjectedVolumeSource",
    "A volume that combines several sources of files into one directory.",
    defaultMode=integer("Permission bits for the created files, from 0 to 0777 (octal)."),
    sources=list_of(VolumeProjection, "The sources to combine."),
)

RBDVolumeSource = struct(
    P + "RBDVolumeSource",
    "A Ceph RADOS block device mounted into the pod.",
    required=("monitors", "image"),
    fsType=string("Filesystem type to mount, such as ext4, xfs or ntfs; ext4 is used when left empty."),
    image=string("Name of the RBD image."),
    keyring=string("Path of the keyring for the RBD user. Defaults to /etc/ceph/keyring."),
    monitors=list_of(string(), "Addresses of the Ceph monitors."),
    pool=string("RADOS pool name. Defaults to rbd."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
    secretRef=ref(
        LocalObjectReference,
        "Secret in the pod's namespace with the RBD user's key; takes precedence over keyring.",
    ),
    user=string("RADOS user name. Defaults to admin."),
)

ScaleIOVolumeSource = struct(
    P + "ScaleIOVolumeSource",
    "A Dell EMC ScaleIO volume mounted into the pod.",
    required=("gateway", "system", "secretRef"),
    fsType=string("Filesystem type to mount, such as ext4 or xfs. Defaults to xfs."),
    gateway=string("Where the ScaleIO API gateway can be reached."),
    protectionDomain=string("ScaleIO protection domain holding the storage."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
    secretRef=ref(LocalObjectReference, "Secret in the pod's namespace with the ScaleIO user's credentials."),
    sslEnabled=boolean("Use SSL to talk to the gateway. Defaults to false."),
    storageMode=string("ThickProvisioned or ThinProvisioned. Defaults to ThinProvisioned."),
    storagePool=string("Storage pool, within the protection domain, to use."),
    system=string("Name of the ScaleIO storage system."),
    volumeName=string("Name of an existing ScaleIO volume."),
)

SecretVolumeSource = struct(
    P + "SecretVolumeSource",
    "Mounts the entries of a secret as files.",
    defaultMode=integer("Permission bits for the created files, from 0 to 0777 (octal). Defaults to 0644."),
    items=list_of(
        KeyToPath, "Keys to project and where; every key becomes a file named after it when empty."
    ),
    optional=boolean("Tolerate a missing secret or key instead of failing."),
    secretName=string("The secret to mount, looked up in the pod's namespace."),
)

StorageOSVolumeSource = struct(
    P + "StorageOSVolumeSource",
    "A StorageOS volume mounted into the pod.",
    fsType=string("Filesystem type to mount, such as ext4 or xfs; ext4 is used when left empty."),
    readOnly=boolean("Mount the volume read-only. Defaults to false."),
    secretRef=ref(LocalObjectReference, "Secret in the pod's namespace with the StorageOS API credentials."),
    volumeName=string("The StorageOS volume to use; names are scoped to a StorageOS namespace."),
    volumeNamespace=string("StorageOS namespace of the volume; the pod's namespace when empty."),
)

Volume = struct(
    P + "Volume",
    "A named volume of a pod, which its containers can mount; exactly one source is set.",
    required=("name",),
    awsElasticBlockStore=ref(
        AWSElasticBlockStoreVolumeSource, "An AWS EBS disk (deprecated; use the EBS CSI driver)."
    ),
    azureDisk=ref(AzureDiskVolumeSource, "An Azure data disk (deprecated; use the Azure Disk CSI driver)."),
    azureFile=ref(AzureFileVolumeSource, "An Azure File share (deprecated; use the Azure File CSI driver)."),
    cephfs=ref(CephFSVolumeSource, "A CephFS filesystem."),
    cinder=ref(CinderVolumeSource, "An OpenStack Cinder volume (deprecated; use the Cinder CSI driver)."),
    configMap=ref(ConfigMapVolumeSource, "Files from a config map."),
    csi=ref(CSIVolumeSource, "An ephemeral volume provided by a CSI driver."),
    downwardAPI=ref(DownwardAPIVolumeSource, "Files with fields and resource values of the pod."),
    emptyDir=ref(EmptyDirVolumeSource, "A scratch directory that lives as long as the pod."),
    ephemeral=ref(EphemeralVolumeSource, "A volume from a claim created for the pod and deleted with it."),
    fc=ref(FCVolumeSource, "A Fibre Channel disk."),
    flexVolume=ref(FlexVolumeSource, "A volume handled by a FlexVolume driver (deprecated)."),
    flocker=ref(FlockerVolumeSource, "A Flocker dataset (deprecated)."),
    gcePersistentDisk=ref(
        GCEPersistentDiskVolumeSource, "A GCE persistent disk (deprecated; use the PD CSI driver)."
    ),
    gitRepo=ref(GitRepoVolumeSource, "A clone of a git repository (deprecated)."),
    glusterfs=ref(GlusterfsVolumeSource, "A GlusterFS volume."),
    hostPath=ref(
        HostPathVolumeSource, "A path on the node itself; only for trusted workloads and single-node testing."
    ),
    image=ref(ImageVolumeSource, "An OCI image or artifact, mounted read-only."),
    iscsi=ref(ISCSIVolumeSource, "An iSCSI disk."),
    name=string("Name of the volume, a DNS label unique within the pod."),
    nfs=ref(NFSVolumeSource, "An NFS export."),
    persistentVolumeClaim=ref(
        PersistentVolumeClaimVolumeSource, "The volume bound to a persistent volume claim."
    ),
    photonPersistentDisk=ref(PhotonPersistentDiskVolumeSource, "A Photon Controller disk (deprecated)."),
    portworxVolume=ref(PortworxVolumeSource, "A Portworx volume (deprecated; use the Portworx CSI driver)."),
    projected=ref(ProjectedVolumeSource, "Several sources of files merged into one directory."),
    quobyte=ref(QuobyteVolumeSource, "A Quobyte volume."),
    rbd=ref(RBDVolumeSource, "A Ceph RADOS block device."),
    scaleIO=ref(ScaleIOVolumeSource, "A ScaleIO volume."),
    secret=ref(SecretVolumeSource, "Files from a secret."),
    storageos=ref(StorageOSVolumeSource, "A StorageOS volume."),
    vsphereVolume=ref(
        VsphereVirtualDiskVolumeSource, "A vSphere virtual disk (deprecated; use the vSphere CSI driver)."
    ),
)

PodSpec = struct(
    P + "PodSpec",
    "The desired state of a pod: its containers, volumes and scheduling and security settings.",
    required=("containers",),
    activeDeadlineSeconds=int64(
        "Seconds the pod may run, counted from its start, before its containers are killed."
    ),
    affinity=ref(Affinity, "Node affinity, pod affinity and pod anti-affinity rules for scheduling."),
    automountServiceAccountToken=boolean(
        "Mount an API token of the pod's service account; overrides the account's own setting."
    ),
    containers=list_of(
        Container,
        "The application containers; at least one, and the list cannot change after creation.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge",
        merge_key="name",
    ),
    dnsConfig=ref(PodDNSConfig, "Extra DNS settings for the pod, merged with those from dnsPolicy."),
    dnsPolicy=string("ClusterFirst, ClusterFirstWithHostNet, Default or None. Defaults to ClusterFirst."),
    enableServiceLinks=boolean(
        "Inject variables describing the namespace's services, Docker-links style. Defaults to true."
    ),
    ephemeralContainers=list_of(
        EphemeralContainer,
        "Temporary containers added to the running pod, through the ephemeralcontainers subresource only.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge",
        merge_key="name",
    ),
    hostAliases=list_of(
        HostAlias,
        "Extra entries written to the pod's /etc/hosts.",
        list_type="map",
        map_keys=("ip",),
        patch_strategy="merge",
        merge_key="ip",
    ),
    hostIPC=boolean("Share the node's IPC namespace. Defaults to false."),
    hostNetwork=boolean("Share the node's network namespace and interfaces. Defaults to false."),
    hostPID=boolean("Share the node's process ID namespace. Defaults to false."),
    hostUsers=boolean(
        "Use the node's user namespace; false gives the pod its own user namespace. Defaults to true."
    ),
    hostname=string("Hostname of the pod; the pod's name when unset."),
    hostnameOverride=string(
        "Hostname seen inside the pod, overriding hostname and subdomain; DNS records are unaffected."
    ),
    imagePullSecrets=list_of(
        LocalObjectReference,
        "Secrets in the pod's namespace with registry credentials for pulling the images.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge",
        merge_key="name",
    ),
    initContainers=list_of(
        Container,
        "Containers run in order to completion before the app containers start; sidecars keep running.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge",
        merge_key="name",
    ),
    nodeName=string("Node to run on; set by the scheduler, or by the user to bypass scheduling."),
    nodeSelector=map_of(
        string(), "Node labels (key and value) required on any node the pod lands on.", map_type="atomic"
    ),
    os=ref(PodOS, "Operating system the pod runs on; restricts which other fields may be set."),
    overhead=map_of(
        QUANTITY, "Resources used by the pod sandbox beyond its containers, filled in from the runtime class."
    ),
    preemptionPolicy=string("PreemptLowerPriority to evict lower-priority pods when needed, or Never."),
    priority=integer(
        "Priority value, filled in from priorityClassName by admission; higher means more important."
    ),
    priorityClassName=string("Name of the priority class that sets the pod's priority."),
    readinessGates=list_of(
        PodReadinessGate, "Extra pod conditions that must be true for the pod to be ready."
    ),
    resourceClaims=list_of(
        PodResourceClaim,
        "Dynamic resource claims the pod uses, which containers reference by entry name.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge,retainKeys",
        merge_key="name",
    ),
    resources=ref(
        ResourceRequirements,
        "Total CPU, memory and hugepages for the whole pod, shared among its containers.",
    ),
    restartPolicy=string(
        "When containers are restarted after exiting: Always, OnFailure or Never. Defaults to Always."
    ),
    runtimeClassName=string("Runtime class to run the pod with; the default handler when unset."),
    schedulerName=string("Scheduler responsible for placing the pod; the default scheduler when unset."),
    schedulingGates=list_of(
        PodSchedulingGate,
        "Gates that hold the pod back from scheduling while any remain; can only be removed.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge",
        merge_key="name",
    ),
    schedulingGroup=ref(PodSchedulingGroup, "The workload scheduling group the pod belongs to."),
    securityContext=ref(PodSecurityContext, "Security settings for the pod and defaults for its containers."),
    serviceAccount=string("Deprecated alias of serviceAccountName."),
    serviceAccountName=string("Service account the pod runs as."),
    setHostnameAsFQDN=boolean(
        "Set the kernel hostname to the pod's FQDN instead of the short name. Defaults to false."
    ),
    shareProcessNamespace=boolean(
        "Run all containers in one process namespace, so they can see each other's processes."
    ),
    subdomain=string(
        "With a matching headless service, gives the pod the DNS name hostname.subdomain.namespace.svc."
    ),
    terminationGracePeriodSeconds=int64(
        "Seconds between the stop signal and the forced kill when the pod is deleted. Defaults to 30."
    ),
    tolerations=list_of(Toleration, "Taints the pod tolerates."),
    topologySpreadConstraints=list_of(
        TopologySpreadConstraint,
        "Rules that spread pods evenly across topology domains.",
        list_type="map",
        map_keys=("topologyKey", "whenUnsatisfiable"),
        patch_strategy="merge",
        merge_key="topologyKey",
    ),
    volumes=list_of(
        Volume,
        "Volumes that the pod's containers can mount.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge,retainKeys",
        merge_key="name",
    ),
)

PodCondition = struct(
    P + "PodCondition",
    "One aspect of a pod's state, such as Ready or PodScheduled.",
    required=("type", "status"),
    lastProbeTime=ref(TIME, "When the condition was last checked."),
    lastTransitionTime=ref(TIME, "When the condition last changed status."),
    message=string("Human-readable details about the condition."),
    observedGeneration=int64("The pod metadata.generation the condition was computed for."),
    reason=string("Short machine-readable reason for the last change."),
    status=string("True, False or Unknown."),
    type=string(
        "The aspect the condition reports on, such as Ready, ContainersReady, Initialized or PodScheduled."
    ),
)

PodExtendedResourceClaimStatus = struct(
    P + "PodExtendedResourceClaimStatus",
    "The resource claim the scheduler generated to serve a pod's extended resource requests.",
    required=("requestMappings", "resourceClaimName"),
    requestMappings=list_of(
        ContainerExtendedResourceRequest,
        "Which device request of the claim serves each container's extended resource.",
    ),
    resourceClaimName=string("Name of the generated resource claim, in the pod's namespace."),
)

PodIP = struct(
    P + "PodIP",
    "One IP address of a pod.",
    required=("ip",),
    ip=string("The address."),
)

PodResourceClaimStatus = struct(
    P + "PodResourceClaimStatus",
    "The name of the resource claim used for one entry of a pod's resourceClaims.",
    required=("name",),
    name=string("Name of the entry in the pod's resourceClaims."),
    resourceClaimName=string("Name of the claim created for the entry; unset when none was needed."),
)

PodStatus = struct(
    P + "PodStatus",
    "The observed state of a pod.",
    allocatedResources=map_of(QUANTITY, "Resources the node has set aside for the pod as a whole."),
    conditions=list_of(
        PodCondition,
        "Conditions reported for the pod.",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
    containerStatuses=list_of(ContainerStatus, "State of each app container."),
    ephemeralContainerStatuses=list_of(ContainerStatus, "State of each ephemeral container."),
    extendedResourceClaimStatus=ref(
        PodExtendedResourceClaimStatus,
        "The claim generated for extended resources served by dynamic resource allocation.",
    ),
    hostIP=string("Primary IP address of the node the pod runs on."),
    hostIPs=list_of(
        HostIP,
        "IP addresses of the node the pod runs on, one per family at most.",
        patch_strategy="merge",
        merge_key="ip",
    ),
    initContainerStatuses=list_of(ContainerStatus, "State of each init container."),
    message=string("Free-text explanation of the pod's current state."),
    nodeAllocatableResourceClaimStatuses=list_of(
        NodeAllocatableResourceClaimStatus,
        "Node-allocatable resources given to the pod through resource claims.",
    ),
    nominatedNodeName=string("Node where the pod is expected to run after preempting other pods there."),
    observedGeneration=int64("The pod metadata.generation this status was computed for."),
    phase=string("Summary of the pod's lifecycle: Pending, Running, Succeeded, Failed or Unknown."),
    podIP=string("Primary IP address of the pod."),
    podIPs=list_of(
        PodIP,
        "IP addresses of the pod, one per family at most; the first equals podIP.",
        list_type="map",
        map_keys=("ip",),
        patch_strategy="merge",
        merge_key="ip",
    ),
    qosClass=string("QoS class derived from requests and limits: Guaranteed, Burstable or BestEffort."),
    reason=string("Short CamelCase reason for the pod's state, such as Evicted."),
    resize=string(
        "Deprecated in-place resize state; see the PodResizePending and PodResizeInProgress conditions."
    ),
    resourceClaimStatuses=list_of(
        PodResourceClaimStatus,
        "Name of the resource claim used for each entry of spec.resourceClaims.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge,retainKeys",
        merge_key="name",
    ),
    resources=ref(ResourceRequirements, "Pod-level requests and limits actually configured."),
    startTime=ref(TIME, "When the kubelet accepted the pod, before its images were pulled."),
)

Pod = struct(
    P + "Pod",
    "A group of containers sharing storage and network that is scheduled onto a node as one unit.",
    gvk=("", "v1", "Pod"),
    apiVersion=string("API group and version the object is written in; v1 for every core kind."),
    kind=string("The object's type name, for example Pod."),
    metadata=ref(
        meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations and the like."
    ),
    spec=ref(PodSpec, "The desired state of the pod."),
    status=ref(PodStatus, "The observed state of the pod, reported by the kubelet."),
)

PodList = struct(
    P + "PodList",
    "A list of pods.",
    required=("items",),
    gvk=("", "v1", "PodList"),
    apiVersion=string("API group and version the list is written in; v1 for every core kind."),
    items=list_of(Pod, "The pods."),
    kind=string("The list's type name, for example PodList."),
    metadata=ref(
        meta.LIST_META,
        "List metadata: the resource version of the snapshot and the continue token for paging.",
    ),
)

PodTemplateSpec = struct(
    P + "PodTemplateSpec",
    "A description of pods to create from a template.",
    metadata=ref(meta.OBJECT_META, "Metadata given to the created pods, such as labels."),
    spec=ref(PodSpec, "Spec of the created pods."),
)

PodTemplate = struct(
    P + "PodTemplate",
    "A stored pod template.",
    gvk=("", "v1", "PodTemplate"),
    apiVersion=string("API group and version the object is written in; v1 for every core kind."),
    kind=string("The object's type name, for example Pod."),
    metadata=ref(
        meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations and the like."
    ),
    template=ref(PodTemplateSpec, "The template."),
)

PodTemplateList = struct(
    P + "PodTemplateList",
    "A list of pod templates.",
    required=("items",),
    gvk=("", "v1", "PodTemplateList"),
    apiVersion=string("API group and version the list is written in; v1 for every core kind."),
    items=list_of(PodTemplate, "The pod templates."),
    kind=string("The list's type name, for example PodList."),
    metadata=ref(
        meta.LIST_META,
        "List metadata: the resource version of the snapshot and the continue token for paging.",
    ),
)

ReplicationControllerSpec = struct(
    P + "ReplicationControllerSpec",
    "The desired state of a replication controller.",
    minReadySeconds=integer(
        "Seconds a new pod must stay ready, without crashes, to count as available. Defaults to 0."
    ),
    replicas=integer("Number of pods wanted. Defaults to 1."),
    selector=map_of(
        string(),
        "Labels identifying the controlled pods; the template's labels when empty.",
        map_type="atomic",
    ),
    template=ref(PodTemplateSpec, "Template of the pods to create."),
)

ReplicationControllerCondition = struct(
    P + "ReplicationControllerCondition",
    "One aspect of a replication controller's state.",
    required=("type", "status"),
    lastTransitionTime=ref(TIME, "When the condition last changed status."),
    message=string("Human-readable details about the condition."),
    reason=string("Short machine-readable reason for the last change."),
    status=string("True, False or Unknown."),
    type=string("The aspect the condition reports on, such as ReplicaFailure."),
)

ReplicationControllerStatus = struct(
    P + "ReplicationControllerStatus",
    "The observed state of a replication controller.",
    required=("replicas",),
    availableReplicas=integer("Count of pods that have stayed ready for minReadySeconds."),
    conditions=list_of(
        ReplicationControllerCondition,
        "Conditions reported for the controller.",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
    fullyLabeledReplicas=integer("Pods whose labels match the template's labels."),
    observedGeneration=int64("Latest generation of the controller that was acted on."),
    readyReplicas=integer("Pods that are ready."),
    replicas=integer("Pods found, recently observed."),
)

ReplicationController = struct(
    P + "ReplicationController",
    "Keeps a fixed number of copies of a pod running (superseded by ReplicaSet and Deployment).",
    gvk=("", "v1", "ReplicationController"),
    apiVersion=string("API group and version the object is written in; v1 for every core kind."),
    kind=string("The object's type name, for example Pod."),
    metadata=ref(
        meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations and the like."
    ),
    spec=ref(ReplicationControllerSpec, "The desired state of the controller."),
    status=ref(ReplicationControllerStatus, "The observed state of the controller."),
)

ReplicationControllerList = struct(
    P + "ReplicationControllerList",
    "A list of replication controllers.",
    required=("items",),
    gvk=("", "v1", "ReplicationControllerList"),
    apiVersion=string("API group and version the list is written in; v1 for every core kind."),
    items=list_of(ReplicationController, "The replication controllers."),
    kind=string("The list's type name, for example PodList."),
    metadata=ref(
        meta.LIST_META,
        "List metadata: the resource version of the snapshot and the continue token for paging.",
    ),
)

ScopedResourceSelectorRequirement = struct(
    P + "ScopedResourceSelectorRequirement",
    "One condition on a quota scope.",
    required=("scopeName", "operator"),
    operator=string("How the scope is tested: In, NotIn, Exists or DoesNotExist."),
    scopeName=string("The scope tested, such as PriorityClass or Terminating."),
    values=list_of(
        string(),
        "Values to compare against; empty for Exists and DoesNotExist, at least one for In and NotIn.",
    ),
)

ScopeSelector = struct(
    P + "ScopeSelector",
    "Conditions on scopes that decide which objects a quota counts.",
    struct_type="atomic",
    matchExpressions=list_of(ScopedResourceSelectorRequirement, "Conditions that must all hold."),
)

ResourceQuotaSpec = struct(
    P + "ResourceQuotaSpec",
    "The limits a resource quota enforces.",
    hard=map_of(QUANTITY, "Most of each named resource the namespace may use."),
    scopeSelector=ref(ScopeSelector, "Conditions on scopes; only objects meeting them are counted."),
    scopes=list_of(
        string(), "Scopes that objects must all be in to be counted, such as BestEffort or NotTerminating."
    ),
)

ResourceQuotaStatus = struct(
    P + "ResourceQuotaStatus",
    "Current use against a resource quota.",
    hard=map_of(QUANTITY, "The limits being enforced."),
    used=map_of(QUANTITY, "Current use of each limited resource in the namespace."),
)

ResourceQuota = struct(
    P + "ResourceQuota",
    "Caps the total resources and object counts a namespace may consume.",
    gvk=("", "v1", "ResourceQuota"),
    apiVersion=string("API group and version the object is written in; v1 for every core kind."),
    kind=string("The object's type name, for example Pod."),
    metadata=ref(
        meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations and the like."
    ),
    spec=ref(ResourceQuotaSpec, "The limits to enforce."),
    status=ref(ResourceQuotaStatus, "Current use against the limits."),
)

ResourceQuotaList = struct(
    P + "ResourceQuotaList",
    "A list of resource quotas.",
    required=("items",),
    gvk=("", "v1", "ResourceQuotaList"),
    apiVersion=string("API group and version the list is written in; v1 for every core kind."),
    items=list_of(ResourceQuota, "The resource quotas."),
    kind=string("The list's type name, for example PodList."),
    metadata=ref(
        meta.LIST_META,
        "List metadata: the resource version of the snapshot and the continue token for paging.",
    ),
)

Secret = struct(
    P + "Secret",
    "A small amount of sensitive data, such as a password, token or key.",
    gvk=("", "v1", "Secret"),
    apiVersion=string("API group and version the object is written in; v1 for every core kind."),
    data=map_of(
        byte_string(),
        "Entries with base64-encoded values; keys are letters, digits, dashes, underscores and dots.",
    ),
    immutable=boolean(
        "When true, the data can no longer change (only deletion is allowed); cannot be unset once set."
    ),
    kind=string("The object's type name, for example Pod."),
    metadata=ref(
        meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations and the like."
    ),
    stringData=map_of(
        string(),
        "Write-only plain-text entries merged into data on write, winning over it; never returned on read.",
    ),
    type=string(
        "Type of secret, such as kubernetes.io/tls, which tools use to handle it. Defaults to Opaque."
    ),
)

SecretList = struct(
    P + "SecretList",
    "A list of secrets.",
    required=("items",),
    gvk=("", "v1", "SecretList"),
    apiVersion=string("API group and version the list is written in; v1 for every core kind."),
    items=list_of(Secret, "The secrets."),
    kind=string("The list's type name, for example PodList."),
    metadata=ref(
        meta.LIST_META,
        "List metadata: the resource version of the snapshot and the continue token for paging.",
    ),
)

ServicePort = struct(
    P + "ServicePort",
    "A port a service exposes.",
    required=("port",),
    appProtocol=string("Application protocol of the port, such as http, https or kubernetes.io/h2c."),
    name=string(
        "Name of the port, a DNS label unique within the service; required when there are several ports."
    ),
    nodePort=integer(
        "Port opened on every node for NodePort and LoadBalancer services; allocated when unset."
    ),
    port=integer("Port the service listens on."),
    protocol=string("TCP, UDP or SCTP. Defaults to TCP."),
    targetPort=ref(
        INT_OR_STRING,
        "Port on the pods to send traffic to, by number or by name; the same as port when unset.",
    ),
)

SessionAffinityConfig = struct(
    P + "SessionAffinityConfig",
    "Settings for session affinity.",
    clientIP=ref(ClientIPConfig, "Settings for ClientIP affinity."),
)

ServiceSpec = struct(
    P + "ServiceSpec",
    "The desired behaviour of a service.",
    allocateLoadBalancerNodePorts=boolean(
        "Whether node ports are allocated for a LoadBalancer service. Defaults to true."
    ),
    clusterIP=string("Virtual IP of the service, allocated when empty; None makes a headless service."),
    clusterIPs=list_of(
        string(), "Virtual IPs of the service, at most one per IP family; the first equals clusterIP."
    ),
    externalIPs=list_of(
        string(),
        "Extra addresses on which cluster nodes accept traffic for the service; not managed by Kubernetes.",
    ),
    externalName=string("DNS name the service is a CNAME for, with type ExternalName."),
    externalTrafficPolicy=string(
        "Local keeps external traffic on the receiving node, preserving client IPs; Cluster spreads it."
    ),
    healthCheckNodePort=integer(
        "Node port serving health checks for Local external traffic policy; allocated when unset."
    ),
    internalTrafficPolicy=string(
        "Local sends in-cluster traffic only to same-node endpoints; Cluster uses all of them."
    ),
    ipFamilies=list_of(string(), "IP families of the service, IPv4 or IPv6, in order of preference."),
    ipFamilyPolicy=string("SingleStack, PreferDualStack or RequireDualStack; single stack when unset."),
    loadBalancerClass=string(
        "Load balancer implementation to use instead of the cloud provider's default; cannot change."
    ),
    loadBalancerIP=string("Requested load balancer address (deprecated; support varies by provider)."),
    loadBalancerSourceRanges=list_of(
        string(), "Client CIDRs allowed through the load balancer, when the provider supports it."
    ),
    ports=list_of(
        ServicePort,
        "Ports the service exposes.",
        list_type="map",
        map_keys=("port", "protocol"),
        patch_strategy="merge",
        merge_key="port",
    ),
    publishNotReadyAddresses=boolean(
        "Include pods in DNS and endpoints even before they are ready. Defaults to false."
    ),
    selector=map_of(
        string(),
        "Labels of the pods that back the service; endpoints are not managed when empty.",
        map_type="atomic",
    ),
    sessionAffinity=string(
        "ClientIP sends each client to the same endpoint; None does not. Defaults to None."
    ),
    sessionAffinityConfig=ref(SessionAffinityConfig, "Settings for session affinity."),
    trafficDistribution=string(
        "Hint on how to spread traffic over endpoints, such as PreferClose for nearby endpoints."
    ),
    type=string("ClusterIP, NodePort, LoadBalancer or ExternalName. Defaults to ClusterIP."),
)

ServiceStatus = struct(
    P + "ServiceStatus",
    "The observed state of a service.",
    conditions=list_of(
        meta.CONDITION,
        "Conditions reported for the service.",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
    loadBalancer=ref(LoadBalancerStatus, "Addresses of the service's load balancer, when it has one."),
)

Service = struct(
    P + "Service",
    "A stable name and virtual address for a set of pods, with load balancing across them.",
    gvk=("", "v1", "Service"),
    apiVersion=string("API group and version the object is written in; v1 for every core kind."),
    kind=string("The object's type name, for example Pod."),
    metadata=ref(
        meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations and the like."
    ),
    spec=ref(ServiceSpec, "The desired behaviour of the service."),
    status=ref(ServiceStatus, "The observed state of the service."),
)

ServiceAccount = struct(
    P + "ServiceAccount",
    "An identity for processes that run in pods.",
    gvk=("", "v1", "ServiceAccount"),
    apiVersion=string("API group and version the object is written in; v1 for every core kind."),
    automountServiceAccountToken=boolean(
        "Whether pods using the account get a token mounted automatically; pods can override it."
    ),
    imagePullSecrets=list_of(
        LocalObjectReference, "Registry credentials added to pods that use the account."
    ),
    kind=string("The object's type name, for example Pod."),
    metadata=ref(
        meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations and the like."
    ),
    secrets=list_of(
        ObjectReference,
        "Secrets pods using the account may use (legacy; tokens are no longer stored here).",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge",
        merge_key="name",
    ),
)

ServiceAccountList = struct(
    P + "ServiceAccountList",
    "A list of service accounts.",
    required=("items",),
    gvk=("", "v1", "ServiceAccountList"),
    apiVersion=string("API group and version the list is written in; v1 for every core kind."),
    items=list_of(ServiceAccount, "The service accounts."),
    kind=string("The list's type name, for example PodList."),
    metadata=ref(
        meta.LIST_META,
        "List metadata: the resource version of the snapshot and the continue token for paging.",
    ),
)

ServiceList = struct(
    P + "ServiceList",
    "A list of services.",
    required=("items",),
    gvk=("", "v1", "ServiceList"),
    apiVersion=string("API group and version the list is written in; v1 for every core kind."),
    items=list_of(Service, "The services."),
    kind=string("The list's type name, for example PodList."),
    metadata=ref(
        meta.LIST_META,
        "List metadata: the resource version of the snapshot and the continue token for paging.",
    ),
)

TopologySelectorLabelRequirement = struct(
    P + "TopologySelectorLabelRequirement",
    "A label key with the values it may take, used in topology selection.",
    required=("key", "values"),
    key=string("The label key."),
    values=list_of(string(), "Allowed values; any one matches."),
)

TopologySelectorTerm = struct(
    P + "TopologySelectorTerm",
    "Conditions on topology labels that must all hold.",
    struct_type="atomic",
    matchLabelExpressions=list_of(TopologySelectorLabelRequirement, "The label conditions."),
)
