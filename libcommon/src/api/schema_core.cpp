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
  key string ! "The key of the secret to select from.  Must be a valid secret key."
  name string "Name of the referent."
  optional bool "Specify whether the Secret or its key must be defined"
type ObjectFieldSelector "ObjectFieldSelector selects an APIVersioned field of an object."
  apiVersion string
  fieldPath string ! "Path of the field to select in the specified API version."
type ResourceFieldSelector "ResourceFieldSelector represents container resources (cpu, memory) and their output format."
  containerName string "Container name: required for volumes, optional for env vars"
  divisor resource.Quantity "Specifies the output format of the exposed resources, defaults to "1""
  resource string ! "Required: resource to select"
type EnvFromSource "EnvFromSource represents the source of a set of ConfigMaps or Secrets."
  configMapRef ConfigMapEnvSource
  prefix string
  secretRef SecretEnvSource
type ConfigMapEnvSource
  name string
  optional bool
type SecretEnvSource "SecretEnvSource selects a Secret to populate the environment variables with."
  name string "Name of the referent."
  optional bool "Specify whether the Secret must be defined"
type ResourceRequirements "ResourceRequirements describes the compute resource requirements."
  claims []ResourceClaim list=map:name "Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container."
  limits {}resource.Quantity "Limits describes the maximum amount of compute resources allowed."
  requests {}resource.Quantity "Requests describes the minimum amount of compute resources required."
type ResourceClaim "ResourceClaim references one entry in PodSpec.ResourceClaims."
  name string ! "Name must match the name of one entry in pod.spec.resourceClaims of the Pod where this field is used."
  request string "Request is the name chosen for a request in the referenced claim."
type VolumeMount "VolumeMount describes a mounting of a Volume within a container."
  mountPath string ! "Path within the container at which the volume should be mounted. Must not contain ':'."
  mountPropagation string "mountPropagation determines how mounts are propagated from the host to container and the other way around."
  name string ! "This must match the Name of a Volume."
  readOnly bool "Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false."
  recursiveReadOnly string "RecursiveReadOnly specifies whether read-only mounts should be handled recursively. If ReadOnly is false, this field has no meaning and must be unspecified."
  subPath string "Path within the volume from which the container's volume should be mounted."
  subPathExpr string "Expanded path within the volume from which the container's volume should be mounted. Behaves similarly to SubPath but environment variable references $(VAR_NAME) are expanded using the container's environment. Defaults to ""."
type VolumeDevice "volumeDevice describes a mapping of a raw block device within a container."
  devicePath string ! "devicePath is the path inside of the container that the device will be mapped to."
  name string ! "name must match the name of a persistentVolumeClaim in the pod"
type Probe "Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic."
  exec ExecAction "Exec specifies a command to execute in the container."
  failureThreshold int32 "Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3."
  grpc GRPCAction "GRPC specifies a GRPC HealthCheckRequest."
  httpGet HTTPGetAction "HTTPGet specifies an HTTP GET request to perform."
  initialDelaySeconds int32 "Number of seconds after the container has started before liveness probes are initiated."
  periodSeconds int32 "How often (in seconds) to perform the probe. Default to 10 seconds."
  successThreshold int32 "Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1."
  tcpSocket TCPSocketAction "TCPSocket specifies a connection to a TCP port."
  terminationGracePeriodSeconds int64 "Optional duration in seconds the pod needs to terminate gracefully upon probe failure. If this value is nil, the pod's terminationGracePeriodSeconds will be used."
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
type TCPSocketAction "TCPSocketAction describes an action based on opening a socket"
  host string "Optional: Host name to connect to, defaults to the pod IP."
  port intstr.IntOrString ! "Number or name of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME."
type GRPCAction
  port int32 !
  service string
