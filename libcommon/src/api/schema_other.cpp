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
type IngressSpec "IngressSpec describes the Ingress the user wishes to exist."
  defaultBackend IngressBackend "defaultBackend is the backend that should handle requests that don't match any rule. If Rules are not specified, DefaultBackend must be specified."
  ingressClassName string "ingressClassName is the name of an IngressClass cluster resource. Ingress controller implementations use this field to know whether they should be serving this Ingress resource."
  rules []IngressRule list=atomic "rules is a list of host rules used to configure the Ingress. If unspecified, or no rule matches, all traffic is sent to the default backend."
  tls []IngressTLS list=atomic "tls represents the TLS configuration. Currently the Ingress only supports a single TLS port, 443."
type IngressBackend "IngressBackend describes all endpoints for a given service and port."
  resource core.TypedLocalObjectReference "resource is an ObjectRef to another Kubernetes resource in the namespace of the Ingress object. If resource is specified, a service.Name and service.Port must not be specified."
  service IngressServiceBackend "service references a service as a backend. This is a mutually exclusive setting with "Resource"."
type IngressServiceBackend "IngressServiceBackend references a Kubernetes Service as a Backend."
  name string ! "name is the referenced service. The service must exist in the same namespace as the Ingress object."
  port ServiceBackendPort "port of the referenced service. A port name or port number is required for a IngressServiceBackend."
type ServiceBackendPort "ServiceBackendPort is the service port being referenced."
  name string "name is the name of the port on the Service. This is a mutually exclusive setting with "Number"."
  number int32 "number is the numerical port number (e.g. 80) on the Service. This is a mutually exclusive setting with "Name"."
type IngressRule "IngressRule represents the rules mapping the paths under a specified host to the related backend services."
  host string "host is the fully qualified domain name of a network host, as defined by RFC 3986. Wildcards are allowed as a prefix ("*.foo.com")."
  http HTTPIngressRuleValue "http is a list of http selectors pointing to backends."
type HTTPIngressRuleValue "HTTPIngressRuleValue is a list of http selectors pointing to backends."
  paths []HTTPIngressPath ! list=atomic "paths is a collection of paths that map requests to backends."
type HTTPIngressPath "HTTPIngressPath associates a path with a backend. Incoming urls matching the path are forwarded to the backend."
  backend IngressBackend ! "backend defines the referenced service endpoint to which the traffic will be forwarded to."
  path string "path is matched against the path of an incoming request. Currently it can contain characters disallowed from the conventional "path" part of a URL as defined by RFC 3986. Paths must begin with a '/' and must be present when using PathType with value "Exact" or "Prefix"."
  pathType string ! enum=Exact|ImplementationSpecific|Prefix "pathType determines the interpretation of the path matching. PathType can be one of the following values: Exact, Prefix, ImplementationSpecific."
type IngressTLS "IngressTLS describes the transport layer security associated with an ingress."
  hosts []string list=atomic "hosts is a list of hosts included in the TLS certificate. Defaults to the wildcard host setting for the loadbalancer controller fulfilling this Ingress, if left unspecified."
  secretName string "secretName is the name of the secret used to terminate TLS traffic on port 443."
type IngressStatus "IngressStatus describe the current state of the Ingress."
  loadBalancer any "loadBalancer contains the current status of the load-balancer."
type IngressClass gvk=networking.k8s.io/v1/IngressClass "IngressClass represents the class of the Ingress, referenced by the Ingress Spec."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec IngressClassSpec
type IngressClassSpec "IngressClassSpec provides information about the class of an Ingress."
  controller string "controller refers to the name of the controller that should handle this class, e.g. "acme.io/ingress-controller"."
  parameters any "parameters is a link to a custom resource containing additional configuration for the controller."
