#include "simulate/simulator.h"

#include <chrono>
#include <ctime>

#include "common/log.h"
#include "common/objects.h"
#include "model/parse.h"

namespace schedule {

using common::Json;
using CStatus = common::Status;

namespace {

enum Source { kNodesFile = 0, kExistingFile = 1, kPodsFile = 2 };

// kube-apiserver's DefaultTolerationSeconds admission: pods tolerate the
// not-ready and unreachable NoExecute taints for 300 s unless they say otherwise.
void AddDefaultTolerations(Pod* pod) {
  for (const char* key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
    bool has = false;
    for (const auto& t : pod->tolerations)
      if ((t.key == key || (t.key.empty() && t.exists)) &&
          (t.effect == TaintEffect::kAll || t.effect == TaintEffect::kNoExecute))
        has = true;
    if (!has) pod->tolerations.push_back(Toleration{key, true, "", TaintEffect::kNoExecute});
  }
}

}  // namespace

Simulator::Simulator() = default;
Simulator::~Simulator() = default;

CStatus Simulator::LoadObjects(const SimulatorInputs& inputs, std::vector<Json> nodes, std::vector<Json> existing,
                               std::vector<Json> pods) {
  inputs_ = inputs;
  std::vector<Item> items;
  for (auto& o : nodes) items.push_back({kNodesFile, "nodes", std::move(o)});
  for (auto& o : existing) items.push_back({kExistingFile, "existing", std::move(o)});
  for (auto& o : pods) items.push_back({kPodsFile, "pods", std::move(o)});
  if (!pods.empty()) inputs_.pod_files = {"pods"};
  return LoadItems(std::move(items));
}

CStatus Simulator::Load(const SimulatorInputs& inputs) {
  inputs_ = inputs;
  std::vector<Item> items;
  auto read = [&](const std::vector<std::string>& files, int source) -> CStatus {
    for (const auto& path : files) {
      auto objs = common::ReadObjects(path);
      if (!objs.ok()) return CStatus::Invalid(objs.status().message());
      for (auto& o : *objs) items.push_back({source, path, std::move(o)});
    }
    return CStatus::Ok();
  };
  RETURN_IF_ERROR(read(inputs.node_files, kNodesFile));
  RETURN_IF_ERROR(read(inputs.existing_files, kExistingFile));
  RETURN_IF_ERROR(read(inputs.pod_files, kPodsFile));
  return LoadItems(std::move(items));
}

CStatus Simulator::LoadItems(std::vector<Item> items) {
  const SimulatorInputs& inputs = inputs_;

  // Everything but pods and nodes first: pods' priorities and volumes refer to them.
  for (const auto& it : items) {
    if (!it.obj.is_object()) return CStatus::Invalid(it.path + ": not a Kubernetes object: " + common::DumpJson(it.obj).substr(0, 80));
    std::string kind = common::GetString(it.obj, "kind");
    if (kind == "Pod" || kind == "Node") continue;
    if (kind.empty())
      return CStatus::Invalid(it.path + ": " + DescribeObject(it.obj) + ": kind: Required value");
    auto r = store_.Upsert(it.obj);
    if (!r.ok()) return CStatus::Invalid(it.path + ": " + r.status().message());
    if (!*r) VLOG(1, "ignoring object the scheduler does not use", {"object", DescribeObject(it.obj)});
  }
  std::map<std::string, size_t> node_index;
  for (const auto& it : items) {
    std::string kind = common::GetString(it.obj, "kind");
    if (kind == "Node") {
      auto n = ParseNode(it.obj);
      if (!n.ok()) return CStatus::Invalid(it.path + ": " + n.status().message());
      auto ptr = std::make_shared<const Node>(std::move(*n));
      if (auto e = node_index.find(ptr->name); e != node_index.end()) {
        nodes_[e->second] = ptr;  // a later copy of the same node wins
      } else {
        node_index[ptr->name] = nodes_.size();
        nodes_.push_back(ptr);
      }
      continue;
    }
    if (kind != "Pod") continue;
    auto p = ParsePod(it.obj);
    if (!p.ok()) return CStatus::Invalid(it.path + ": " + p.status().message());
    Pod pod = std::move(*p);
    if (pod.IsTerminal()) continue;  // the scheduler ignores finished pods
    store_.NoteNamespace(pod.ns);
    if (!PodHasSpecPriority(it.obj)) {
      bool never = pod.preempt_never;
      auto prio = store_.ResolvePriority(pod, &never);
      if (!prio.ok())
        return CStatus::Invalid(it.path + ": Pod \"" + pod.key + "\": spec.priorityClassName: " + prio.status().message());
      pod.priority = *prio;
      if (common::GetPath(it.obj, {"spec", "preemptionPolicy"}).is_null()) pod.preempt_never = never;
    }
    bool pending = pod.node_name.empty();
    if (pending && it.source != kPodsFile && !inputs.pod_files.empty()) {
      VLOG(1, "ignoring pending pod from a cluster file (--pods given)", {"pod", pod.key});
      continue;
    }
    if (pending) AddDefaultTolerations(&pod);
    auto ptr = std::make_shared<const Pod>(std::move(pod));
    (pending ? pending_ : existing_).push_back(ptr);
  }
  store_.ComputeDisruptionsAllowed(existing_);

  if (!inputs.explain.empty()) {
    std::string want = inputs.explain;
    std::vector<std::string> matches;
    for (const auto& p : pending_)
      if (p->key == want || p->name == want) matches.push_back(p->key);
    if (matches.empty())
      return CStatus::Invalid("--explain: pod \"" + want + "\" is not among the pods to place");
    if (matches.size() > 1)
      return CStatus::Invalid("--explain: pod name \"" + want + "\" is ambiguous; use namespace/name");
    explain_key_ = matches[0];
  }

  SchedulerOptions so;
  so.config = inputs.config;
  so.clock = &clock_;
  so.objects = &store_;
  so.client = this;
  so.seed = inputs.seed;
  auto s = Scheduler::Create(so);
  if (!s.ok()) return s.status();
  scheduler_ = std::move(*s);
  scheduler_->set_observer(this);
  return CStatus::Ok();
}

common::Result<SimulationResult> Simulator::Run() {
  SimulationResult result;
  result.num_nodes = static_cast<int>(nodes_.size());
  result.num_existing = static_cast<int>(existing_.size());
  for (const auto& n : nodes_) scheduler_->OnNodeAdd(n);
  for (const auto& p : existing_) scheduler_->OnPodAdd(p);
  for (const auto& p : pending_) {
    PodOutcome o;
    o.pod = p;
    if (!scheduler_->FrameworkFor(p->scheduler_name))
      o.message = "no profile for schedulerName \"" + p->scheduler_name + "\"";
    else if (!p->scheduling_gates.empty())
      o.message = "Scheduling is blocked due to non-empty scheduling gates";
    outcomes_[p->uid] = o;
    scheduler_->OnPodAdd(p);
  }
  // Bounded so a preemption ping-pong cannot loop forever.
  const int max_cycles = 50 * static_cast<int>(pending_.size()) + 10000;
  auto start = std::chrono::steady_clock::now();
  timespec cpu0{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu0);
  for (;;) {
    if (cycles_ >= max_cycles) break;
    if (scheduler_->TryScheduleNext()) {
      ++cycles_;
      continue;
    }
    auto next = scheduler_->queue().NextBackoffExpiry();
    if (!next) break;
    if (*next > clock_.Now()) clock_.Set(*next);
    scheduler_->queue().FlushBackoffQCompleted();
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  timespec cpu1{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu1);
  result.cpu_seconds = static_cast<double>(cpu1.tv_sec - cpu0.tv_sec) + static_cast<double>(cpu1.tv_nsec - cpu0.tv_nsec) / 1e9;
  result.cycles = cycles_;
  for (const auto& p : pending_) result.pods.push_back(outcomes_[p->uid]);
  for (const auto& uid : victim_order_) result.pods.push_back(outcomes_[uid]);
  result.detail = detail_;
  return result;
}

void Simulator::OnCycle(const CycleRecord& rec) {
  auto it = outcomes_.find(rec.pod->uid);
  if (it == outcomes_.end()) return;
  PodOutcome& o = it->second;
  o.attempts = rec.attempt;
  o.feasible_nodes = rec.feasible_nodes;
  o.evaluated_nodes = rec.evaluated_nodes;
  if (rec.result == CycleRecord::Result::kScheduled) {
    o.phase = PodOutcome::Phase::kScheduled;
    o.node = rec.node;
    o.score = rec.score;
    o.message.clear();
    o.nominated_node.clear();
  } else {
    o.phase = PodOutcome::Phase::kPending;
    o.message = rec.message;
    if (!rec.nominated_node.empty()) o.nominated_node = rec.nominated_node;
    for (const auto& v : rec.victims) o.victims.push_back(v->key);
  }
}

bool Simulator::WantsDetail(const Pod& pod) { return !explain_key_.empty() && pod.key == explain_key_; }

void Simulator::OnDetail(const CycleDetail& detail) { detail_ = detail; }

CStatus Simulator::Bind(const Pod& pod, const std::string& node) {
  auto bound = std::make_shared<Pod>(pod);
  bound->node_name = node;
  // What the informer would deliver once the API server stored the binding.
  scheduler_->OnPodAdd(bound);
  return CStatus::Ok();
}

CStatus Simulator::DeleteVictim(const Pod& victim, const Pod& preemptor, const std::string&) {
  PodPtr cached = scheduler_->cache().GetPod(victim.uid);
  if (cached) scheduler_->OnPodDelete(cached);
  auto it = outcomes_.find(victim.uid);
  if (it == outcomes_.end()) {
    PodOutcome o;
    o.pod = cached ? cached : std::make_shared<Pod>(victim);
    it = outcomes_.emplace(victim.uid, o).first;
    victim_order_.push_back(victim.uid);
  }
  it->second.phase = PodOutcome::Phase::kPreempted;
  it->second.node = victim.node_name;
  it->second.preempted_by = preemptor.key;
  return CStatus::Ok();
}

CStatus Simulator::ClearNomination(const Pod& pod) {
  auto it = outcomes_.find(pod.uid);
  if (it != outcomes_.end()) it->second.nominated_node.clear();
  return CStatus::Ok();
}

void Simulator::RecordFailure(const Pod&, const std::string&, const std::string&, const std::optional<std::string>&) {}

void Simulator::RecordScheduled(const Pod&, const std::string&) {}

}  // namespace schedule
