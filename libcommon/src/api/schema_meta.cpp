// Schema text: apimachinery's shared types (ObjectMeta, LabelSelector, Time,
// Quantity, IntOrString, ...).
#include "schema.h"

namespace common::api::schema {

const char* MetaSchemaText() {
  return R"schema(
package io.k8s.apimachinery.pkg.api.resource
type Quantity scalar=string "Quantity is a fixed-point representation of a number, written as a string such as 100m, 1.5Gi or 2e3 (a plain number is accepted too)."

package io.k8s.apimachinery.pkg.util.intstr
type IntOrString scalar=string format=int-or-string "IntOrString is a type that can hold an int32 or a string."

package io.k8s.apimachinery.pkg.runtime
type RawExtension preserve "RawExtension holds an arbitrary embedded object."

package io.k8s.apimachinery.pkg.apis.meta.v1
type Time scalar=string format=date-time "Time is an RFC 3339 date and time at second precision, in UTC."
type MicroTime scalar=string format=date-time "MicroTime is an RFC 3339 date and time at microsecond precision."
type FieldsV1 preserve "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format."
type ObjectMeta "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create."
  annotations {}string "Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata."
  creationTimestamp Time "CreationTimestamp is the server time when this object was created. Read-only."
  deletionGracePeriodSeconds int64 "Number of seconds allowed for this object to gracefully terminate before it will be removed from the system. Read-only."
  deletionTimestamp Time "DeletionTimestamp is the time after which this resource will be deleted. Set by the server when a graceful deletion is requested. Read-only."
  finalizers []string strategy=merge list=set "Must be empty before the object is deleted from the registry."
  generateName string "GenerateName is an optional prefix, used by the server, to generate a unique name only if the Name field has not been provided."
  generation int64 "A sequence number representing a specific generation of the desired state. Read-only."
  labels {}string "Map of string keys and values that can be used to organize and categorize (scope and select) objects."
  managedFields []ManagedFieldsEntry "ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow."
  name string "Name must be unique within a namespace. Cannot be updated."
  namespace string "Namespace defines the space within which each name must be unique. Cannot be updated."
  ownerReferences []OwnerReference merge=uid list=map:uid "List of objects depended by this object."
  resourceVersion string "An opaque value that represents the internal version of this object, used for optimistic concurrency. Read-only."
  selfLink string "Deprecated: selfLink is a legacy read-only field that is no longer populated by the system."
  uid string "UID is the unique in time and space value for this object. Read-only."
type ListMeta "ListMeta describes metadata that synthetic resources must have, including lists."
  continue string
  remainingItemCount int64
  resourceVersion string
  selfLink string
type ManagedFieldsEntry "ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to."
  apiVersion string
  fieldsType string
  fieldsV1 FieldsV1
  manager string
  operation string
  subresource string
  time Time
type OwnerReference "OwnerReference contains enough information to let you identify an owning object."
  apiVersion string ! "API version of the referent."
  blockOwnerDeletion bool
  controller bool "If true, this reference points to the managing controller."
  kind string ! "Kind of the referent."
  name string ! "Name of the referent."
  uid string ! "UID of the referent."
type LabelSelector "A label selector is a label query over a set of resources. An empty label selector matches all objects; a null one matches no objects."
  matchExpressions []LabelSelectorRequirement list=atomic "matchExpressions is a list of label selector requirements. The requirements are ANDed."
  matchLabels {}string "matchLabels is a map of {key,value} pairs; each is equivalent to an element of matchExpressions with operator In and that single value."
type LabelSelectorRequirement "A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values."
  key string ! "key is the label key that the selector applies to."
  operator string ! "operator represents a key's relationship to a set of values: In, NotIn, Exists and DoesNotExist."
  values []string list=atomic "values is an array of string values; non-empty for In and NotIn, empty for Exists and DoesNotExist."
type Condition "Condition contains details for one aspect of the current state of this API Resource."
  lastTransitionTime Time !
  message string !
  observedGeneration int64
  reason string !
  status string ! enum=True|False|Unknown
  type string !
type Status gvk=/v1/Status "Status is a return value for calls that don't return other objects."
  apiVersion string "APIVersion defines the versioned schema of this representation of an object."
  code int32 "Suggested HTTP return code for this status, 0 if not set."
  details StatusDetails "Extended data associated with the reason. Each reason may define its own extended details."
  kind string "Kind is a string value representing the REST resource this object represents."
  message string "A human-readable description of the status of this operation."
  metadata ListMeta "Standard list metadata."
  reason string "A machine-readable description of why this operation is in the "Failure" status. If this value is empty there is no information available."
  status string "Status of the operation. One of: "Success" or "Failure"."
type StatusDetails "StatusDetails is a set of additional properties that MAY be set by the server to provide additional information about a response."
  causes []StatusCause list=atomic "The Causes array includes more details associated with the StatusReason failure."
  group string "The group attribute of the resource associated with the status StatusReason."
  kind string "The kind attribute of the resource associated with the status StatusReason."
  name string "The name attribute of the resource associated with the status StatusReason (when there is a single name which can be described)."
  retryAfterSeconds int32 "If specified, the time in seconds before the operation should be retried."
  uid string "UID of the resource (when there is a single resource which can be described)."
type StatusCause "StatusCause provides more information about an api.Status failure, including cases when multiple errors are encountered."
  field string "The field of the resource that has caused this error, as named by its JSON serialization."
  message string "A human-readable description of the cause of the error."
  reason string "A machine-readable description of the cause of the error. If this value is empty there is no information available."
type DeleteOptions "DeleteOptions may be provided when deleting an API object."
  apiVersion string "APIVersion defines the versioned schema of this representation of an object."
  dryRun []string list=atomic "When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed"
  gracePeriodSeconds int64 "The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately."
  ignoreStoreReadErrorWithClusterBreakingPotential bool "if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a corrupt object error."
  kind string "Kind is a string value representing the REST resource this object represents."
  orphanDependents bool "Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned."
  preconditions Preconditions "Must be fulfilled before a deletion is carried out. If not possible, a 409 Conflict status will be returned."
  propagationPolicy string "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background' and 'Foreground'."
type Preconditions "Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out."
  resourceVersion string "Specifies the target ResourceVersion"
  uid string "Specifies the target UID."
type Patch "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body."
type WatchEvent "Event represents a single event to a watched resource."
  object runtime.RawExtension ! "Object is: * If Type is Added or Modified: the new state of the object. * If Type is Deleted: the state of the object immediately before deletion. * If Type is Error: *Status is recommended; other types may make sense depending on context."
  type string !
type APIResourceList "APIResourceList is a list of APIResource, it is used to expose the name of the resources supported in a specific group and version, and if the resource is namespaced."
  apiVersion string "APIVersion defines the versioned schema of this representation of an object."
  groupVersion string ! "groupVersion is the group and version this APIResourceList is for."
  kind string "Kind is a string value representing the REST resource this object represents."
  resources []APIResource ! list=atomic "resources contains the name of the resources and if they are namespaced."
type APIResource "APIResource specifies the name of a resource and whether it is namespaced."
  categories []string list=atomic "categories is a list of the grouped resources this resource belongs to, e.g. 'all'."
  group string "group is the preferred group of the resource."
  kind string ! "kind is the kind for the resource (e.g. 'Foo' is the kind for a resource 'foo'"
  name string ! "name is the plural name of the resource."
  namespaced bool ! "namespaced indicates if a resource is namespaced or not."
  shortNames []string list=atomic "shortNames is a list of suggested short names of the resource."
  singularName string ! "singularName is the singular name of the resource."
  storageVersionHash string "The hash value of the storage version, the version this resource is converted to when written to the data store."
  verbs []string ! "verbs is a list of supported kube verbs (this includes get, list, watch, create, update, patch, delete, deletecollection, and proxy)"
  version string "version is the preferred version of the resource."
type Duration scalar=string "Duration is a Go duration string such as 1h30m."
)schema";
}

}  // namespace common::api::schema