type NetworkPolicy gvk=networking.k8s.io/v1/NetworkPolicy "NetworkPolicy describes what network traffic is allowed for a set of Pods."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec NetworkPolicySpec
type NetworkPolicySpec "NetworkPolicySpec provides the specification of a NetworkPolicy"
  egress []NetworkPolicyEgressRule list=atomic "egress is a list of egress rules to be applied to the selected pods. Outgoing traffic is allowed if there are no NetworkPolicies selecting the pod (and cluster policy otherwise allows the traffic), OR if the traffic matches at least one egress rule across all of the NetworkPolicy objects whose podSelector matches the pod."
  ingress []NetworkPolicyIngressRule list=atomic "ingress is a list of ingress rules to be applied to the selected pods. Traffic is allowed to a pod if there are no NetworkPolicies selecting the pod (and cluster policy otherwise allows the traffic), OR if the traffic source is the pod's local node, OR if the traffic matches at least one ingress rule across all of the NetworkPolicy objects whose podSelector matches the pod."
  podSelector meta.LabelSelector ! "podSelector selects the pods to which this NetworkPolicy object applies. An empty podSelector matches all pods in this namespace."
  policyTypes []string list=atomic "policyTypes is a list of rule types that the NetworkPolicy relates to. Valid options are ["Ingress"], ["Egress"], or ["Ingress", "Egress"]."
type NetworkPolicyIngressRule "NetworkPolicyIngressRule describes a particular set of traffic that is allowed to the pods matched by a NetworkPolicySpec's podSelector."
  from []NetworkPolicyPeer list=atomic "from is a list of sources which should be able to access the pods selected for this rule. If this field is empty or missing, this rule matches all sources (traffic not restricted by source)."
  ports []NetworkPolicyPort list=atomic "ports is a list of ports which should be made accessible on the pods selected for this rule. If this field is empty or missing, this rule matches all ports."
type NetworkPolicyEgressRule "NetworkPolicyEgressRule describes a particular set of traffic that is allowed out of pods matched by a NetworkPolicySpec's podSelector."
  ports []NetworkPolicyPort list=atomic "ports is a list of destination ports for outgoing traffic. If this field is empty or missing, this rule matches all ports."
  to []NetworkPolicyPeer list=atomic "to is a list of destinations for outgoing traffic of pods selected for this rule. If this field is empty or missing, this rule matches all destinations."
type NetworkPolicyPeer "NetworkPolicyPeer describes a peer to allow traffic to/from. Only certain combinations of fields are allowed"
  ipBlock IPBlock "ipBlock defines policy on a particular IPBlock. If this field is set then neither of the other fields can be."
  namespaceSelector meta.LabelSelector "namespaceSelector selects namespaces using cluster-scoped labels."
  podSelector meta.LabelSelector "podSelector is a label selector which selects pods."
type IPBlock "IPBlock describes a particular CIDR (Ex. "192.168.1.0/24","2001:db8::/64") that is allowed to the pods matched by a NetworkPolicySpec's podSelector."
  cidr string ! "cidr is a string representing the IPBlock. Valid examples are "192.168.1.0/24" or "2001:db8::/64""
  except []string list=atomic "except is a slice of CIDRs that should not be included within an IPBlock. Except values will be rejected if they are outside the cidr range"
type NetworkPolicyPort "NetworkPolicyPort describes a port to allow traffic on"
  endPort int32 "endPort indicates that the range of ports from port to endPort if set, inclusive, should be allowed by the policy."
  port intstr.IntOrString "port represents the port on the given protocol. This can either be a numerical or named port on a pod. If this field is not provided, this matches all port names and numbers."
  protocol string "protocol represents the protocol (TCP, UDP, or SCTP) which traffic must match. If not specified, this field defaults to TCP."

package io.k8s.api.discovery.v1
type EndpointSlice gvk=discovery.k8s.io/v1/EndpointSlice "EndpointSlice represents a subset of the endpoints that implement a service."
  addressType string ! enum=FQDN|IPv4|IPv6 "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: IPv4, IPv6, FQDN."
  apiVersion string
  endpoints []Endpoint ! list=atomic "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints."
  kind string
  metadata meta.ObjectMeta
  ports []EndpointPort list=atomic "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name."