type SleepAction "SleepAction describes a "sleep" action."
  seconds int64 ! "Seconds is the number of seconds to sleep."
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
  allowPrivilegeEscalation bool "AllowPrivilegeEscalation controls whether a process can gain more privileges than its parent process. This bool directly controls if the no_new_privs flag will be set on the container process."
  appArmorProfile AppArmorProfile "appArmorProfile is the AppArmor options to use by this container."
  capabilities Capabilities "The capabilities to add/drop when running containers. Defaults to the default set of capabilities granted by the container runtime."
  privileged bool "Run container in privileged mode. Processes in privileged containers are essentially equivalent to root on the host. Defaults to false."
  procMount string "procMount denotes the type of proc mount to use for the containers. The default value is Default which uses the container runtime defaults for readonly paths and masked paths."
  readOnlyRootFilesystem bool "Whether this container has a read-only root filesystem. Default is false."
  runAsGroup int64 "The GID to run the entrypoint of the container process. Uses runtime default if unset."
  runAsNonRoot bool "Indicates that the container must run as a non-root user. If true, the Kubelet will validate the image at runtime to ensure that it does not run as UID 0 (root) and fail to start the container if it does."
  runAsUser int64 "The UID to run the entrypoint of the container process. Defaults to user specified in image metadata if unspecified."
  seLinuxOptions SELinuxOptions "The SELinux context to be applied to the container. If unspecified, the container runtime will allocate a random SELinux context for each container."
  seccompProfile SeccompProfile "The seccomp options to use by this container. If seccomp options are provided at both the pod & container level, the container options override the pod options."
  windowsOptions WindowsSecurityContextOptions "The Windows specific settings applied to all containers."
type PodSecurityContext "PodSecurityContext holds pod-level security attributes and common container settings."
  appArmorProfile AppArmorProfile "appArmorProfile is the AppArmor options to use by the containers in this pod."
  fsGroup int64 "A special supplemental group that applies to all containers in a pod. Some volume types allow the Kubelet to change the ownership of that volume to be owned by the pod."
  fsGroupChangePolicy string "fsGroupChangePolicy defines behavior of changing ownership and permission of the volume before being exposed inside Pod. Valid values are "OnRootMismatch" and "Always". If not specified, "Always" is used."
  runAsGroup int64 "The GID to run the entrypoint of the container process. Uses runtime default if unset."
  runAsNonRoot bool "Indicates that the container must run as a non-root user. If true, the Kubelet will validate the image at runtime to ensure that it does not run as UID 0 (root) and fail to start the container if it does."
  runAsUser int64 "The UID to run the entrypoint of the container process. Defaults to user specified in image metadata if unspecified."
  seLinuxChangePolicy string "seLinuxChangePolicy defines how the container's SELinux label is applied to all volumes used by the Pod."
  seLinuxOptions SELinuxOptions "The SELinux context to be applied to all containers."
  seccompProfile SeccompProfile "The seccomp options to use by the containers in this pod."
  supplementalGroups []int64 list=atomic "A list of groups applied to the first process run in each container, in addition to the container's primary GID and fsGroup (if specified)."
  supplementalGroupsPolicy string "Defines how supplemental groups of the first container processes are calculated. Valid values are "Merge" and "Strict". If not specified, "Merge" is used."
  sysctls []Sysctl list=atomic "Sysctls hold a list of namespaced sysctls used for the pod. Pods with unsupported sysctls (by the container runtime) might fail to launch."
  windowsOptions WindowsSecurityContextOptions "The Windows specific settings applied to all containers."
type Capabilities "Adds and removes POSIX capabilities from running containers."
  add []string list=atomic "Added capabilities"
  drop []string list=atomic "Removed capabilities"
type SELinuxOptions "SELinuxOptions are the labels to be applied to the container"
  level string "Level is SELinux level label that applies to the container."
  role string "Role is a SELinux role label that applies to the container."
  type string "Type is a SELinux type label that applies to the container."
  user string "User is a SELinux user label that applies to the container."
type SeccompProfile "SeccompProfile defines a pod/container's seccomp profile settings. Only one profile source may be set."
  localhostProfile string "localhostProfile indicates a profile defined in a file on the node should be used. Must be set if type is "Localhost"."
  type string ! "type indicates which kind of seccomp profile will be applied. Valid options are: Localhost, RuntimeDefault, Unconfined."
type AppArmorProfile
  localhostProfile string
  type string !
type WindowsSecurityContextOptions
  gmsaCredentialSpec string
  gmsaCredentialSpecName string
  hostProcess bool
  runAsUserName string
type Sysctl "Sysctl defines a kernel parameter to be set"
  name string ! "Name of a property to set"
  value string ! "Value of a property to set"
type LocalObjectReference "LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace."
  name string "Name of the referent."
type HostAlias
  hostnames []string list=atomic
  ip string !
