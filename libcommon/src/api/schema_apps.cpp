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
type DeploymentStrategy "DeploymentStrategy describes how to replace existing pods with new ones."
  rollingUpdate RollingUpdateDeployment "Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate."
  type string enum=Recreate|RollingUpdate "Type of deployment. Can be "Recreate" or "RollingUpdate". Default is RollingUpdate."
type RollingUpdateDeployment "Spec to control the desired behavior of rolling update."
  maxSurge intstr.IntOrString "The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). This can not be 0 if MaxUnavailable is 0. Absolute number is calculated from percentage by rounding up. Defaults to 25%."
  maxUnavailable intstr.IntOrString "The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Absolute number is calculated from percentage by rounding down. This can not be 0 if MaxSurge is 0. Defaults to 25%."
type DeploymentStatus "DeploymentStatus is the most recently observed status of the Deployment."
  availableReplicas int32 "Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment."
  collisionCount int32 "Count of hash collisions for the Deployment. The Deployment controller uses this field as a collision avoidance mechanism when it needs to create the name for the newest ReplicaSet."
  conditions []DeploymentCondition merge=type list=map:type "Represents the latest available observations of a deployment's current state."
  observedGeneration int64 "The generation observed by the deployment controller."
  readyReplicas int32 "Total number of non-terminating pods targeted by this Deployment with a Ready Condition."
  replicas int32 "Total number of non-terminating pods targeted by this deployment (their labels match the selector)."
  terminatingReplicas int32 "Total number of terminating pods targeted by this deployment."
  unavailableReplicas int32 "Total number of unavailable pods targeted by this deployment. This is the total number of pods that are still required for the deployment to have 100% available capacity."
  updatedReplicas int32 "Total number of non-terminating pods targeted by this deployment that have the desired template spec."
type DeploymentCondition
  lastTransitionTime meta.Time "Last time the condition transitioned from one status to another."
  lastUpdateTime meta.Time "The last time this condition was updated."
  message string "A human readable message indicating details about the transition."
  reason string "The reason for the condition's last transition."
  status string ! "Status of the condition, one of True, False, Unknown."
  type string ! "Type of the condition."
type ReplicaSet gvk=apps/v1/ReplicaSet "ReplicaSet ensures that a specified number of pod replicas are running at any given time."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec ReplicaSetSpec
  status ReplicaSetStatus
type ReplicaSetSpec "ReplicaSetSpec is the specification of a ReplicaSet."
  minReadySeconds int32 "Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0."
  replicas int32 "Replicas is the number of desired pods. Defaults to 1."
  selector meta.LabelSelector ! "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels."
  template core.PodTemplateSpec "Template is the object that describes the pod that will be created if insufficient replicas are detected."
type ReplicaSetStatus "ReplicaSetStatus represents the current status of a ReplicaSet."
  availableReplicas int32 "The number of available non-terminating pods (ready for at least minReadySeconds) for this replica set."
  conditions []ReplicaSetCondition merge=type list=map:type "Represents the latest available observations of a replica set's current state."
  fullyLabeledReplicas int32 "The number of non-terminating pods that have labels matching the labels of the pod template of the replicaset."
  observedGeneration int64 "ObservedGeneration reflects the generation of the most recently observed ReplicaSet."
  readyReplicas int32 "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition."
  replicas int32 ! "Replicas is the most recently observed number of non-terminating pods."
  terminatingReplicas int32 "The number of terminating pods for this replica set."
type ReplicaSetCondition
  lastTransitionTime meta.Time "Last time the condition transitioned from one status to another."
  message string "A human readable message indicating details about the transition."
  reason string "The reason for the condition's last transition."
  status string ! "Status of the condition, one of True, False, Unknown."
  type string ! "Type of the condition."
type DaemonSet gvk=apps/v1/DaemonSet "DaemonSet represents the configuration of a daemon set."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec DaemonSetSpec
  status DaemonSetStatus
type DaemonSetSpec "DaemonSetSpec is the specification of a daemon set."
  minReadySeconds int32 "The minimum number of seconds for which a newly created DaemonSet pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0."
  revisionHistoryLimit int32 "The number of old history to retain to allow rollback. Defaults to 10."
  selector meta.LabelSelector ! "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels."
  template core.PodTemplateSpec ! "An object that describes the pod that will be created. The DaemonSet will create exactly one copy of this pod on every node that matches the template's node selector (or on every node if no node selector is specified)."
  updateStrategy DaemonSetUpdateStrategy "An update strategy to replace existing DaemonSet pods with new pods."