type Endpoint "Endpoint represents a single logical "backend" implementing a service."
  addresses []string ! list=set "addresses of this endpoint. For EndpointSlices of addressType "IPv4" or "IPv6", the values are IP addresses in canonical form. Must contain at least one address but no more than 100."
  conditions EndpointConditions "conditions contains information about the current status of the endpoint."
  deprecatedTopology {}string "deprecatedTopology contains topology information part of the v1beta1 API. This field is deprecated."
  hints any "hints contains information associated with how an endpoint should be consumed."
  hostname string "hostname of this endpoint. This field may be used by consumers of endpoints to distinguish endpoints from each other (e.g. in DNS names)."
  nodeName string "nodeName represents the name of the Node hosting this endpoint."
  targetRef core.ObjectReference "targetRef is a reference to a Kubernetes object that represents this endpoint."
  zone string "zone is the name of the Zone this endpoint exists in."
type EndpointConditions "EndpointConditions represents the current condition of an endpoint."
  ready bool "ready indicates that this endpoint is ready to receive traffic, according to whatever system is managing the endpoint."
  serving bool "serving indicates that this endpoint is able to receive traffic, according to whatever system is managing the endpoint."
  terminating bool "terminating indicates that this endpoint is terminating."
type EndpointPort "EndpointPort represents a Port used by an EndpointSlice"
  appProtocol string "The application protocol for this port."
  name string "name represents the name of this port. All ports in an EndpointSlice must have a unique name."
  port int32 "port represents the port number of the endpoint. If the EndpointSlice is derived from a Kubernetes service, this must be set to the service's target port."
  protocol string "protocol represents the IP protocol for this port. Must be UDP, TCP, or SCTP. Default is TCP."

package io.k8s.api.scheduling.v1
type PriorityClass gvk=scheduling.k8s.io/v1/PriorityClass "PriorityClass defines mapping from a priority class name to the priority integer value."
  apiVersion string
  description string "description is an arbitrary string that usually provides guidelines on when this priority class should be used."
  globalDefault bool "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`."
  kind string
  metadata meta.ObjectMeta
  preemptionPolicy string "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset."
  value int32 ! "value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec."

package io.k8s.api.coordination.v1
type Lease gvk=coordination.k8s.io/v1/Lease "Lease defines a lease concept."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec LeaseSpec
type LeaseSpec "LeaseSpec is a specification of a Lease."
  acquireTime meta.MicroTime "acquireTime is a time when the current lease was acquired."
  holderIdentity string "holderIdentity contains the identity of the holder of a current lease."
  leaseDurationSeconds int32 "leaseDurationSeconds is a duration that candidates for a lease need to wait to force acquire it. This is measured against the time of last observed renewTime."
  leaseTransitions int32 "leaseTransitions is the number of transitions of a lease between holders."
  preferredHolder string "PreferredHolder signals to a lease holder that the lease has a more optimal holder and should be given up."
  renewTime meta.MicroTime "renewTime is a time when the current holder of a lease has last updated the lease."
  strategy string "Strategy indicates the strategy for picking the leader for coordinated leader election."

package io.k8s.api.storage.v1
type StorageClass gvk=storage.k8s.io/v1/StorageClass "StorageClass describes the parameters for a class of storage for which PersistentVolumes can be dynamically provisioned."
  allowVolumeExpansion bool "allowVolumeExpansion shows whether the storage class allow volume expand."
  allowedTopologies []any list=atomic "allowedTopologies restrict the node topologies where volumes can be dynamically provisioned."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  mountOptions []string list=atomic "mountOptions controls the mountOptions for dynamically provisioned PersistentVolumes of this storage class. e.g. ["ro", "soft"]."
  parameters {}string "parameters holds the parameters for the provisioner that should create volumes of this storage class."
  provisioner string ! "provisioner indicates the type of the provisioner."
  reclaimPolicy string "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete."
  volumeBindingMode string "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound. When unset, VolumeBindingImmediate is used."

