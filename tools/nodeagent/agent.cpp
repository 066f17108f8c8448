#include "agent.h"

#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "common/file.h"
#include "common/log.h"
#include "common/strings.h"
#include "duration.h"
#include "fake_runtime.h"
#include "pod_cgroups.h"
#include "process_runtime.h"
#include "qos.h"

namespace nodeagent {

using common::Json;
namespace metrics = common::metrics;

namespace {

constexpr auto kHousekeepingPeriod = std::chrono::seconds(2);  // housekeepingPeriod
constexpr auto kEvictionPeriod = std::chrono::seconds(10);     // evictionMonitoringPeriod

std::string Ki(int64_t bytes) { return std::to_string(bytes / 1024) + "Ki"; }

std::string SelfExe() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "/proc/self/exe";
  std::string p(buf, static_cast<size_t>(n));
  // A rebuilt binary shows as "(deleted)": keep using the running image.
  if (p.size() > 10 && p.substr(p.size() - 10) == " (deleted)") return "/proc/" + std::to_string(getpid()) + "/exe";
  return p;
}

std::map<std::string, int64_t> MemInfo() {
  std::map<std::string, int64_t> out;
  auto text = common::ReadFile("/proc/meminfo");
  if (!text.ok()) return out;
  for (const auto& line : common::Split(*text, '\n')) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto parts = common::SplitNonEmpty(line.substr(colon + 1), ' ');
    if (!parts.empty()) out[line.substr(0, colon)] = common::ParseInt64(parts[0]).value_or(0) * 1024;
  }
  return out;
}

}  // namespace

Agent::Agent(Options options) : opts_(std::move(options)) {}

Agent::~Agent() { Stop(); }