type DaemonSetUpdateStrategy "DaemonSetUpdateStrategy is a struct used to control the update strategy for a DaemonSet."
  rollingUpdate RollingUpdateDaemonSet "Rolling update config params. Present only if type = "RollingUpdate"."
  type string enum=OnDelete|RollingUpdate "Type of daemon set update. Can be "RollingUpdate" or "OnDelete". Default is RollingUpdate."
type RollingUpdateDaemonSet "Spec to control the desired behavior of daemon set rolling update."
  maxSurge intstr.IntOrString "The maximum number of nodes with an existing available DaemonSet pod that can have an updated DaemonSet pod during an update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 0."
  maxUnavailable intstr.IntOrString "The maximum number of DaemonSet pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of total number of DaemonSet pods at the start of the update (ex: 10%). Defaults to 1."
type DaemonSetStatus "DaemonSetStatus represents the current status of a daemon set."
  collisionCount int32 "Count of hash collisions for the DaemonSet."
  conditions []DaemonSetCondition merge=type list=map:type "Represents the latest available observations of a DaemonSet's current state."
  currentNumberScheduled int32 ! "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."
  desiredNumberScheduled int32 ! "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod)."
  numberAvailable int32 "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"
  numberMisscheduled int32 ! "The number of nodes that are running the daemon pod, but are not supposed to run the daemon pod."
  numberReady int32 ! "numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition."
  numberUnavailable int32 "The number of nodes that should be running the daemon pod and have none of the daemon pod running and available (ready for at least spec.minReadySeconds)"
  observedGeneration int64 "The most recent generation observed by the daemon set controller."
  updatedNumberScheduled int32 "The total number of nodes that are running updated daemon pod"
type DaemonSetCondition
  lastTransitionTime meta.Time "Last time the condition transitioned from one status to another."
  message string "A human readable message indicating details about the transition."
  reason string "The reason for the condition's last transition."
  status string ! "Status of the condition, one of True, False, Unknown."
  type string ! "Type of the condition."
type StatefulSet gvk=apps/v1/StatefulSet "StatefulSet represents a set of pods with consistent identities."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec StatefulSetSpec
  status StatefulSetStatus
type StatefulSetSpec "A StatefulSetSpec is the specification of a StatefulSet."
  minReadySeconds int32 "Minimum number of seconds for which a newly created pod should be ready without any of its container crashing for it to be considered available. Defaults to 0."
  ordinals StatefulSetOrdinals "ordinals controls the numbering of replica indices in a StatefulSet. The default ordinals behavior assigns a "0" index to the first replica and increments the index by one for each additional replica requested."
  persistentVolumeClaimRetentionPolicy StatefulSetPersistentVolumeClaimRetentionPolicy "persistentVolumeClaimRetentionPolicy describes the lifecycle of persistent volume claims created from volumeClaimTemplates. By default, all persistent volume claims are created as needed and retained until manually deleted."
  podManagementPolicy string enum=OrderedReady|Parallel "podManagementPolicy controls how pods are created during initial scale up, when replacing pods on nodes, or when scaling down. The default policy is `OrderedReady`, where pods are created in increasing order and the controller will wait until each pod is ready before continuing. The alternative policy is `Parallel` which will create pods in parallel to match the desired scale without waiting."
  replicas int32 "replicas is the desired number of replicas of the given Template. These are replicas in the sense that they are instantiations of the same Template, but individual replicas also have a consistent identity. Defaults to 1."
  revisionHistoryLimit int32 "revisionHistoryLimit is the maximum number of revisions that will be maintained in the StatefulSet's revision history. Defaults to 10."
  selector meta.LabelSelector ! "selector is a label query over pods that should match the replica count. It must match the pod template's labels."
  serviceName string "serviceName is the name of the service that governs this StatefulSet. This service must exist before the StatefulSet, and is responsible for the network identity of the set. Pods get DNS/hostnames that follow the pattern: pod-specific-string.serviceName.default.svc.cluster.local"
  template core.PodTemplateSpec ! "template is the object that describes the pod that will be created if insufficient replicas are detected. Each pod stamped out by the StatefulSet will fulfill this Template, but have a unique identity from the rest of the StatefulSet."
  updateStrategy StatefulSetUpdateStrategy "updateStrategy indicates the StatefulSetUpdateStrategy that will be employed to update Pods in the StatefulSet when a revision is made to Template."
  volumeClaimTemplates []core.PersistentVolumeClaim list=atomic "volumeClaimTemplates is a list of claims that pods are allowed to reference. The StatefulSet controller is responsible for mapping network identities to claims in a way that maintains the identity of a pod."