package io.k8s.api.rbac.v1
type Role gvk=rbac.authorization.k8s.io/v1/Role "Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  rules []PolicyRule list=atomic "Rules holds all the PolicyRules for this Role"
type ClusterRole gvk=rbac.authorization.k8s.io/v1/ClusterRole "ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding."
  aggregationRule AggregationRule "AggregationRule is an optional field that describes how to build the Rules for this ClusterRole. If AggregationRule is set, then the Rules are controller managed and direct changes to Rules will be stomped by the controller."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  rules []PolicyRule list=atomic "Rules holds all the PolicyRules for this ClusterRole"
type AggregationRule "AggregationRule describes how to locate ClusterRoles to aggregate into the ClusterRole"
  clusterRoleSelectors []meta.LabelSelector list=atomic "ClusterRoleSelectors holds a list of selectors which will be used to find ClusterRoles and create the rules. If any of the selectors match, then the ClusterRole's permissions will be added"
type PolicyRule "PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to."
  apiGroups []string list=atomic "APIGroups is the name of the APIGroup that contains the resources. If multiple API groups are specified, any action requested against one of the enumerated resources in any API group will be allowed. "" represents the core API group and "*" represents all API groups."
  nonResourceURLs []string list=atomic "NonResourceURLs is a set of partial urls that a user should have access to. *s are allowed, but only as the full, final step in the path."
  resourceNames []string list=atomic "ResourceNames is an optional white list of names that the rule applies to.  An empty set means that everything is allowed."
  resources []string list=atomic "Resources is a list of resources this rule applies to. '*' represents all resources."
  verbs []string ! list=atomic "Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule. '*' represents all verbs."
type RoleBinding gvk=rbac.authorization.k8s.io/v1/RoleBinding "RoleBinding references a role, but does not contain it."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  roleRef RoleRef ! "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable."
  subjects []Subject list=atomic "Subjects holds references to the objects the role applies to."
type ClusterRoleBinding gvk=rbac.authorization.k8s.io/v1/ClusterRoleBinding "ClusterRoleBinding references a ClusterRole, but not contain it."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  roleRef RoleRef ! "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable."
  subjects []Subject list=atomic "Subjects holds references to the objects the role applies to."
type RoleRef "RoleRef contains information that points to the role being used"
  apiGroup string ! "APIGroup is the group for the resource being referenced"
  kind string ! "Kind is the type of resource being referenced"
  name string ! "Name is the name of resource being referenced"
type Subject "Subject contains a reference to the object or user identities a role binding applies to.  This can either hold a direct API object reference, or a value for non-objects such as user and group names."
  apiGroup string "APIGroup holds the API group of the referenced subject. Defaults to "" for ServiceAccount subjects. Defaults to "rbac.authorization.k8s.io" for User and Group subjects."
  kind string ! "Kind of object being referenced. Values defined by this API group are "User", "Group", and "ServiceAccount"."
  name string ! "Name of the object being referenced."
  namespace string "Namespace of the referenced object.  If the object kind is non-namespace, such as "User" or "Group", and this value is not empty the Authorizer should report an error."

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
type CustomResourceDefinitionSpec "CustomResourceDefinitionSpec describes how a user wants their resource to appear"
  conversion CustomResourceConversion "conversion defines conversion settings for the CRD."
  group string ! "group is the API group of the defined custom resource."
  names CustomResourceDefinitionNames ! "names specify the resource and kind names for the custom resource."
  preserveUnknownFields bool "preserveUnknownFields indicates that object fields which are not specified in the OpenAPI schema should be preserved when persisting to storage. Deprecated: set x-kubernetes-preserve-unknown-fields in the schemas instead."
  scope string ! enum=Cluster|Namespaced "scope indicates whether the defined custom resource is cluster- or namespace-scoped. Allowed values are `Cluster` and `Namespaced`."
  versions []CustomResourceDefinitionVersion ! list=atomic "versions is the list of all API versions of the defined custom resource. Version names are used to compute the order in which served versions are listed in API discovery."