common::Status Agent::Start() {
  RETURN_IF_ERROR(opts_.Validate());
  RETURN_IF_ERROR(common::MakeDirs(opts_.root_dir, 0700));
  machine_ = DetectMachine(opts_.root_dir);
  node_.name = common::ToLower(opts_.hostname_override.empty() ? machine_.hostname : opts_.hostname_override);
  node_ip_ = !opts_.node_ip.empty() ? opts_.node_ip : DetectNodeIp();
  if (node_ip_.empty()) node_ip_ = "127.0.0.1";
  ASSIGN_OR_RETURN(ResourceList overrides, ParseResourceList(opts_.capacity));
  capacity_ = NodeCapacity(machine_, overrides, opts_.max_pods);
  ASSIGN_OR_RETURN(thresholds_, ParseThresholds(opts_.eviction_hard));
  transition_ = std::chrono::duration_cast<std::chrono::seconds>(
      *ParseDuration(opts_.eviction_pressure_transition_period));
  // Allocatable = capacity - reserved - the hard memory eviction threshold.
  allocatable_ = capacity_;
  for (const auto& t : thresholds_)
    if (t.signal == "memory.available") {
      int64_t mem = MemoryBytes(capacity_) - t.Value(MemoryBytes(capacity_));
      allocatable_["memory"] = common::Quantity::FromInt(std::max<int64_t>(0, mem),
                                                         common::Quantity::Format::kBinarySI);
    }
  node_.allocatable = allocatable_;
  node_.labels = {{"kubernetes.io/hostname", node_.name},
                  {"kubernetes.io/os", "linux"},
                  {"kubernetes.io/arch", machine_.architecture},
                  {"beta.kubernetes.io/os", "linux"},
                  {"beta.kubernetes.io/arch", machine_.architecture}};
  for (const auto& kv : common::SplitNonEmpty(opts_.node_labels, ',')) {
    auto eq = kv.find('=');
    node_.labels[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
  }
  ASSIGN_OR_RETURN(node_.taints, ParseTaints(opts_.register_with_taints));
  if (opts_.fake_nodes > 0) {
    for (int i = 0; i < opts_.fake_nodes; ++i) node_names_.push_back(node_.name + "-" + std::to_string(i));
  } else {
    node_names_.push_back(node_.name);
  }
  for (const auto& n : node_names_) {
    NodeState st = node_;
    st.name = n;
    st.labels["kubernetes.io/hostname"] = n;
    if (opts_.fake_nodes > 0) st.labels["type"] = "kwok";  // as kwok labels its nodes
    nodes_[n] = std::move(st);
  }

  if (opts_.runtime == "fake") {
    auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(*ParseDuration(opts_.fake_start_delay));
    runtime_ = std::make_unique<FakeRuntime>(&timers_, delay,
                                             opts_.pod_cidr.empty() ? "10.0.0.0/16" : opts_.pod_cidr);
  } else {
    ProcessRuntimeOptions po;
    po.root_dir = opts_.root_dir;
    po.image_dir = opts_.image_dir;
    po.require_image = opts_.image_fallback == "none";
    po.netns = opts_.pod_network == "netns";
    po.network.bridge = opts_.pod_bridge;
    // Registering with the API, the range comes from the Node (spec.podCIDR,
    // which --pod-cidr only asks for): NodeApi sets it when it sees the Node.
    if (opts_.kubeconfig.empty() || !opts_.register_node) po.network.pod_cidr = opts_.pod_cidr;
    po.cgroups = opts_.cgroups_per_qos;
    po.cgroup_root = opts_.cgroup_root;
    po.cgroup_policy.cfs_quota = opts_.cpu_cfs_quota;
    po.cgroup_policy.cfs_period_us =
        std::chrono::duration_cast<std::chrono::microseconds>(*ParseDuration(opts_.cpu_cfs_quota_period)).count();
    po.cgroup_policy.pod_pids_limit = opts_.pod_max_pids;
    po.log_max_size = common::Quantity::Parse(opts_.container_log_max_size)->Value();
    po.log_max_files = opts_.container_log_max_files;
    po.node_name = node_.name;
    po.node_ip = node_ip_;
    po.allocatable_cpu_milli = MilliCpu(allocatable_);
    po.allocatable_memory = MemoryBytes(allocatable_);
    po.self_exe = SelfExe();
    po.lookup = [this](const std::string& kind, const std::string& ns, const std::string& name) {
      return lookup_ ? lookup_(kind, ns, name) : common::Result<std::optional<Json>>(std::optional<Json>());
    };
    auto rt = std::make_unique<ProcessRuntime>(po);
    RETURN_IF_ERROR(rt->Init());
    process_runtime_ = rt.get();
    runtime_ = std::move(rt);
  }
  runtime_->SetEventSink([this](const std::string& uid) {
    std::shared_ptr<PodWorker> w;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = workers_.find(uid);
      if (it != workers_.end()) w = it->second;
    }
    if (w) w->Trigger();
  });
  int threads = opts_.runtime == "fake" ? 8 : 4;
  sync_pool_ = std::make_unique<common::ThreadPool>(threads, "pod-sync");
  probe_pool_ = std::make_unique<common::ThreadPool>(4, "prober");
  RegisterMetrics();
  last_loop_ = std::chrono::steady_clock::now();
  loop_ = std::thread([this] { Loop(); });
  pthread_setname_np(loop_.native_handle(), "sync-loop");
  LOG_INFO("node agent started", {"node", node_.name}, {"nodeIP", node_ip_},
           {"runtime", runtime_->Name()}, {"capacity", FormatResourceList(capacity_)});
  return common::Status::Ok();
}