type StatefulSetOrdinals "StatefulSetOrdinals describes the policy used for replica ordinal assignment in this StatefulSet."
  start int32 "start is the number representing the first replica's index. It may be used to number replicas from an alternate index (eg: 1-indexed) over the default 0-indexed names. If unset, defaults to 0."
type StatefulSetPersistentVolumeClaimRetentionPolicy "StatefulSetPersistentVolumeClaimRetentionPolicy describes the policy used for PVCs created from the StatefulSet VolumeClaimTemplates."
  whenDeleted string "WhenDeleted specifies what happens to PVCs created from StatefulSet VolumeClaimTemplates when the StatefulSet is deleted. The default policy of `Retain` causes PVCs to not be affected by StatefulSet deletion. The `Delete` policy causes those PVCs to be deleted."
  whenScaled string "WhenScaled specifies what happens to PVCs created from StatefulSet VolumeClaimTemplates when the StatefulSet is scaled down. The default policy of `Retain` causes PVCs to not be affected by a scaledown. The `Delete` policy causes the associated PVCs for any excess pods above the replica count to be deleted."
type StatefulSetUpdateStrategy "StatefulSetUpdateStrategy indicates the strategy that the StatefulSet controller will use to perform updates."
  rollingUpdate RollingUpdateStatefulSetStrategy "RollingUpdate is used to communicate parameters when Type is RollingUpdateStatefulSetStrategyType."
  type string enum=OnDelete|RollingUpdate "Type indicates the type of the StatefulSetUpdateStrategy. Default is RollingUpdate."
type RollingUpdateStatefulSetStrategy "RollingUpdateStatefulSetStrategy is used to communicate parameter for RollingUpdateStatefulSetStrategyType."
  maxUnavailable intstr.IntOrString "The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 1."
  partition int32 "Partition indicates the ordinal at which the StatefulSet should be partitioned for updates. During a rolling update, all pods from ordinal Replicas-1 to Partition are updated. All pods from ordinal Partition-1 to 0 remain untouched. The default value is 0."
type StatefulSetStatus "StatefulSetStatus represents the current state of a StatefulSet."
  availableReplicas int32 "Total number of available pods (ready for at least minReadySeconds) targeted by this statefulset."
  collisionCount int32 "collisionCount is the count of hash collisions for the StatefulSet."
  conditions []StatefulSetCondition merge=type list=map:type "Represents the latest available observations of a statefulset's current state."
  currentReplicas int32 "currentReplicas is the number of Pods created by the StatefulSet controller from the StatefulSet version indicated by currentRevision."
  currentRevision string "currentRevision, if not empty, indicates the version of the StatefulSet used to generate Pods in the sequence [0,currentReplicas)."
  observedGeneration int64 "observedGeneration is the most recent generation observed for this StatefulSet. It corresponds to the StatefulSet's generation, which is updated on mutation by the API Server."
  readyReplicas int32 "readyReplicas is the number of pods created for this StatefulSet with a Ready Condition."
  replicas int32 ! "replicas is the number of Pods created by the StatefulSet controller."
  updateRevision string "updateRevision, if not empty, indicates the version of the StatefulSet used to generate Pods in the sequence [replicas-updatedReplicas,replicas)"
  updatedReplicas int32 "updatedReplicas is the number of Pods created by the StatefulSet controller from the StatefulSet version indicated by updateRevision."
type StatefulSetCondition
  lastTransitionTime meta.Time "Last time the condition transitioned from one status to another."
  message string "A human readable message indicating details about the transition."
  reason string "The reason for the condition's last transition."
  status string ! "Status of the condition, one of True, False, Unknown."
  type string ! "Type of the condition."
type ControllerRevision gvk=apps/v1/ControllerRevision "ControllerRevision implements an immutable snapshot of state data."
  apiVersion string
  data runtime.RawExtension "Data is the serialized representation of the state."
  kind string
  metadata meta.ObjectMeta
  revision int64 ! "Revision indicates the revision of the state represented by Data."

