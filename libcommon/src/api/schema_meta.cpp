// Schema text: apimachinery's shared types (ObjectMeta, LabelSelector, Time,
// Quantity, IntOrString, ...).
#include "schema.h"

namespace common::api::schema {

const char* MetaSchemaText() {
  return R"(
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
type Duration scalar=string "Duration is a Go duration string such as 1h30m."
)";
}

}  // namespace common::api::schema
