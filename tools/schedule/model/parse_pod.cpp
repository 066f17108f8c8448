// Pod decoding: containers and their effective requests, tolerations,
// affinity, topology spread constraints, ports, volumes.
#include <algorithm>
#include <atomic>

#include "common/strings.h"
#include "model/parse.h"

namespace schedule {

using common::Json;
using common::Result;
using common::Status;

namespace {

struct ContainerRequests {
  Resources requests;
  bool has_cpu = false;
  bool has_memory = false;
  bool sidecar = false;  // init container with restartPolicy: Always
};

// Decodes one container's requests, defaulting each missing request to its
// limit as kube-apiserver does on create.
Status ParseContainer(const Json& c, const std::string& field, ContainerRequests* out) {
  if (!c.is_object()) return Status::Invalid(field + ": must be an object");
  const Json& res = common::Get(c, "resources");
  const Json& req = common::Get(res, "requests");
  const Json& lim = common::Get(res, "limits");
  if (!req.is_null() && !req.is_object())
    return Status::Invalid(field + ".resources.requests: must be an object of quantities");
  if (!lim.is_null() && !lim.is_object())
    return Status::Invalid(field + ".resources.limits: must be an object of quantities");
  Json merged = req.is_object() ? req : Json::object();
  if (lim.is_object())
    for (auto it = lim.begin(); it != lim.end(); ++it)
      if (!merged.contains(it.key())) merged[it.key()] = it.value();
  // Limits are validated too, so a bad limit is reported even when a request hides it.
  Resources ignored;
  RETURN_IF_ERROR(ParseResourceList(lim, field + ".resources.limits", &ignored));
  RETURN_IF_ERROR(ParseResourceList(req, field + ".resources.requests", &out->requests));
  Resources from_limits;
  Json only_limits = Json::object();
  for (auto it = merged.begin(); it != merged.end(); ++it)
    if (!req.is_object() || !req.contains(it.key())) only_limits[it.key()] = it.value();
  RETURN_IF_ERROR(ParseResourceList(only_limits, field + ".resources.limits", &from_limits));
  out->requests.Add(from_limits);
  out->has_cpu = merged.contains("cpu");
  out->has_memory = merged.contains("memory");
  out->sidecar = common::GetString(c, "restartPolicy") == "Always";
  return Status::Ok();
}

// upstream's component-helpers resource.PodRequests: regular containers plus
// sidecars; each init container needs its request plus the sidecars started
// before it; the pod needs the maximum of the two, plus overhead.
Resources EffectiveRequests(const std::vector<ContainerRequests>& containers,
                            const std::vector<ContainerRequests>& inits, const Resources& overhead,
                            bool non_zero) {
  auto with_defaults = [&](const ContainerRequests& c) {
    Resources r = c.requests;
    if (non_zero) {
      if (!c.has_cpu) r.milli_cpu += kDefaultMilliCPURequest;
      if (!c.has_memory) r.memory += kDefaultMemoryRequest;
    }
    return r;
  };
  Resources reqs;
  for (const auto& c : containers) reqs.Add(with_defaults(c));
  Resources sidecars, init_max;
  for (const auto& c : inits) {
    Resources r = with_defaults(c);
    if (c.sidecar) {
      reqs.Add(r);
      sidecars.Add(r);
      init_max.SetMax(sidecars);
    } else {
      r.Add(sidecars);
      init_max.SetMax(r);
    }
  }
  reqs.SetMax(init_max);
  reqs.Add(overhead);
  return reqs;
}

Status ParseTolerations(const Json& list, std::vector<Toleration>* out) {
  if (list.is_null()) return Status::Ok();
  if (!list.is_array()) return Status::Invalid("spec.tolerations: must be a list");
  for (size_t i = 0; i < list.size(); ++i) {
    std::string f = "spec.tolerations[" + std::to_string(i) + "]";
    const Json& t = list[i];
    Toleration tol;
    tol.key = common::GetString(t, "key");
    std::string op = common::GetString(t, "operator");
    if (op.empty() || op == "Equal") {
      tol.exists = false;
      if (tol.key.empty())
        return Status::Invalid(f + ".operator: Invalid value: \"" + op + "\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
    } else if (op == "Exists") {
      tol.exists = true;
    } else {
      return Status::Invalid(f + ".operator: Unsupported value: \"" + op + "\": supported values: \"Equal\", \"Exists\"");
    }
    tol.value = common::GetString(t, "value");
    if (tol.exists && !tol.value.empty())
      return Status::Invalid(f + ".operator: Invalid value: \"" + tol.value + "\": value must be empty when `operator` is 'Exists'");
    std::string eff = common::GetString(t, "effect");
    tol.effect = ParseTaintEffect(eff);
    if (tol.effect == TaintEffect::kOther)
      return Status::Invalid(f + ".effect: Unsupported value: \"" + eff + "\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"");
    out->push_back(std::move(tol));
  }
  return Status::Ok();
}

// Adds `key In/NotIn (value of the pod's label)` to a selector JSON, as the
// apiserver merges matchLabelKeys / mismatchLabelKeys into labelSelector.
void MergeLabelKeys(Json& selector, const Json& keys, const common::Labels& pod_labels, bool in) {
  if (!keys.is_array()) return;
  for (const Json& k : keys) {
    if (!k.is_string()) continue;
    auto it = pod_labels.find(k.get<std::string>());
    if (it == pod_labels.end()) continue;
    if (selector.is_null()) selector = Json::object();
    selector["matchExpressions"].push_back(
        {{"key", it->first}, {"operator", in ? "In" : "NotIn"}, {"values", {it->second}}});
  }
}

Result<AffinityTerm> ParseAffinityTerm(const Json& t, const std::string& field, const Pod& pod) {
  AffinityTerm term;
  Json sel = common::Get(t, "labelSelector");
  MergeLabelKeys(sel, common::Get(t, "matchLabelKeys"), pod.labels, true);
  MergeLabelKeys(sel, common::Get(t, "mismatchLabelKeys"), pod.labels, false);
  auto s = ParseLabelSelectorOrNothing(sel, field + ".labelSelector");
  if (!s.ok()) return s.status();
  term.selector = std::move(*s);
  const Json& ns = common::Get(t, "namespaces");
  if (ns.is_array())
    for (const Json& n : ns)
      if (n.is_string()) term.namespaces.push_back(n.get<std::string>());
  const Json& nss = common::Get(t, "namespaceSelector");
  if (!nss.is_null()) {
    auto s2 = common::LabelSelector::FromJson(nss);
    if (!s2.ok()) return Status::Invalid(field + ".namespaceSelector: " + s2.status().message());
    term.namespace_selector = std::move(*s2);
  }
  if (term.namespaces.empty() && !term.namespace_selector) term.namespaces.push_back(pod.ns);
  std::sort(term.namespaces.begin(), term.namespaces.end());
  term.namespaces.erase(std::unique(term.namespaces.begin(), term.namespaces.end()),
                        term.namespaces.end());
  term.topology_key = common::GetString(t, "topologyKey");
  if (term.topology_key.empty())
    return Status::Invalid(field + ".topologyKey: Required value: can not be empty");
  SetTermId(&term);
  return term;
}

Status ParsePodAffinity(const Json& pa, const std::string& field, const Pod& pod,
                        std::vector<AffinityTerm>* required,
                        std::vector<WeightedAffinityTerm>* preferred) {
  const Json& req = common::Get(pa, "requiredDuringSchedulingIgnoredDuringExecution");
  if (req.is_array())
    for (size_t i = 0; i < req.size(); ++i) {
      auto t = ParseAffinityTerm(
          req[i], field + ".requiredDuringSchedulingIgnoredDuringExecution[" + std::to_string(i) + "]",
          pod);
      if (!t.ok()) return t.status();
      required->push_back(std::move(*t));
    }
  const Json& pref = common::Get(pa, "preferredDuringSchedulingIgnoredDuringExecution");
  if (pref.is_array())
    for (size_t i = 0; i < pref.size(); ++i) {
      std::string f =
          field + ".preferredDuringSchedulingIgnoredDuringExecution[" + std::to_string(i) + "]";
      WeightedAffinityTerm w;
      w.weight = static_cast<int32_t>(common::GetInt(pref[i], "weight"));
      if (w.weight < 1 || w.weight > 100)
        return Status::Invalid(f + ".weight: Invalid value: " + std::to_string(w.weight) +
                               ": must be in the range 1-100");
      auto t = ParseAffinityTerm(common::Get(pref[i], "podAffinityTerm"), f + ".podAffinityTerm", pod);
      if (!t.ok()) return t.status();
      w.term = std::move(*t);
      preferred->push_back(std::move(w));
    }
  return Status::Ok();
}

Status ParseAffinity(const Json& aff, Pod* pod) {
  if (aff.is_null()) return Status::Ok();
  if (!aff.is_object()) return Status::Invalid("spec.affinity: must be an object");
  const Json& na = common::Get(aff, "nodeAffinity");
  if (!na.is_null()) {
    const Json& req = common::Get(na, "requiredDuringSchedulingIgnoredDuringExecution");
    if (!req.is_null()) {
      auto sel = ParseNodeSelector(
          req, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution");
      if (!sel.ok()) return sel.status();
      pod->required_node_affinity.affinity = std::move(*sel);
      pod->has_required_node_affinity_field = true;
    }
    const Json& pref = common::Get(na, "preferredDuringSchedulingIgnoredDuringExecution");
    if (pref.is_array())
      for (size_t i = 0; i < pref.size(); ++i) {
        std::string f = "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[" +
                        std::to_string(i) + "]";
        PreferredSchedulingTerm p;
        p.weight = static_cast<int32_t>(common::GetInt(pref[i], "weight"));
        if (p.weight < 1 || p.weight > 100)
          return Status::Invalid(f + ".weight: Invalid value: " + std::to_string(p.weight) +
                                 ": must be in the range 1-100");
        auto t = ParseNodeSelectorTerm(common::Get(pref[i], "preference"), f + ".preference");
        if (!t.ok()) return t.status();
        p.preference = std::move(*t);
        pod->preferred_node_affinity.push_back(std::move(p));
      }
  }
  const Json& pa = common::Get(aff, "podAffinity");
  const Json& paa = common::Get(aff, "podAntiAffinity");
  pod->has_pod_affinity = !pa.is_null() || !paa.is_null();
  if (!pa.is_null())
    RETURN_IF_ERROR(ParsePodAffinity(pa, "spec.affinity.podAffinity", *pod, &pod->required_affinity,
                                     &pod->preferred_affinity));
  if (!paa.is_null())
    RETURN_IF_ERROR(ParsePodAffinity(paa, "spec.affinity.podAntiAffinity", *pod,
                                     &pod->required_anti_affinity, &pod->preferred_anti_affinity));
  return Status::Ok();
}

Status ParseSpread(const Json& list, Pod* pod) {
  if (list.is_null()) return Status::Ok();
  if (!list.is_array()) return Status::Invalid("spec.topologySpreadConstraints: must be a list");
  for (size_t i = 0; i < list.size(); ++i) {
    std::string f = "spec.topologySpreadConstraints[" + std::to_string(i) + "]";
    const Json& c = list[i];
    SpreadConstraint sc;
    sc.max_skew = static_cast<int32_t>(common::GetInt(c, "maxSkew"));
    if (sc.max_skew <= 0)
      return Status::Invalid(f + ".maxSkew: Invalid value: " + std::to_string(sc.max_skew) +
                             ": must be greater than zero");
    sc.topology_key = common::GetString(c, "topologyKey");
    if (sc.topology_key.empty())
      return Status::Invalid(f + ".topologyKey: Required value: can not be empty");
    std::string when = common::GetString(c, "whenUnsatisfiable");
    if (when == "DoNotSchedule") sc.do_not_schedule = true;
    else if (when == "ScheduleAnyway") sc.do_not_schedule = false;
    else
      return Status::Invalid(f + ".whenUnsatisfiable: Unsupported value: \"" + when +
                             "\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"");
    Json sel = common::Get(c, "labelSelector");
    MergeLabelKeys(sel, common::Get(c, "matchLabelKeys"), pod->labels, true);
    auto s = ParseLabelSelectorOrNothing(sel, f + ".labelSelector");
    if (!s.ok()) return s.status();
    sc.selector = std::move(*s);
    sc.selector_id = SelectorId(sc.selector);
    if (c.contains("minDomains") && !c["minDomains"].is_null()) {
      sc.min_domains = static_cast<int32_t>(common::GetInt(c, "minDomains"));
      if (sc.min_domains <= 0)
        return Status::Invalid(f + ".minDomains: Invalid value: " + std::to_string(sc.min_domains) +
                               ": must be greater than 0");
      if (!sc.do_not_schedule)
        return Status::Invalid(f + ".minDomains: Invalid value: " + std::to_string(sc.min_domains) +
                               ": can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway");
    }
    for (const char* name : {"nodeAffinityPolicy", "nodeTaintsPolicy"}) {
      std::string v = common::GetString(c, name);
      if (v.empty()) continue;
      if (v != "Honor" && v != "Ignore")
        return Status::Invalid(f + "." + name + ": Unsupported value: \"" + v +
                               "\": supported values: \"Honor\", \"Ignore\"");
      InclusionPolicy p = v == "Honor" ? InclusionPolicy::kHonor : InclusionPolicy::kIgnore;
      if (std::string_view(name) == "nodeAffinityPolicy") sc.node_affinity_policy = p;
      else sc.node_taints_policy = p;
    }
    pod->spread_constraints.push_back(std::move(sc));
  }
  return Status::Ok();
}

void CollectHostPorts(const Json& container, std::vector<HostPort>* out) {
  const Json& ports = common::Get(container, "ports");
  if (!ports.is_array()) return;
  for (const Json& p : ports) {
    int64_t hp = common::GetInt(p, "hostPort");
    if (hp <= 0) continue;
    HostPort h;
    h.port = static_cast<int32_t>(hp);
    h.host_ip = common::GetString(p, "hostIP", "0.0.0.0");
    if (h.host_ip.empty()) h.host_ip = "0.0.0.0";
    h.protocol = common::GetString(p, "protocol", "TCP");
    if (h.protocol.empty()) h.protocol = "TCP";
    out->push_back(std::move(h));
  }
}

std::atomic<int> generated_names{0};

}  // namespace

bool PodHasSpecPriority(const Json& obj) {
  const Json& p = common::GetPath(obj, {"spec", "priority"});
  return p.is_number_integer();
}

Result<Pod> ParsePod(const Json& obj) {
  Pod pod;
  std::string what = DescribeObject(obj);
  auto fail = [&](const Status& st) { return Status::Invalid(what + ": " + st.message()); };
  if (!obj.is_object()) return Status::Invalid("pod: must be a JSON object");
  const Json& md = common::Get(obj, "metadata");
  pod.ns = common::GetString(md, "namespace", "default");
  if (pod.ns.empty()) pod.ns = "default";
  pod.name = common::GetString(md, "name");
  if (pod.name.empty()) {
    std::string gen = common::GetString(md, "generateName");
    if (gen.empty()) return Status::Invalid(what + ": metadata.name: Required value: name or generateName is required");
    char buf[16];
    std::snprintf(buf, sizeof buf, "%05d", ++generated_names);
    pod.name = gen + buf;
  }
  pod.key = pod.ns + "/" + pod.name;
  what = "Pod \"" + pod.key + "\"";
  pod.uid = common::GetString(md, "uid");
  if (pod.uid.empty()) pod.uid = "uid-" + pod.key;
  pod.labels = common::LabelsFromJson(common::Get(md, "labels"));
  SetMatchKey(&pod);
  if (auto t = common::ParseRFC3339(common::GetString(md, "creationTimestamp")); t.ok())
    pod.creation = *t;
  pod.terminating = !common::Get(md, "deletionTimestamp").is_null();
  const Json& owners = common::Get(md, "ownerReferences");
  if (owners.is_array())
    for (const Json& o : owners)
      if (common::GetBool(o, "controller"))
        pod.controller = OwnerRef{common::GetString(o, "apiVersion"), common::GetString(o, "kind"),
                                  common::GetString(o, "name")};

  const Json& spec = common::Get(obj, "spec");
  if (!spec.is_object()) return fail(Status::Invalid("spec: Required value"));
  pod.node_name = common::GetString(spec, "nodeName");
  pod.scheduler_name = common::GetString(spec, "schedulerName", kDefaultSchedulerName);
  if (pod.scheduler_name.empty()) pod.scheduler_name = kDefaultSchedulerName;
  pod.priority = static_cast<int32_t>(common::GetInt(spec, "priority"));
  pod.priority_class_name = common::GetString(spec, "priorityClassName");
  pod.preempt_never = common::GetString(spec, "preemptionPolicy") == "Never";
  const Json& gates = common::Get(spec, "schedulingGates");
  if (gates.is_array())
    for (const Json& g : gates) pod.scheduling_gates.push_back(common::GetString(g, "name"));

  if (auto st = ParseTolerations(common::Get(spec, "tolerations"), &pod.tolerations); !st.ok())
    return fail(st);
  const Json& ns = common::Get(spec, "nodeSelector");
  if (!ns.is_null() && !ns.is_object()) return fail(Status::Invalid("spec.nodeSelector: must be a map"));
  pod.required_node_affinity.node_selector = common::LabelsFromJson(ns);
  if (auto st = ParseAffinity(common::Get(spec, "affinity"), &pod); !st.ok()) return fail(st);
  if (auto st = ParseSpread(common::Get(spec, "topologySpreadConstraints"), &pod); !st.ok())
    return fail(st);

  std::vector<ContainerRequests> containers, inits;
  const Json& cs = common::Get(spec, "containers");
  if (!cs.is_array() || cs.empty())
    return fail(Status::Invalid("spec.containers: Required value"));
  const Json& ics = common::Get(spec, "initContainers");
  if (ics.is_array()) {
    for (size_t i = 0; i < ics.size(); ++i) {
      ContainerRequests c;
      if (auto st = ParseContainer(ics[i], "spec.initContainers[" + std::to_string(i) + "]", &c); !st.ok())
        return fail(st);
      if (c.sidecar) CollectHostPorts(ics[i], &pod.host_ports);
      pod.images.push_back(NormalizedImageName(common::GetString(ics[i], "image")));
      inits.push_back(std::move(c));
    }
  }
  for (size_t i = 0; i < cs.size(); ++i) {
    ContainerRequests c;
    if (auto st = ParseContainer(cs[i], "spec.containers[" + std::to_string(i) + "]", &c); !st.ok())
      return fail(st);
    CollectHostPorts(cs[i], &pod.host_ports);
    pod.images.push_back(NormalizedImageName(common::GetString(cs[i], "image")));
    containers.push_back(std::move(c));
  }
  pod.num_containers = static_cast<int>(containers.size() + inits.size());
  Resources overhead;
  if (auto st = ParseResourceList(common::Get(spec, "overhead"), "spec.overhead", &overhead); !st.ok())
    return fail(st);
  pod.requests = EffectiveRequests(containers, inits, overhead, false);
  Resources nz = EffectiveRequests(containers, inits, overhead, true);
  pod.non_zero_milli_cpu = nz.milli_cpu;
  pod.non_zero_memory = nz.memory;

  const Json& vols = common::Get(spec, "volumes");
  if (vols.is_array())
    for (const Json& v : vols) {
      const Json& pvc = common::Get(v, "persistentVolumeClaim");
      if (!pvc.is_null()) {
        std::string claim = common::GetString(pvc, "claimName");
        if (claim.empty()) return fail(Status::Invalid("spec.volumes[].persistentVolumeClaim.claimName: Required value"));
        pod.pvc_names.push_back(claim);
      } else if (!common::Get(v, "ephemeral").is_null()) {
        pod.pvc_names.push_back(pod.name + "-" + common::GetString(v, "name"));
      }
    }

  const Json& status = common::Get(obj, "status");
  pod.phase = common::GetString(status, "phase");
  pod.nominated_node_name = common::GetString(status, "nominatedNodeName");
  if (auto t = common::ParseRFC3339(common::GetString(status, "startTime")); t.ok())
    pod.start_time = *t;
  return pod;
}

}  // namespace schedule