package io.k8s.api.batch.v1
type Job gvk=batch/v1/Job "Job represents the configuration of a single job."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec JobSpec "Specification of the desired behavior of a job."
  status JobStatus "Current status of a job."
type JobSpec "JobSpec describes how the job execution will look like."
  activeDeadlineSeconds int64 "Specifies the duration in seconds relative to the startTime that the job may be continuously active before the system tries to terminate it; value must be positive integer. If a Job is suspended (at creation or through an update), this timer will effectively be stopped and reset when the Job is resumed again."
  backoffLimit int32 "Specifies the number of retries before marking this job failed. Defaults to 6."
  backoffLimitPerIndex int32 "Specifies the limit for the number of retries within an index before marking this index as failed. Only valid for Indexed Jobs."
  completionMode string enum=Indexed|NonIndexed "completionMode specifies how Pod completions are tracked. It can be `NonIndexed` (default) or `Indexed`."
  completions int32 "Specifies the desired number of successfully finished pods the job should be run with."
  managedBy string "ManagedBy field indicates the controller that manages a Job. The k8s Job controller reconciles jobs which don't have this field at all or the field value is the reserved string `kubernetes.io/job-controller`."
  manualSelector bool "manualSelector controls generation of pod labels and pod selectors. Leave `manualSelector` unset unless you are certain what you are doing. When false or unset, the system pick labels unique to this job and appends those labels to the pod template."
  maxFailedIndexes int32 "Specifies the maximal number of failed indexes before marking the Job as failed, when backoffLimitPerIndex is set."
  parallelism int32 "Specifies the maximum desired number of pods the job should run at any given time."
  podFailurePolicy any "Specifies the policy of handling failed pods. In particular, it allows to specify the set of actions and conditions which need to be satisfied to take the associated action."
  podReplacementPolicy string "podReplacementPolicy specifies when to create replacement Pods. Possible values are: TerminatingOrFailed (recreate pods when they are terminating or failed) and Failed (wait until a previously created Pod is fully terminated)."
  selector meta.LabelSelector "A label query over pods that should match the pod count. Normally, the system sets this field for you."
  successPolicy any "successPolicy specifies the policy when the Job can be declared as succeeded. If empty, the default behavior applies - the Job is declared as succeeded only when the number of succeeded pods equals to the completions."
  suspend bool "suspend specifies whether the Job controller should create Pods or not. If a Job is created with suspend set to true, no Pods are created by the Job controller. Defaults to false."
  template core.PodTemplateSpec ! "Describes the pod that will be created when executing a job."
  ttlSecondsAfterFinished int32 "ttlSecondsAfterFinished limits the lifetime of a Job that has finished execution (either Complete or Failed). If this field is set, ttlSecondsAfterFinished after the Job finishes, it is eligible to be automatically deleted."
type JobStatus "JobStatus represents the current state of a Job."
  active int32 "The number of pending and running pods which are not terminating (without a deletionTimestamp)."
  completedIndexes string "completedIndexes holds the completed indexes when .spec.completionMode = "Indexed" in a text format, e.g. "1,3-5,7"."
  completionTime meta.Time "Represents time when the job was completed. It is not guaranteed to be set in happens-before order across separate operations."
  conditions []JobCondition list=atomic "The latest available observations of an object's current state. When a Job fails, one of the conditions will have type "Failed" and status true. When a Job is completed, one of the conditions will have type "Complete" and status true."
  failed int32 "The number of pods which reached phase Failed."
  failedIndexes string "FailedIndexes holds the failed indexes when spec.backoffLimitPerIndex is set."
  ready int32 "The number of active pods which have a Ready condition and are not terminating (without a deletionTimestamp)."
  startTime meta.Time "Represents time when the job controller started processing a job."
  succeeded int32 "The number of pods which reached phase Succeeded."
  terminating int32 "The number of pods which are terminating (in phase Pending or Running and have a deletionTimestamp)."
  uncountedTerminatedPods any "uncountedTerminatedPods holds the UIDs of Pods that have terminated but the job controller hasn't yet accounted for in the status counters."
type JobCondition
  lastProbeTime meta.Time "Last time the condition was checked."
  lastTransitionTime meta.Time "Last time the condition transitioned from one status to another."
  message string "A human readable message indicating details about the transition."
  reason string "The reason for the condition's last transition."
  status string ! "Status of the condition, one of True, False, Unknown."
  type string ! "Type of the condition."