type PodDNSConfig "PodDNSConfig defines the DNS parameters of a pod in addition to those generated from DNSPolicy."
  nameservers []string list=atomic "A list of DNS name server IP addresses. This will be appended to the base nameservers generated from DNSPolicy. Duplicated nameservers will be removed."
  options []PodDNSConfigOption list=atomic "A list of DNS resolver options. This will be merged with the base options generated from DNSPolicy."
  searches []string list=atomic "A list of DNS search domains for host-name lookup. This will be appended to the base search paths generated from DNSPolicy."
type PodDNSConfigOption "PodDNSConfigOption defines DNS resolver options of a pod."
  name string "Name is this DNS resolver option's name. Required."
  value string "Value is this DNS resolver option's value."
type PodOS "PodOS defines the OS parameters of a pod."
  name string ! "Name is the name of the operating system. The currently supported values are linux and windows."
type PodReadinessGate "PodReadinessGate contains the reference to a pod condition"
  conditionType string ! "ConditionType refers to a condition in the pod's condition list with matching type."
type PodSchedulingGate "PodSchedulingGate is associated to a Pod to guard its scheduling."
  name string ! "Name of the scheduling gate. Each scheduling gate must have a unique name field."
type PodResourceClaim
  name string !
  resourceClaimName string
  resourceClaimTemplateName string
type Toleration "The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> using the matching operator <operator>."
  effect string enum=NoExecute|NoSchedule|PreferNoSchedule "Effect indicates the taint effect to match. Empty means match all taint effects. When specified, allowed values are NoSchedule, PreferNoSchedule and NoExecute."
  key string "Key is the taint key that the toleration applies to. Empty means match all taint keys. If the key is empty, operator must be Exists; this combination means to match all values and all keys."
  operator string enum=Equal|Exists "Operator represents a key's relationship to the value. Valid operators are Exists and Equal. Defaults to Equal. Exists is equivalent to wildcard for value, so that a pod can tolerate all taints of a particular category."
  tolerationSeconds int64 "TolerationSeconds represents the period of time the toleration (which must be of effect NoExecute, otherwise this field is ignored) tolerates the taint. By default, it is not set, which means tolerate the taint forever (do not evict)."
  value string "Value is the taint value the toleration matches to. If the operator is Exists, the value should be empty, otherwise just a regular string."
type TopologySpreadConstraint "TopologySpreadConstraint specifies how to spread matching pods among the given topology."
  labelSelector meta.LabelSelector "LabelSelector is used to find matching pods. Pods that match this label selector are counted to determine the number of pods in their corresponding topology domain."
  matchLabelKeys []string list=atomic "MatchLabelKeys is a set of pod label keys to select the pods over which spreading will be calculated."
  maxSkew int32 ! "MaxSkew describes the degree to which pods may be unevenly distributed. It's the maximum permitted difference between the number of matching pods in the target topology and the global minimum. It's a required field. Default value is 1 and 0 is not allowed."
  minDomains int32 "MinDomains indicates a minimum number of eligible domains. When the number of eligible domains with matching topology keys is less than minDomains, Pod Topology Spread treats "global minimum" as 0."
  nodeAffinityPolicy string "NodeAffinityPolicy indicates how we will treat Pod's nodeAffinity/nodeSelector when calculating pod topology spread skew. Options are Honor and Ignore. If this value is nil, the behavior is equivalent to the Honor policy."
  nodeTaintsPolicy string "NodeTaintsPolicy indicates how we will treat node taints when calculating pod topology spread skew. Options are Honor and Ignore. If this value is nil, the behavior is equivalent to the Ignore policy."
  topologyKey string ! "TopologyKey is the key of node labels. Nodes that have a label with this key and identical values are considered to be in the same topology. It's a required field."
  whenUnsatisfiable string ! "WhenUnsatisfiable indicates how to deal with a pod if it doesn't satisfy the spread constraint. DoNotSchedule (default) tells the scheduler not to schedule it. ScheduleAnyway tells the scheduler to schedule the pod in any location, but giving higher precedence to topologies that would help reduce the skew."
type Affinity "Affinity is a group of affinity scheduling rules."
  nodeAffinity NodeAffinity "Describes node affinity scheduling rules for the pod."
  podAffinity PodAffinity "Describes pod affinity scheduling rules (e.g. co-locate this pod in the same node, zone, etc. as some other pod(s))."
  podAntiAffinity PodAntiAffinity "Describes pod anti-affinity scheduling rules (e.g. avoid putting this pod in the same node, zone, etc. as some other pod(s))."
