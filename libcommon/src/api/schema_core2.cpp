// Schema text: the other core/v1 kinds (Service, Node, Namespace, ConfigMap,
// Secret, volumes and claims, events, quotas, ...).
#include "schema.h"

namespace common::api::schema {

const char* CoreSchemaText2() {
  return R"schema(
package io.k8s.api.core.v1
type Service gvk=/v1/Service "Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec ServiceSpec "Spec defines the behavior of a service."
  status ServiceStatus "Most recently observed status of the service. Read-only."
type ServiceSpec "ServiceSpec describes the attributes that a user creates on a service."
  allocateLoadBalancerNodePorts bool "allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer. Default is "true"."
  clusterIP string "clusterIP is the IP address of the service and is usually assigned randomly."
  clusterIPs []string list=atomic "ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail."
  externalIPs []string list=atomic "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service. These IPs are not managed by Kubernetes."
  externalName string "externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record). No proxying will be involved. Must be a lowercase RFC-1123 hostname and requires `type` to be "ExternalName"."
  externalTrafficPolicy string enum=Cluster|Local "externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service's "externally-facing" addresses (NodePorts, ExternalIPs, and LoadBalancer IPs). If set to "Local", the proxy will configure the service in a way that assumes that external load balancers will take care of balancing the service traffic between nodes, and so each node will deliver traffic only to the node-local endpoints of the service. The default value, "Cluster", uses the standard behavior of routing to all endpoints evenly."
  healthCheckNodePort int32 "healthCheckNodePort specifies the healthcheck nodePort for the service. This only applies when type is set to LoadBalancer and externalTrafficPolicy is set to Local."
  internalTrafficPolicy string enum=Cluster|Local "InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP. If set to "Local", the proxy will assume that pods only want to talk to endpoints of the service on the same node as the pod, dropping the traffic if there are no local endpoints. The default value, "Cluster", uses the standard behavior of routing to all endpoints evenly."
  ipFamilies []string list=atomic "IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service. This field is usually assigned automatically based on cluster configuration and the ipFamilyPolicy field."
  ipFamilyPolicy string enum=PreferDualStack|RequireDualStack|SingleStack "IPFamilyPolicy represents the dual-stack-ness requested or required by this Service. If there is no value provided, then this field will be set to SingleStack. Services can be "SingleStack" (a single IP family), "PreferDualStack" (two IP families on dual-stack configured clusters or a single IP family on single-stack clusters), or "RequireDualStack" (two IP families on dual-stack configured clusters, otherwise fail)."
  loadBalancerClass string "loadBalancerClass is the class of the load balancer implementation this Service belongs to."
  loadBalancerIP string "Only applies to Service Type: LoadBalancer. This feature depends on whether the underlying cloud-provider supports specifying the loadBalancerIP when a load balancer is created. Deprecated."
  loadBalancerSourceRanges []string list=atomic "If specified and supported by the platform, this will restrict traffic through the cloud-provider load-balancer will be restricted to the specified client IPs."
  ports []ServicePort merge=port list=map:port,protocol "The list of ports that are exposed by this service."
  publishNotReadyAddresses bool "publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready."
  selector {}string "Route service traffic to pods with label keys and values matching this selector."
  sessionAffinity string enum=ClientIP|None "Supports ClientIP and None. Defaults to None."
  sessionAffinityConfig SessionAffinityConfig "sessionAffinityConfig contains the configurations of session affinity."
  trafficDistribution string "TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints. Implementations can use this field as a hint, but are not required to guarantee strict adherence."
  type string enum=ClusterIP|ExternalName|LoadBalancer|NodePort "type determines how the Service is exposed. Defaults to ClusterIP."
type ServicePort "ServicePort contains information on service's port."
  appProtocol string "The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand. This field follows standard Kubernetes label syntax."
  name string "The name of this port within the service. This must be a DNS_LABEL."
  nodePort int32 "The port on each node on which this service is exposed when type is NodePort or LoadBalancer."
  port int32 ! "The port that will be exposed by this service."
  protocol string enum=SCTP|TCP|UDP "The IP protocol for this port. Supports TCP, UDP, and SCTP. Default is TCP."
  targetPort intstr.IntOrString "Number or name of the port to access on the pods targeted by the service."
type SessionAffinityConfig "SessionAffinityConfig represents the configurations of session affinity."
  clientIP ClientIPConfig "clientIP contains the configurations of Client IP based session affinity."
type ClientIPConfig "ClientIPConfig represents the configurations of Client IP based session affinity."
  timeoutSeconds int32 "timeoutSeconds specifies the seconds of ClientIP type session sticky time. The value must be >0 && <=86400(for 1 day) if ServiceAffinity == "ClientIP". Default value is 10800(for 3 hours)."
type ServiceStatus "ServiceStatus represents the current status of a service."
  conditions []meta.Condition merge=type list=map:type "Current service state"
  loadBalancer LoadBalancerStatus "LoadBalancer contains the current status of the load-balancer, if one is present."
type LoadBalancerStatus
  ingress []LoadBalancerIngress list=atomic
type LoadBalancerIngress
  hostname string
  ip string
  ipMode string
  ports []PortStatus list=atomic
type PortStatus
  error string
  port int32 !
  protocol string !
type Endpoints gvk=/v1/Endpoints "Endpoints is a collection of endpoints that implement the actual service."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  subsets []EndpointSubset list=atomic "The set of all endpoints is the union of all subsets."
type EndpointSubset
  addresses []EndpointAddress list=atomic
  notReadyAddresses []EndpointAddress list=atomic
  ports []EndpointPort list=atomic
type EndpointAddress
  hostname string
  ip string !
  nodeName string
  targetRef ObjectReference
type EndpointPort "EndpointPort represents a Port used by an EndpointSlice"
  appProtocol string "The application protocol for this port."
  name string "name represents the name of this port. All ports in an EndpointSlice must have a unique name."
  port int32 ! "port represents the port number of the endpoint. If the EndpointSlice is derived from a Kubernetes service, this must be set to the service's target port."
  protocol string "protocol represents the IP protocol for this port. Must be UDP, TCP, or SCTP. Default is TCP."
type ObjectReference "ObjectReference contains enough information to let you inspect or modify the referred object."
  apiVersion string
  fieldPath string "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]."
  kind string
  name string "Name of the referent."
  namespace string "Namespace of the referent."
  resourceVersion string "Specific resourceVersion to which this reference is made, if any."
  uid string "UID of the referent."
type Node gvk=/v1/Node "Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd)."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec NodeSpec "Spec defines the behavior of a node."
  status NodeStatus "Most recently observed status of the node."
type NodeSpec
  configSource any "Deprecated: Previously used to specify the source of the node's configuration for the DynamicKubeletConfig feature. This feature is removed."
  externalID string "Deprecated. Not all kubelets will set this field. Remove field after 1.13."
  podCIDR string "PodCIDR represents the pod IP range assigned to the node."
  podCIDRs []string strategy=merge list=set "podCIDRs represents the IP ranges assigned to the node for usage by Pods on that node. If this field is specified, the 0th entry must match the podCIDR field. It may contain at most 1 value for each of IPv4 and IPv6."
  providerID string "ID of the node assigned by the cloud provider in the format: <ProviderName>://<ProviderSpecificNodeID>"
  taints []Taint list=atomic "If specified, the node's taints."
  unschedulable bool "Unschedulable controls node schedulability of new pods."
type Taint "The node this Taint is attached to has the "effect" on any pod that does not tolerate the Taint."
  effect string ! enum=NoExecute|NoSchedule|PreferNoSchedule "Required. The effect of the taint on pods that do not tolerate the taint. Valid effects are NoSchedule, PreferNoSchedule and NoExecute."
  key string ! "Required. The taint key to be applied to a node."
  timeAdded meta.Time "TimeAdded represents the time at which the taint was added."
  value string "The taint value corresponding to the taint key."
type NodeStatus "NodeStatus is information about the current status of a node."
  addresses []NodeAddress merge=type list=map:type "List of addresses reachable to the node. Queried from cloud provider, if available."
  allocatable {}resource.Quantity "Allocatable represents the resources of a node that are available for scheduling. Defaults to Capacity."
  capacity {}resource.Quantity "Capacity represents the total resources of a node."
  conditions []NodeCondition merge=type list=map:type "Conditions is an array of current observed node conditions."
  config any "Status of the config assigned to the node via the dynamic Kubelet config feature."
  daemonEndpoints NodeDaemonEndpoints "Endpoints of daemons running on the Node."
  features any "Features describes the set of features implemented by the CRI implementation."
  images []ContainerImage list=atomic "List of container images on this node"
  nodeInfo NodeSystemInfo "Set of ids/uuids to uniquely identify the node."
  phase string "NodePhase is the recently observed lifecycle phase of the node. The field is never populated, and now is deprecated."
  runtimeHandlers []any list=atomic "The available runtime handlers."
  volumesAttached []AttachedVolume list=atomic "List of volumes that are attached to the node."
  volumesInUse []string list=atomic "List of attachable volumes in use (mounted) by the node."
type NodeAddress "NodeAddress contains information for the node's address."
  address string ! "The node address."
  type string ! "Node address type, one of Hostname, ExternalIP or InternalIP."
type NodeCondition
  lastHeartbeatTime meta.Time "Last time we got an update on a given condition."
  lastTransitionTime meta.Time "Last time the condition transitioned from one status to another."
  message string "A human readable message indicating details about the transition."
  reason string "The reason for the condition's last transition."
  status string ! "Status of the condition, one of True, False, Unknown."
  type string ! "Type of the condition."
type NodeDaemonEndpoints
  kubeletEndpoint DaemonEndpoint
type DaemonEndpoint
  Port int32 !
type ContainerImage
  names []string list=atomic
  sizeBytes int64
type AttachedVolume
  devicePath string !
  name string !
type NodeSystemInfo "NodeSystemInfo is a set of ids/uuids to uniquely identify the node."
  architecture string ! "The Architecture reported by the node"
  bootID string ! "Boot ID reported by the node."
  containerRuntimeVersion string ! "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2)."
  kernelVersion string ! "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."
  kubeProxyVersion string ! "Deprecated: KubeProxy Version reported by the node."
  kubeletVersion string ! "Kubelet Version reported by the node."
  machineID string ! "MachineID reported by the node. For unique machine identification in the cluster this field is preferred."
  operatingSystem string ! "The Operating System reported by the node"
  osImage string ! "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."
  swap any "Swap Info reported by the node."
  systemUUID string ! "SystemUUID reported by the node."
type Namespace gvk=/v1/Namespace "Namespace provides a scope for Names. Use of multiple namespaces is optional."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec NamespaceSpec
  status NamespaceStatus
type NamespaceSpec "NamespaceSpec describes the attributes on a Namespace."
  finalizers []string list=atomic "Finalizers is an opaque list of values that must be empty to permanently remove object from storage."
type NamespaceStatus "NamespaceStatus is information about the current status of a Namespace."
  conditions []NamespaceCondition merge=type list=map:type "Represents the latest available observations of a namespace's current state."
  phase string enum=Active|Terminating "Phase is the current lifecycle phase of the namespace."
type NamespaceCondition
  lastTransitionTime meta.Time "Last time the condition transitioned from one status to another."
  message string "A human readable message indicating details about the transition."
  reason string "The reason for the condition's last transition."
  status string ! "Status of the condition, one of True, False, Unknown."
  type string ! "Type of the condition."
type ConfigMap gvk=/v1/ConfigMap "ConfigMap holds configuration data for pods to consume."
  apiVersion string
  binaryData {}byte "BinaryData contains the binary data, base64 encoded."
  data {}string "Data contains the configuration data."
  immutable bool "Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated."
  kind string
  metadata meta.ObjectMeta
type Secret gvk=/v1/Secret "Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes."
  apiVersion string
  data {}byte "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values are base64 encoded."
  immutable bool "Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil."
  kind string
  metadata meta.ObjectMeta
  stringData {}string "stringData allows specifying non-binary secret data in string form. It is merged into data on write."
  type string "Used to facilitate programmatic handling of secret data."
type ServiceAccount gvk=/v1/ServiceAccount "ServiceAccount binds together a name, understood by users and perhaps by peripheral systems, for an identity, a principal that can be authenticated and authorized, and a set of secrets."
  apiVersion string
  automountServiceAccountToken bool "AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted. Can be overridden at the pod level."
  imagePullSecrets []LocalObjectReference list=atomic "ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images in pods that reference this ServiceAccount."
  kind string
  metadata meta.ObjectMeta
  secrets []ObjectReference merge=name list=map:name "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Deprecated."
type Event gvk=/v1/Event "Event is a report of an event somewhere in the cluster."
  action string
  apiVersion string
  count int32
  eventTime meta.MicroTime
  firstTimestamp meta.Time
  involvedObject ObjectReference !
  kind string
  lastTimestamp meta.Time
  message string
  metadata meta.ObjectMeta !
  reason string
  related ObjectReference
  reportingComponent string
  reportingInstance string
  series EventSeries
  source EventSource
  type string
type EventSeries
  count int32
  lastObservedTime meta.MicroTime
type EventSource
  component string
  host string
type ResourceQuota gvk=/v1/ResourceQuota "ResourceQuota sets aggregate quota restrictions enforced per namespace."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec ResourceQuotaSpec
  status ResourceQuotaStatus
type ResourceQuotaSpec "ResourceQuotaSpec defines the desired hard limits to enforce for Quota."
  hard {}resource.Quantity "hard is the set of desired hard limits for each named resource."
  scopeSelector any "scopeSelector is also a collection of filters like scopes that must match each object tracked by a quota but expressed using ScopeSelectorOperator in combination with possible values."
  scopes []string list=atomic "A collection of filters that must match each object tracked by a quota. If not specified, the quota matches all objects."
type ResourceQuotaStatus "ResourceQuotaStatus defines the enforced hard limits and observed use."
  hard {}resource.Quantity "Hard is the set of enforced hard limits for each named resource."
  used {}resource.Quantity "Used is the current observed total usage of the resource in the namespace."
type LimitRange gvk=/v1/LimitRange "LimitRange sets resource usage limits for each kind of resource in a Namespace."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec LimitRangeSpec
type LimitRangeSpec
  limits []LimitRangeItem ! list=atomic
type LimitRangeItem
  default {}resource.Quantity
  defaultRequest {}resource.Quantity
  max {}resource.Quantity
  maxLimitRequestRatio {}resource.Quantity
  min {}resource.Quantity
  type string !
type PersistentVolume gvk=/v1/PersistentVolume "PersistentVolume (PV) is a storage resource provisioned by an administrator."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec PersistentVolumeSpec
  status PersistentVolumeStatus
type PersistentVolumeSpec "PersistentVolumeSpec is the specification of a persistent volume."
  accessModes []string list=atomic "accessModes contains all ways the volume can be mounted."
  awsElasticBlockStore any
  azureDisk any
  azureFile any
  capacity {}resource.Quantity "capacity is the description of the persistent volume's resources and capacity."
  cephfs any
  cinder any
  claimRef ObjectReference "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound."
  csi any "csi represents storage that is handled by an external CSI driver."
  fc any
  flexVolume any
  flocker any
  gcePersistentDisk any
  glusterfs any
  hostPath HostPathVolumeSource "hostPath represents a directory on the host. Provisioned by a developer or tester. This is useful for single-node development and testing only!"
  iscsi any
  local LocalVolumeSource "local represents directly-attached storage with node affinity"
  mountOptions []string list=atomic "mountOptions is the list of mount options, e.g. ["ro", "soft"]. Not validated - mount will simply fail if one is invalid."
  nfs NFSVolumeSource "nfs represents an NFS mount on the host. Provisioned by an admin."
  nodeAffinity VolumeNodeAffinity "nodeAffinity defines constraints that limit what nodes this volume can be accessed from."
  persistentVolumeReclaimPolicy string enum=Delete|Recycle|Retain "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated)."
  photonPersistentDisk any
  portworxVolume any
  quobyte any
  rbd any
  scaleIO any
  storageClassName string "storageClassName is the name of StorageClass to which this persistent volume belongs. Empty value means that this volume does not belong to any StorageClass."
  storageos any
  volumeAttributesClassName string "Name of VolumeAttributesClass to which this persistent volume belongs."
  volumeMode string "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec."
  vsphereVolume any
type LocalVolumeSource
  fsType string
  path string !
type VolumeNodeAffinity
  required NodeSelector
type PersistentVolumeStatus "PersistentVolumeStatus is the current status of a persistent volume."
  lastPhaseTransitionTime meta.Time "lastPhaseTransitionTime is the time the phase transitioned from one to another and automatically resets to current time everytime a volume phase transitions."
  message string "message is a human-readable message indicating details about why the volume is in this state."
  phase string "phase indicates if a volume is available, bound to a claim, or released by a claim."
  reason string "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."
type PersistentVolumeClaim gvk=/v1/PersistentVolumeClaim "PersistentVolumeClaim is a user's request for and claim to a persistent volume."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec PersistentVolumeClaimSpec
  status PersistentVolumeClaimStatus
type PersistentVolumeClaimSpec "PersistentVolumeClaimSpec describes the common attributes of storage devices and allows a Source for provider-specific attributes"
  accessModes []string list=atomic "accessModes contains the desired access modes the volume should have."
  dataSource TypedLocalObjectReference "dataSource field can be used to specify either an existing VolumeSnapshot object, an existing PVC (PersistentVolumeClaim), or an existing custom resource that implements data population."
  dataSourceRef any "dataSourceRef specifies the object from which to populate the volume with data, if a non-empty volume is desired."
  resources VolumeResourceRequirements "resources represents the minimum resources the volume should have."
  selector meta.LabelSelector "selector is a label query over volumes to consider for binding."
  storageClassName string "storageClassName is the name of the StorageClass required by the claim."
  volumeAttributesClassName string "volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim."
  volumeMode string "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec."
  volumeName string "volumeName is the binding reference to the PersistentVolume backing this claim."
type TypedLocalObjectReference "TypedLocalObjectReference contains enough information to let you locate the typed referenced object inside the same namespace."
  apiGroup string "APIGroup is the group for the resource being referenced. If APIGroup is not specified, the specified Kind must be in the core API group."
  kind string ! "Kind is the type of resource being referenced"
  name string ! "Name is the name of resource being referenced"
type VolumeResourceRequirements "VolumeResourceRequirements describes the storage resource requirements for a volume."
  limits {}resource.Quantity "Limits describes the maximum amount of compute resources allowed."
  requests {}resource.Quantity "Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified, otherwise to an implementation-defined value."
type PersistentVolumeClaimStatus "PersistentVolumeClaimStatus is the current status of a persistent volume claim."
  accessModes []string list=atomic "accessModes contains the actual access modes the volume backing the PVC has."
  allocatedResourceStatuses {}string "allocatedResourceStatuses stores status of resource being resized for the given PVC."
  allocatedResources {}resource.Quantity "allocatedResources tracks the resources allocated to a PVC including its capacity."
  capacity {}resource.Quantity "capacity represents the actual resources of the underlying volume."
  conditions []any merge=type list=map:type "conditions is the current Condition of persistent volume claim. If underlying persistent volume is being resized then the Condition will be set to 'Resizing'."
  currentVolumeAttributesClassName string "currentVolumeAttributesClassName is the current name of the VolumeAttributesClass the PVC is using."
  modifyVolumeStatus any "ModifyVolumeStatus represents the status object of ControllerModifyVolume operation."
  phase string "phase represents the current phase of PersistentVolumeClaim."
type ReplicationController gvk=/v1/ReplicationController "ReplicationController represents the configuration of a replication controller."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec ReplicationControllerSpec
  status ReplicationControllerStatus
type ReplicationControllerSpec "ReplicationControllerSpec is the specification of a replication controller."
  minReadySeconds int32 "Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0."
  replicas int32 "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1."
  selector {}string "Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template."
  template PodTemplateSpec "Template is the object that describes the pod that will be created if insufficient replicas are detected."
type ReplicationControllerStatus "ReplicationControllerStatus represents the current status of a replication controller."
  availableReplicas int32 "The number of available replicas (ready for at least minReadySeconds) for this replication controller."
  conditions []any merge=type list=map:type "Represents the latest available observations of a replication controller's current state."
  fullyLabeledReplicas int32 "The number of pods that have labels matching the labels of the pod template of the replication controller."
  observedGeneration int64 "ObservedGeneration reflects the generation of the most recently observed replication controller."
  readyReplicas int32 "The number of ready replicas for this replication controller."
  replicas int32 ! "Replicas is the most recently observed number of replicas."
type ComponentStatus gvk=/v1/ComponentStatus "ComponentStatus (and ComponentStatusList) holds the cluster validation info. Deprecated."
  apiVersion string
  conditions []ComponentCondition merge=type list=map:type
  kind string
  metadata meta.ObjectMeta
type ComponentCondition
  error string
  message string "A human readable message indicating details about the transition."
  status string ! "Status of the condition, one of True, False, Unknown."
  type string ! "Type of the condition."
type Binding gvk=/v1/Binding "Binding ties one object to another; for example, a pod is bound to a node by a scheduler."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  target ObjectReference !
)schema";
}

}  // namespace common::api::schema