type CronJob gvk=batch/v1/CronJob "CronJob represents the configuration of a single cron job."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec CronJobSpec
  status CronJobStatus
type CronJobSpec "CronJobSpec describes how the job execution will look like and when it will actually run."
  concurrencyPolicy string enum=Allow|Forbid|Replace "Specifies how to treat concurrent executions of a Job. Valid values are: "Allow" (default): allows CronJobs to run concurrently; "Forbid": forbids concurrent runs, skipping next run if previous run hasn't finished yet; "Replace": cancels currently running job and replaces it with a new one"
  failedJobsHistoryLimit int32 "The number of failed finished jobs to retain. Value must be non-negative integer. Defaults to 1."
  jobTemplate JobTemplateSpec ! "Specifies the job that will be created when executing a CronJob."
  schedule string ! "The schedule in Cron format."
  startingDeadlineSeconds int64 "Optional deadline in seconds for starting the job if it misses scheduled time for any reason. Missed jobs executions will be counted as failed ones."
  successfulJobsHistoryLimit int32 "The number of successful finished jobs to retain. Value must be non-negative integer. Defaults to 3."
  suspend bool "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions. Defaults to false."
  timeZone string "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process."
type JobTemplateSpec "JobTemplateSpec describes the data a Job should have when created from a template"
  metadata meta.ObjectMeta "Standard object's metadata of the jobs created from this template."
  spec JobSpec "Specification of the desired behavior of the job."
type CronJobStatus "CronJobStatus represents the current state of a cron job."
  active []core.ObjectReference list=atomic "A list of pointers to currently running jobs."
  lastScheduleTime meta.Time "Information when was the last time the job was successfully scheduled."
  lastSuccessfulTime meta.Time "Information when was the last time the job successfully completed."

package io.k8s.api.autoscaling.v1
type HorizontalPodAutoscaler gvk=autoscaling/v1/HorizontalPodAutoscaler "configuration of a horizontal pod autoscaler."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec HorizontalPodAutoscalerSpec
  status HorizontalPodAutoscalerStatus
type HorizontalPodAutoscalerSpec "HorizontalPodAutoscalerSpec describes the desired functionality of the HorizontalPodAutoscaler."
  maxReplicas int32 ! "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas."
  minReplicas int32 "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod."
  scaleTargetRef CrossVersionObjectReference ! "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count."
  targetCPUUtilizationPercentage int32 "targetCPUUtilizationPercentage is the target average CPU utilization (represented as a percentage of requested CPU) over all the pods; if not specified the default autoscaling policy will be used."
type CrossVersionObjectReference "CrossVersionObjectReference contains enough information to let you identify the referred resource."
  apiVersion string "apiVersion is the API version of the referent"
  kind string ! "kind is the kind of the referent"
  name string ! "name is the name of the referent"
type HorizontalPodAutoscalerStatus "HorizontalPodAutoscalerStatus describes the current status of a horizontal pod autoscaler."
  currentCPUUtilizationPercentage int32 "currentCPUUtilizationPercentage is the current average CPU utilization over all pods, represented as a percentage of requested CPU."
  currentReplicas int32 ! "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."
  desiredReplicas int32 ! "desiredReplicas is the desired number of replicas of pods managed by this autoscaler, as last calculated by the autoscaler."
  lastScaleTime meta.Time "lastScaleTime is the last time the HorizontalPodAutoscaler scaled the number of pods, used by the autoscaler to control how often the number of pods is changed."
  observedGeneration int64 "observedGeneration is the most recent generation observed by this autoscaler."
type Scale gvk=autoscaling/v1/Scale "Scale represents a scaling request for a resource."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec ScaleSpec
  status ScaleStatus
type ScaleSpec "ScaleSpec describes the attributes of a scale subresource."
  replicas int32 "replicas is the desired number of instances for the scaled object."
type ScaleStatus "ScaleStatus represents the current status of a scale subresource."
  replicas int32 ! "replicas is the actual number of observed instances of the scaled object."
  selector string "selector is the label query over pods that should match the replicas count. This is same as the label selector but in the string format."

package io.k8s.api.autoscaling.v2
type HorizontalPodAutoscaler gvk=autoscaling/v2/HorizontalPodAutoscaler "HorizontalPodAutoscaler is the configuration for a horizontal pod autoscaler."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec HorizontalPodAutoscalerSpec
  status HorizontalPodAutoscalerStatus