type CustomResourceDefinitionNames "CustomResourceDefinitionNames indicates the names to serve this CustomResourceDefinition"
  categories []string list=atomic "categories is a list of grouped resources this custom resource belongs to (e.g. 'all'). This is published in API discovery documents, and used by clients to support invocations like `kubectl get all`."
  kind string ! "kind is the serialized kind of the resource. It is normally CamelCase and singular. Custom resource instances will use this value as the `kind` attribute in API calls."
  listKind string "listKind is the serialized kind of the list for this resource. Defaults to "`kind`List"."
  plural string ! "plural is the plural name of the resource to serve. The custom resources are served under `/apis/<group>/<version>/.../<plural>`. Must match the name of the CustomResourceDefinition (in the form `<names.plural>.<group>`). Must be all lowercase."
  shortNames []string list=atomic "shortNames are short names for the resource, exposed in API discovery documents, and used by clients to support invocations like `kubectl get <shortname>`. It must be all lowercase."
  singular string "singular is the singular name of the resource. It must be all lowercase. Defaults to lowercased `kind`."
type CustomResourceDefinitionVersion "CustomResourceDefinitionVersion describes a version for CRD."
  additionalPrinterColumns []CustomResourceColumnDefinition list=atomic "additionalPrinterColumns specifies additional columns returned in Table output. If no columns are specified, a single column displaying the age of the custom resource is used."
  deprecated bool "deprecated indicates this version of the custom resource API is deprecated. When set to true, API requests to this version receive a warning header in the server response. Defaults to false."
  deprecationWarning string "deprecationWarning overrides the default warning returned to API clients. May only be set when `deprecated` is true."
  name string ! "name is the version name, e.g. "v1", "v2beta1", etc. The custom resources are served under this version at `/apis/<group>/<version>/...` if `served` is true."
  schema CustomResourceValidation "schema describes the schema used for validation, pruning, and defaulting of this version of the custom resource."
  selectableFields []SelectableField list=atomic "selectableFields specifies paths to fields that may be used as field selectors."
  served bool ! "served is a flag enabling/disabling this version from being served via REST APIs"
  storage bool ! "storage indicates this version should be used when persisting custom resources to storage. There must be exactly one version with storage=true."
  subresources CustomResourceSubresources "subresources specify what subresources this version of the defined custom resource have."
type CustomResourceColumnDefinition "CustomResourceColumnDefinition specifies a column for server side printing."
  description string "description is a human readable description of this column."
  format string "format is an optional OpenAPI type definition for this column. The 'name' format is applied to the primary identifier column to assist in clients identifying column is the resource name."
  jsonPath string ! "jsonPath is a simple JSON path (i.e. with array notation) which is evaluated against each custom resource to produce the value for this column."
  name string ! "name is a human readable name for the column."
  priority int32 "priority is an integer defining the relative importance of this column compared to others. Lower numbers are considered higher priority. Columns that may be omitted in limited space scenarios should be given a priority greater than 0."
  type string ! "type is an OpenAPI type definition for this column. See https://github.com/OAI/OpenAPI-Specification/blob/master/versions/2.0.md#data-types for details."
type CustomResourceValidation "CustomResourceValidation is a list of validation methods for CustomResources."
  openAPIV3Schema JSONSchemaProps "openAPIV3Schema is the OpenAPI v3 schema to use for validation and pruning."
