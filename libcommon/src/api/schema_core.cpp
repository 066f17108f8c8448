// Schema text: core/v1 Pod and everything a pod spec is built from.
#include "schema.h"

namespace common::api::schema {

const char* CoreSchemaText() {
  return R"schema(
package io.k8s.api.core.v1
type Pod gvk=/v1/Pod "Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts."
  apiVersion string "APIVersion defines the versioned schema of this representation of an object."
  kind string "Kind is a string value representing the REST resource this object represents."
  metadata meta.ObjectMeta "Standard object's metadata."
  spec PodSpec "Specification of the desired behavior of the pod."
  status PodStatus "Most recently observed status of the pod. Read-only."
type PodTemplateSpec "PodTemplateSpec describes the data a pod should have when created from a template."
  metadata meta.ObjectMeta "Standard object's metadata."
  spec PodSpec "Specification of the desired behavior of the pod."
type PodTemplate gvk=/v1/PodTemplate "PodTemplate describes a template for creating copies of a predefined pod."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  template PodTemplateSpec "Template defines the pods that will be created from this pod template."
type PodSpec "PodSpec is a description of a pod."
  activeDeadlineSeconds int64 "Duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers."
  affinity Affinity "If specified, the pod's scheduling constraints."
  automountServiceAccountToken bool "Indicates whether a service account token should be automatically mounted."
  containers []Container ! merge=name list=map:name "List of containers belonging to the pod. There must be at least one container in a Pod. Cannot be updated."
  dnsConfig PodDNSConfig "Specifies the DNS parameters of a pod."
  dnsPolicy string enum=ClusterFirst|ClusterFirstWithHostNet|Default|None "Set DNS policy for the pod. Defaults to ClusterFirst."
  enableServiceLinks bool "EnableServiceLinks indicates whether information about services should be injected into pod's environment variables. Defaults to true."
  ephemeralContainers []EphemeralContainer merge=name list=map:name "List of ephemeral containers run in this pod, added through the ephemeralcontainers subresource."
  hostAliases []HostAlias merge=ip list=map:ip "HostAliases is an optional list of hosts and IPs that will be injected into the pod's hosts file."
  hostIPC bool "Use the host's ipc namespace. Optional: Default to false."
  hostNetwork bool "Host networking requested for this pod. Use the host's network namespace. Default to false."
  hostPID bool "Use the host's pid namespace. Optional: Default to false."
  hostUsers bool "Use the host's user namespace. Optional: Default to true."
  hostname string "Specifies the hostname of the Pod. If not specified, the pod's hostname will be set to a system-defined value."
  imagePullSecrets []LocalObjectReference merge=name list=map:name "ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec."
  initContainers []Container merge=name list=map:name "List of initialization containers belonging to the pod, run in order before the app containers start."
  nodeName string "NodeName indicates in which node this pod is scheduled. Set by the scheduler through the binding subresource."
  nodeSelector {}string "NodeSelector is a selector which must be true for the pod to fit on a node."
  os PodOS "Specifies the OS of the containers in the pod."
  overhead {}resource.Quantity "Overhead represents the resource overhead associated with running a pod for a given RuntimeClass."
  preemptionPolicy string enum=Never|PreemptLowerPriority "PreemptionPolicy is the Policy for preempting pods with lower priority."
  priority int32 "The priority value. Various system components use this field to find the priority of the pod."
  priorityClassName string "If specified, indicates the pod's priority."
  readinessGates []PodReadinessGate "If specified, all readiness gates will be evaluated for pod readiness."
  resourceClaims []PodResourceClaim merge=name strategy=merge,retainKeys list=map:name "ResourceClaims defines which ResourceClaims must be allocated and reserved before the Pod is allowed to start."
  resources ResourceRequirements "Resources is the total amount of CPU and Memory resources required by all containers in the pod."
  restartPolicy string enum=Always|Never|OnFailure "Restart policy for all containers within the pod. One of Always, OnFailure, Never. Default to Always."
  runtimeClassName string "RuntimeClassName refers to a RuntimeClass object in the node.k8s.io group, which should be used to run this pod."
  schedulerName string "If specified, the pod will be dispatched by specified scheduler. If not specified, the pod will be dispatched by default scheduler."
  schedulingGates []PodSchedulingGate merge=name list=map:name "SchedulingGates is an opaque list of values that if specified will block scheduling the pod."
  securityContext PodSecurityContext "SecurityContext holds pod-level security attributes and common container settings."
  serviceAccount string "DeprecatedServiceAccount is a deprecated alias for ServiceAccountName."
  serviceAccountName string "ServiceAccountName is the name of the ServiceAccount to use to run this pod."
  setHostnameAsFQDN bool "If true the pod's hostname will be configured as the pod's FQDN, rather than the leaf name."
  shareProcessNamespace bool "Share a single process namespace between all of the containers in a pod."
  subdomain string "If specified, the fully qualified Pod hostname will be <hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>."
  terminationGracePeriodSeconds int64 "Optional duration in seconds the pod needs to terminate gracefully. Defaults to 30 seconds."
  tolerations []Toleration "If specified, the pod's tolerations."
  topologySpreadConstraints []TopologySpreadConstraint merge=topologyKey list=map:topologyKey,whenUnsatisfiable "TopologySpreadConstraints describes how a group of pods ought to spread across topology domains."
  volumes []Volume merge=name strategy=merge,retainKeys list=map:name "List of volumes that can be mounted by containers belonging to the pod."
type Container "A single application container that you want to run within a pod."
  args []string list=atomic "Arguments to the entrypoint. The container image's CMD is used if this is not provided."
  command []string list=atomic "Entrypoint array. Not executed within a shell. The container image's ENTRYPOINT is used if this is not provided."
  env []EnvVar merge=name list=map:name "List of environment variables to set in the container. Cannot be updated."
  envFrom []EnvFromSource list=atomic "List of sources to populate environment variables in the container."
  image string "Container image name."
  imagePullPolicy string enum=Always|IfNotPresent|Never "Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise."
  lifecycle Lifecycle "Actions that the management system should take in response to container lifecycle events."
  livenessProbe Probe "Periodic probe of container liveness. Container will be restarted if the probe fails."
  name string ! "Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated."
  ports []ContainerPort merge=containerPort list=map:containerPort,protocol "List of ports to expose from the container."
  readinessProbe Probe "Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails."
  resizePolicy []ContainerResizePolicy list=atomic "Resources resize policy for the container."
  resources ResourceRequirements "Compute Resources required by this container."
  restartPolicy string "RestartPolicy defines the restart behavior of individual containers in a pod. Only Always is allowed, for init containers (sidecars)."
  securityContext SecurityContext "SecurityContext defines the security options the container should be run with."
  startupProbe Probe "StartupProbe indicates that the Pod has successfully initialized."
  stdin bool "Whether this container should allocate a buffer for stdin in the container runtime."
  stdinOnce bool "Whether the container runtime should close the stdin channel after it has been opened by a single attach."
  terminationMessagePath string "Path at which the file to which the container's termination message will be written is mounted into the container's filesystem. Defaults to /dev/termination-log."
  terminationMessagePolicy string enum=FallbackToLogsOnError|File "Indicate how the termination message should be populated. Defaults to File."
  tty bool "Whether this container should allocate a TTY for itself."
  volumeDevices []VolumeDevice merge=devicePath list=map:devicePath "volumeDevices is the list of block devices to be used by the container."
  volumeMounts []VolumeMount merge=mountPath list=map:mountPath "Pod volumes to mount into the container's filesystem. Cannot be updated."
  workingDir string "Container's working directory."
type EphemeralContainer "An EphemeralContainer is a temporary container that you may add to an existing Pod for user-initiated activities such as debugging."
  args []string list=atomic
  command []string list=atomic
  env []EnvVar merge=name list=map:name
  envFrom []EnvFromSource list=atomic
  image string
  imagePullPolicy string
  lifecycle Lifecycle
  livenessProbe Probe
  name string !
  ports []ContainerPort merge=containerPort list=map:containerPort,protocol
  readinessProbe Probe
  resizePolicy []ContainerResizePolicy list=atomic
  resources ResourceRequirements
  restartPolicy string
  securityContext SecurityContext
  startupProbe Probe
  stdin bool
  stdinOnce bool
  targetContainerName string "If set, the name of the container from PodSpec that this ephemeral container targets."
  terminationMessagePath string
  terminationMessagePolicy string
  tty bool
  volumeDevices []VolumeDevice merge=devicePath list=map:devicePath
  volumeMounts []VolumeMount merge=mountPath list=map:mountPath
  workingDir string
type ContainerPort "ContainerPort represents a network port in a single container."
  containerPort int32 ! "Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536."
  hostIP string "What host IP to bind the external port to."
  hostPort int32 "Number of port to expose on the host."
  name string "If specified, this must be an IANA_SVC_NAME and unique within the pod."
  protocol string enum=SCTP|TCP|UDP "Protocol for port. Must be UDP, TCP, or SCTP. Defaults to TCP."
type ContainerResizePolicy
  resourceName string !
  restartPolicy string !
type EnvVar "EnvVar represents an environment variable present in a Container."
  name string ! "Name of the environment variable."
  value string "Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container."
  valueFrom EnvVarSource "Source for the environment variable's value. Cannot be used if value is not empty."
type EnvVarSource "EnvVarSource represents a source for the value of an EnvVar."
  configMapKeyRef ConfigMapKeySelector "Selects a key of a ConfigMap."
  fieldRef ObjectFieldSelector "Selects a field of the pod."
  resourceFieldRef ResourceFieldSelector "Selects a resource of the container."
  secretKeyRef SecretKeySelector "Selects a key of a secret in the pod's namespace."
type ConfigMapKeySelector "Selects a key from a ConfigMap."
  key string ! "The key to select."
  name string "Name of the referent."
  optional bool "Specify whether the ConfigMap or its key must be defined."
type SecretKeySelector "SecretKeySelector selects a key of a Secret."
  key string !
  name string
  optional bool
type ObjectFieldSelector "ObjectFieldSelector selects an APIVersioned field of an object."
  apiVersion string
  fieldPath string !
type ResourceFieldSelector "ResourceFieldSelector represents container resources (cpu, memory) and their output format."
  containerName string
  divisor resource.Quantity
  resource string !
type EnvFromSource "EnvFromSource represents the source of a set of ConfigMaps or Secrets."
  configMapRef ConfigMapEnvSource
  prefix string
  secretRef SecretEnvSource
type ConfigMapEnvSource
  name string
  optional bool
type SecretEnvSource
  name string
  optional bool
type ResourceRequirements "ResourceRequirements describes the compute resource requirements."
  claims []ResourceClaim list=map:name
  limits {}resource.Quantity "Limits describes the maximum amount of compute resources allowed."
  requests {}resource.Quantity "Requests describes the minimum amount of compute resources required."
type ResourceClaim
  name string !
  request string
type VolumeMount "VolumeMount describes a mounting of a Volume within a container."
  mountPath string ! "Path within the container at which the volume should be mounted. Must not contain ':'."
  mountPropagation string "mountPropagation determines how mounts are propagated from the host to container and the other way around."
  name string ! "This must match the Name of a Volume."
  readOnly bool "Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false."
  recursiveReadOnly string
  subPath string "Path within the volume from which the container's volume should be mounted."
  subPathExpr string
type VolumeDevice
  devicePath string !
  name string !
type Probe "Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic."
  exec ExecAction "Exec specifies a command to execute in the container."
  failureThreshold int32 "Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3."
  grpc GRPCAction "GRPC specifies a GRPC HealthCheckRequest."
  httpGet HTTPGetAction "HTTPGet specifies an HTTP GET request to perform."
  initialDelaySeconds int32 "Number of seconds after the container has started before liveness probes are initiated."
  periodSeconds int32 "How often (in seconds) to perform the probe. Default to 10 seconds."
  successThreshold int32 "Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1."
  tcpSocket TCPSocketAction "TCPSocket specifies a connection to a TCP port."
  terminationGracePeriodSeconds int64
  timeoutSeconds int32 "Number of seconds after which the probe times out. Defaults to 1 second."
type ExecAction
  command []string list=atomic
type HTTPGetAction
  host string
  httpHeaders []HTTPHeader list=atomic
  path string
  port intstr.IntOrString !
  scheme string enum=HTTP|HTTPS
type HTTPHeader
  name string !
  value string !
type TCPSocketAction
  host string
  port intstr.IntOrString !
type GRPCAction
  port int32 !
  service string
type SleepAction
  seconds int64 !
type Lifecycle "Lifecycle describes actions that the management system should take in response to container lifecycle events."
  postStart LifecycleHandler
  preStop LifecycleHandler
  stopSignal string
type LifecycleHandler
  exec ExecAction
  httpGet HTTPGetAction
  sleep SleepAction
  tcpSocket TCPSocketAction
type SecurityContext "SecurityContext holds security configuration that will be applied to a container."
  allowPrivilegeEscalation bool
  appArmorProfile AppArmorProfile
  capabilities Capabilities
  privileged bool
  procMount string
  readOnlyRootFilesystem bool
  runAsGroup int64
  runAsNonRoot bool
  runAsUser int64
  seLinuxOptions SELinuxOptions
  seccompProfile SeccompProfile
  windowsOptions WindowsSecurityContextOptions
type PodSecurityContext "PodSecurityContext holds pod-level security attributes and common container settings."
  appArmorProfile AppArmorProfile
  fsGroup int64
  fsGroupChangePolicy string
  runAsGroup int64
  runAsNonRoot bool
  runAsUser int64
  seLinuxChangePolicy string
  seLinuxOptions SELinuxOptions
  seccompProfile SeccompProfile
  supplementalGroups []int64 list=atomic
  supplementalGroupsPolicy string
  sysctls []Sysctl list=atomic
  windowsOptions WindowsSecurityContextOptions
type Capabilities
  add []string list=atomic
  drop []string list=atomic
type SELinuxOptions
  level string
  role string
  type string
  user string
type SeccompProfile
  localhostProfile string
  type string !
type AppArmorProfile
  localhostProfile string
  type string !
type WindowsSecurityContextOptions
  gmsaCredentialSpec string
  gmsaCredentialSpecName string
  hostProcess bool
  runAsUserName string
type Sysctl
  name string !
  value string !
type LocalObjectReference "LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace."
  name string "Name of the referent."
type HostAlias
  hostnames []string list=atomic
  ip string !
type PodDNSConfig
  nameservers []string list=atomic
  options []PodDNSConfigOption list=atomic
  searches []string list=atomic
type PodDNSConfigOption
  name string
  value string
type PodOS
  name string !
type PodReadinessGate
  conditionType string !
type PodSchedulingGate
  name string !
type PodResourceClaim
  name string !
  resourceClaimName string
  resourceClaimTemplateName string
type Toleration "The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> using the matching operator <operator>."
  effect string enum=NoExecute|NoSchedule|PreferNoSchedule
  key string
  operator string enum=Equal|Exists
  tolerationSeconds int64
  value string
type TopologySpreadConstraint
  labelSelector meta.LabelSelector
  matchLabelKeys []string list=atomic
  maxSkew int32 !
  minDomains int32
  nodeAffinityPolicy string
  nodeTaintsPolicy string
  topologyKey string !
  whenUnsatisfiable string !
type Affinity "Affinity is a group of affinity scheduling rules."
  nodeAffinity NodeAffinity
  podAffinity PodAffinity
  podAntiAffinity PodAntiAffinity
type NodeAffinity
  preferredDuringSchedulingIgnoredDuringExecution []PreferredSchedulingTerm list=atomic
  requiredDuringSchedulingIgnoredDuringExecution NodeSelector
type NodeSelector
  nodeSelectorTerms []NodeSelectorTerm ! list=atomic
type NodeSelectorTerm
  matchExpressions []NodeSelectorRequirement list=atomic
  matchFields []NodeSelectorRequirement list=atomic
type NodeSelectorRequirement
  key string !
  operator string !
  values []string list=atomic
type PreferredSchedulingTerm
  preference NodeSelectorTerm !
  weight int32 !
type PodAffinity
  preferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm list=atomic
  requiredDuringSchedulingIgnoredDuringExecution []PodAffinityTerm list=atomic
type PodAntiAffinity
  preferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm list=atomic
  requiredDuringSchedulingIgnoredDuringExecution []PodAffinityTerm list=atomic
type PodAffinityTerm
  labelSelector meta.LabelSelector
  matchLabelKeys []string list=atomic
  mismatchLabelKeys []string list=atomic
  namespaceSelector meta.LabelSelector
  namespaces []string list=atomic
  topologyKey string !
type WeightedPodAffinityTerm
  podAffinityTerm PodAffinityTerm !
  weight int32 !
type Volume "Volume represents a named volume in a pod that may be accessed by any container in the pod."
  awsElasticBlockStore any
  azureDisk any
  azureFile any
  cephfs any
  cinder any
  configMap ConfigMapVolumeSource "configMap represents a configMap that should populate this volume."
  csi CSIVolumeSource
  downwardAPI DownwardAPIVolumeSource
  emptyDir EmptyDirVolumeSource "emptyDir represents a temporary directory that shares a pod's lifetime."
  ephemeral EphemeralVolumeSource
  fc any
  flexVolume any
  flocker any
  gcePersistentDisk any
  gitRepo any
  glusterfs any
  hostPath HostPathVolumeSource "hostPath represents a pre-existing file or directory on the host machine that is directly exposed to the container."
  image ImageVolumeSource
  iscsi any
  name string ! "name of the volume. Must be a DNS_LABEL and unique within the pod."
  nfs NFSVolumeSource
  persistentVolumeClaim PersistentVolumeClaimVolumeSource "persistentVolumeClaimVolumeSource represents a reference to a PersistentVolumeClaim in the same namespace."
  photonPersistentDisk any
  portworxVolume any
  projected ProjectedVolumeSource
  quobyte any
  rbd any
  scaleIO any
  secret SecretVolumeSource "secret represents a secret that should populate this volume."
  storageos any
  vsphereVolume any
type ConfigMapVolumeSource
  defaultMode int32
  items []KeyToPath list=atomic
  name string
  optional bool
type SecretVolumeSource
  defaultMode int32
  items []KeyToPath list=atomic
  optional bool
  secretName string
type KeyToPath
  key string !
  mode int32
  path string !
type EmptyDirVolumeSource
  medium string
  sizeLimit resource.Quantity
type HostPathVolumeSource
  path string !
  type string
type PersistentVolumeClaimVolumeSource
  claimName string !
  readOnly bool
type NFSVolumeSource
  path string !
  readOnly bool
  server string !
type CSIVolumeSource
  driver string !
  fsType string
  nodePublishSecretRef LocalObjectReference
  readOnly bool
  volumeAttributes {}string
type ImageVolumeSource
  pullPolicy string
  reference string
type DownwardAPIVolumeSource
  defaultMode int32
  items []DownwardAPIVolumeFile list=atomic
type DownwardAPIVolumeFile
  fieldRef ObjectFieldSelector
  mode int32
  path string !
  resourceFieldRef ResourceFieldSelector
type DownwardAPIProjection
  items []DownwardAPIVolumeFile list=atomic
type ProjectedVolumeSource
  defaultMode int32
  sources []VolumeProjection list=atomic
type VolumeProjection
  clusterTrustBundle any
  configMap ConfigMapProjection
  downwardAPI DownwardAPIProjection
  secret SecretProjection
  serviceAccountToken ServiceAccountTokenProjection
type ConfigMapProjection
  items []KeyToPath list=atomic
  name string
  optional bool
type SecretProjection
  items []KeyToPath list=atomic
  name string
  optional bool
type ServiceAccountTokenProjection
  audience string
  expirationSeconds int64
  path string !
type EphemeralVolumeSource
  volumeClaimTemplate PersistentVolumeClaimTemplate
type PersistentVolumeClaimTemplate
  metadata meta.ObjectMeta
  spec PersistentVolumeClaimSpec !
type PodStatus "PodStatus represents information about the status of a pod."
  conditions []PodCondition merge=type list=map:type "Current service state of pod."
  containerStatuses []ContainerStatus list=atomic "The list has one entry per container in the manifest."
  ephemeralContainerStatuses []ContainerStatus list=atomic
  hostIP string "hostIP holds the IP address of the host to which the pod is assigned."
  hostIPs []HostIP merge=ip list=atomic
  initContainerStatuses []ContainerStatus list=atomic
  message string "A human readable message indicating details about why the pod is in this condition."
  nominatedNodeName string
  phase string enum=Failed|Pending|Running|Succeeded|Unknown "The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle."
  podIP string "podIP address allocated to the pod."
  podIPs []PodIP merge=ip list=map:ip
  qosClass string enum=BestEffort|Burstable|Guaranteed "The Quality of Service (QOS) classification assigned to the pod based on resource requirements."
  reason string "A brief CamelCase message indicating details about why the pod is in this state."
  resize string
  resourceClaimStatuses []any merge=name list=map:name
  startTime meta.Time "RFC 3339 date and time at which the object was acknowledged by the Kubelet."
type PodCondition
  lastProbeTime meta.Time
  lastTransitionTime meta.Time
  message string
  reason string
  status string !
  type string !
type PodIP
  ip string !
type HostIP
  ip string !
type ContainerStatus "ContainerStatus contains details for the current status of this container."
  allocatedResources {}resource.Quantity
  allocatedResourcesStatus []any
  containerID string
  image string !
  imageID string !
  lastState ContainerState
  name string !
  ready bool !
  resources ResourceRequirements
  restartCount int32 !
  started bool
  state ContainerState
  stopSignal string
  user any
  volumeMounts []any
type ContainerState
  running ContainerStateRunning
  terminated ContainerStateTerminated
  waiting ContainerStateWaiting
type ContainerStateRunning
  startedAt meta.Time
type ContainerStateTerminated
  containerID string
  exitCode int32 !
  finishedAt meta.Time
  message string
  reason string
  signal int32
  startedAt meta.Time
type ContainerStateWaiting
  message string
  reason string
)schema";
}

}  // namespace common::api::schema