type HorizontalPodAutoscalerSpec "HorizontalPodAutoscalerSpec describes the desired functionality of the HorizontalPodAutoscaler."
  behavior HorizontalPodAutoscalerBehavior "behavior configures the scaling behavior of the target in both Up and Down directions (scaleUp and scaleDown fields respectively)."
  maxReplicas int32 ! "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas."
  metrics []MetricSpec list=atomic "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used)."
  minReplicas int32 "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod."
  scaleTargetRef CrossVersionObjectReference ! "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count."
type CrossVersionObjectReference "CrossVersionObjectReference contains enough information to let you identify the referred resource."
  apiVersion string "apiVersion is the API version of the referent"
  kind string ! "kind is the kind of the referent"
  name string ! "name is the name of the referent"
type HorizontalPodAutoscalerBehavior "HorizontalPodAutoscalerBehavior configures the scaling behavior of the target in both Up and Down directions."
  scaleDown HPAScalingRules "scaleDown is scaling policy for scaling Down. If not set, the default value is to allow to scale down to minReplicas pods, with a 300 second stabilization window."
  scaleUp HPAScalingRules "scaleUp is scaling policy for scaling Up. If not set, the default value is the higher of: increase no more than 4 pods per 60 seconds, or double the number of pods per 60 seconds; no stabilization is used."
type HPAScalingRules "HPAScalingRules configures the scaling behavior for one direction."
  policies []HPAScalingPolicy list=atomic "policies is a list of potential scaling polices which can be used during scaling. At least one policy must be specified."
  selectPolicy string "selectPolicy is used to specify which policy should be used. If not set, the default value Max is used."
  stabilizationWindowSeconds int32 "stabilizationWindowSeconds is the number of seconds for which past recommendations should be considered while scaling up or scaling down."
  tolerance resource.Quantity "tolerance is the tolerance on the ratio between the current and desired metric value under which no updates are made to the desired number of replicas."
type HPAScalingPolicy "HPAScalingPolicy is a single policy which must hold true for a specified past interval."
  periodSeconds int32 ! "periodSeconds specifies the window of time for which the policy should hold true."
  type string ! "type is used to specify the scaling policy (Pods or Percent)."
  value int32 ! "value contains the amount of change which is permitted by the policy. It must be greater than zero"
type MetricSpec "MetricSpec specifies how to scale based on a single metric (only `type` and one other matching field should be set at once)."
  containerResource ContainerResourceMetricSource "containerResource refers to a resource metric (such as those specified in requests and limits) known to Kubernetes describing a single container in each pod of the current scale target (e.g. CPU or memory)."
  external ExternalMetricSource "external refers to a global metric that is not associated with any Kubernetes object."
  object ObjectMetricSource "object refers to a metric describing a single kubernetes object (for example, hits-per-second on an Ingress object)."
  pods PodsMetricSource "pods refers to a metric describing each pod in the current scale target (for example, transactions-processed-per-second)."
  resource ResourceMetricSource "resource refers to a resource metric (such as those specified in requests and limits) known to Kubernetes describing each pod in the current scale target (e.g. CPU or memory)."
  type string ! "type is the type of metric source. It should be one of "ContainerResource", "External", "Object", "Pods" or "Resource", each mapping to a matching field in the object."
type MetricTarget "MetricTarget defines the target value, average value, or average utilization of a specific metric"
  averageUtilization int32 "averageUtilization is the target value of the average of the resource metric across all relevant pods, represented as a percentage of the requested value of the resource for the pods."
  averageValue resource.Quantity "averageValue is the target value of the average of the metric across all relevant pods (as a quantity)"
  type string ! "type represents whether the metric type is Utilization, Value, or AverageValue"
  value resource.Quantity "value is the target value of the metric (as a quantity)."
type MetricIdentifier "MetricIdentifier defines the name and optionally selector for a metric"
  name string ! "name is the name of the given metric"
  selector meta.LabelSelector "selector is the string-encoded form of a standard kubernetes label selector for the given metric."
type ResourceMetricSource "ResourceMetricSource indicates how to scale on a resource metric known to Kubernetes."
  name string ! "name is the name of the resource in question."
  target MetricTarget ! "target specifies the target value for the given metric"