type JSONSchemaProps "JSONSchemaProps is a JSON-Schema following Specification Draft 4 (http://json-schema.org/)."
  $ref string
  $schema string
  additionalItems JSONSchemaPropsOrBool
  additionalProperties JSONSchemaPropsOrBool
  allOf []JSONSchemaProps list=atomic
  anyOf []JSONSchemaProps list=atomic
  default any "default is a default value for undefined object fields. Defaulting requires spec.preserveUnknownFields to be false."
  definitions {}JSONSchemaProps
  dependencies {}JSONSchemaPropsOrStringArray
  description string
  enum []any list=atomic
  example any
  exclusiveMaximum bool
  exclusiveMinimum bool
  externalDocs ExternalDocumentation
  format string "format is an OpenAPI v3 format string. Unknown formats are ignored. The following formats are validated: bsonobjectid, uri, email, hostname, ipv4, ipv6, cidr, mac, uuid, uuid3, uuid4, uuid5, isbn, isbn10, isbn13, creditcard, ssn, hexcolor, rgbcolor, byte, password, date, duration, datetime."
  id string
  items JSONSchemaPropsOrArray
  maxItems int64
  maxLength int64
  maxProperties int64
  maximum double
  minItems int64
  minLength int64
  minProperties int64
  minimum double
  multipleOf double
  not JSONSchemaProps
  nullable bool
  oneOf []JSONSchemaProps list=atomic
  pattern string
  patternProperties {}JSONSchemaProps
  properties {}JSONSchemaProps
  required []string list=atomic
  title string
  type string
  uniqueItems bool
  x-kubernetes-embedded-resource bool "x-kubernetes-embedded-resource defines that the value is an embedded Kubernetes runtime.Object, with TypeMeta and ObjectMeta. The type must be object. It is allowed to further restrict the embedded object. kind, apiVersion and metadata are validated automatically. x-kubernetes-preserve-unknown-fields is allowed to be true, but does not have to be if the object is fully specified (up to kind, apiVersion, metadata)."
  x-kubernetes-int-or-string bool "x-kubernetes-int-or-string specifies that this value is either an integer or a string. If this is true, an empty type is allowed and type as child of anyOf is permitted if following one of the following patterns: 1) anyOf: - type: integer - type: string 2) allOf: - anyOf: - type: integer - type: string - ... zero or more"
  x-kubernetes-list-map-keys []string list=atomic "x-kubernetes-list-map-keys annotates an array with the x-kubernetes-list-type `map` by specifying the keys used as the index of the map."
  x-kubernetes-list-type string "x-kubernetes-list-type annotates an array to further describe its topology. This extension must only be used on lists and may have 3 possible values: atomic, set, map."
  x-kubernetes-map-type string "x-kubernetes-map-type annotates an object to further describe its topology. This extension must only be used when type is object and may have 2 possible values: granular, atomic."
  x-kubernetes-preserve-unknown-fields bool "x-kubernetes-preserve-unknown-fields stops the API server decoding step from pruning fields which are not specified in the validation schema."
  x-kubernetes-validations []ValidationRule merge=rule list=map:rule "x-kubernetes-validations describes a list of validation rules written in the CEL expression language."
type JSONSchemaPropsOrBool as=JSONSchemaProps "JSONSchemaPropsOrBool represents JSONSchemaProps or a boolean value. Defaults to true for the boolean property."
type JSONSchemaPropsOrArray as=JSONSchemaProps "JSONSchemaPropsOrArray represents a value that can either be a JSONSchemaProps or an array of JSONSchemaProps. Mainly here for serialization purposes."
type JSONSchemaPropsOrStringArray as=JSONSchemaProps "JSONSchemaPropsOrStringArray represents a JSONSchemaProps or a string array."
type ExternalDocumentation "ExternalDocumentation allows referencing an external resource for extended documentation."
  description string
  url string
type ValidationRule "ValidationRule describes a validation rule written in the CEL expression language."
  fieldPath string "fieldPath represents the field path returned when the validation fails."
  message string "Message represents the message displayed when validation fails."
  messageExpression string "MessageExpression declares a CEL expression that evaluates to the validation failure message that is returned when this rule fails."
  optionalOldSelf bool "optionalOldSelf is used to opt a transition rule into evaluation even when the object is first created, or if the old object is missing the value."
  reason string "reason provides a machine-readable validation failure reason that is returned to the caller when a request fails this validation rule."
  rule string ! "Rule represents the expression which will be evaluated by CEL."
type SelectableField "SelectableField specifies the JSON path of a field that may be used with field selectors."
  jsonPath string ! "jsonPath is a simple JSON path which is evaluated against each custom resource to produce a field selector value."