void Agent::Stop() {
  {
    std::lock_guard<std::mutex> lock(q_mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  q_cv_.notify_all();
  if (loop_.joinable()) loop_.join();
  // Kills in flight finish their grace periods only if they are short.
  for (int i = 0; i < 100 && killers_.load() > 0; ++i) usleep(50000);
  probe_pool_.reset();
  sync_pool_.reset();
}

void Agent::RegisterMetrics() {
  auto& reg = metrics::Registry::Default();
  // Upstream's buckets for kubelet_pod_start_duration_seconds.
  start_duration_ = &reg.AddHistogram("kubelet_pod_start_duration_seconds",
                                      "Duration in seconds from kubelet seeing a pod for the first "
                                      "time to the pod starting to run",
                                      {}, {0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180,
                                           240, 300, 360, 480, 600, 900, 1200, 1800, 2700, 3600})
                         .With({});
  started_containers_ = &reg.AddCounter("kubelet_started_containers_total",
                                        "Cumulative number of containers started",
                                        {"container_type"});
  evictions_ = &reg.AddCounter("kubelet_evictions",
                               "Cumulative number of pod evictions by eviction signal",
                               {"eviction_signal"});
  auto& pods = reg.AddGauge("kubelet_running_pods", "Number of pods that have a running pod sandbox");
  auto& containers = reg.AddGauge("kubelet_running_containers",
                                  "Number of containers currently running", {"container_state"});
  reg.AddGauge("kubelet_node_name", "The node's name. The count is always 1.", {"node"})
      .With({node_.name})
      .Set(1);
  reg.AddCollector([this, &pods, &containers] {
    int running_pods = 0, running = 0, exited = 0, created = 0;
    for (const auto& w : Pods()) {
      auto rc = w->RunningContainers();
      if (!rc.empty() || (w->IsActive() && !w->IsTerminal())) ++running_pods;
      running += static_cast<int>(rc.size());
      auto st = w->Status();
      for (const char* key : {"containerStatuses", "initContainerStatuses"})
        for (const auto& cs : common::Get(st, key)) {
          const Json& state = common::Get(cs, "state");
          if (state.contains("terminated")) ++exited;
          else if (state.contains("waiting") && common::GetString(state["waiting"], "reason") == "ContainerCreating")
            ++created;
        }
    }
    pods.With({}).Set(running_pods);
    containers.With({"running"}).Set(running);
    containers.With({"exited"}).Set(exited);
    containers.With({"created"}).Set(created);
  });
}

void Agent::Post(Change c) {
  {
    std::lock_guard<std::mutex> lock(q_mu_);
    queue_.push_back(std::move(c));
  }
  q_cv_.notify_one();
}

void Agent::SetPods(const std::string& source, std::vector<Json> pods) {
  Change c{Change::kSet, source, {}, "", nullptr};
  c.pods.reserve(pods.size());
  for (auto& p : pods) c.pods.push_back(std::make_shared<const Json>(std::move(p)));
  Post(std::move(c));
}

void Agent::UpsertPod(const std::string& source, const Json& pod) {
  UpsertPod(source, std::make_shared<const Json>(pod));
}

void Agent::UpsertPod(const std::string& source, std::shared_ptr<const Json> pod) {
  Post(Change{Change::kUpsert, source, {std::move(pod)}, "", nullptr});
}

void Agent::UpsertPod(const std::string& source, std::shared_ptr<const Json> pod,
                      std::shared_ptr<const Json> old) {
  Post(Change{Change::kUpsert, source, {std::move(pod)}, "", std::move(old)});
}

void Agent::DeletePod(const std::string& source, const std::string& uid) {
  Post(Change{Change::kDelete, source, {}, uid, nullptr});
}

void Agent::Loop() {
  auto next_housekeeping = std::chrono::steady_clock::now() + kHousekeepingPeriod;
  auto next_eviction = std::chrono::steady_clock::now() + kEvictionPeriod;
  for (;;) {
    std::deque<Change> batch;
    {
      std::unique_lock<std::mutex> lock(q_mu_);
      q_cv_.wait_until(lock, std::min(next_housekeeping, next_eviction),
                       [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      batch.swap(queue_);
    }
    for (auto& c : batch) Apply(c);
    auto now = std::chrono::steady_clock::now();
    if (now >= next_housekeeping) {
      Housekeeping();
      next_housekeeping = now + kHousekeepingPeriod;
    }
    if (now >= next_eviction) {
      EvictionCheck();
      next_eviction = now + kEvictionPeriod;
    }
    last_loop_ = now;
  }
}

void Agent::Apply(Change& c) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    sources_seen_.insert(c.source);
  }
  if (c.kind == Change::kDelete) {
    std::shared_ptr<PodWorker> w;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = workers_.find(c.uid);
      if (it != workers_.end()) w = it->second;
    }
    if (w) w->Remove();
    return;
  }
  if (c.kind == Change::kSet) {
    std::set<std::string> keep;
    for (const auto& p : c.pods) keep.insert(common::GetString(common::Get(*p, "metadata"), "uid"));
    std::vector<std::shared_ptr<PodWorker>> gone;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& [uid, src] : source_of_)
        if (src == c.source && !keep.count(uid)) gone.push_back(workers_[uid]);
    }
    for (auto& w : gone)
      if (w) w->Remove();
  }
  for (const auto& p : c.pods) Upsert(c.source, p, c.old);
}