type ContainerResourceMetricSource "ContainerResourceMetricSource indicates how to scale on a resource metric known to Kubernetes, as specified in requests and limits, describing a single container in each pod of the current scale target."
  container string ! "container is the name of the container in the pods of the scaling target"
  name string ! "name is the name of the resource in question."
  target MetricTarget ! "target specifies the target value for the given metric"
type PodsMetricSource "PodsMetricSource indicates how to scale on a metric describing each pod in the current scale target."
  metric MetricIdentifier ! "metric identifies the target metric by name and selector"
  target MetricTarget ! "target specifies the target value for the given metric"
type ObjectMetricSource "ObjectMetricSource indicates how to scale on a metric describing a kubernetes object."
  describedObject CrossVersionObjectReference ! "describedObject specifies the descriptions of a object,such as kind,name apiVersion"
  metric MetricIdentifier ! "metric identifies the target metric by name and selector"
  target MetricTarget ! "target specifies the target value for the given metric"
type ExternalMetricSource "ExternalMetricSource indicates how to scale on a metric not associated with any Kubernetes object."
  metric MetricIdentifier ! "metric identifies the target metric by name and selector"
  target MetricTarget ! "target specifies the target value for the given metric"
type HorizontalPodAutoscalerStatus "HorizontalPodAutoscalerStatus describes the current status of a horizontal pod autoscaler."
  conditions []any merge=type list=map:type "conditions is the set of conditions required for this autoscaler to scale its target, and indicates whether or not those conditions are met."
  currentMetrics []any list=atomic "currentMetrics is the last read state of the metrics used by this autoscaler."
  currentReplicas int32 "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."
  desiredReplicas int32 ! "desiredReplicas is the desired number of replicas of pods managed by this autoscaler, as last calculated by the autoscaler."
  lastScaleTime meta.Time "lastScaleTime is the last time the HorizontalPodAutoscaler scaled the number of pods, used by the autoscaler to control how often the number of pods is changed."
  observedGeneration int64 "observedGeneration is the most recent generation observed by this autoscaler."

package io.k8s.api.policy.v1
type PodDisruptionBudget gvk=policy/v1/PodDisruptionBudget "PodDisruptionBudget is an object to define the max disruption that can be caused to a collection of pods."
  apiVersion string
  kind string
  metadata meta.ObjectMeta
  spec PodDisruptionBudgetSpec
  status PodDisruptionBudgetStatus
type PodDisruptionBudgetSpec "PodDisruptionBudgetSpec is a description of a PodDisruptionBudget."
  maxUnavailable intstr.IntOrString "An eviction is allowed if at most "maxUnavailable" pods selected by "selector" are unavailable after the eviction, i.e. even in absence of the evicted pod. Mutually exclusive with minAvailable."
  minAvailable intstr.IntOrString "An eviction is allowed if at least "minAvailable" pods selected by "selector" will still be available after the eviction, i.e. even in the absence of the evicted pod. So for example you can prevent all voluntary evictions by specifying "100%"."
  selector meta.LabelSelector strategy=replace "Label query over pods whose evictions are managed by the disruption budget. A null selector will match no pods, while an empty ({}) selector will select all pods within the namespace."
  unhealthyPodEvictionPolicy string "UnhealthyPodEvictionPolicy defines the criteria for when unhealthy pods should be considered for eviction. Valid policies are IfHealthyBudget and AlwaysAllow."
type PodDisruptionBudgetStatus "PodDisruptionBudgetStatus represents information about the status of a PodDisruptionBudget."
  conditions []meta.Condition merge=type list=map:type "Conditions contain conditions for PDB. The disruption controller sets the DisruptionAllowed condition."
  currentHealthy int32 ! "current number of healthy pods"
  desiredHealthy int32 ! "minimum desired number of healthy pods"
  disruptedPods {}meta.Time "DisruptedPods contains information about pods whose eviction was processed by the API server eviction subresource handler but has not yet been observed by the PodDisruptionBudget controller."
  disruptionsAllowed int32 ! "Number of pod disruptions that are currently allowed."
  expectedPods int32 ! "total number of pods counted by this disruption budget"
  observedGeneration int64 "Most recent generation observed when updating this PDB status."
type Eviction gvk=policy/v1/Eviction "Eviction evicts a pod from its node subject to certain policies and safety constraints."
  apiVersion string
  deleteOptions meta.DeleteOptions "DeleteOptions may be provided"
  kind string
  metadata meta.ObjectMeta
)schema";
}

}  // namespace common::api::schema