type NodeAffinity "Node affinity is a group of node affinity scheduling rules."
  preferredDuringSchedulingIgnoredDuringExecution []PreferredSchedulingTerm list=atomic "The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions specified by this field, but it may choose a node that violates one or more of the expressions."
  requiredDuringSchedulingIgnoredDuringExecution NodeSelector "If the affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node. If the affinity requirements specified by this field cease to be met at some point during pod execution, the system may or may not try to eventually evict the pod from its node."
type NodeSelector "A node selector represents the union of the results of one or more label queries over a set of nodes; that is, it represents the OR of the selectors represented by the node selector terms."
  nodeSelectorTerms []NodeSelectorTerm ! list=atomic "Required. A list of node selector terms. The terms are ORed."
type NodeSelectorTerm "A null or empty node selector term matches no objects. The requirements of them are ANDed."
  matchExpressions []NodeSelectorRequirement list=atomic "A list of node selector requirements by node's labels."
  matchFields []NodeSelectorRequirement list=atomic "A list of node selector requirements by node's fields."
type NodeSelectorRequirement "A node selector requirement is a selector that contains values, a key, and an operator that relates the key and values."
  key string ! "The label key that the selector applies to."
  operator string ! "Represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists, DoesNotExist. Gt, and Lt."
  values []string list=atomic "An array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty. If the operator is Gt or Lt, the values array must have a single element, which will be interpreted as an integer."
type PreferredSchedulingTerm "An empty preferred scheduling term matches all objects with implicit weight 0 (i.e. it's a no-op). A null preferred scheduling term matches no objects (i.e. is also a no-op)."
  preference NodeSelectorTerm ! "A node selector term, associated with the corresponding weight."
  weight int32 ! "Weight associated with matching the corresponding nodeSelectorTerm, in the range 1-100."
type PodAffinity "Pod affinity is a group of inter pod affinity scheduling rules."
  preferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm list=atomic "The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions specified by this field, but it may choose a node that violates one or more of the expressions."
  requiredDuringSchedulingIgnoredDuringExecution []PodAffinityTerm list=atomic "If the affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node. All terms must be satisfied."
type PodAntiAffinity "Pod anti affinity is a group of inter pod anti affinity scheduling rules."
  preferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm list=atomic "The scheduler will prefer to schedule pods to nodes that satisfy the anti-affinity expressions specified by this field, but it may choose a node that violates one or more of the expressions."
  requiredDuringSchedulingIgnoredDuringExecution []PodAffinityTerm list=atomic "If the anti-affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node. All terms must be satisfied."
type PodAffinityTerm "Defines a set of pods (namely those matching the labelSelector relative to the given namespace(s)) that this pod should be co-located (affinity) or not co-located (anti-affinity) with, where co-located is defined as running on a node whose value of the label with key <topologyKey> matches that of any node on which a pod of the set of pods is running"
  labelSelector meta.LabelSelector "A label query over a set of resources, in this case pods. If it's null, this PodAffinityTerm matches with no Pods."
  matchLabelKeys []string list=atomic "MatchLabelKeys is a set of pod label keys to select which pods will be taken into consideration."
  mismatchLabelKeys []string list=atomic "MismatchLabelKeys is a set of pod label keys to select which pods will be taken into consideration."
  namespaceSelector meta.LabelSelector "A label query over the set of namespaces that the term applies to."
  namespaces []string list=atomic "namespaces specifies a static list of namespace names that the term applies to. null or empty namespaces list and null namespaceSelector means "this pod's namespace"."
  topologyKey string ! "This pod should be co-located (affinity) or not co-located (anti-affinity) with the pods matching the labelSelector in the specified namespaces, where co-located is defined as running on a node whose value of the label with key topologyKey matches that of any node on which any of the selected pods is running. Empty topologyKey is not allowed."
type WeightedPodAffinityTerm "The weights of all of the matched WeightedPodAffinityTerm fields are added per-node to find the most preferred node(s)"
  podAffinityTerm PodAffinityTerm ! "Required. A pod affinity term, associated with the corresponding weight."
  weight int32 ! "weight associated with matching the corresponding podAffinityTerm, in the range 1-100."