void Agent::Upsert(const std::string& source, const std::shared_ptr<const Json>& shared,
                   const std::shared_ptr<const Json>& old) {
  const Json& pod = *shared;
  bool drop_raw = false;
  {
    // A full set from a source repeats every pod it has: unchanged ones cost
    // a lookup, not a parse.
    std::string uid = common::GetString(common::Get(pod, "metadata"), "uid");
    std::shared_ptr<PodWorker> existing;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = workers_.find(uid);
      if (it != workers_.end()) existing = it->second;
      drop_raw = source == "api" && api_pod_lookup_ != nullptr;
    }
    if (existing && existing->HasRaw()) {
      if (existing->RawEquals(pod)) return;
      if (existing->SameExceptStatus(pod)) {
        // Only the status changed (our own update coming back, or a condition
        // another component owns): keep it for the next status; no parse, no
        // sync. Every pod's status echo comes here once per status patch.
        existing->SetRaw(shared);
        return;
      }
    } else if (existing && old && (old == shared || SameExceptStatus(*old, pod))) {
      // The same, for a worker without the object: the informer's previous
      // version (every version came through here in order) is the baseline.
      existing->SetApiStatus(pod);
      return;
    }
  }
  auto spec = ParsePod(shared);
  if (!spec.ok()) {
    LOG_ERROR("cannot run pod", {"source", source},
              {"pod", common::GetString(common::Get(pod, "metadata"), "name")},
              {"err", spec.status().message()});
    return;
  }
  if (spec->uid.empty()) {
    LOG_ERROR("cannot run pod without metadata.uid", {"pod", spec->FullName()});
    return;
  }
  if (!IsMyNode(spec->node_name)) return;  // bound elsewhere (an informer of every pod)
  std::shared_ptr<PodWorker> w;
  bool created = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = workers_.find(spec->uid);
    if (it != workers_.end()) {
      w = it->second;
    } else {
      w = std::make_shared<PodWorker>(this, *spec, source != "api");
      workers_[spec->uid] = w;
      source_of_[spec->uid] = source;
      first_seen_[spec->uid] = common::Clock::now();
      created = true;
    }
    by_name_[spec->FullName()] = spec->uid;
    name_of_[spec->uid] = spec->FullName();
  }
  if (created) {
    if (runtime_->HasPod(spec->uid)) {
      w->Adopt();
      if (w->IsActive()) {
        std::lock_guard<std::mutex> lock(mu_);
        admitted_[spec->node_name][spec->uid] = SummarizeForAdmission(*spec);
      }
      LOG_INFO("adopted pod from a previous run", {"pod", spec->FullName()}, {"uid", spec->uid});
    }
    if (drop_raw) w->DropRaw();
    w->Trigger();
  } else {
    w->Update(std::move(spec).value());
    if (drop_raw) w->DropRaw();
  }
}

void Agent::MarkSourceSeen(const std::string& source) {
  std::lock_guard<std::mutex> lock(mu_);
  sources_seen_.insert(source);
}

std::string Agent::SourceOf(const std::string& uid) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = source_of_.find(uid);
  return it == source_of_.end() ? "" : it->second;
}

std::shared_ptr<PodWorker> Agent::FindPodByUid(const std::string& uid) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = workers_.find(uid);
  return it == workers_.end() ? nullptr : it->second;
}