type CustomResourceConversion "CustomResourceConversion describes how to convert different versions of a CR."
  strategy string ! enum=None|Webhook "strategy specifies how custom resources are converted between versions. Allowed values are: - `None`: The converter only change the apiVersion and would not touch any other field in the custom resource. - `Webhook`: API Server will call to an external webhook to do the conversion."
  webhook WebhookConversion "webhook describes how to call the conversion webhook. Required when `strategy` is set to `Webhook`."
type WebhookConversion "WebhookConversion describes how to call a conversion webhook"
  clientConfig WebhookClientConfig "clientConfig is the instructions for how to call the webhook if strategy is `Webhook`."
  conversionReviewVersions []string ! list=atomic "conversionReviewVersions is an ordered list of preferred `ConversionReview` versions the Webhook expects."
type WebhookClientConfig "WebhookClientConfig contains the information to make a TLS connection with the webhook."
  caBundle byte "caBundle is a PEM encoded CA bundle which will be used to validate the webhook's server certificate."
  service ServiceReference "service is a reference to the service for this webhook. Either service or url must be specified."
  url string "url gives the location of the webhook, in standard URL form (`scheme://host:port/path`). Exactly one of `url` or `service` must be specified."
type ServiceReference "ServiceReference holds a reference to Service.legacy.k8s.io"
  name string ! "name is the name of the service. Required"
  namespace string ! "namespace is the namespace of the service. Required"
  path string "path is an optional URL path at which the webhook will be contacted."
  port int32 "port is an optional service port at which the webhook will be contacted. `port` should be a valid port number (1-65535, inclusive). Defaults to 443 for backward compatibility."
type CustomResourceSubresourceScale "CustomResourceSubresourceScale defines how to serve the scale subresource for CustomResources."
  labelSelectorPath string "labelSelectorPath defines the JSON path inside of a custom resource that corresponds to Scale `status.selector`."
  specReplicasPath string ! "specReplicasPath defines the JSON path inside of a custom resource that corresponds to Scale `spec.replicas`."
  statusReplicasPath string ! "statusReplicasPath defines the JSON path inside of a custom resource that corresponds to Scale `status.replicas`."
type CustomResourceSubresourceStatus "CustomResourceSubresourceStatus defines how to serve the status subresource for CustomResources. Status is represented by the `.status` JSON path inside of a CustomResource."
type CustomResourceDefinitionCondition "CustomResourceDefinitionCondition contains details for the current condition of this pod."
  lastTransitionTime meta.Time "lastTransitionTime last time the condition transitioned from one status to another."
  message string "message is a human-readable message indicating details about last transition."
  reason string "reason is a unique, one-word, CamelCase reason for the condition's last transition."
  status string ! "status is the status of the condition. Can be True, False, Unknown."
  type string ! "type is the type of the condition. Types include Established, NamesAccepted and Terminating."
type CustomResourceSubresources "CustomResourceSubresources defines the status and scale subresources for CustomResources."
  scale CustomResourceSubresourceScale "scale indicates the custom resource should serve a `/scale` subresource that returns an `autoscaling/v1` Scale object."
  status CustomResourceSubresourceStatus "status indicates the custom resource should serve a `/status` subresource. When enabled: 1. requests to the custom resource primary endpoint ignore changes to the `status` stanza of the object. 2. requests to the custom resource `/status` subresource ignore changes to anything other than the `status` stanza of the object."
type CustomResourceDefinitionStatus "CustomResourceDefinitionStatus indicates the state of the CustomResourceDefinition"
  acceptedNames CustomResourceDefinitionNames "acceptedNames are the names that are actually being used to serve discovery. They may be different than the names in spec."
  conditions []CustomResourceDefinitionCondition list=map:type "conditions indicate state for particular aspects of a CustomResourceDefinition"
  storedVersions []string list=atomic "storedVersions lists all versions of CustomResources that were ever persisted."

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