type Volume "Volume represents a named volume in a pod that may be accessed by any container in the pod."
  awsElasticBlockStore any "awsElasticBlockStore represents an AWS Disk resource that is attached to a kubelet's host machine and then exposed to the pod. Deprecated."
  azureDisk any "azureDisk represents an Azure Data Disk mount on the host and bind mount to the pod. Deprecated."
  azureFile any "azureFile represents an Azure File Service mount on the host and bind mount to the pod. Deprecated."
  cephfs any "cephFS represents a Ceph FS mount on the host that shares a pod's lifetime. Deprecated."
  cinder any "cinder represents a cinder volume attached and mounted on kubelets host machine. Deprecated."
  configMap ConfigMapVolumeSource "configMap represents a configMap that should populate this volume."
  csi CSIVolumeSource "csi (Container Storage Interface) represents ephemeral storage that is handled by certain external CSI drivers."
  downwardAPI DownwardAPIVolumeSource "downwardAPI represents downward API about the pod that should populate this volume"
  emptyDir EmptyDirVolumeSource "emptyDir represents a temporary directory that shares a pod's lifetime."
  ephemeral EphemeralVolumeSource "ephemeral represents a volume that is handled by a cluster storage driver. The volume's lifecycle is tied to the pod that defines it - it will be created before the pod starts, and deleted when the pod is removed."
  fc any "fc represents a Fibre Channel resource that is attached to a kubelet's host machine and then exposed to the pod."
  flexVolume any "flexVolume represents a generic volume resource that is provisioned/attached using an exec based plugin. Deprecated."
  flocker any "flocker represents a Flocker volume attached to a kubelet's host machine. Deprecated."
  gcePersistentDisk any "gcePersistentDisk represents a GCE Disk resource that is attached to a kubelet's host machine and then exposed to the pod. Deprecated."
  gitRepo any "gitRepo represents a git repository at a particular revision. Deprecated."
  glusterfs any "glusterfs represents a Glusterfs mount on the host that shares a pod's lifetime. Deprecated."
  hostPath HostPathVolumeSource "hostPath represents a pre-existing file or directory on the host machine that is directly exposed to the container."
  image ImageVolumeSource "image represents an OCI object (a container image or artifact) pulled and mounted on the kubelet's host machine."
  iscsi any "iscsi represents an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod."
  name string ! "name of the volume. Must be a DNS_LABEL and unique within the pod."
  nfs NFSVolumeSource "nfs represents an NFS mount on the host that shares a pod's lifetime"
  persistentVolumeClaim PersistentVolumeClaimVolumeSource "persistentVolumeClaimVolumeSource represents a reference to a PersistentVolumeClaim in the same namespace."
  photonPersistentDisk any "photonPersistentDisk represents a PhotonController persistent disk attached and mounted on kubelets host machine. Deprecated."
  portworxVolume any "portworxVolume represents a portworx volume attached and mounted on kubelets host machine. Deprecated."
  projected ProjectedVolumeSource
  quobyte any "quobyte represents a Quobyte mount on the host that shares a pod's lifetime. Deprecated."
  rbd any "rbd represents a Rados Block Device mount on the host that shares a pod's lifetime. Deprecated."
  scaleIO any "scaleIO represents a ScaleIO persistent volume attached and mounted on Kubernetes nodes. Deprecated."
  secret SecretVolumeSource "secret represents a secret that should populate this volume."
  storageos any "storageOS represents a StorageOS volume attached and mounted on Kubernetes nodes. Deprecated."
  vsphereVolume any "vsphereVolume represents a vSphere volume attached and mounted on kubelets host machine. Deprecated."
type ConfigMapVolumeSource
  defaultMode int32
  items []KeyToPath list=atomic
  name string
  optional bool
type SecretVolumeSource "Adapts a Secret into a volume. The contents of the target Secret's Data field will be presented in a volume as files using the keys in the Data field as the file names."
  defaultMode int32 "defaultMode is Optional: mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. Defaults to 0644."
  items []KeyToPath list=atomic "items If unspecified, each key-value pair in the Data field of the referenced Secret will be projected into the volume as a file whose name is the key and content is the value."
  optional bool "optional field specify whether the Secret or its keys must be defined"
  secretName string "secretName is the name of the secret in the pod's namespace to use."
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
type PersistentVolumeClaimVolumeSource "PersistentVolumeClaimVolumeSource references the user's PVC in the same namespace."
  claimName string ! "claimName is the name of a PersistentVolumeClaim in the same namespace as the pod using this volume."
  readOnly bool "readOnly Will force the ReadOnly setting in VolumeMounts. Default false."
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
type ProjectedVolumeSource "Represents a projected volume source"
  defaultMode int32 "defaultMode are the mode bits used to set permissions on created files by default."
  sources []VolumeProjection list=atomic "sources is the list of volume projections. Each entry in this list handles one source."
