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
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.core.v1."

AWSElasticBlockStoreVolumeSource = struct(
    P + "AWSElasticBlockStoreVolumeSource",
    "",
    required=("volumeID",),
    fsType=string(),
    partition=integer(),
    readOnly=boolean(),
    volumeID=string(),
)

NodeSelectorRequirement = struct(
    P + "NodeSelectorRequirement",
    "",
    required=("key", "operator"),
    key=string(),
    operator=string(),
    values=list_of(string(), ""),
)

NodeSelectorTerm = struct(
    P + "NodeSelectorTerm",
    "",
    struct_type="atomic",
    matchExpressions=list_of(NodeSelectorRequirement, ""),
    matchFields=list_of(NodeSelectorRequirement, ""),
)

NodeSelector = struct(
    P + "NodeSelector",
    "",
    required=("nodeSelectorTerms",),
    struct_type="atomic",
    nodeSelectorTerms=list_of(NodeSelectorTerm, ""),
)

PreferredSchedulingTerm = struct(
    P + "PreferredSchedulingTerm",
    "",
    required=("weight", "preference"),
    preference=NodeSelectorTerm,
    weight=integer(),
)

NodeAffinity = struct(
    P + "NodeAffinity",
    "",
    preferredDuringSchedulingIgnoredDuringExecution=list_of(PreferredSchedulingTerm, ""),
    requiredDuringSchedulingIgnoredDuringExecution=NodeSelector,
)

PodAffinityTerm = struct(
    P + "PodAffinityTerm",
    "",
    required=("topologyKey",),
    labelSelector=meta.LABEL_SELECTOR,
    matchLabelKeys=list_of(string(), ""),
    mismatchLabelKeys=list_of(string(), ""),
    namespaceSelector=meta.LABEL_SELECTOR,
    namespaces=list_of(string(), ""),
    topologyKey=string(),
)

WeightedPodAffinityTerm = struct(
    P + "WeightedPodAffinityTerm",
    "",
    required=("weight", "podAffinityTerm"),
    podAffinityTerm=PodAffinityTerm,
    weight=integer(),
)

PodAffinity = struct(
    P + "PodAffinity",
    "",
    preferredDuringSchedulingIgnoredDuringExecution=list_of(WeightedPodAffinityTerm, ""),
    requiredDuringSchedulingIgnoredDuringExecution=list_of(PodAffinityTerm, ""),
)

PodAntiAffinity = struct(
    P + "PodAntiAffinity",
    "",
    preferredDuringSchedulingIgnoredDuringExecution=list_of(WeightedPodAffinityTerm, ""),
    requiredDuringSchedulingIgnoredDuringExecution=list_of(PodAffinityTerm, ""),
)

Affinity = struct(
    P + "Affinity",
    "",
    nodeAffinity=NodeAffinity,
    podAffinity=PodAffinity,
    podAntiAffinity=PodAntiAffinity,
)

AppArmorProfile = struct(
    P + "AppArmorProfile",
    "",
    required=("type",),
    localhostProfile=string(),
    type=string(),
)

AttachedVolume = struct(
    P + "AttachedVolume",
    "",
    required=("name", "devicePath"),
    devicePath=string(),
    name=string(),
)

AzureDiskVolumeSource = struct(
    P + "AzureDiskVolumeSource",
    "",
    required=("diskName", "diskURI"),
    cachingMode=string(),
    diskName=string(),
    diskURI=string(),
    fsType=string(),
    kind=string(),
    readOnly=boolean(),
)

AzureFilePersistentVolumeSource = struct(
    P + "AzureFilePersistentVolumeSource",
    "",
    required=("secretName", "shareName"),
    readOnly=boolean(),
    secretName=string(),
    secretNamespace=string(),
    shareName=string(),
)

AzureFileVolumeSource = struct(
    P + "AzureFileVolumeSource",
    "",
    required=("secretName", "shareName"),
    readOnly=boolean(),
    secretName=string(),
    shareName=string(),
)

ObjectReference = struct(
    P + "ObjectReference",
    "",
    struct_type="atomic",
    apiVersion=string(),
    fieldPath=string(),
    kind=string(),
    name=string(),
    namespace=string(),
    resourceVersion=string(),
    uid=string(),
)

