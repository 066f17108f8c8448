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
  allocateLoadBalancerNodePorts bool
  clusterIP string "clusterIP is the IP address of the service and is usually assigned randomly."
  clusterIPs []string list=atomic
  externalIPs []string list=atomic
  externalName string
  externalTrafficPolicy string enum=Cluster|Local
  healthCheckNodePort int32
  internalTrafficPolicy string enum=Cluster|Local
  ipFamilies []string list=atomic
  ipFamilyPolicy string enum=PreferDualStack|RequireDualStack|SingleStack
  loadBalancerClass string
  loadBalancerIP string
  loadBalancerSourceRanges []string list=atomic
  ports []ServicePort merge=port list=map:port,protocol "The list of ports that are exposed by this service."
  publishNotReadyAddresses bool
  selector {}string "Route service traffic to pods with label keys and values matching this selector."
  sessionAffinity string enum=ClientIP|None "Supports ClientIP and None. Defaults to None."
  sessionAffinityConfig SessionAffinityConfig
  trafficDistribution string
  type string enum=ClusterIP|ExternalName|LoadBalancer|NodePort "type determines how the Service is exposed. Defaults to ClusterIP."
type ServicePort "ServicePort contains information on service's port."
  appProtocol string
  name string "The name of this port within the service. This must be a DNS_LABEL."
  nodePort int32 "The port on each node on which this service is exposed when type is NodePort or LoadBalancer."
  port int32 ! "The port that will be exposed by this service."
  protocol string enum=SCTP|TCP|UDP "The IP protocol for this port. Supports TCP, UDP, and SCTP. Default is TCP."
  targetPort intstr.IntOrString "Number or name of the port to access on the pods targeted by the service."
type SessionAffinityConfig
  clientIP ClientIPConfig
type ClientIPConfig
  timeoutSeconds int32
type ServiceStatus
  conditions []meta.Condition merge=type list=map:type
  loadBalancer LoadBalancerStatus
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
type EndpointPort
  appProtocol string
  name string
  port int32 !
  protocol string
type ObjectReference "ObjectReference contains enough information to let you inspect or modify the referred object."
  apiVersion string
  fieldPath string
  kind string
  name string
  namespace string
  resourceVersion string
  uid string
type Node gvk=/v1/Node "Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd)."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec NodeSpec "Spec defines the behavior of a node."
  status NodeStatus "Most recently observed status of the node."
type NodeSpec
  configSource any
  externalID string
  podCIDR string "PodCIDR represents the pod IP range assigned to the node."
  podCIDRs []string strategy=merge list=set
  providerID string
  taints []Taint list=atomic "If specified, the node's taints."
  unschedulable bool "Unschedulable controls node schedulability of new pods."
type Taint
  effect string ! enum=NoExecute|NoSchedule|PreferNoSchedule
  key string !
  timeAdded meta.Time
  value string
type NodeStatus
  addresses []NodeAddress merge=type list=map:type
  allocatable {}resource.Quantity
  capacity {}resource.Quantity
  conditions []NodeCondition merge=type list=map:type
  config any
  daemonEndpoints NodeDaemonEndpoints
  features any
  images []ContainerImage list=atomic
  nodeInfo NodeSystemInfo
  phase string
  runtimeHandlers []any list=atomic
  volumesAttached []AttachedVolume list=atomic
  volumesInUse []string list=atomic
type NodeAddress
  address string !
  type string !
type NodeCondition
  lastHeartbeatTime meta.Time
  lastTransitionTime meta.Time
  message string
  reason string
  status string !
  type string !
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
type NodeSystemInfo
  architecture string !
  bootID string !
  containerRuntimeVersion string !
  kernelVersion string !
  kubeProxyVersion string !
  kubeletVersion string !
  machineID string !
  operatingSystem string !
  osImage string !
  swap any
  systemUUID string !
type Namespace gvk=/v1/Namespace "Namespace provides a scope for Names. Use of multiple namespaces is optional."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec NamespaceSpec
  status NamespaceStatus
type NamespaceSpec
  finalizers []string list=atomic
type NamespaceStatus
  conditions []NamespaceCondition merge=type list=map:type
  phase string enum=Active|Terminating
