// Schema text: apps/v1, batch/v1, autoscaling/v1 and v2, policy/v1.
#include "schema.h"

namespace common::api::schema {

const char* AppsSchemaText() {
  return R"schema(
package io.k8s.api.apps.v1
type Deployment gvk=apps/v1/Deployment "Deployment enables declarative updates for Pods and ReplicaSets."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec DeploymentSpec "Specification of the desired behavior of the Deployment."
  status DeploymentStatus "Most recently observed status of the Deployment."
type DeploymentSpec "DeploymentSpec is the specification of the desired behavior of the Deployment."
  minReadySeconds int32 "Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available."
  paused bool "Indicates that the deployment is paused."
  progressDeadlineSeconds int32 "The maximum time in seconds for a deployment to make progress before it is considered to be failed. Defaults to 600s."
  replicas int32 "Number of desired pods. Defaults to 1."
  revisionHistoryLimit int32 "The number of old ReplicaSets to retain to allow rollback. Defaults to 10."
  selector meta.LabelSelector ! "Label selector for pods. It must match the pod template's labels."
  strategy DeploymentStrategy strategy=retainKeys "The deployment strategy to use to replace existing pods with new ones."
  template core.PodTemplateSpec ! "Template describes the pods that will be created."
type DeploymentStrategy
  rollingUpdate RollingUpdateDeployment
  type string enum=Recreate|RollingUpdate
type RollingUpdateDeployment
  maxSurge intstr.IntOrString
  maxUnavailable intstr.IntOrString
type DeploymentStatus
  availableReplicas int32
  collisionCount int32
  conditions []DeploymentCondition merge=type list=map:type
  observedGeneration int64
  readyReplicas int32
  replicas int32
  terminatingReplicas int32
  unavailableReplicas int32
  updatedReplicas int32
type DeploymentCondition
  lastTransitionTime meta.Time
  lastUpdateTime meta.Time
  message string
  reason string
  status string !
  type string !
type ReplicaSet gvk=apps/v1/ReplicaSet "ReplicaSet ensures that a specified number of pod replicas are running at any given time."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec ReplicaSetSpec
  status ReplicaSetStatus
type ReplicaSetSpec
  minReadySeconds int32
  replicas int32
  selector meta.LabelSelector !
  template core.PodTemplateSpec
type ReplicaSetStatus
  availableReplicas int32
  conditions []ReplicaSetCondition merge=type list=map:type
  fullyLabeledReplicas int32
  observedGeneration int64
  readyReplicas int32
  replicas int32 !
  terminatingReplicas int32
type ReplicaSetCondition
  lastTransitionTime meta.Time
  message string
  reason string
  status string !
  type string !
type DaemonSet gvk=apps/v1/DaemonSet "DaemonSet represents the configuration of a daemon set."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec DaemonSetSpec
  status DaemonSetStatus
type DaemonSetSpec
  minReadySeconds int32
  revisionHistoryLimit int32
  selector meta.LabelSelector !
  template core.PodTemplateSpec !
  updateStrategy DaemonSetUpdateStrategy
type DaemonSetUpdateStrategy
  rollingUpdate RollingUpdateDaemonSet
  type string enum=OnDelete|RollingUpdate
type RollingUpdateDaemonSet
  maxSurge intstr.IntOrString
  maxUnavailable intstr.IntOrString
type DaemonSetStatus
  collisionCount int32
  conditions []DaemonSetCondition merge=type list=map:type
  currentNumberScheduled int32 !
  desiredNumberScheduled int32 !
  numberAvailable int32
  numberMisscheduled int32 !
  numberReady int32 !
  numberUnavailable int32
  observedGeneration int64
  updatedNumberScheduled int32
type DaemonSetCondition
  lastTransitionTime meta.Time
  message string
  reason string
  status string !
  type string !
type StatefulSet gvk=apps/v1/StatefulSet "StatefulSet represents a set of pods with consistent identities."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec StatefulSetSpec
  status StatefulSetStatus
type StatefulSetSpec
  minReadySeconds int32
  ordinals StatefulSetOrdinals
  persistentVolumeClaimRetentionPolicy StatefulSetPersistentVolumeClaimRetentionPolicy
  podManagementPolicy string enum=OrderedReady|Parallel
  replicas int32
  revisionHistoryLimit int32
  selector meta.LabelSelector !
  serviceName string
  template core.PodTemplateSpec !
  updateStrategy StatefulSetUpdateStrategy
  volumeClaimTemplates []core.PersistentVolumeClaim list=atomic
type StatefulSetOrdinals
  start int32
type StatefulSetPersistentVolumeClaimRetentionPolicy
  whenDeleted string
  whenScaled string
type StatefulSetUpdateStrategy
  rollingUpdate RollingUpdateStatefulSetStrategy
  type string enum=OnDelete|RollingUpdate
type RollingUpdateStatefulSetStrategy
  maxUnavailable intstr.IntOrString
  partition int32
type StatefulSetStatus
  availableReplicas int32
  collisionCount int32
  conditions []StatefulSetCondition merge=type list=map:type
  currentReplicas int32
  currentRevision string
  observedGeneration int64
  readyReplicas int32
  replicas int32 !
  updateRevision string
  updatedReplicas int32
type StatefulSetCondition
  lastTransitionTime meta.Time
  message string
  reason string
  status string !
  type string !
type ControllerRevision gvk=apps/v1/ControllerRevision "ControllerRevision implements an immutable snapshot of state data."
  apiVersion string
  data runtime.RawExtension
  kind string
  metadata meta.ObjectMeta
  revision int64 !

package io.k8s.api.batch.v1
type Job gvk=batch/v1/Job "Job represents the configuration of a single job."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec JobSpec "Specification of the desired behavior of a job."
  status JobStatus "Current status of a job."
type JobSpec "JobSpec describes how the job execution will look like."
  activeDeadlineSeconds int64
  backoffLimit int32 "Specifies the number of retries before marking this job failed. Defaults to 6."
  backoffLimitPerIndex int32
  completionMode string enum=Indexed|NonIndexed
  completions int32 "Specifies the desired number of successfully finished pods the job should be run with."
  managedBy string
  manualSelector bool
  maxFailedIndexes int32
  parallelism int32 "Specifies the maximum desired number of pods the job should run at any given time."
  podFailurePolicy any
  podReplacementPolicy string
  selector meta.LabelSelector
  successPolicy any
  suspend bool
  template core.PodTemplateSpec ! "Describes the pod that will be created when executing a job."
  ttlSecondsAfterFinished int32
type JobStatus
  active int32
  completedIndexes string
  completionTime meta.Time
  conditions []JobCondition list=atomic
  failed int32
  failedIndexes string
  ready int32
  startTime meta.Time
  succeeded int32
  terminating int32
  uncountedTerminatedPods any
type JobCondition
  lastProbeTime meta.Time
  lastTransitionTime meta.Time
  message string
  reason string
  status string !
  type string !
type CronJob gvk=batch/v1/CronJob "CronJob represents the configuration of a single cron job."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec CronJobSpec
  status CronJobStatus
type CronJobSpec
  concurrencyPolicy string enum=Allow|Forbid|Replace
  failedJobsHistoryLimit int32
  jobTemplate JobTemplateSpec !
  schedule string ! "The schedule in Cron format."
  startingDeadlineSeconds int64
  successfulJobsHistoryLimit int32
  suspend bool
  timeZone string
type JobTemplateSpec
  metadata meta.ObjectMeta
  spec JobSpec
type CronJobStatus
  active []core.ObjectReference list=atomic
  lastScheduleTime meta.Time
  lastSuccessfulTime meta.Time

package io.k8s.api.autoscaling.v1
type HorizontalPodAutoscaler gvk=autoscaling/v1/HorizontalPodAutoscaler "configuration of a horizontal pod autoscaler."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec HorizontalPodAutoscalerSpec
  status HorizontalPodAutoscalerStatus
type HorizontalPodAutoscalerSpec
  maxReplicas int32 !
  minReplicas int32
  scaleTargetRef CrossVersionObjectReference !
  targetCPUUtilizationPercentage int32
type CrossVersionObjectReference
  apiVersion string
  kind string !
  name string !
type HorizontalPodAutoscalerStatus
  currentCPUUtilizationPercentage int32
  currentReplicas int32 !
  desiredReplicas int32 !
  lastScaleTime meta.Time
  observedGeneration int64
type Scale gvk=autoscaling/v1/Scale "Scale represents a scaling request for a resource."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec ScaleSpec
  status ScaleStatus
type ScaleSpec
  replicas int32
type ScaleStatus
  replicas int32 !
  selector string

package io.k8s.api.autoscaling.v2
type HorizontalPodAutoscaler gvk=autoscaling/v2/HorizontalPodAutoscaler "HorizontalPodAutoscaler is the configuration for a horizontal pod autoscaler."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec HorizontalPodAutoscalerSpec
  status HorizontalPodAutoscalerStatus
type HorizontalPodAutoscalerSpec
  behavior HorizontalPodAutoscalerBehavior
  maxReplicas int32 !
  metrics []MetricSpec list=atomic
  minReplicas int32
  scaleTargetRef CrossVersionObjectReference !
type CrossVersionObjectReference
  apiVersion string
  kind string !
  name string !
type HorizontalPodAutoscalerBehavior
  scaleDown HPAScalingRules
  scaleUp HPAScalingRules
type HPAScalingRules
  policies []HPAScalingPolicy list=atomic
  selectPolicy string
  stabilizationWindowSeconds int32
  tolerance resource.Quantity
type HPAScalingPolicy
  periodSeconds int32 !
  type string !
  value int32 !
type MetricSpec
  containerResource ContainerResourceMetricSource
  external ExternalMetricSource
  object ObjectMetricSource
  pods PodsMetricSource
  resource ResourceMetricSource
  type string !
type MetricTarget
  averageUtilization int32
  averageValue resource.Quantity
  type string !
  value resource.Quantity
type MetricIdentifier
  name string !
  selector meta.LabelSelector
type ResourceMetricSource
  name string !
  target MetricTarget !
type ContainerResourceMetricSource
  container string !
  name string !
  target MetricTarget !
type PodsMetricSource
  metric MetricIdentifier !
  target MetricTarget !
type ObjectMetricSource
  describedObject CrossVersionObjectReference !
  metric MetricIdentifier !
  target MetricTarget !
type ExternalMetricSource
  metric MetricIdentifier !
  target MetricTarget !
type HorizontalPodAutoscalerStatus
  conditions []any merge=type list=map:type
  currentMetrics []any list=atomic
  currentReplicas int32
  desiredReplicas int32 !
  lastScaleTime meta.Time
  observedGeneration int64

package io.k8s.api.policy.v1
type PodDisruptionBudget gvk=policy/v1/PodDisruptionBudget "PodDisruptionBudget is an object to define the max disruption that can be caused to a collection of pods."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec PodDisruptionBudgetSpec
  status PodDisruptionBudgetStatus
type PodDisruptionBudgetSpec
  maxUnavailable intstr.IntOrString
  minAvailable intstr.IntOrString
  selector meta.LabelSelector strategy=replace
  unhealthyPodEvictionPolicy string
type PodDisruptionBudgetStatus
  conditions []meta.Condition merge=type list=map:type
  currentHealthy int32 !
  desiredHealthy int32 !
  disruptedPods {}meta.Time
  disruptionsAllowed int32 !
  expectedPods int32 !
  observedGeneration int64
type Eviction gvk=policy/v1/Eviction "Eviction evicts a pod from its node subject to certain policies and safety constraints."
  apiVersion string
  deleteOptions meta.DeleteOptions "DeleteOptions may be provided"
  kind string
  metadata meta.ObjectMeta
)schema";
}

}  // namespace common::api::schema