void Agent::Housekeeping() {
  // Pods the runtime holds but no source wants (deleted while nodeagent was
  // down): killed and removed, once every source has reported.
  bool sources_ready;
  {
    std::lock_guard<std::mutex> lock(mu_);
    sources_ready = true;
    if (!opts_.pod_manifest_path.empty() && !sources_seen_.count("file")) sources_ready = false;
    for (const auto& s : expected_sources) sources_ready &= sources_seen_.count(s) > 0;
  }
  if (!sources_ready) return;
  for (const auto& uid : runtime_->ListPods()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (workers_.count(uid) || cleaning_.count(uid)) continue;
      cleaning_.insert(uid);
    }
    LOG_INFO("removing orphaned pod", {"uid", uid});
    sync_pool_->Submit([this, uid] {
      auto st = runtime_->RemoveSandbox(uid, true);
      if (!st.ok()) LOG_WARNING("cannot remove orphaned pod", {"uid", uid}, {"err", st.message()});
      std::lock_guard<std::mutex> lock(mu_);
      cleaning_.erase(uid);
    });
  }
}

void Agent::EvictionCheck() {
  if (runtime_->Name() == "fake") return;
  double now_s = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  int64_t mem_capacity = MemoryBytes(capacity_);
  int64_t available = -1;
  auto meminfo = MemInfo();
  bool capacity_overridden = false;
  for (const auto& kv : common::SplitNonEmpty(opts_.capacity, ','))
    capacity_overridden |= kv.rfind("memory=", 0) == 0;
  if (capacity_overridden && process_runtime_ && process_runtime_->cgroups()) {
    // A node declared smaller than the machine: its pods' usage is what
    // counts against the declared memory.
    if (auto m = process_runtime_->cgroups()->Memory("kubepods"); m.ok())
      available = mem_capacity - m->working_set;
  } else if (!meminfo.empty()) {
    // capacity - working set, the working set being usage minus inactive file pages.
    available = meminfo["MemFree"] + meminfo["Inactive(file)"];
  }
  bool mem_now = false, disk_now = false, pid_now = false;
  const Threshold* mem_threshold = nullptr;
  struct statvfs vfs;
  bool have_vfs = statvfs(opts_.root_dir.c_str(), &vfs) == 0;
  for (const auto& t : thresholds_) {
    if (t.signal == "memory.available" && available >= 0 && available < t.Value(mem_capacity)) {
      mem_now = true;
      mem_threshold = &t;
    }
    if (have_vfs && (t.signal == "nodefs.available" || t.signal == "imagefs.available")) {
      int64_t cap = static_cast<int64_t>(vfs.f_blocks) * vfs.f_frsize;
      int64_t avail = static_cast<int64_t>(vfs.f_bavail) * vfs.f_frsize;
      disk_now |= avail < t.Value(cap);
    }
    if (have_vfs && (t.signal == "nodefs.inodesFree" || t.signal == "imagefs.inodesFree") && vfs.f_files > 0)
      disk_now |= static_cast<int64_t>(vfs.f_favail) < t.Value(static_cast<int64_t>(vfs.f_files));
    if (t.signal == "pid.available") {
      auto max = common::ReadFile("/proc/sys/kernel/pid_max");
      auto load = common::ReadFile("/proc/loadavg");
      if (max.ok() && load.ok()) {
        int64_t pid_max = common::ParseInt64(common::TrimSpace(*max)).value_or(0);
        auto fields = common::SplitNonEmpty(*load, ' ');
        int64_t procs = 0;
        if (fields.size() > 3) procs = common::ParseInt64(fields[3].substr(fields[3].find('/') + 1)).value_or(0);
        pid_now |= pid_max - procs < t.Value(pid_max);
      }
    }
  }
  {
    std::lock_guard<std::mutex> lock(cond_mu_);
    double tr = static_cast<double>(transition_.count());
    conditions_.memory_pressure = memory_pressure_.Observe(mem_now, now_s, tr);
    conditions_.disk_pressure = disk_pressure_.Observe(disk_now, now_s, tr);
    conditions_.pid_pressure = pid_pressure_.Observe(pid_now, now_s, tr);
    conditions_.memory_available = available;
  }
  if (!mem_now || !process_runtime_ || !process_runtime_->cgroups()) return;
  // One pod per monitoring period, as the eviction manager does.
  std::vector<EvictionCandidate> cands;
  std::vector<std::shared_ptr<PodWorker>> ws;
  for (const auto& w : Pods()) {
    if (!w->IsActive() || w->IsStatic()) continue;
    PodSpec spec = w->Spec();
    if (IsNodeCritical(spec) || spec.priority >= 2000000000) continue;
    EvictionCandidate c;
    c.uid = spec.uid;
    c.priority = spec.priority;
    c.memory_request = MemoryBytes(PodRequests(spec));
    if (auto m = process_runtime_->cgroups()->Memory(PodCgroupName(spec)); m.ok())
      c.memory_usage = m->working_set;
    cands.push_back(c);
    ws.push_back(w);
  }
  if (cands.empty()) {
    LOG_WARNING("memory pressure but no pod can be evicted", {"available", Ki(available)});
    return;
  }
  size_t victim = RankMemoryPressure(cands).front();
  PodSpec spec = ws[victim]->Spec();
  std::string msg = "The node was low on resource: memory. Threshold quantity: " +
                    Ki(mem_threshold->Value(mem_capacity)) + ", available: " + Ki(available) + ". ";
  for (const auto& cs : ws[victim]->RunningContainers()) {
    const ContainerSpec* c = spec.FindContainer(cs.name);
    if (!c) continue;
    auto m = process_runtime_->cgroups()->Memory(PodCgroupName(spec) + "/" + cs.id);
    if (!m.ok()) continue;
    int64_t req = c->resources.MemoryRequest();
    if (m->working_set > req)
      msg += "Container " + cs.name + " was using " + Ki(m->working_set) + ", request is " +
             std::to_string(req) + ", has larger consumption of memory. ";
  }
  LOG_INFO("evicting pod", {"pod", spec.FullName()}, {"message", msg});
  Event(spec, "Warning", "Evicted", msg);
  evictions_->With({"memory.available"}).Inc();
  ws[victim]->Evict(msg);
}