type NamespaceCondition
  lastTransitionTime meta.Time
  message string
  reason string
  status string !
  type string !
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
  immutable bool
  kind string
  metadata meta.ObjectMeta
  stringData {}string "stringData allows specifying non-binary secret data in string form. It is merged into data on write."
  type string "Used to facilitate programmatic handling of secret data."
type ServiceAccount gvk=/v1/ServiceAccount "ServiceAccount binds together a name, understood by users and perhaps by peripheral systems, for an identity, a principal that can be authenticated and authorized, and a set of secrets."
  apiVersion string
  automountServiceAccountToken bool
  imagePullSecrets []LocalObjectReference list=atomic
  kind string
  metadata meta.ObjectMeta
  secrets []ObjectReference merge=name list=map:name
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
type ResourceQuotaSpec
  hard {}resource.Quantity
  scopeSelector any
  scopes []string list=atomic
type ResourceQuotaStatus
  hard {}resource.Quantity
  used {}resource.Quantity
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
type PersistentVolumeSpec
  accessModes []string list=atomic
  awsElasticBlockStore any
  azureDisk any
  azureFile any
  capacity {}resource.Quantity
  cephfs any
  cinder any
  claimRef ObjectReference
  csi any
  fc any
  flexVolume any
  flocker any
  gcePersistentDisk any
  glusterfs any
  hostPath HostPathVolumeSource
  iscsi any
  local LocalVolumeSource
  mountOptions []string list=atomic
  nfs NFSVolumeSource
  nodeAffinity VolumeNodeAffinity
  persistentVolumeReclaimPolicy string enum=Delete|Recycle|Retain
  photonPersistentDisk any
  portworxVolume any
  quobyte any
  rbd any
  scaleIO any
  storageClassName string
  storageos any
  volumeAttributesClassName string
  volumeMode string
  vsphereVolume any
type LocalVolumeSource
  fsType string
  path string !
type VolumeNodeAffinity
  required NodeSelector
type PersistentVolumeStatus
  lastPhaseTransitionTime meta.Time
  message string
  phase string
  reason string
type PersistentVolumeClaim gvk=/v1/PersistentVolumeClaim "PersistentVolumeClaim is a user's request for and claim to a persistent volume."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec PersistentVolumeClaimSpec
  status PersistentVolumeClaimStatus
type PersistentVolumeClaimSpec
  accessModes []string list=atomic
  dataSource TypedLocalObjectReference
  dataSourceRef any
  resources VolumeResourceRequirements
  selector meta.LabelSelector
  storageClassName string
  volumeAttributesClassName string
  volumeMode string
  volumeName string
type TypedLocalObjectReference
  apiGroup string
  kind string !
  name string !
type VolumeResourceRequirements
  limits {}resource.Quantity
  requests {}resource.Quantity
type PersistentVolumeClaimStatus
  accessModes []string list=atomic
  allocatedResourceStatuses {}string
  allocatedResources {}resource.Quantity
  capacity {}resource.Quantity
  conditions []any merge=type list=map:type
  currentVolumeAttributesClassName string
  modifyVolumeStatus any
  phase string
type ReplicationController gvk=/v1/ReplicationController "ReplicationController represents the configuration of a replication controller."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec ReplicationControllerSpec
  status ReplicationControllerStatus
type ReplicationControllerSpec
  minReadySeconds int32
  replicas int32
  selector {}string
  template PodTemplateSpec
type ReplicationControllerStatus
  availableReplicas int32
  conditions []any merge=type list=map:type
  fullyLabeledReplicas int32
  observedGeneration int64
  readyReplicas int32
  replicas int32 !
type ComponentStatus gvk=/v1/ComponentStatus "ComponentStatus (and ComponentStatusList) holds the cluster validation info. Deprecated."
  apiVersion string
  conditions []ComponentCondition merge=type list=map:type
  kind string
  metadata meta.ObjectMeta
type ComponentCondition
  error string
  message string
  status string !
  type string !
type Binding gvk=/v1/Binding "Binding ties one object to another; for example, a pod is bound to a node by a scheduler."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  target ObjectReference !
)schema";
}

}  // namespace common::api::schema
