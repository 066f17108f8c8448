// Schema text: networking, discovery, scheduling, coordination, storage,
// rbac, flowcontrol, apiextensions, events.k8s.io, authn/authz reviews.
#include "schema.h"

namespace common::api::schema {

const char* OtherSchemaText() {
  return R"schema(
package io.k8s.api.networking.v1
type Ingress gvk=networking.k8s.io/v1/Ingress "Ingress is a collection of rules that allow inbound connections to reach the endpoints defined by a backend."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec IngressSpec
  status IngressStatus
type IngressSpec
  defaultBackend IngressBackend
  ingressClassName string
  rules []IngressRule list=atomic
  tls []IngressTLS list=atomic
type IngressBackend
  resource core.TypedLocalObjectReference
  service IngressServiceBackend
type IngressServiceBackend
  name string !
  port ServiceBackendPort
type ServiceBackendPort
  name string
  number int32
type IngressRule
  host string
  http HTTPIngressRuleValue
type HTTPIngressRuleValue
  paths []HTTPIngressPath ! list=atomic
type HTTPIngressPath
  backend IngressBackend !
  path string
  pathType string ! enum=Exact|ImplementationSpecific|Prefix
type IngressTLS
  hosts []string list=atomic
  secretName string
type IngressStatus
  loadBalancer any
type IngressClass gvk=networking.k8s.io/v1/IngressClass "IngressClass represents the class of the Ingress, referenced by the Ingress Spec."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec IngressClassSpec
type IngressClassSpec
  controller string
  parameters any
type NetworkPolicy gvk=networking.k8s.io/v1/NetworkPolicy "NetworkPolicy describes what network traffic is allowed for a set of Pods."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec NetworkPolicySpec
type NetworkPolicySpec
  egress []NetworkPolicyEgressRule list=atomic
  ingress []NetworkPolicyIngressRule list=atomic
  podSelector meta.LabelSelector !
  policyTypes []string list=atomic
type NetworkPolicyIngressRule
  from []NetworkPolicyPeer list=atomic
  ports []NetworkPolicyPort list=atomic
type NetworkPolicyEgressRule
  ports []NetworkPolicyPort list=atomic
  to []NetworkPolicyPeer list=atomic
type NetworkPolicyPeer
  ipBlock IPBlock
  namespaceSelector meta.LabelSelector
  podSelector meta.LabelSelector
type IPBlock
  cidr string !
  except []string list=atomic
type NetworkPolicyPort
  endPort int32
  port intstr.IntOrString
  protocol string

package io.k8s.api.discovery.v1
type EndpointSlice gvk=discovery.k8s.io/v1/EndpointSlice "EndpointSlice represents a subset of the endpoints that implement a service."
  addressType string ! enum=FQDN|IPv4|IPv6
  apiVersion string
  endpoints []Endpoint ! list=atomic
  kind string
  metadata meta.ObjectMeta
  ports []EndpointPort list=atomic
type Endpoint
  addresses []string ! list=set
  conditions EndpointConditions
  deprecatedTopology {}string
  hints any
  hostname string
  nodeName string
  targetRef core.ObjectReference
  zone string
type EndpointConditions
  ready bool
  serving bool
  terminating bool
type EndpointPort
  appProtocol string
  name string
  port int32
  protocol string

package io.k8s.api.scheduling.v1
type PriorityClass gvk=scheduling.k8s.io/v1/PriorityClass "PriorityClass defines mapping from a priority class name to the priority integer value."
  apiVersion string
  description string
  globalDefault bool
  kind string
  metadata meta.ObjectMeta
  preemptionPolicy string
  value int32 !

package io.k8s.api.coordination.v1
type Lease gvk=coordination.k8s.io/v1/Lease "Lease defines a lease concept."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec LeaseSpec
type LeaseSpec
  acquireTime meta.MicroTime
  holderIdentity string
  leaseDurationSeconds int32
  leaseTransitions int32
  preferredHolder string
  renewTime meta.MicroTime
  strategy string

package io.k8s.api.storage.v1
type StorageClass gvk=storage.k8s.io/v1/StorageClass "StorageClass describes the parameters for a class of storage for which PersistentVolumes can be dynamically provisioned."
  allowVolumeExpansion bool
  allowedTopologies []any list=atomic
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  mountOptions []string list=atomic
  parameters {}string
  provisioner string !
  reclaimPolicy string
  volumeBindingMode string

package io.k8s.api.rbac.v1
type Role gvk=rbac.authorization.k8s.io/v1/Role "Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  rules []PolicyRule list=atomic
type ClusterRole gvk=rbac.authorization.k8s.io/v1/ClusterRole "ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding."
  aggregationRule AggregationRule
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  rules []PolicyRule list=atomic
type AggregationRule
  clusterRoleSelectors []meta.LabelSelector list=atomic
type PolicyRule
  apiGroups []string list=atomic
  nonResourceURLs []string list=atomic
  resourceNames []string list=atomic
  resources []string list=atomic
  verbs []string ! list=atomic
type RoleBinding gvk=rbac.authorization.k8s.io/v1/RoleBinding "RoleBinding references a role, but does not contain it."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  roleRef RoleRef !
  subjects []Subject list=atomic
type ClusterRoleBinding gvk=rbac.authorization.k8s.io/v1/ClusterRoleBinding "ClusterRoleBinding references a ClusterRole, but not contain it."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  roleRef RoleRef !
  subjects []Subject list=atomic
type RoleRef
  apiGroup string !
  kind string !
  name string !
type Subject
  apiGroup string
  kind string !
  name string !
  namespace string

package io.k8s.api.flowcontrol.v1
type FlowSchema gvk=flowcontrol.apiserver.k8s.io/v1/FlowSchema "FlowSchema defines the schema of a group of flows."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec FlowSchemaSpec
  status FlowSchemaStatus
type FlowSchemaSpec
  distinguisherMethod FlowDistinguisherMethod
  matchingPrecedence int32
  priorityLevelConfiguration PriorityLevelConfigurationReference !
  rules []PolicyRulesWithSubjects list=atomic
type FlowDistinguisherMethod
  type string !
type PriorityLevelConfigurationReference
  name string !
type PolicyRulesWithSubjects
  nonResourceRules []NonResourcePolicyRule list=atomic
  resourceRules []ResourcePolicyRule list=atomic
  subjects []FlowSubject ! list=atomic
type ResourcePolicyRule
  apiGroups []string ! list=set
  clusterScope bool
  namespaces []string list=set
  resources []string ! list=set
  verbs []string ! list=set
type NonResourcePolicyRule
  nonResourceURLs []string ! list=set
  verbs []string ! list=set
type FlowSubject
  group any
  kind string !
  serviceAccount any
  user any
type FlowSchemaStatus
  conditions []any merge=type list=map:type
type PriorityLevelConfiguration gvk=flowcontrol.apiserver.k8s.io/v1/PriorityLevelConfiguration "PriorityLevelConfiguration represents the configuration of a priority level."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec PriorityLevelConfigurationSpec
  status PriorityLevelConfigurationStatus
type PriorityLevelConfigurationSpec
  exempt ExemptPriorityLevelConfiguration
  limited LimitedPriorityLevelConfiguration
  type string ! enum=Exempt|Limited
type ExemptPriorityLevelConfiguration
  lendablePercent int32
  nominalConcurrencyShares int32
type LimitedPriorityLevelConfiguration
  borrowingLimitPercent int32
  lendablePercent int32
  limitResponse LimitResponse
  nominalConcurrencyShares int32
type LimitResponse
  queuing QueuingConfiguration
  type string ! enum=Queue|Reject
type QueuingConfiguration
  handSize int32
  queueLengthLimit int32
  queues int32
type PriorityLevelConfigurationStatus
  conditions []any merge=type list=map:type

package io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1
type CustomResourceDefinition gvk=apiextensions.k8s.io/v1/CustomResourceDefinition "CustomResourceDefinition represents a resource that should be exposed on the API server. Its name MUST be in the format <.spec.name>.<.spec.group>."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec CustomResourceDefinitionSpec !
  status CustomResourceDefinitionStatus
type CustomResourceDefinitionSpec
  conversion any
  group string ! "group is the API group of the defined custom resource."
  names CustomResourceDefinitionNames !
  preserveUnknownFields bool
  scope string ! enum=Cluster|Namespaced
  versions []CustomResourceDefinitionVersion ! list=atomic
type CustomResourceDefinitionNames
  categories []string list=atomic
  kind string !
  listKind string
  plural string !
  shortNames []string list=atomic
  singular string
type CustomResourceDefinitionVersion
  additionalPrinterColumns []CustomResourceColumnDefinition list=atomic
  deprecated bool
  deprecationWarning string
  name string !
  schema CustomResourceValidation
  selectableFields []any list=atomic
  served bool !
  storage bool !
  subresources CustomResourceSubresources
type CustomResourceColumnDefinition
  description string
  format string
  jsonPath string !
  name string !
  priority int32
  type string !
type CustomResourceValidation
  openAPIV3Schema JSONSchemaProps
type JSONSchemaProps preserve "JSONSchemaProps is a JSON-Schema following Specification Draft 4."
type CustomResourceSubresources
  scale any
  status any
type CustomResourceDefinitionStatus
  acceptedNames CustomResourceDefinitionNames
  conditions []any list=map:type
  storedVersions []string list=atomic

package io.k8s.api.events.v1
type Event gvk=events.k8s.io/v1/Event "Event is a report of an event somewhere in the cluster."
  action string
  apiVersion string
  deprecatedCount int32
  deprecatedFirstTimestamp meta.Time
  deprecatedLastTimestamp meta.Time
  deprecatedSource core.EventSource
  eventTime meta.MicroTime !
  kind string
  metadata meta.ObjectMeta
  note string
  reason string
  regarding core.ObjectReference
  related core.ObjectReference
  reportingController string
  reportingInstance string
  series EventSeries
  type string
type EventSeries
  count int32 !
  lastObservedTime meta.MicroTime !

package io.k8s.api.authentication.v1
type TokenReview gvk=authentication.k8s.io/v1/TokenReview "TokenReview attempts to authenticate a token to a known user."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec any !
  status any
type SelfSubjectReview gvk=authentication.k8s.io/v1/SelfSubjectReview "SelfSubjectReview contains the user information that the kube-apiserver has about the user making this request."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  status any
type TokenRequest gvk=authentication.k8s.io/v1/TokenRequest "TokenRequest requests a token for a given service account."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec any !
  status any

package io.k8s.api.authorization.v1
type SubjectAccessReview gvk=authorization.k8s.io/v1/SubjectAccessReview "SubjectAccessReview checks whether or not a user or group can perform an action."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec SubjectAccessReviewSpec !
  status any
type LocalSubjectAccessReview gvk=authorization.k8s.io/v1/LocalSubjectAccessReview "LocalSubjectAccessReview checks whether or not a user or group can perform an action in a given namespace."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec SubjectAccessReviewSpec !
  status any
type SelfSubjectAccessReview gvk=authorization.k8s.io/v1/SelfSubjectAccessReview "SelfSubjectAccessReview checks whether or the current user can perform an action."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec SelfSubjectAccessReviewSpec !
  status any
type SelfSubjectRulesReview gvk=authorization.k8s.io/v1/SelfSubjectRulesReview "SelfSubjectRulesReview enumerates the set of actions the current user can perform within a namespace."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec SelfSubjectRulesReviewSpec !
  status any
type SubjectAccessReviewSpec
  extra any
  groups []string list=atomic
  nonResourceAttributes NonResourceAttributes
  resourceAttributes ResourceAttributes
  uid string
  user string
type SelfSubjectAccessReviewSpec
  nonResourceAttributes NonResourceAttributes
  resourceAttributes ResourceAttributes
type SelfSubjectRulesReviewSpec
  namespace string
type ResourceAttributes
  fieldSelector any
  group string
  labelSelector any
  name string
  namespace string
  resource string
  subresource string
  verb string
  version string
type NonResourceAttributes
  path string
  verb string
)schema";
}

}  // namespace common::api::schema