std::shared_ptr<PodWorker> Agent::FindPod(const std::string& ns, const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_name_.find(ns + "/" + name);
  if (it == by_name_.end()) return nullptr;
  auto w = workers_.find(it->second);
  return w == workers_.end() ? nullptr : w->second;
}

std::vector<std::shared_ptr<PodWorker>> Agent::Pods() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::shared_ptr<PodWorker>> out;
  out.reserve(workers_.size());
  for (const auto& [uid, w] : workers_) out.push_back(w);
  return out;
}

void Agent::SetApiPodLookup(PodLookup lookup) {
  std::lock_guard<std::mutex> lock(mu_);
  api_pod_lookup_ = lookup ? std::make_shared<const PodLookup>(std::move(lookup)) : nullptr;
}

Json Agent::PodObject(const PodWorker& w) const {
  std::shared_ptr<const PodLookup> lookup;
  {
    std::lock_guard<std::mutex> lock(mu_);
    lookup = api_pod_lookup_;
  }
  if (w.HasRaw() || !lookup) return w.PodObject();
  auto [ns, name] = w.NamespaceName();
  auto raw = (*lookup)(ns, name);
  return w.PodObject(raw.get());
}

NodeState Agent::Node(const std::string& name) const {
  auto it = nodes_.find(name.empty() ? node_names_.front() : name);
  NodeState n = it == nodes_.end() ? node_ : it->second;
  std::lock_guard<std::mutex> lock(cond_mu_);
  // Pressure is the machine's: only the first (real) node has any.
  if (n.name == node_names_.front()) n.memory_pressure = conditions_.memory_pressure;
  return n;
}

