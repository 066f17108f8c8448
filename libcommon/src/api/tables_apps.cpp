// apps, batch, autoscaling and policy printers (printers.go).
#include "common/strings.h"
#include "common/timeutil.h"
#include "tables_util.h"

namespace common::api::tables {
namespace {

Json ContainersImagesSelector() {
  return Json::array({StringColumn("Containers", "Names of each container in the template.", 1),
                      StringColumn("Images", "Images referenced by each container in the template.", 1),
                      StringColumn("Selector", "A label query over pods that should match the replicas count.", 1)});
}

Json Cols(std::initializer_list<Json> head, bool tail = true) {
  Json out = Json::array();
  for (const Json& c : head) out.push_back(c);
  if (tail)
    for (const Json& c : ContainersImagesSelector()) out.push_back(c);
  return out;
}

void AddTemplateCells(Json& cells, const Json& obj, bool selector = true) {
  const Json& tspec = GetPath(obj, {"spec", "template", "spec"});
  cells.push_back(ContainerNames(tspec));
  cells.push_back(ContainerImages(tspec));
  if (selector) cells.push_back(FormatSelector(GetPath(obj, {"spec", "selector"})));
}

bool HasCondition(const Json& obj, const char* type) {
  const Json& conds = GetPath(obj, {"status", "conditions"});
  if (conds.is_array())
    for (const Json& c : conds)
      if (GetString(c, "type") == type && GetString(c, "status") == "True") return true;
  return false;
}

Json JobCells(const Json& job) {
  const Json& spec = Get(job, "spec");
  int64_t succeeded = Int(job, {"status", "succeeded"});
  std::string completions;
  if (Get(spec, "completions").is_number())
    completions = std::to_string(succeeded) + "/" + std::to_string(GetInt(spec, "completions"));
  else if (!Get(spec, "parallelism").is_number() || GetInt(spec, "parallelism") <= 1)
    completions = std::to_string(succeeded) + "/1";
  else
    completions = std::to_string(succeeded) + "/1 of " + std::to_string(GetInt(spec, "parallelism"));
  std::string duration;
  auto start = ParseRFC3339(GetString(Get(job, "status"), "startTime"));
  auto done = ParseRFC3339(GetString(Get(job, "status"), "completionTime"));
  if (start.ok()) duration = HumanDuration((done.ok() ? *done : Clock::now()) - *start);
  std::string status = "Running";
  if (HasCondition(job, "Complete")) status = "Complete";
  else if (HasCondition(job, "Failed")) status = "Failed";
  else if (!GetPath(job, {"metadata", "deletionTimestamp"}).is_null()) status = "Terminating";
  else if (HasCondition(job, "SuccessCriteriaMet")) status = "SuccessCriteriaMet";
  else if (HasCondition(job, "Suspended")) status = "Suspended";
  else if (HasCondition(job, "FailureTarget")) status = "FailureTarget";
  Json cells = Json::array({Name(job), status, completions, duration, Age(job)});
  AddTemplateCells(cells, job);
  return cells;
}

Json CronJobCells(const Json& cj) {
  const Json& spec = Get(cj, "spec");
  const Json& suspend = Get(spec, "suspend");
  std::string last = "<none>";
  if (GetPath(cj, {"status", "lastScheduleTime"}).is_string())
    last = TimestampAge(GetPath(cj, {"status", "lastScheduleTime"}));
  const Json& active = GetPath(cj, {"status", "active"});
  const Json& tspec = GetPath(spec, {"jobTemplate", "spec", "template", "spec"});
  return Json::array({Name(cj), GetString(spec, "schedule"), OrNone(GetString(spec, "timeZone")),
                      suspend.is_boolean() ? (suspend.get<bool>() ? "True" : "False") : "<unset>",
                      active.is_array() ? static_cast<int64_t>(active.size()) : 0, last, Age(cj),
                      ContainerNames(tspec), ContainerImages(tspec),
                      FormatSelector(GetPath(spec, {"jobTemplate", "spec", "selector"}))});
}

std::string IntOrStringCell(const Json& v) {
  if (v.is_number()) return std::to_string(v.get<int64_t>());
  if (v.is_string()) return v.get<std::string>();
  return "N/A";
}

// formatHPAMetrics for autoscaling/v2 specs (v1 objects are printed after
// conversion by the caller's storage, so both read the v2 shape here).
std::string HpaTargets(const Json& hpa) {
  const Json& metrics = GetPath(hpa, {"spec", "metrics"});
  const Json& current = GetPath(hpa, {"status", "currentMetrics"});
  if (!metrics.is_array()) {
    // autoscaling/v1.
    const Json& target = GetPath(hpa, {"spec", "targetCPUUtilizationPercentage"});
    if (!target.is_number()) return "<none>";
    const Json& cur = GetPath(hpa, {"status", "currentCPUUtilizationPercentage"});
    return "cpu: " + (cur.is_number() ? std::to_string(cur.get<int64_t>()) + "%" : std::string("<unknown>")) +
           "/" + std::to_string(target.get<int64_t>()) + "%";
  }
  if (metrics.empty()) return "<none>";
  std::vector<std::string> list;
  size_t count = 0;
  for (size_t i = 0; i < metrics.size(); ++i) {
    const Json& m = metrics[i];
    const Json& cur = current.is_array() && i < current.size() ? current[i] : Json();
    std::string type = GetString(m, "type");
    std::string s;
    auto target_str = [](const Json& t, std::string* kind) {
      std::string tt = GetString(t, "type");
      if (tt == "Utilization") {
        *kind = "Utilization";
        return std::to_string(GetInt(t, "averageUtilization")) + "%";
      }
      if (tt == "AverageValue") {
        *kind = "AverageValue";
        return GetString(t, "averageValue") + " (avg)";
      }
      *kind = "Value";
      return GetString(t, "value");
    };
    if (type == "Resource" || type == "ContainerResource") {
      const Json& src = Get(m, type == "Resource" ? "resource" : "containerResource");
      std::string kind;
      std::string target = target_str(Get(src, "target"), &kind);
      const Json& cr = Get(cur, type == "Resource" ? "resource" : "containerResource");
      std::string now = "<unknown>";
      if (kind == "Utilization" && Get(Get(cr, "current"), "averageUtilization").is_number())
        now = std::to_string(GetInt(Get(cr, "current"), "averageUtilization")) + "%";
      else if (kind == "AverageValue" && !GetString(Get(cr, "current"), "averageValue").empty())
        now = GetString(Get(cr, "current"), "averageValue");
      std::string name = GetString(src, "name");
      s = name + ": " + now + "/" + (kind == "AverageValue" ? GetString(Get(src, "target"), "averageValue") : target);
    } else {
      const Json& src = Get(m, type == "Pods" ? "pods" : type == "Object" ? "object" : "external");
      std::string kind;
      std::string target = target_str(Get(src, "target"), &kind);
      s = "<unknown>/" + target;
    }
    ++count;
    if (list.size() < 3) list.push_back(s);
  }
  std::string out = Join(list, ", ");
  if (count > list.size()) out += " + " + std::to_string(count - list.size()) + " more...";
  return out;
}

Json HpaColumns() {
  return Json::array({NameColumn(), StringColumn("Reference", "Reference to target resource"),
                      StringColumn("Targets", "Targets specifies the metric values the autoscaler tries to reach."),
                      StringColumn("MinPods", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."),
                      IntColumn("MaxPods", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up."),
                      IntColumn("Replicas", "currentReplicas is current number of replicas of pods managed by this autoscaler."),
                      AgeColumn()});
}

Json HpaCells(const Json& hpa) {
  const Json& ref = GetPath(hpa, {"spec", "scaleTargetRef"});
  const Json& min = GetPath(hpa, {"spec", "minReplicas"});
  return Json::array({Name(hpa), GetString(ref, "kind") + "/" + GetString(ref, "name"), HpaTargets(hpa),
                      min.is_number() ? std::to_string(min.get<int64_t>()) : "<unset>",
                      Int(hpa, {"spec", "maxReplicas"}), Int(hpa, {"status", "currentReplicas"}), Age(hpa)});
}

}  // namespace

std::vector<Printer> AppsPrinters() {
  return {
      {"apps", "Deployment",
       [] {
         return Cols({NameColumn(), StringColumn("Ready", "Number of the pod with ready state"),
                      IntColumn("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
                      IntColumn("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
                      AgeColumn()});
       },
       [](const Json& o) {
         const Json& r = GetPath(o, {"spec", "replicas"});
         Json cells = Json::array({Name(o), std::to_string(Int(o, {"status", "readyReplicas"})) + "/" +
                                                std::to_string(r.is_number() ? r.get<int64_t>() : 0),
                                   Int(o, {"status", "updatedReplicas"}), Int(o, {"status", "availableReplicas"}), Age(o)});
         AddTemplateCells(cells, o);
         return cells;
       }},
      {"apps", "ReplicaSet",
       [] {
         return Cols({NameColumn(), IntColumn("Desired", "Replicas is the number of desired replicas."),
                      IntColumn("Current", "Replicas is the most recently observed number of replicas."),
                      IntColumn("Ready", "The number of ready replicas for this replica set."), AgeColumn()});
       },
       [](const Json& o) {
         Json cells = Json::array({Name(o), Int(o, {"spec", "replicas"}), Int(o, {"status", "replicas"}),
                                   Int(o, {"status", "readyReplicas"}), Age(o)});
         AddTemplateCells(cells, o);
         return cells;
       }},
      {"apps", "DaemonSet",
       [] {
         return Cols({NameColumn(), IntColumn("Desired", "The total number of nodes that should be running the daemon pod."),
                      IntColumn("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
                      IntColumn("Ready", "numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition."),
                      IntColumn("Up-to-date", "The total number of nodes that are running updated daemon pod"),
                      IntColumn("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
                      StringColumn("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
                      AgeColumn()});
       },
       [](const Json& o) {
         Json cells = Json::array({Name(o), Int(o, {"status", "desiredNumberScheduled"}),
                                   Int(o, {"status", "currentNumberScheduled"}), Int(o, {"status", "numberReady"}),
                                   Int(o, {"status", "updatedNumberScheduled"}), Int(o, {"status", "numberAvailable"}),
                                   FormatLabels(GetPath(o, {"spec", "template", "spec", "nodeSelector"})), Age(o)});
         AddTemplateCells(cells, o);
         return cells;
       }},
      {"apps", "StatefulSet",
       [] {
         return Json::array({NameColumn(), StringColumn("Ready", "Number of the pod with ready state"), AgeColumn(),
                             StringColumn("Containers", "Names of each container in the template.", 1),
                             StringColumn("Images", "Images referenced by each container in the template.", 1)});
       },
       [](const Json& o) {
         const Json& r = GetPath(o, {"spec", "replicas"});
         Json cells = Json::array({Name(o), std::to_string(Int(o, {"status", "readyReplicas"})) + "/" +
                                                std::to_string(r.is_number() ? r.get<int64_t>() : 0),
                                   Age(o)});
         AddTemplateCells(cells, o, false);
         return cells;
       }},
      {"apps", "ControllerRevision",
       [] {
         return Json::array({NameColumn(), StringColumn("Controller", "Controller of the object"),
                             IntColumn("Revision", "Revision indicates the revision of the state represented by Data."), AgeColumn()});
       },
       [](const Json& o) {
         std::string controller = "<none>";
         const Json& refs = GetPath(o, {"metadata", "ownerReferences"});
         if (refs.is_array())
           for (const Json& r : refs)
             if (GetBool(r, "controller")) {
               std::string group = GroupVersion::Parse(GetString(r, "apiVersion")).group;
               controller = ToLower(GetString(r, "kind")) + (group.empty() ? "" : "." + group) + "/" + GetString(r, "name");
             }
         return Json::array({Name(o), controller, GetInt(o, "revision"), Age(o)});
       }},
      {"batch", "Job",
       [] {
         return Cols({NameColumn(), StringColumn("Status", "Status of the job."),
                      StringColumn("Completions", "The completion status of the job."),
                      StringColumn("Duration", "Time required to complete the job."), AgeColumn()});
       },
       JobCells},
      {"batch", "CronJob",
       [] {
         return Cols({NameColumn(), StringColumn("Schedule", "The schedule in Cron format."),
                      StringColumn("Timezone", "The time zone name for the given schedule."),
                      StringColumn("Suspend", "This flag tells the controller to suspend subsequent executions."),
                      IntColumn("Active", "A list of pointers to currently running jobs."),
                      StringColumn("Last Schedule", "Information when was the last time the job was successfully scheduled."),
                      AgeColumn()});
       },
       CronJobCells},
      {"autoscaling", "HorizontalPodAutoscaler", HpaColumns, HpaCells},
      {"policy", "PodDisruptionBudget",
       [] {
         return Json::array({NameColumn(), StringColumn("Min Available", "The minimum number of pods that must be available simultaneously."),
                             StringColumn("Max Unavailable", "The maximum number of pods that may be unavailable simultaneously."),
                             IntColumn("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time."),
                             AgeColumn()});
       },
       [](const Json& o) {
         return Json::array({Name(o), IntOrStringCell(GetPath(o, {"spec", "minAvailable"})),
                             IntOrStringCell(GetPath(o, {"spec", "maxUnavailable"})),
                             Int(o, {"status", "disruptionsAllowed"}), Age(o)});
       }},
  };
}

}  // namespace common::api::tables