type VolumeProjection "Projection that may be projected along with other supported volume types. Exactly one of these fields must be set."
  clusterTrustBundle any "ClusterTrustBundle allows a pod to access the `.spec.trustBundle` field of ClusterTrustBundle objects in an auto-updating file."
  configMap ConfigMapProjection "configMap information about the configMap data to project"
  downwardAPI DownwardAPIProjection "downwardAPI information about the downwardAPI data to project"
  secret SecretProjection "secret information about the secret data to project"
  serviceAccountToken ServiceAccountTokenProjection "serviceAccountToken is information about the serviceAccountToken data to project"
type ConfigMapProjection
  items []KeyToPath list=atomic
  name string
  optional bool
type SecretProjection "Adapts a secret into a projected volume."
  items []KeyToPath list=atomic "items if unspecified, each key-value pair in the Data field of the referenced Secret will be projected into the volume as a file whose name is the key and content is the value."
  name string "Name of the referent."
  optional bool "optional field specify whether the Secret or its key must be defined"
type ServiceAccountTokenProjection "ServiceAccountTokenProjection represents a projected service account token volume."
  audience string "audience is the intended audience of the token. A recipient of a token must identify itself with an identifier specified in the audience of the token. Defaults to the identifier of the apiserver."
  expirationSeconds int64 "expirationSeconds is the requested duration of validity of the service account token. Defaults to 1 hour and must be at least 10 minutes."
  path string ! "path is the path relative to the mount point of the file to project the token into."
type EphemeralVolumeSource
  volumeClaimTemplate PersistentVolumeClaimTemplate
type PersistentVolumeClaimTemplate "PersistentVolumeClaimTemplate is used to produce PersistentVolumeClaim objects as part of an EphemeralVolumeSource."
  metadata meta.ObjectMeta "May contain labels and annotations that will be copied into the PVC when creating it."
  spec PersistentVolumeClaimSpec ! "The specification for the PersistentVolumeClaim. The entire content is copied unchanged into the PVC that gets created from this template."
type PodStatus "PodStatus represents information about the status of a pod."
  conditions []PodCondition merge=type list=map:type "Current service state of pod."
  containerStatuses []ContainerStatus list=atomic "The list has one entry per container in the manifest."
  ephemeralContainerStatuses []ContainerStatus list=atomic "Statuses for any ephemeral containers that have run in this pod."
  hostIP string "hostIP holds the IP address of the host to which the pod is assigned."
  hostIPs []HostIP merge=ip list=atomic "hostIPs holds the IP addresses allocated to the host. If this field is specified, the first entry must match the hostIP field."
  initContainerStatuses []ContainerStatus list=atomic "Statuses of init containers in this pod. The most recent successful non-restartable init container will have ready = true."
  message string "A human readable message indicating details about why the pod is in this condition."
  nominatedNodeName string "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods."
  phase string enum=Failed|Pending|Running|Succeeded|Unknown "The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle."
  podIP string "podIP address allocated to the pod."
  podIPs []PodIP merge=ip list=map:ip "podIPs holds the IP addresses allocated to the pod. If this field is specified, the 0th entry must match the podIP field."
  qosClass string enum=BestEffort|Burstable|Guaranteed "The Quality of Service (QOS) classification assigned to the pod based on resource requirements."
  reason string "A brief CamelCase message indicating details about why the pod is in this state."
  resize string "Status of resources resize desired for pod's containers. It is empty if no resources resize is pending."
  resourceClaimStatuses []any merge=name list=map:name "Status of resource claims."
  startTime meta.Time "RFC 3339 date and time at which the object was acknowledged by the Kubelet."
type PodCondition
  lastProbeTime meta.Time "Last time the condition was checked."
  lastTransitionTime meta.Time "Last time the condition transitioned from one status to another."
  message string "A human readable message indicating details about the transition."
  reason string "The reason for the condition's last transition."
  status string ! "Status of the condition, one of True, False, Unknown."
  type string ! "Type of the condition."
type PodIP "PodIP represents a single IP address allocated to the pod."
  ip string ! "IP is the IP address assigned to the pod"
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