NodeConditions Agent::Conditions() const {
  std::lock_guard<std::mutex> lock(cond_mu_);
  return conditions_;
}

void Agent::ScheduleSync(std::shared_ptr<PodWorker> worker) {
  if (!sync_pool_) return;
  sync_pool_->Submit([worker] { worker->RunSync(); });
}

void Agent::RunProbe(std::function<void()> fn) {
  if (probe_pool_) probe_pool_->Submit(std::move(fn));
}

void Agent::RunKiller(std::function<void()> fn) {
  ++killers_;
  std::thread([this, fn = std::move(fn)] {
    fn();
    --killers_;
  }).detach();
}

void Agent::ForgetAdmittedLocked(const std::string& uid, const std::string& node) {
  // Only the pod's own node: a scan of every node's set would cost 5,000
  // lookups per finished pod with --fake-nodes 5000.
  auto it = admitted_.find(node);
  if (it != admitted_.end()) it->second.erase(uid);
}

Admission Agent::Admit(const PodSpec& pod, bool is_static) {
  NodeState node = Node(pod.node_name);
  std::lock_guard<std::mutex> lock(mu_);
  auto& mine = admitted_[node.name];
  std::vector<const AdmittedPod*> others;
  for (const auto& [uid, summary] : mine)
    if (uid != pod.uid) others.push_back(&summary);
  Admission a = AdmitPodAgainst(pod, others, node, is_static);
  // Later admissions read only this pod's requests and host ports.
  if (a.admitted) mine[pod.uid] = SummarizeForAdmission(pod);
  return a;
}

DownwardContext Agent::Downward(const std::string& pod_ip) {
  DownwardContext c;
  c.pod_ip = pod_ip;
  c.host_ip = node_ip_;
  c.node_name = node_.name;
  c.node_allocatable_cpu_milli = MilliCpu(allocatable_);
  c.node_allocatable_memory = MemoryBytes(allocatable_);
  return c;
}

void Agent::OnStatus(const std::string& uid, Json status) {
  std::string phase = common::GetString(status, "phase");
  std::shared_ptr<PodWorker> w;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = workers_.find(uid);
    if (it != workers_.end()) w = it->second;
    if (w && (phase == "Succeeded" || phase == "Failed")) ForgetAdmittedLocked(uid, w->NodeName());
  }
  if (!status_sink || !w) return;
  // The names only: a copy of the whole spec per status was most of this call.
  auto [ns, name] = w->NamespaceName();
  status_sink(uid, ns, name, std::move(status));
}

void Agent::OnFirstRunning(const PodSpec& pod, common::TimePoint when) {
  common::TimePoint from = when;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = first_seen_.find(pod.uid);
    if (it != first_seen_.end()) from = it->second;
  }
  if (start_duration_) start_duration_->Observe(std::chrono::duration<double>(when - from).count());
  if (started_containers_)
    started_containers_->With({"container"}).Inc(static_cast<double>(pod.containers.size()));
}

void Agent::OnFinished(const std::string& uid) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = workers_.find(uid);
    if (it == workers_.end()) return;
    auto key = name_of_.find(uid);
    if (key != name_of_.end()) {
      auto n = by_name_.find(key->second);
      if (n != by_name_.end() && n->second == uid) by_name_.erase(n);
      name_of_.erase(key);
    }
    ForgetAdmittedLocked(uid, it->second->NodeName());
    workers_.erase(it);
    source_of_.erase(uid);
    first_seen_.erase(uid);
  }
  if (finished_sink) finished_sink(uid);
}

void Agent::OnTerminated(const PodSpec& pod) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ForgetAdmittedLocked(pod.uid, pod.node_name);
  }
  if (terminated_sink) terminated_sink(pod);
}

void Agent::Event(const PodSpec& pod, const std::string& type, const std::string& reason,
                  const std::string& message) {
  VLOG(1, "event", {"pod", pod.FullName()}, {"type", type}, {"reason", reason}, {"message", message});
  if (event_sink) event_sink(pod, type, reason, message);
}

}  // namespace nodeagent