Binding = struct(
    P + "Binding",
    "",
    required=("target",),
    gvk=("", "v1", "Binding"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    target=ObjectReference,
)

SecretReference = struct(
    P + "SecretReference",
    "",
    struct_type="atomic",
    name=string(),
    namespace=string(),
)

CSIPersistentVolumeSource = struct(
    P + "CSIPersistentVolumeSource",
    "",
    required=("driver", "volumeHandle"),
    controllerExpandSecretRef=SecretReference,
    controllerPublishSecretRef=SecretReference,
    driver=string(),
    fsType=string(),
    nodeExpandSecretRef=SecretReference,
    nodePublishSecretRef=SecretReference,
    nodeStageSecretRef=SecretReference,
    readOnly=boolean(),
    volumeAttributes=map_of(string(), ""),
    volumeHandle=string(),
)

LocalObjectReference = struct(
    P + "LocalObjectReference",
    "",
    struct_type="atomic",
    name=string(),
)

CSIVolumeSource = struct(
    P + "CSIVolumeSource",
    "",
    required=("driver",),
    driver=string(),
    fsType=string(),
    nodePublishSecretRef=LocalObjectReference,
    readOnly=boolean(),
    volumeAttributes=map_of(string(), ""),
)

Capabilities = struct(
    P + "Capabilities",
    "",
    add=list_of(string(), ""),
    drop=list_of(string(), ""),
)

CephFSPersistentVolumeSource = struct(
    P + "CephFSPersistentVolumeSource",
    "",
    required=("monitors",),
    monitors=list_of(string(), ""),
    path=string(),
    readOnly=boolean(),
    secretFile=string(),
    secretRef=SecretReference,
    user=string(),
)

CephFSVolumeSource = struct(
    P + "CephFSVolumeSource",
    "",
    required=("monitors",),
    monitors=list_of(string(), ""),
    path=string(),
    readOnly=boolean(),
    secretFile=string(),
    secretRef=LocalObjectReference,
    user=string(),
)

CinderPersistentVolumeSource = struct(
    P + "CinderPersistentVolumeSource",
    "",
    required=("volumeID",),
    fsType=string(),
    readOnly=boolean(),
    secretRef=SecretReference,
    volumeID=string(),
)

CinderVolumeSource = struct(
    P + "CinderVolumeSource",
    "",
    required=("volumeID",),
    fsType=string(),
    readOnly=boolean(),
    secretRef=LocalObjectReference,
    volumeID=string(),
)

ClientIPConfig = struct(
    P + "ClientIPConfig",
    "",
    timeoutSeconds=integer(),
)

ClusterTrustBundleProjection = struct(
    P + "ClusterTrustBundleProjection",
    "",
    required=("path",),
    labelSelector=meta.LABEL_SELECTOR,
    name=string(),
    optional=boolean(),
    path=string(),
    signerName=string(),
)

ComponentCondition = struct(
    P + "ComponentCondition",
    "",
    required=("type", "status"),
    error=string(),
    message=string(),
    status=string(),
    type=string(),
)

ComponentStatus = struct(
    P + "ComponentStatus",
    "",
    gvk=("", "v1", "ComponentStatus"),
    apiVersion=string(),
    conditions=list_of(
        ComponentCondition, "", list_type="map", map_keys=("type",), patch_strategy="merge", merge_key="type"
    ),
    kind=string(),
    metadata=meta.OBJECT_META,
)

ComponentStatusList = struct(
    P + "ComponentStatusList",
    "",
    required=("items",),
    gvk=("", "v1", "ComponentStatusList"),
    apiVersion=string(),
    items=list_of(ComponentStatus, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

ConfigMap = struct(
    P + "ConfigMap",
    "",
    gvk=("", "v1", "ConfigMap"),
    apiVersion=string(),
    binaryData=map_of(byte_string(), ""),
    data=map_of(string(), ""),
    immutable=boolean(),
    kind=string(),
    metadata=meta.OBJECT_META,
)

ConfigMapEnvSource = struct(
    P + "ConfigMapEnvSource",
    "",
    name=string(),
    optional=boolean(),
)

ConfigMapKeySelector = struct(
    P + "ConfigMapKeySelector",
    "",
    required=("key",),
    struct_type="atomic",
    key=string(),
    name=string(),
    optional=boolean(),
)

ConfigMapList = struct(
    P + "ConfigMapList",
    "",
    required=("items",),
    gvk=("", "v1", "ConfigMapList"),
    apiVersion=string(),
    items=list_of(ConfigMap, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

ConfigMapNodeConfigSource = struct(
    P + "ConfigMapNodeConfigSource",
    "",
    required=("namespace", "name", "kubeletConfigKey"),
    kubeletConfigKey=string(),
    name=string(),
    namespace=string(),
    resourceVersion=string(),
    uid=string(),
)

KeyToPath = struct(
    P + "KeyToPath",
    "",
    required=("key", "path"),
    key=string(),
    mode=integer(),
    path=string(),
)

ConfigMapProjection = struct(
    P + "ConfigMapProjection",
    "",
    items=list_of(KeyToPath, ""),
    name=string(),
    optional=boolean(),
)

ConfigMapVolumeSource = struct(
    P + "ConfigMapVolumeSource",
    "",
    defaultMode=integer(),
    items=list_of(KeyToPath, ""),
    name=string(),
    optional=boolean(),
)

ContainerPort = struct(
    P + "ContainerPort",
    "",
    required=("containerPort",),
    containerPort=integer(),
    hostIP=string(),
    hostPort=integer(),
    name=string(),
    protocol=string(),
)

ContainerResizePolicy = struct(
    P + "ContainerResizePolicy",
    "",
    required=("resourceName", "restartPolicy"),
    resourceName=string(),
    restartPolicy=string(),
)

ContainerRestartRuleOnExitCodes = struct(
    P + "ContainerRestartRuleOnExitCodes",
    "",
    required=("operator",),
    operator=string(),
    values=list_of(integer(), "", list_type="set"),
)

ContainerRestartRule = struct(
    P + "ContainerRestartRule",
    "",
    required=("action",),
    action=string(),
    exitCodes=ContainerRestartRuleOnExitCodes,
)

SecretEnvSource = struct(
    P + "SecretEnvSource",
    "",
    name=string(),
    optional=boolean(),
)

EnvFromSource = struct(
    P + "EnvFromSource",
    "",
    configMapRef=ConfigMapEnvSource,
    prefix=string(),
    secretRef=SecretEnvSource,
)

FileKeySelector = struct(
    P + "FileKeySelector",
    "",
    required=("volumeName", "path", "key"),
    struct_type="atomic",
    key=string(),
    optional=boolean(),
    path=string(),
    volumeName=string(),
)

ObjectFieldSelector = struct(
    P + "ObjectFieldSelector",
    "",
    required=("fieldPath",),
    struct_type="atomic",
    apiVersion=string(),
    fieldPath=string(),
)

ResourceFieldSelector = struct(
    P + "ResourceFieldSelector",
    "",
    required=("resource",),
    struct_type="atomic",
    containerName=string(),
    divisor=QUANTITY,
    resource=string(),
)

SecretKeySelector = struct(
    P + "SecretKeySelector",
    "",
    required=("key",),
    struct_type="atomic",
    key=string(),
    name=string(),
    optional=boolean(),
)

EnvVarSource = struct(
    P + "EnvVarSource",
    "",
    configMapKeyRef=ConfigMapKeySelector,
    fieldRef=ObjectFieldSelector,
    fileKeyRef=FileKeySelector,
    resourceFieldRef=ResourceFieldSelector,
    secretKeyRef=SecretKeySelector,
)

EnvVar = struct(
    P + "EnvVar",
    "",
    required=("name",),
    name=string(),
    value=string(),
    valueFrom=EnvVarSource,
)

ExecAction = struct(
    P + "ExecAction",
    "",
    command=list_of(string(), ""),
)

HTTPHeader = struct(
    P + "HTTPHeader",
    "",
    required=("name", "value"),
    name=string(),
    value=string(),
)

HTTPGetAction = struct(
    P + "HTTPGetAction",
    "",
    required=("port",),
    host=string(),
    httpHeaders=list_of(HTTPHeader, ""),
    path=string(),
    port=INT_OR_STRING,
    scheme=string(),
)

SleepAction = struct(
    P + "SleepAction",
    "",
    required=("seconds",),
    seconds=int64(),
)

TCPSocketAction = struct(
    P + "TCPSocketAction",
    "",
    required=("port",),
    host=string(),
    port=INT_OR_STRING,
)

LifecycleHandler = struct(
    P + "LifecycleHandler",
    "",
    exec=ExecAction,
    httpGet=HTTPGetAction,
    sleep=SleepAction,
    tcpSocket=TCPSocketAction,
)

Lifecycle = struct(
    P + "Lifecycle",
    "",
    postStart=LifecycleHandler,
    preStop=LifecycleHandler,
    stopSignal=string(),
)

GRPCAction = struct(
    P + "GRPCAction",
    "",
    required=("port",),
    port=integer(),
    service=string(),
)

Probe = struct(
    P + "Probe",
    "",
    exec=ExecAction,
    failureThreshold=integer(),
    grpc=GRPCAction,
    httpGet=HTTPGetAction,
    initialDelaySeconds=integer(),
    periodSeconds=integer(),
    successThreshold=integer(),
    tcpSocket=TCPSocketAction,
    terminationGracePeriodSeconds=int64(),
    timeoutSeconds=integer(),
)

ResourceClaim = struct(
    P + "ResourceClaim",
    "",
    required=("name",),
    name=string(),
    request=string(),
)

ResourceRequirements = struct(
    P + "ResourceRequirements",
    "",
    claims=list_of(ResourceClaim, "", list_type="map", map_keys=("name",)),
    limits=map_of(QUANTITY, ""),
    requests=map_of(QUANTITY, ""),
)

SELinuxOptions = struct(
    P + "SELinuxOptions",
    "",
    level=string(),
    role=string(),
    type=string(),
    user=string(),
)

SeccompProfile = struct(
    P + "SeccompProfile",
    "",
    required=("type",),
    localhostProfile=string(),
    type=string(),
)

WindowsSecurityContextOptions = struct(
    P + "WindowsSecurityContextOptions",
    "",
    gmsaCredentialSpec=string(),
    gmsaCredentialSpecName=string(),
    hostProcess=boolean(),
    runAsUserName=string(),
)

SecurityContext = struct(
    P + "SecurityContext",
    "",
    allowPrivilegeEscalation=boolean(),
    appArmorProfile=AppArmorProfile,
    capabilities=Capabilities,
    privileged=boolean(),
    procMount=string(),
    readOnlyRootFilesystem=boolean(),
    runAsGroup=int64(),
    runAsNonRoot=boolean(),
    runAsUser=int64(),
    seLinuxOptions=SELinuxOptions,
    seccompProfile=SeccompProfile,
    windowsOptions=WindowsSecurityContextOptions,
)

VolumeDevice = struct(
    P + "VolumeDevice",
    "",
    required=("name", "devicePath"),
    devicePath=string(),
    name=string(),
)

VolumeMount = struct(
    P + "VolumeMount",
    "",
    required=("name", "mountPath"),
    mountPath=string(),
    mountPropagation=string(),
    name=string(),
    readOnly=boolean(),
    recursiveReadOnly=string(),
    subPath=string(),
    subPathExpr=string(),
)

Container = struct(
    P + "Container",
    "",
    required=("name",),
    args=list_of(string(), ""),
    command=list_of(string(), ""),
    env=list_of(EnvVar, "", list_type="map", map_keys=("name",), patch_strategy="merge", merge_key="name"),
    envFrom=list_of(EnvFromSource, ""),
    image=string(),
    imagePullPolicy=string(),
    lifecycle=Lifecycle,
    livenessProbe=Probe,
    name=string(),
    ports=list_of(
        ContainerPort,
        "",
        list_type="map",
        map_keys=("containerPort", "protocol"),
        patch_strategy="merge",
        merge_key="containerPort",
    ),
    readinessProbe=Probe,
    resizePolicy=list_of(ContainerResizePolicy, ""),
    resources=ResourceRequirements,
    restartPolicy=string(),
    restartPolicyRules=list_of(ContainerRestartRule, ""),
    securityContext=SecurityContext,
    startupProbe=Probe,
    stdin=boolean(),
    stdinOnce=boolean(),
    terminationMessagePath=string(),
    terminationMessagePolicy=string(),
    tty=boolean(),
    volumeDevices=list_of(
        VolumeDevice,
        "",
        list_type="map",
        map_keys=("devicePath",),
        patch_strategy="merge",
        merge_key="devicePath",
    ),
    volumeMounts=list_of(
        VolumeMount,
        "",
        list_type="map",
        map_keys=("mountPath",),
        patch_strategy="merge",
        merge_key="mountPath",
    ),
    workingDir=string(),
)

ContainerExtendedResourceRequest = struct(
    P + "ContainerExtendedResourceRequest",
    "",
    required=("containerName", "resourceName", "requestName"),
    containerName=string(),
    requestName=string(),
    resourceName=string(),
)

ContainerImage = struct(
    P + "ContainerImage",
    "",
    names=list_of(string(), ""),
    sizeBytes=int64(),
)

ContainerStateRunning = struct(
    P + "ContainerStateRunning",
    "",
    startedAt=TIME,
)

ContainerStateTerminated = struct(
    P + "ContainerStateTerminated",
    "",
    required=("exitCode",),
    containerID=string(),
    exitCode=integer(),
    finishedAt=TIME,
    message=string(),
    reason=string(),
    signal=integer(),
    startedAt=TIME,
)

ContainerStateWaiting = struct(
    P + "ContainerStateWaiting",
    "",
    message=string(),
    reason=string(),
)

ContainerState = struct(
    P + "ContainerState",
    "",
    running=ContainerStateRunning,
    terminated=ContainerStateTerminated,
    waiting=ContainerStateWaiting,
)

LinuxContainerUser = struct(
    P + "LinuxContainerUser",
    "",
    required=("uid", "gid"),
    gid=int64(),
    supplementalGroups=list_of(int64(), ""),
    uid=int64(),
)

ContainerUser = struct(
    P + "ContainerUser",
    "",
    linux=LinuxContainerUser,
)

ResourceHealth = struct(
    P + "ResourceHealth",
    "",
    required=("resourceID",),
    health=string(),
    message=string(),
    resourceID=string(),
)

ResourceStatus = struct(
    P + "ResourceStatus",
    "",
    required=("name",),
    name=string(),
    resources=list_of(ResourceHealth, "", list_type="map", map_keys=("resourceID",)),
)

ImageVolumeStatus = struct(
    P + "ImageVolumeStatus",
    "",
    required=("imageRef",),
    imageRef=string(),
)

VolumeStatus = struct(
    P + "VolumeStatus",
    "",
    image=ImageVolumeStatus,
)

VolumeMountStatus = struct(
    P + "VolumeMountStatus",
    "",
    required=("name", "mountPath"),
    mountPath=string(),
    name=string(),
    readOnly=boolean(),
    recursiveReadOnly=string(),
    volumeStatus=VolumeStatus,
)

ContainerStatus = struct(
    P + "ContainerStatus",
    "",
    required=("name", "ready", "restartCount", "image", "imageID"),
    allocatedResources=map_of(QUANTITY, ""),
    allocatedResourcesStatus=list_of(
        ResourceStatus, "", list_type="map", map_keys=("name",), patch_strategy="merge", merge_key="name"
    ),
    containerID=string(),
    image=string(),
    imageID=string(),
    lastState=ContainerState,
    name=string(),
    ready=boolean(),
    resources=ResourceRequirements,
    restartCount=integer(),
    started=boolean(),
    state=ContainerState,
    stopSignal=string(),
    user=ContainerUser,
    volumeMounts=list_of(
        VolumeMountStatus,
        "",
        list_type="map",
        map_keys=("mountPath",),
        patch_strategy="merge",
        merge_key="mountPath",
    ),
)

DaemonEndpoint = struct(
    P + "DaemonEndpoint",
    "",
    required=("Port",),
    Port=integer(),
)

DownwardAPIVolumeFile = struct(
    P + "DownwardAPIVolumeFile",
    "",
    required=("path",),
    fieldRef=ObjectFieldSelector,
    mode=integer(),
    path=string(),
    resourceFieldRef=ResourceFieldSelector,
)

DownwardAPIProjection = struct(
    P + "DownwardAPIProjection",
    "",
    items=list_of(DownwardAPIVolumeFile, ""),
)

DownwardAPIVolumeSource = struct(
    P + "DownwardAPIVolumeSource",
    "",
    defaultMode=integer(),
    items=list_of(DownwardAPIVolumeFile, ""),
)

EmptyDirVolumeSource = struct(
    P + "EmptyDirVolumeSource",
    "",
    medium=string(),
    sizeLimit=QUANTITY,
)

EndpointAddress = struct(
    P + "EndpointAddress",
    "",
    required=("ip",),
    struct_type="atomic",
    hostname=string(),
    ip=string(),
    nodeName=string(),
    targetRef=ObjectReference,
)

EndpointPort = struct(
    P + "EndpointPort",
    "",
    required=("port",),
    struct_type="atomic",
    appProtocol=string(),
    name=string(),
    port=integer(),
    protocol=string(),
)

EndpointSubset = struct(
    P + "EndpointSubset",
    "",
    addresses=list_of(EndpointAddress, ""),
    notReadyAddresses=list_of(EndpointAddress, ""),
    ports=list_of(EndpointPort, ""),
)

Endpoints = struct(
    P + "Endpoints",
    "",
    gvk=("", "v1", "Endpoints"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    subsets=list_of(EndpointSubset, ""),
)

EndpointsList = struct(
    P + "EndpointsList",
    "",
    required=("items",),
    gvk=("", "v1", "EndpointsList"),
    apiVersion=string(),
    items=list_of(Endpoints, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

EphemeralContainer = struct(
    P + "EphemeralContainer",
    "",
    required=("name",),
    args=list_of(string(), ""),
    command=list_of(string(), ""),
    env=list_of(EnvVar, "", list_type="map", map_keys=("name",), patch_strategy="merge", merge_key="name"),
    envFrom=list_of(EnvFromSource, ""),
    image=string(),
    imagePullPolicy=string(),
    lifecycle=Lifecycle,
    livenessProbe=Probe,
    name=string(),
    ports=list_of(
        ContainerPort,
        "",
        list_type="map",
        map_keys=("containerPort", "protocol"),
        patch_strategy="merge",
        merge_key="containerPort",
    ),
    readinessProbe=Probe,
    resizePolicy=list_of(ContainerResizePolicy, ""),
    resources=ResourceRequirements,
    restartPolicy=string(),
    restartPolicyRules=list_of(ContainerRestartRule, ""),
    securityContext=SecurityContext,
    startupProbe=Probe,
    stdin=boolean(),
    stdinOnce=boolean(),
    targetContainerName=string(),
    terminationMessagePath=string(),
    terminationMessagePolicy=string(),
    tty=boolean(),
    volumeDevices=list_of(
        VolumeDevice,
        "",
        list_type="map",
        map_keys=("devicePath",),
        patch_strategy="merge",
        merge_key="devicePath",
    ),
    volumeMounts=list_of(
        VolumeMount,
        "",
        list_type="map",
        map_keys=("mountPath",),
        patch_strategy="merge",
        merge_key="mountPath",
    ),
    workingDir=string(),
)

TypedLocalObjectReference = struct(
    P + "TypedLocalObjectReference",
    "",
    required=("kind", "name"),
    struct_type="atomic",
    apiGroup=string(),
    kind=string(),
    name=string(),
)

TypedObjectReference = struct(
    P + "TypedObjectReference",
    "",
    required=("kind", "name"),
    apiGroup=string(),
    kind=string(),
    name=string(),
    namespace=string(),
)

VolumeResourceRequirements = struct(
    P + "VolumeResourceRequirements",
    "",
    limits=map_of(QUANTITY, ""),
    requests=map_of(QUANTITY, ""),
)

PersistentVolumeClaimSpec = struct(
    P + "PersistentVolumeClaimSpec",
    "",
    accessModes=list_of(string(), ""),
    dataSource=TypedLocalObjectReference,
    dataSourceRef=TypedObjectReference,
    resources=VolumeResourceRequirements,
    selector=meta.LABEL_SELECTOR,
    storageClassName=string(),
    volumeAttributesClassName=string(),
    volumeMode=string(),
    volumeName=string(),
)

PersistentVolumeClaimTemplate = struct(
    P + "PersistentVolumeClaimTemplate",
    "",
    required=("spec",),
    metadata=meta.OBJECT_META,
    spec=PersistentVolumeClaimSpec,
)

EphemeralVolumeSource = struct(
    P + "EphemeralVolumeSource",
    "",
    volumeClaimTemplate=PersistentVolumeClaimTemplate,
)

EventSeries = struct(
    P + "EventSeries",
    "",
    count=integer(),
    lastObservedTime=MICRO_TIME,
)

EventSource = struct(
    P + "EventSource",
    "",
    component=string(),
    host=string(),
)

Event = struct(
    P + "Event",
    "",
    required=("metadata", "involvedObject"),
    gvk=("", "v1", "Event"),
    action=string(),
    apiVersion=string(),
    count=integer(),
    eventTime=MICRO_TIME,
    firstTimestamp=TIME,
    involvedObject=ObjectReference,
    kind=string(),
    lastTimestamp=TIME,
    message=string(),
    metadata=meta.OBJECT_META,
    reason=string(),
    related=ObjectReference,
    reportingComponent=string(),
    reportingInstance=string(),
    series=EventSeries,
    source=EventSource,
    type=string(),
)

EventList = struct(
    P + "EventList",
    "",
    required=("items",),
    gvk=("", "v1", "EventList"),
    apiVersion=string(),
    items=list_of(Event, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

FCVolumeSource = struct(
    P + "FCVolumeSource",
    "",
    fsType=string(),
    lun=integer(),
    readOnly=boolean(),
    targetWWNs=list_of(string(), ""),
    wwids=list_of(string(), ""),
)

FlexPersistentVolumeSource = struct(
    P + "FlexPersistentVolumeSource",
    "",
    required=("driver",),
    driver=string(),
    fsType=string(),
    options=map_of(string(), ""),
    readOnly=boolean(),
    secretRef=SecretReference,
)

FlexVolumeSource = struct(
    P + "FlexVolumeSource",
    "",
    required=("driver",),
    driver=string(),
    fsType=string(),
    options=map_of(string(), ""),
    readOnly=boolean(),
    secretRef=LocalObjectReference,
)

FlockerVolumeSource = struct(
    P + "FlockerVolumeSource",
    "",
    datasetName=string(),
    datasetUUID=string(),
)

GCEPersistentDiskVolumeSource = struct(
    P + "GCEPersistentDiskVolumeSource",
    "",
    required=("pdName",),
    fsType=string(),
    partition=integer(),
    pdName=string(),
    readOnly=boolean(),
)

GitRepoVolumeSource = struct(
    P + "GitRepoVolumeSource",
    "",
    required=("repository",),
    directory=string(),
    repository=string(),
    revision=string(),
)

GlusterfsPersistentVolumeSource = struct(
    P + "GlusterfsPersistentVolumeSource",
    "",
    required=("endpoints", "path"),
    endpoints=string(),
    endpointsNamespace=string(),
    path=string(),
    readOnly=boolean(),
)

GlusterfsVolumeSource = struct(
    P + "GlusterfsVolumeSource",
    "",
    required=("endpoints", "path"),
    endpoints=string(),
    path=string(),
    readOnly=boolean(),
)

HostAlias = struct(
    P + "HostAlias",
    "",
    required=("ip",),
    hostnames=list_of(string(), ""),
    ip=string(),
)

HostIP = struct(
    P + "HostIP",
    "",
    required=("ip",),
    ip=string(),
)

HostPathVolumeSource = struct(
    P + "HostPathVolumeSource",
    "",
    required=("path",),
    path=string(),
    type=string(),
)

ISCSIPersistentVolumeSource = struct(
    P + "ISCSIPersistentVolumeSource",
    "",
    required=("targetPortal", "iqn", "lun"),
    chapAuthDiscovery=boolean(),
    chapAuthSession=boolean(),
    fsType=string(),
    initiatorName=string(),
    iqn=string(),
    iscsiInterface=string(),
    lun=integer(),
    portals=list_of(string(), ""),
    readOnly=boolean(),
    secretRef=SecretReference,
    targetPortal=string(),
)

ISCSIVolumeSource = struct(
    P + "ISCSIVolumeSource",
    "",
    required=("targetPortal", "iqn", "lun"),
    chapAuthDiscovery=boolean(),
    chapAuthSession=boolean(),
    fsType=string(),
    initiatorName=string(),
    iqn=string(),
    iscsiInterface=string(),
    lun=integer(),
    portals=list_of(string(), ""),
    readOnly=boolean(),
    secretRef=LocalObjectReference,
    targetPortal=string(),
)

ImageVolumeSource = struct(
    P + "ImageVolumeSource",
    "",
    pullPolicy=string(),
    reference=string(),
)

LimitRangeItem = struct(
    P + "LimitRangeItem",
    "",
    required=("type",),
    default=map_of(QUANTITY, ""),
    defaultRequest=map_of(QUANTITY, ""),
    max=map_of(QUANTITY, ""),
    maxLimitRequestRatio=map_of(QUANTITY, ""),
    min=map_of(QUANTITY, ""),
    type=string(),
)

LimitRangeSpec = struct(
    P + "LimitRangeSpec",
    "",
    required=("limits",),
    limits=list_of(LimitRangeItem, ""),
)

LimitRange = struct(
    P + "LimitRange",
    "",
    gvk=("", "v1", "LimitRange"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=LimitRangeSpec,
)

LimitRangeList = struct(
    P + "LimitRangeList",
    "",
    required=("items",),
    gvk=("", "v1", "LimitRangeList"),
    apiVersion=string(),
    items=list_of(LimitRange, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

PortStatus = struct(
    P + "PortStatus",
    "",
    required=("port", "protocol"),
    error=string(),
    port=integer(),
    protocol=string(),
)

LoadBalancerIngress = struct(
    P + "LoadBalancerIngress",
    "",
    hostname=string(),
    ip=string(),
    ipMode=string(),
    ports=list_of(PortStatus, ""),
)

LoadBalancerStatus = struct(
    P + "LoadBalancerStatus",
    "",
    ingress=list_of(LoadBalancerIngress, ""),
)

LocalVolumeSource = struct(
    P + "LocalVolumeSource",
    "",
    required=("path",),
    fsType=string(),
    path=string(),
)

ModifyVolumeStatus = struct(
    P + "ModifyVolumeStatus",
    "",
    required=("status",),
    status=string(),
    targetVolumeAttributesClassName=string(),
)

NFSVolumeSource = struct(
    P + "NFSVolumeSource",
    "",
    required=("server", "path"),
    path=string(),
    readOnly=boolean(),
    server=string(),
)

NamespaceSpec = struct(
    P + "NamespaceSpec",
    "",
    finalizers=list_of(string(), ""),
)

NamespaceCondition = struct(
    P + "NamespaceCondition",
    "",
    required=("type", "status"),
    lastTransitionTime=TIME,
    message=string(),
    reason=string(),
    status=string(),
    type=string(),
)

NamespaceStatus = struct(
    P + "NamespaceStatus",
    "",
    conditions=list_of(
        NamespaceCondition, "", list_type="map", map_keys=("type",), patch_strategy="merge", merge_key="type"
    ),
    phase=string(),
)

Namespace = struct(
    P + "Namespace",
    "",
    gvk=("", "v1", "Namespace"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=NamespaceSpec,
    status=NamespaceStatus,
)

NamespaceList = struct(
    P + "NamespaceList",
    "",
    required=("items",),
    gvk=("", "v1", "NamespaceList"),
    apiVersion=string(),
    items=list_of(Namespace, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

NodeConfigSource = struct(
    P + "NodeConfigSource",
    "",
    configMap=ConfigMapNodeConfigSource,
)

Taint = struct(
    P + "Taint",
    "",
    required=("key", "effect"),
    effect=string(),
    key=string(),
    timeAdded=TIME,
    value=string(),
)

NodeSpec = struct(
    P + "NodeSpec",
    "",
    configSource=NodeConfigSource,
    externalID=string(),
    podCIDR=string(),
    podCIDRs=list_of(string(), "", list_type="set", patch_strategy="merge"),
    providerID=string(),
    taints=list_of(Taint, ""),
    unschedulable=boolean(),
)

NodeAddress = struct(
    P + "NodeAddress",
    "",
    required=("type", "address"),
    address=string(),
    type=string(),
)

NodeCondition = struct(
    P + "NodeCondition",
    "",
    required=("type", "status"),
    lastHeartbeatTime=TIME,
    lastTransitionTime=TIME,
    message=string(),
    reason=string(),
    status=string(),
    type=string(),
)

NodeConfigStatus = struct(
    P + "NodeConfigStatus",
    "",
    active=NodeConfigSource,
    assigned=NodeConfigSource,
    error=string(),
    lastKnownGood=NodeConfigSource,
)

NodeDaemonEndpoints = struct(
    P + "NodeDaemonEndpoints",
    "",
    kubeletEndpoint=DaemonEndpoint,
)

NodeFeatures = struct(
    P + "NodeFeatures",
    "",
    supplementalGroupsPolicy=boolean(),
)

NodeRuntimeHandlerFeatures = struct(
    P + "NodeRuntimeHandlerFeatures",
    "",
    recursiveReadOnlyMounts=boolean(),
    userNamespaces=boolean(),
)

NodeRuntimeHandler = struct(
    P + "NodeRuntimeHandler",
    "",
    features=NodeRuntimeHandlerFeatures,
    name=string(),
)

NodeSwapStatus = struct(
    P + "NodeSwapStatus",
    "",
    capacity=int64(),
)

NodeSystemInfo = struct(
    P + "NodeSystemInfo",
    "",
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
    architecture=string(),
    bootID=string(),
    containerRuntimeVersion=string(),
    kernelVersion=string(),
    kubeProxyVersion=string(),
    kubeletVersion=string(),
    machineID=string(),
    operatingSystem=string(),
    osImage=string(),
    swap=NodeSwapStatus,
    systemUUID=string(),
)

NodeStatus = struct(
    P + "NodeStatus",
    "",
    addresses=list_of(
        NodeAddress, "", list_type="map", map_keys=("type",), patch_strategy="merge", merge_key="type"
    ),
    allocatable=map_of(QUANTITY, ""),
    capacity=map_of(QUANTITY, ""),
    conditions=list_of(
        NodeCondition, "", list_type="map", map_keys=("type",), patch_strategy="merge", merge_key="type"
    ),
    config=NodeConfigStatus,
    daemonEndpoints=NodeDaemonEndpoints,
    declaredFeatures=list_of(string(), ""),
    features=NodeFeatures,
    images=list_of(ContainerImage, ""),
    nodeInfo=NodeSystemInfo,
    phase=string(),
    runtimeHandlers=list_of(NodeRuntimeHandler, ""),
    volumesAttached=list_of(AttachedVolume, ""),
    volumesInUse=list_of(string(), ""),
)

Node = struct(
    P + "Node",
    "",
    gvk=("", "v1", "Node"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=NodeSpec,
    status=NodeStatus,
)

NodeAllocatableResourceClaimStatus = struct(
    P + "NodeAllocatableResourceClaimStatus",
    "",
    required=("resourceClaimName", "resources"),
    containers=list_of(string(), "", list_type="set"),
    resourceClaimName=string(),
    resources=map_of(QUANTITY, ""),
)

NodeList = struct(
    P + "NodeList",
    "",
    required=("items",),
    gvk=("", "v1", "NodeList"),
    apiVersion=string(),
    items=list_of(Node, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

PhotonPersistentDiskVolumeSource = struct(
    P + "PhotonPersistentDiskVolumeSource",
    "",
    required=("pdID",),
    fsType=string(),
    pdID=string(),
)

PortworxVolumeSource = struct(
    P + "PortworxVolumeSource",
    "",
    required=("volumeID",),
    fsType=string(),
    readOnly=boolean(),
    volumeID=string(),
)

QuobyteVolumeSource = struct(
    P + "QuobyteVolumeSource",
    "",
    required=("registry", "volume"),
    group=string(),
    readOnly=boolean(),
    registry=string(),
    tenant=string(),
    user=string(),
    volume=string(),
)

RBDPersistentVolumeSource = struct(
    P + "RBDPersistentVolumeSource",
    "",
    required=("monitors", "image"),
    fsType=string(),
    image=string(),
    keyring=string(),
    monitors=list_of(string(), ""),
    pool=string(),
    readOnly=boolean(),
    secretRef=SecretReference,
    user=string(),
)

ScaleIOPersistentVolumeSource = struct(
    P + "ScaleIOPersistentVolumeSource",
    "",
    required=("gateway", "system", "secretRef"),
    fsType=string(),
    gateway=string(),
    protectionDomain=string(),
    readOnly=boolean(),
    secretRef=SecretReference,
    sslEnabled=boolean(),
    storageMode=string(),
    storagePool=string(),
    system=string(),
    volumeName=string(),
)

StorageOSPersistentVolumeSource = struct(
    P + "StorageOSPersistentVolumeSource",
    "",
    fsType=string(),
    readOnly=boolean(),
    secretRef=ObjectReference,
    volumeName=string(),
    volumeNamespace=string(),
)

VolumeNodeAffinity = struct(
    P + "VolumeNodeAffinity",
    "",
    props={"required": NodeSelector},
)

VsphereVirtualDiskVolumeSource = struct(
    P + "VsphereVirtualDiskVolumeSource",
    "",
    required=("volumePath",),
    fsType=string(),
    storagePolicyID=string(),
    storagePolicyName=string(),
    volumePath=string(),
)

PersistentVolumeSpec = struct(
    P + "PersistentVolumeSpec",
    "",
    accessModes=list_of(string(), ""),
    awsElasticBlockStore=AWSElasticBlockStoreVolumeSource,
    azureDisk=AzureDiskVolumeSource,
    azureFile=AzureFilePersistentVolumeSource,
    capacity=map_of(QUANTITY, ""),
    cephfs=CephFSPersistentVolumeSource,
    cinder=CinderPersistentVolumeSource,
    claimRef=ObjectReference,
    csi=CSIPersistentVolumeSource,
    fc=FCVolumeSource,
    flexVolume=FlexPersistentVolumeSource,
    flocker=FlockerVolumeSource,
    gcePersistentDisk=GCEPersistentDiskVolumeSource,
    glusterfs=GlusterfsPersistentVolumeSource,
    hostPath=HostPathVolumeSource,
    iscsi=ISCSIPersistentVolumeSource,
    local=LocalVolumeSource,
    mountOptions=list_of(string(), ""),
    nfs=NFSVolumeSource,
    nodeAffinity=VolumeNodeAffinity,
    persistentVolumeReclaimPolicy=string(),
    photonPersistentDisk=PhotonPersistentDiskVolumeSource,
    portworxVolume=PortworxVolumeSource,
    quobyte=QuobyteVolumeSource,
    rbd=RBDPersistentVolumeSource,
    scaleIO=ScaleIOPersistentVolumeSource,
    storageClassName=string(),
    storageos=StorageOSPersistentVolumeSource,
    volumeAttributesClassName=string(),
    volumeMode=string(),
    vsphereVolume=VsphereVirtualDiskVolumeSource,
)

PersistentVolumeStatus = struct(
    P + "PersistentVolumeStatus",
    "",
    lastPhaseTransitionTime=TIME,
    message=string(),
    phase=string(),
    reason=string(),
)

PersistentVolume = struct(
    P + "PersistentVolume",
    "",
    gvk=("", "v1", "PersistentVolume"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=PersistentVolumeSpec,
    status=PersistentVolumeStatus,
)

PersistentVolumeClaimCondition = struct(
    P + "PersistentVolumeClaimCondition",
    "",
    required=("type", "status"),
    lastProbeTime=TIME,
    lastTransitionTime=TIME,
    message=string(),
    reason=string(),
    status=string(),
    type=string(),
)

PersistentVolumeClaimStatus = struct(
    P + "PersistentVolumeClaimStatus",
    "",
    accessModes=list_of(string(), ""),
    allocatedResourceStatuses=map_of(string(), "", map_type="granular"),
    allocatedResources=map_of(QUANTITY, ""),
    capacity=map_of(QUANTITY, ""),
    conditions=list_of(
        PersistentVolumeClaimCondition,
        "",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
    currentVolumeAttributesClassName=string(),
    modifyVolumeStatus=ModifyVolumeStatus,
    phase=string(),
)

PersistentVolumeClaim = struct(
    P + "PersistentVolumeClaim",
    "",
    gvk=("", "v1", "PersistentVolumeClaim"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=PersistentVolumeClaimSpec,
    status=PersistentVolumeClaimStatus,
)

PersistentVolumeClaimList = struct(
    P + "PersistentVolumeClaimList",
    "",
    required=("items",),
    gvk=("", "v1", "PersistentVolumeClaimList"),
    apiVersion=string(),
    items=list_of(PersistentVolumeClaim, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

PersistentVolumeClaimVolumeSource = struct(
    P + "PersistentVolumeClaimVolumeSource",
    "",
    required=("claimName",),
    claimName=string(),
    readOnly=boolean(),
)

PersistentVolumeList = struct(
    P + "PersistentVolumeList",
    "",
    required=("items",),
    gvk=("", "v1", "PersistentVolumeList"),
    apiVersion=string(),
    items=list_of(PersistentVolume, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

PodDNSConfigOption = struct(
    P + "PodDNSConfigOption",
    "",
    name=string(),
    value=string(),
)

PodDNSConfig = struct(
    P + "PodDNSConfig",
    "",
    nameservers=list_of(string(), ""),
    options=list_of(PodDNSConfigOption, ""),
    searches=list_of(string(), ""),
)

PodOS = struct(
    P + "PodOS",
    "",
    required=("name",),
    name=string(),
)

PodReadinessGate = struct(
    P + "PodReadinessGate",
    "",
    required=("conditionType",),
    conditionType=string(),
)

PodResourceClaim = struct(
    P + "PodResourceClaim",
    "",
    required=("name",),
    name=string(),
    resourceClaimName=string(),
    resourceClaimTemplateName=string(),
)

PodSchedulingGate = struct(
    P + "PodSchedulingGate",
    "",
    required=("name",),
    name=string(),
)

PodSchedulingGroup = struct(
    P + "PodSchedulingGroup",
    "",
    podGroupName=string(),
)

Sysctl = struct(
    P + "Sysctl",
    "",
    required=("name", "value"),
    name=string(),
    value=string(),
)

PodSecurityContext = struct(
    P + "PodSecurityContext",
    "",
    appArmorProfile=AppArmorProfile,
    fsGroup=int64(),
    fsGroupChangePolicy=string(),
    runAsGroup=int64(),
    runAsNonRoot=boolean(),
    runAsUser=int64(),
    seLinuxChangePolicy=string(),
    seLinuxOptions=SELinuxOptions,
    seccompProfile=SeccompProfile,
    supplementalGroups=list_of(int64(), ""),
    supplementalGroupsPolicy=string(),
    sysctls=list_of(Sysctl, ""),
    windowsOptions=WindowsSecurityContextOptions,
)

Toleration = struct(
    P + "Toleration",
    "",
    effect=string(),
    key=string(),
    operator=string(),
    tolerationSeconds=int64(),
    value=string(),
)

TopologySpreadConstraint = struct(
    P + "TopologySpreadConstraint",
    "",
    required=("maxSkew", "topologyKey", "whenUnsatisfiable"),
    labelSelector=meta.LABEL_SELECTOR,
    matchLabelKeys=list_of(string(), ""),
    maxSkew=integer(),
    minDomains=integer(),
    nodeAffinityPolicy=string(),
    nodeTaintsPolicy=string(),
    topologyKey=string(),
    whenUnsatisfiable=string(),
)

PodCertificateProjection = struct(
    P + "PodCertificateProjection",
    "",
    required=("signerName", "keyType"),
    certificateChainPath=string(),
    credentialBundlePath=string(),
    keyPath=string(),
    keyType=string(),
    maxExpirationSeconds=integer(),
    signerName=string(),
    userAnnotations=map_of(string(), ""),
)

SecretProjection = struct(
    P + "SecretProjection",
    "",
    items=list_of(KeyToPath, ""),
    name=string(),
    optional=boolean(),
)

ServiceAccountTokenProjection = struct(
    P + "ServiceAccountTokenProjection",
    "",
    required=("path",),
    audience=string(),
    expirationSeconds=int64(),
    path=string(),
)

VolumeProjection = struct(
    P + "VolumeProjection",
    "",
    clusterTrustBundle=ClusterTrustBundleProjection,
    configMap=ConfigMapProjection,
    downwardAPI=DownwardAPIProjection,
    podCertificate=PodCertificateProjection,
    secret=SecretProjection,
    serviceAccountToken=ServiceAccountTokenProjection,
)

ProjectedVolumeSource = struct(
    P + "ProjectedVolumeSource",
    "",
    defaultMode=integer(),
    sources=list_of(VolumeProjection, ""),
)

RBDVolumeSource = struct(
    P + "RBDVolumeSource",
    "",
    required=("monitors", "image"),
    fsType=string(),
    image=string(),
    keyring=string(),
    monitors=list_of(string(), ""),
    pool=string(),
    readOnly=boolean(),
    secretRef=LocalObjectReference,
    user=string(),
)

ScaleIOVolumeSource = struct(
    P + "ScaleIOVolumeSource",
    "",
    required=("gateway", "system", "secretRef"),
    fsType=string(),
    gateway=string(),
    protectionDomain=string(),
    readOnly=boolean(),
    secretRef=LocalObjectReference,
    sslEnabled=boolean(),
    storageMode=string(),
    storagePool=string(),
    system=string(),
    volumeName=string(),
)

SecretVolumeSource = struct(
    P + "SecretVolumeSource",
    "",
    defaultMode=integer(),
    items=list_of(KeyToPath, ""),
    optional=boolean(),
    secretName=string(),
)

StorageOSVolumeSource = struct(
    P + "StorageOSVolumeSource",
    "",
    fsType=string(),
    readOnly=boolean(),
    secretRef=LocalObjectReference,
    volumeName=string(),
    volumeNamespace=string(),
)

Volume = struct(
    P + "Volume",
    "",
    required=("name",),
    awsElasticBlockStore=AWSElasticBlockStoreVolumeSource,
    azureDisk=AzureDiskVolumeSource,
    azureFile=AzureFileVolumeSource,
    cephfs=CephFSVolumeSource,
    cinder=CinderVolumeSource,
    configMap=ConfigMapVolumeSource,
    csi=CSIVolumeSource,
    downwardAPI=DownwardAPIVolumeSource,
    emptyDir=EmptyDirVolumeSource,
    ephemeral=EphemeralVolumeSource,
    fc=FCVolumeSource,
    flexVolume=FlexVolumeSource,
    flocker=FlockerVolumeSource,
    gcePersistentDisk=GCEPersistentDiskVolumeSource,
    gitRepo=GitRepoVolumeSource,
    glusterfs=GlusterfsVolumeSource,
    hostPath=HostPathVolumeSource,
    image=ImageVolumeSource,
    iscsi=ISCSIVolumeSource,
    name=string(),
    nfs=NFSVolumeSource,
    persistentVolumeClaim=PersistentVolumeClaimVolumeSource,
    photonPersistentDisk=PhotonPersistentDiskVolumeSource,
    portworxVolume=PortworxVolumeSource,
    projected=ProjectedVolumeSource,
    quobyte=QuobyteVolumeSource,
    rbd=RBDVolumeSource,
    scaleIO=ScaleIOVolumeSource,
    secret=SecretVolumeSource,
    storageos=StorageOSVolumeSource,
    vsphereVolume=VsphereVirtualDiskVolumeSource,
)

PodSpec = struct(
    P + "PodSpec",
    "",
    required=("containers",),
    activeDeadlineSeconds=int64(),
    affinity=Affinity,
    automountServiceAccountToken=boolean(),
    containers=list_of(
        Container, "", list_type="map", map_keys=("name",), patch_strategy="merge", merge_key="name"
    ),
    dnsConfig=PodDNSConfig,
    dnsPolicy=string(),
    enableServiceLinks=boolean(),
    ephemeralContainers=list_of(
        EphemeralContainer, "", list_type="map", map_keys=("name",), patch_strategy="merge", merge_key="name"
    ),
    hostAliases=list_of(
        HostAlias, "", list_type="map", map_keys=("ip",), patch_strategy="merge", merge_key="ip"
    ),
    hostIPC=boolean(),
    hostNetwork=boolean(),
    hostPID=boolean(),
    hostUsers=boolean(),
    hostname=string(),
    hostnameOverride=string(),
    imagePullSecrets=list_of(
        LocalObjectReference,
        "",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge",
        merge_key="name",
    ),
    initContainers=list_of(
        Container, "", list_type="map", map_keys=("name",), patch_strategy="merge", merge_key="name"
    ),
    nodeName=string(),
    nodeSelector=map_of(string(), "", map_type="atomic"),
    os=PodOS,
    overhead=map_of(QUANTITY, ""),
    preemptionPolicy=string(),
    priority=integer(),
    priorityClassName=string(),
    readinessGates=list_of(PodReadinessGate, ""),
    resourceClaims=list_of(
        PodResourceClaim,
        "",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge,retainKeys",
        merge_key="name",
    ),
    resources=ResourceRequirements,
    restartPolicy=string(),
    runtimeClassName=string(),
    schedulerName=string(),
    schedulingGates=list_of(
        PodSchedulingGate, "", list_type="map", map_keys=("name",), patch_strategy="merge", merge_key="name"
    ),
    schedulingGroup=PodSchedulingGroup,
    securityContext=PodSecurityContext,
    serviceAccount=string(),
    serviceAccountName=string(),
    setHostnameAsFQDN=boolean(),
    shareProcessNamespace=boolean(),
    subdomain=string(),
    terminationGracePeriodSeconds=int64(),
    tolerations=list_of(Toleration, ""),
    topologySpreadConstraints=list_of(
        TopologySpreadConstraint,
        "",
        list_type="map",
        map_keys=("topologyKey", "whenUnsatisfiable"),
        patch_strategy="merge",
        merge_key="topologyKey",
    ),
    volumes=list_of(
        Volume, "", list_type="map", map_keys=("name",), patch_strategy="merge,retainKeys", merge_key="name"
    ),
)

PodCondition = struct(
    P + "PodCondition",
    "",
    required=("type", "status"),
    lastProbeTime=TIME,
    lastTransitionTime=TIME,
    message=string(),
    observedGeneration=int64(),
    reason=string(),
    status=string(),
    type=string(),
)

PodExtendedResourceClaimStatus = struct(
    P + "PodExtendedResourceClaimStatus",
    "",
    required=("requestMappings", "resourceClaimName"),
    requestMappings=list_of(ContainerExtendedResourceRequest, ""),
    resourceClaimName=string(),
)

PodIP = struct(
    P + "PodIP",
    "",
    required=("ip",),
    ip=string(),
)

PodResourceClaimStatus = struct(
    P + "PodResourceClaimStatus",
    "",
    required=("name",),
    name=string(),
    resourceClaimName=string(),
)

PodStatus = struct(
    P + "PodStatus",
    "",
    allocatedResources=map_of(QUANTITY, ""),
    conditions=list_of(
        PodCondition, "", list_type="map", map_keys=("type",), patch_strategy="merge", merge_key="type"
    ),
    containerStatuses=list_of(ContainerStatus, ""),
    ephemeralContainerStatuses=list_of(ContainerStatus, ""),
    extendedResourceClaimStatus=PodExtendedResourceClaimStatus,
    hostIP=string(),
    hostIPs=list_of(HostIP, "", patch_strategy="merge", merge_key="ip"),
    initContainerStatuses=list_of(ContainerStatus, ""),
    message=string(),
    nodeAllocatableResourceClaimStatuses=list_of(NodeAllocatableResourceClaimStatus, ""),
    nominatedNodeName=string(),
    observedGeneration=int64(),
    phase=string(),
    podIP=string(),
    podIPs=list_of(PodIP, "", list_type="map", map_keys=("ip",), patch_strategy="merge", merge_key="ip"),
    qosClass=string(),
    reason=string(),
    resize=string(),
    resourceClaimStatuses=list_of(
        PodResourceClaimStatus,
        "",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge,retainKeys",
        merge_key="name",
    ),
    resources=ResourceRequirements,
    startTime=TIME,
)

Pod = struct(
    P + "Pod",
    "",
    gvk=("", "v1", "Pod"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=PodSpec,
    status=PodStatus,
)

PodList = struct(
    P + "PodList",
    "",
    required=("items",),
    gvk=("", "v1", "PodList"),
    apiVersion=string(),
    items=list_of(Pod, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

PodTemplateSpec = struct(
    P + "PodTemplateSpec",
    "",
    metadata=meta.OBJECT_META,
    spec=PodSpec,
)

PodTemplate = struct(
    P + "PodTemplate",
    "",
    gvk=("", "v1", "PodTemplate"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    template=PodTemplateSpec,
)

PodTemplateList = struct(
    P + "PodTemplateList",
    "",
    required=("items",),
    gvk=("", "v1", "PodTemplateList"),
    apiVersion=string(),
    items=list_of(PodTemplate, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

ReplicationControllerSpec = struct(
    P + "ReplicationControllerSpec",
    "",
    minReadySeconds=integer(),
    replicas=integer(),
    selector=map_of(string(), "", map_type="atomic"),
    template=PodTemplateSpec,
)

ReplicationControllerCondition = struct(
    P + "ReplicationControllerCondition",
    "",
    required=("type", "status"),
    lastTransitionTime=TIME,
    message=string(),
    reason=string(),
    status=string(),
    type=string(),
)

ReplicationControllerStatus = struct(
    P + "ReplicationControllerStatus",
    "",
    required=("replicas",),
    availableReplicas=integer(),
    conditions=list_of(
        ReplicationControllerCondition,
        "",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
    fullyLabeledReplicas=integer(),
    observedGeneration=int64(),
    readyReplicas=integer(),
    replicas=integer(),
)

ReplicationController = struct(
    P + "ReplicationController",
    "",
    gvk=("", "v1", "ReplicationController"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=ReplicationControllerSpec,
    status=ReplicationControllerStatus,
)

ReplicationControllerList = struct(
    P + "ReplicationControllerList",
    "",
    required=("items",),
    gvk=("", "v1", "ReplicationControllerList"),
    apiVersion=string(),
    items=list_of(ReplicationController, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

ScopedResourceSelectorRequirement = struct(
    P + "ScopedResourceSelectorRequirement",
    "",
    required=("scopeName", "operator"),
    operator=string(),
    scopeName=string(),
    values=list_of(string(), ""),
)

ScopeSelector = struct(
    P + "ScopeSelector",
    "",
    struct_type="atomic",
    matchExpressions=list_of(ScopedResourceSelectorRequirement, ""),
)

ResourceQuotaSpec = struct(
    P + "ResourceQuotaSpec",
    "",
    hard=map_of(QUANTITY, ""),
    scopeSelector=ScopeSelector,
    scopes=list_of(string(), ""),
)

ResourceQuotaStatus = struct(
    P + "ResourceQuotaStatus",
    "",
    hard=map_of(QUANTITY, ""),
    used=map_of(QUANTITY, ""),
)

ResourceQuota = struct(
    P + "ResourceQuota",
    "",
    gvk=("", "v1", "ResourceQuota"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=ResourceQuotaSpec,
    status=ResourceQuotaStatus,
)

ResourceQuotaList = struct(
    P + "ResourceQuotaList",
    "",
    required=("items",),
    gvk=("", "v1", "ResourceQuotaList"),
    apiVersion=string(),
    items=list_of(ResourceQuota, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

Secret = struct(
    P + "Secret",
    "",
    gvk=("", "v1", "Secret"),
    apiVersion=string(),
    data=map_of(byte_string(), ""),
    immutable=boolean(),
    kind=string(),
    metadata=meta.OBJECT_META,
    stringData=map_of(string(), ""),
    type=string(),
)

SecretList = struct(
    P + "SecretList",
    "",
    required=("items",),
    gvk=("", "v1", "SecretList"),
    apiVersion=string(),
    items=list_of(Secret, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

ServicePort = struct(
    P + "ServicePort",
    "",
    required=("port",),
    appProtocol=string(),
    name=string(),
    nodePort=integer(),
    port=integer(),
    protocol=string(),
    targetPort=INT_OR_STRING,
)

SessionAffinityConfig = struct(
    P + "SessionAffinityConfig",
    "",
    clientIP=ClientIPConfig,
)

ServiceSpec = struct(
    P + "ServiceSpec",
    "",
    allocateLoadBalancerNodePorts=boolean(),
    clusterIP=string(),
    clusterIPs=list_of(string(), ""),
    externalIPs=list_of(string(), ""),
    externalName=string(),
    externalTrafficPolicy=string(),
    healthCheckNodePort=integer(),
    internalTrafficPolicy=string(),
    ipFamilies=list_of(string(), ""),
    ipFamilyPolicy=string(),
    loadBalancerClass=string(),
    loadBalancerIP=string(),
    loadBalancerSourceRanges=list_of(string(), ""),
    ports=list_of(
        ServicePort,
        "",
        list_type="map",
        map_keys=("port", "protocol"),
        patch_strategy="merge",
        merge_key="port",
    ),
    publishNotReadyAddresses=boolean(),
    selector=map_of(string(), "", map_type="atomic"),
    sessionAffinity=string(),
    sessionAffinityConfig=SessionAffinityConfig,
    trafficDistribution=string(),
    type=string(),
)

ServiceStatus = struct(
    P + "ServiceStatus",
    "",
    conditions=list_of(
        meta.CONDITION, "", list_type="map", map_keys=("type",), patch_strategy="merge", merge_key="type"
    ),
    loadBalancer=LoadBalancerStatus,
)

Service = struct(
    P + "Service",
    "",
    gvk=("", "v1", "Service"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=ServiceSpec,
    status=ServiceStatus,
)

ServiceAccount = struct(
    P + "ServiceAccount",
    "",
    gvk=("", "v1", "ServiceAccount"),
    apiVersion=string(),
    automountServiceAccountToken=boolean(),
    imagePullSecrets=list_of(LocalObjectReference, ""),
    kind=string(),
    metadata=meta.OBJECT_META,
    secrets=list_of(
        ObjectReference, "", list_type="map", map_keys=("name",), patch_strategy="merge", merge_key="name"
    ),
)

ServiceAccountList = struct(
    P + "ServiceAccountList",
    "",
    required=("items",),
    gvk=("", "v1", "ServiceAccountList"),
    apiVersion=string(),
    items=list_of(ServiceAccount, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

ServiceList = struct(
    P + "ServiceList",
    "",
    required=("items",),
    gvk=("", "v1", "ServiceList"),
    apiVersion=string(),
    items=list_of(Service, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

TopologySelectorLabelRequirement = struct(
    P + "TopologySelectorLabelRequirement",
    "",
    required=("key", "values"),
    key=string(),
    values=list_of(string(), ""),
)

TopologySelectorTerm = struct(
    P + "TopologySelectorTerm",
    "",
    struct_type="atomic",
    matchLabelExpressions=list_of(TopologySelectorLabelRequirement, ""),
)
