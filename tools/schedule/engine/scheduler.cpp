#include "engine/scheduler.h"

#include <algorithm>

#include "common/log.h"
#include "plugins/registry.h"

namespace schedule {

using common::Result;

namespace {

constexpr int kMinFeasibleNodesToFind = 100;
constexpr int kMinFeasibleNodesPercentageToFind = 5;
constexpr char kNoNodesAvailable[] = "no nodes available to schedule pods";

}  // namespace

struct Scheduler::Attempt {
  enum class Kind { kOk, kFit, kNoNodes, kError } kind = Kind::kOk;
  Status error;
  Diagnosis diag;
  std::vector<NodeInfo*> feasible;
  std::string host;
  std::optional<int64_t> score;
  int evaluated = 0;
  int num_to_find = 0;
  ScoreResult scores;
  PostFilterResult post;
  std::string message;
};

int Scheduler::NumFeasibleNodesToFind(int32_t percentage, int n) {
  if (n < kMinFeasibleNodesToFind) return n;
  int32_t pct = percentage;
  if (pct == 0) {
    pct = 50 - n / 125;
    if (pct < kMinFeasibleNodesPercentageToFind) pct = kMinFeasibleNodesPercentageToFind;
  }
  int64_t num = int64_t{n} * pct / 100;
  if (num < kMinFeasibleNodesToFind) return kMinFeasibleNodesToFind;
  return static_cast<int>(num);
}

Scheduler::Scheduler(SchedulerOptions options) : opts_(std::move(options)), rng_state_(opts_.seed) {}

uint64_t Scheduler::NextRandom() {
  // splitmix64: the tie-break runs once per tied node, so it must be cheap.
  uint64_t z = (rng_state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Scheduler::~Scheduler() {
  if (queue_) queue_->Close();
  bind_pool_.reset();  // finishes the bindings in flight while the rest is alive
}

Result<std::unique_ptr<Scheduler>> Scheduler::Create(SchedulerOptions options) {
  std::unique_ptr<Scheduler> s(new Scheduler(std::move(options)));
  s->parallelizer_ = std::make_unique<Parallelizer>(s->opts_.config.parallelism);
  s->state_ = std::make_unique<CycleState>();
  if (s->opts_.bind_threads > 0)
    s->bind_pool_ = std::make_unique<common::ThreadPool>(s->opts_.bind_threads, "binder");
  QueueOptions qo;
  qo.initial_backoff = std::chrono::seconds(s->opts_.config.pod_initial_backoff_seconds);
  qo.max_backoff = std::chrono::seconds(s->opts_.config.pod_max_backoff_seconds);
  Scheduler* self = s.get();
  qo.pre_enqueue = [self](const Pod& pod) {
    Framework* fw = self->FrameworkFor(pod.scheduler_name);
    return fw ? fw->RunPreEnqueuePlugins(pod) : Status();
  };
  s->queue_ = std::make_unique<SchedulingQueue>(s->opts_.clock, qo);
  std::vector<std::pair<std::string, std::vector<ClusterEvent>>> events;
  for (const auto& profile : s->opts_.config.profiles) {
    FrameworkDeps deps;
    deps.registry = s->opts_.registry ? s->opts_.registry : &DefaultRegistry();
    deps.objects = s->opts_.objects;
    deps.parallelizer = s->parallelizer_.get();
    deps.nominator = s->queue_.get();
    deps.client = s->opts_.client;
    auto fw = Framework::Create(profile, deps);
    if (!fw.ok()) return fw.status();
    (*fw)->set_snapshot(&s->snapshot_);
    for (auto& e : (*fw)->EventsByPlugin()) events.push_back(std::move(e));
    s->by_name_[profile.scheduler_name] = fw->get();
    s->frameworks_.push_back(std::move(*fw));
  }
  s->queue_->SetPluginEvents(std::move(events));
  if (auto* reg = s->opts_.metrics) {
    s->attempts_ = &reg->AddCounter("scheduler_schedule_attempts_total",
                                    "Number of attempts to schedule pods, by the result. 'unschedulable' means a pod could not be scheduled, while 'error' means an internal scheduler problem.",
                                    {"result", "profile"});
    s->attempt_duration_ = &reg->AddHistogram(
        "scheduler_scheduling_attempt_duration_seconds",
        "Scheduling attempt latency in seconds (scheduling algorithm + binding)", {"result", "profile"},
        common::metrics::ExponentialBuckets(0.001, 2, 15));
    s->preemption_attempts_ = &reg->AddCounter("scheduler_preemption_attempts_total",
                                               "Total preemption attempts in the cluster till now");
    s->preemption_victims_ = &reg->AddHistogram("scheduler_preemption_victims", "Number of selected preemption victims",
                                                {}, common::metrics::ExponentialBuckets(1, 2, 7));
  }
  return s;
}

Framework* Scheduler::FrameworkFor(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

bool Scheduler::ScheduleNext() {
  QueuedPodInfoPtr info = queue_->Pop();
  if (!info) return false;
  ScheduleOne(std::move(info));
  return true;
}

bool Scheduler::TryScheduleNext() {
  QueuedPodInfoPtr info = queue_->TryPop();
  if (!info) return false;
  ScheduleOne(std::move(info));
  return true;
}

void Scheduler::Run() {
  while (ScheduleNext()) {
  }
}

void Scheduler::FindNodesThatPassFilters(Framework& fw, const CycleState& state, const Pod& pod,
                                         const std::vector<NodeInfo*>& nodes, int num_to_find, Attempt& a,
                                         int* processed, const NodeInfo* skip) {
  size_t n = nodes.size();
  size_t start = n ? next_start_node_index_ % n : 0;
  if (!fw.HasFilterPlugins()) {
    for (int i = 0; i < num_to_find && static_cast<size_t>(i) < n; ++i) a.feasible.push_back(nodes[(start + i) % n]);
    *processed = static_cast<int>(a.feasible.size());
    return;
  }
  // Nodes are checked in batches (in parallel within a batch) and the results
  // read back in order, so the outcome does not depend on thread timing.
  int threads = parallelizer_->threads();
  std::vector<uint8_t>& ok = filter_ok_;
  std::vector<Status>& failed = filter_failed_;
  size_t consumed = 0;
  // Without nominated pods anywhere, the single filter pass is all there is.
  bool plain = queue_->Empty();
  while (consumed < n && static_cast<int>(a.feasible.size()) < num_to_find) {
    size_t want = static_cast<size_t>(num_to_find) - a.feasible.size();
    size_t batch = threads == 1 ? want : std::max<size_t>(want, 256);
    batch = std::min(batch, n - consumed);
    if (ok.size() < batch) ok.resize(batch);
    if (failed.size() < batch) failed.resize(batch);
    size_t base = consumed;
    parallelizer_->Until(
        static_cast<int>(batch),
        [&](int begin, int end) {
          for (int i = begin; i < end; ++i) {
            const NodeInfo& ni = *nodes[(start + base + i) % n];
            Status s = plain ? fw.RunFilterPlugins(state, pod, ni) : fw.RunFilterPluginsWithNominatedPods(state, pod, ni);
            ok[i] = s.IsSuccess();
            if (!ok[i]) failed[i] = std::move(s);
          }
        },
        64);
    for (size_t i = 0; i < batch; ++i) {
      ++consumed;
      NodeInfo* ni = nodes[(start + base + i) % n];
      if (ni == skip) continue;  // the nominated node, already judged
      if (ok[i]) {
        a.feasible.push_back(ni);
        if (static_cast<int>(a.feasible.size()) >= num_to_find) break;
        continue;
      }
      Status& s = failed[i];
      if (s.IsRejected()) {
        if (!s.plugin().empty()) a.diag.unschedulable_plugins.insert(std::string(s.plugin()));
        a.diag.node_to_status.Set(ni->name(), std::move(s));
      } else {
        a.kind = Attempt::Kind::kError;
        a.error = std::move(s);
        *processed = static_cast<int>(consumed);
        return;
      }
    }
  }
  *processed = static_cast<int>(consumed);
}

void Scheduler::SchedulePod(Framework& fw, CycleState& state, const Pod& pod, Attempt& a, CycleDetail* detail) {
  const auto& all = snapshot_.nodes();
  if (all.empty()) {
    a.kind = Attempt::Kind::kNoNodes;
    a.message = kNoNodesAvailable;
    return;
  }
  PreFilterResult pre;
  std::set<std::string> narrowing;
  Status ps = fw.RunPreFilterPlugins(state, pod, &pre, &narrowing);
  if (!ps.IsSuccess()) {
    if (!ps.IsRejected()) {
      a.kind = Attempt::Kind::kError;
      a.error = ps;
      return;
    }
    a.kind = Attempt::Kind::kFit;
    a.diag.node_to_status.SetAbsent(ps);
    a.diag.pre_filter_msg = ps.Message();
    if (!ps.plugin().empty()) a.diag.unschedulable_plugins.insert(std::string(ps.plugin()));
    if (detail) detail->pre_filter_status = ps;
    return;
  }
  if (detail) detail->narrowed_to = pre.node_names;

  // A nominated node (from an earlier preemption) is tried first.
  NodeInfo* nominated = nullptr;
  if (!pod.nominated_node_name.empty()) {
    if (NodeInfo* ni = nominated = snapshot_.Get(pod.nominated_node_name)) {
      Status s = fw.RunFilterPluginsWithNominatedPods(state, pod, *ni);
      if (s.IsSuccess()) {
        a.feasible.push_back(ni);
        a.evaluated = 1;
      } else if (s.IsRejected()) {
        if (!s.plugin().empty()) a.diag.unschedulable_plugins.insert(std::string(s.plugin()));
        a.diag.node_to_status.Set(ni->name(), s);
      }
    }
  }
  if (a.feasible.empty()) {
    std::vector<NodeInfo*> narrowed;
    const std::vector<NodeInfo*>* nodes = &all;
    if (!pre.AllNodes()) {
      for (NodeInfo* ni : all)
        if (pre.node_names->count(ni->name())) narrowed.push_back(ni);
      nodes = &narrowed;
      std::string list;
      for (const auto& n : narrowing) list += (list.empty() ? "" : " ") + n;
      a.diag.node_to_status.SetAbsent(
          Status(Code::kUnschedulableAndUnresolvable, "node(s) didn't satisfy plugin(s) [" + list + "]"));
    }
    int pct = fw.percentage_of_nodes_to_score().value_or(opts_.config.percentage_of_nodes_to_score);
    int num_to_find = NumFeasibleNodesToFind(pct, static_cast<int>(nodes->size()));
    if (!fw.HasScorePlugins()) num_to_find = 1;
    a.num_to_find = num_to_find;
    int processed = 0;
    FindNodesThatPassFilters(fw, state, pod, *nodes, num_to_find, a, &processed, nominated);
    int counted = static_cast<int>(a.feasible.size() + a.diag.node_to_status.size());
    next_start_node_index_ = (next_start_node_index_ + counted) % all.size();
    (void)processed;
    if (a.kind == Attempt::Kind::kError) return;
  }
  a.evaluated = static_cast<int>(a.feasible.size() + a.diag.node_to_status.size());
  if (a.feasible.empty()) {
    a.kind = Attempt::Kind::kFit;
    return;
  }
  if (a.feasible.size() == 1 && !detail) {
    a.host = a.feasible[0]->name();
    return;
  }
  // Score.
  Status pss = fw.RunPreScorePlugins(state, pod, a.feasible);
  if (!pss.IsSuccess()) {
    a.kind = Attempt::Kind::kError;
    a.error = pss;
    return;
  }
  if (!fw.HasScorePlugins()) {
    a.host = a.feasible[0]->name();
    return;
  }
  Status ss = fw.RunScorePlugins(state, pod, a.feasible, &a.scores);
  if (!ss.IsSuccess()) {
    a.kind = Attempt::Kind::kError;
    a.error = ss;
    return;
  }
  if (a.feasible.size() == 1) {
    // Upstream does not score a single feasible node; explain shows the scores anyway.
    a.host = a.feasible[0]->name();
    return;
  }
  // Highest total wins; ties are broken uniformly at random (reservoir sampling).
  const auto& totals = a.scores.totals;
  size_t best = 0;
  int ties = 1;
  for (size_t i = 1; i < totals.size(); ++i) {
    if (totals[i] > totals[best]) {
      best = i;
      ties = 1;
    } else if (totals[i] == totals[best]) {
      ++ties;
      if (NextRandom() % static_cast<uint64_t>(ties) == 0) best = i;
    }
  }
  a.host = a.feasible[best]->name();
  a.score = totals[best];
}

void Scheduler::FillDetail(Framework& fw, const CycleState& state, const Pod& pod, const Attempt& a,
                           CycleDetail* d) {
  d->num_all_nodes = snapshot_.num_nodes();
  d->num_to_find = a.num_to_find;
  // Each PreFilter on its own, on scratch state, to show every plugin's verdict.
  CycleState scratch;
  fw.InitCycleState(scratch);
  for (auto* p : fw.pre_filter_plugins()) {
    PreFilterResult r;
    Status s = p->PreFilter(scratch, pod, &r);
    d->pre_filter.emplace_back(std::string(p->Name()), s);
  }
  std::set<std::string> feasible;
  for (NodeInfo* ni : a.feasible) feasible.insert(ni->name());
  bool prefilter_failed = !a.diag.pre_filter_msg.empty();
  for (NodeInfo* ni : snapshot_.nodes()) {
    CycleDetail::NodeRow row;
    row.node = ni->name();
    row.feasible = feasible.count(row.node) != 0;
    row.evaluated = row.feasible || a.diag.node_to_status.Has(row.node);
    row.status = a.diag.node_to_status.Get(row.node);
    if (!prefilter_failed && (!d->narrowed_to || d->narrowed_to->count(row.node))) {
      auto statuses = fw.RunAllFilterPlugins(state, pod, *ni);
      for (size_t i = 0; i < statuses.size(); ++i) {
        const Status& s = statuses[i];
        if (s.IsSuccess() || s.IsSkip()) continue;
        row.rejections.push_back(
            {std::string(s.plugin()), s.Message(), fw.filter_plugins()[i]->Explain(state, pod, *ni)});
      }
    }
    d->nodes.push_back(std::move(row));
  }
  for (const auto& e : fw.score_plugins()) {
    d->score_plugins.push_back(std::string(e.plugin->Name()));
    d->score_weights.push_back(e.weight);
  }
  for (NodeInfo* ni : a.feasible) d->scored_nodes.push_back(ni->name());
  d->scores = a.scores;
}

void Scheduler::Observe(CycleRecord& rec, MonoTime start) {
  rec.duration = opts_.clock->Now() - start;
  if (attempts_) {
    const char* result = rec.result == CycleRecord::Result::kScheduled     ? "scheduled"
                         : rec.result == CycleRecord::Result::kUnschedulable ? "unschedulable"
                                                                              : "error";
    attempts_->With({result, rec.profile}).Inc();
    attempt_duration_->With({result, rec.profile})
        .Observe(std::chrono::duration<double>(rec.duration).count());
  }
  if (observer_) observer_->OnCycle(rec);
}

void Scheduler::HandleFailure(Framework& fw, QueuedPodInfoPtr info, const Attempt& a, int64_t cycle) {
  bool rejected = a.kind == Attempt::Kind::kFit || a.kind == Attempt::Kind::kNoNodes;
  // Upstream's handleSchedulingFailure: a pod deleted or bound meanwhile is
  // not requeued; one updated meanwhile is requeued in its latest form.
  if (opts_.client) {
    std::optional<PodPtr> latest = opts_.client->CurrentPendingPod(*info->pod);
    if (latest && !*latest) {
      queue_->Done(info->pod->uid);
      return;
    }
    if (latest && (*latest).get() != info->pod.get()) {
      auto updated = std::make_shared<Pod>(**latest);
      updated->nominated_node_name = info->pod->nominated_node_name;
      info->pod = updated;
    }
  }
  const Pod& pod = *info->pod;
  info->unschedulable_plugins = a.diag.unschedulable_plugins;
  std::optional<std::string> nominated;
  if (a.post.has_nomination) {
    nominated = a.post.nominated_node;
    auto updated = std::make_shared<Pod>(pod);
    updated->nominated_node_name = a.post.nominated_node;
    info->pod = updated;
    queue_->AddNominatedPod(updated, a.post.nominated_node);
  }
  PodPtr keep = info->pod;  // `pod` may be gone once the queue owns info
  queue_->AddUnschedulableIfNotPresent(info, cycle);
  if (opts_.client)
    opts_.client->RecordFailure(*keep, rejected ? "Unschedulable" : "SchedulerError", a.message, nominated);
  (void)fw;
}

void Scheduler::ScheduleOne(QueuedPodInfoPtr info) {
  MonoTime start = opts_.clock->Now();
  PodPtr pod = info->pod;
  int64_t cycle = queue_->SchedulingCycle();
  Framework* fw = FrameworkFor(pod->scheduler_name);
  CycleRecord rec;
  rec.pod = pod;
  rec.attempt = info->attempts;
  if (!fw || pod->terminating || cache_.IsAssumedPod(pod->uid)) {
    queue_->Done(pod->uid);
    return;
  }
  rec.profile = fw->profile_name();
  cache_.UpdateSnapshot(&snapshot_);
  fw->InitCycleState(*state_);
  std::unique_ptr<CycleDetail> detail;
  if (observer_ && observer_->WantsDetail(*pod)) detail = std::make_unique<CycleDetail>();
  if (detail) detail->pod = pod;

  Attempt a;
  SchedulePod(*fw, *state_, *pod, a, detail.get());
  if (detail) FillDetail(*fw, *state_, *pod, a, detail.get());
  rec.evaluated_nodes = a.evaluated;
  rec.feasible_nodes = static_cast<int>(a.feasible.size());

  if (a.kind != Attempt::Kind::kOk) {
    if (a.kind == Attempt::Kind::kFit) {
      if (fw->HasPostFilterPlugins()) {
        Status post = fw->RunPostFilterPlugins(*state_, *pod, a.diag.node_to_status, &a.post);
        a.diag.post_filter_msg = post.Message();
        if (preemption_attempts_) {
          preemption_attempts_->With({}).Inc();
          if (!a.post.victims.empty())
            preemption_victims_->With({}).Observe(static_cast<double>(a.post.victims.size()));
        }
      }
      a.message = FitErrorMessage(snapshot_.num_nodes(), a.diag);
      rec.result = CycleRecord::Result::kUnschedulable;
    } else if (a.kind == Attempt::Kind::kNoNodes) {
      rec.result = CycleRecord::Result::kUnschedulable;
    } else {
      a.message = a.error.Message();
      rec.result = CycleRecord::Result::kError;
    }
    rec.message = a.message;
    rec.nominated_node = a.post.nominated_node;
    rec.victims = a.post.victims;
    HandleFailure(*fw, info, a, cycle);
    if (detail) {
      detail->record = rec;
      observer_->OnDetail(*detail);
    }
    Observe(rec, start);
    return;
  }

  // Assume: the cache counts the pod on its node before the API confirms it.
  auto assumed = std::make_shared<Pod>(*pod);
  assumed->node_name = a.host;
  assumed->nominated_node_name.clear();
  common::Status as = cache_.AssumePod(assumed);
  queue_->DeleteNominatedPodIfExists(*pod);
  Status failure;
  if (!as.ok()) {
    failure = Status(Code::kError, as.message());
  } else if (Status rs = fw->RunReservePluginsReserve(*state_, *assumed, a.host); !rs.IsSuccess()) {
    fw->RunReservePluginsUnreserve(*state_, *assumed, a.host);
    (void)cache_.ForgetPod(*assumed);
    failure = rs;
  }
  if (!failure.IsSuccess()) {
    FailBinding(*fw, info, failure, cycle, rec, start, detail.get());
    return;
  }
  rec.node = a.host;
  rec.score = a.score;
  if (!bind_pool_ || detail) {
    BindingCycle(*fw, *state_, info, assumed, cycle, rec, start, detail.get());
    return;
  }
  // The binding cycle runs on a binder thread, so the next pod is scheduled
  // without waiting for the API server; it takes this cycle's state along.
  std::shared_ptr<CycleState> state(std::move(state_));
  state_ = std::make_unique<CycleState>();
  bindings_in_flight_.fetch_add(1);
  bind_pool_->Submit([this, fw, state, info, assumed, cycle, rec, start]() mutable {
    BindingCycle(*fw, *state, info, assumed, cycle, rec, start, nullptr);
    if (bindings_in_flight_.fetch_sub(1) == 1) {
      std::lock_guard<std::mutex> lock(bind_mu_);
      bind_cv_.notify_all();
    }
  });
}

void Scheduler::BindingCycle(Framework& fw, CycleState& state, const QueuedPodInfoPtr& info,
                             const PodPtr& assumed, int64_t cycle, CycleRecord& rec, MonoTime start,
                             CycleDetail* detail) {
  const std::string& host = assumed->node_name;
  Status failure;
  if (Status pb = fw.RunPreBindPlugins(state, *assumed, host); !pb.IsSuccess()) {
    fw.RunReservePluginsUnreserve(state, *assumed, host);
    (void)cache_.ForgetPod(*assumed);
    queue_->MoveAllToActiveOrBackoffQueue({EventResource::kAssignedPod, kDelete});
    failure = pb;
  } else if (Status bs = fw.RunBindPlugins(state, *assumed, host); !bs.IsSuccess()) {
    fw.RunReservePluginsUnreserve(state, *assumed, host);
    (void)cache_.ForgetPod(*assumed);
    // The assumed pod's room is free again.
    queue_->MoveAllToActiveOrBackoffQueue({EventResource::kAssignedPod, kDelete});
    failure = bs.IsSkip() ? Status(Code::kError, "no bind plugin bound the pod") : bs;
  }
  if (!failure.IsSuccess()) {
    rec.node.clear();
    rec.score.reset();
    FailBinding(fw, info, failure, cycle, rec, start, detail);
    return;
  }
  cache_.FinishBinding(assumed->uid);
  queue_->Done(assumed->uid);
  if (opts_.client) opts_.client->RecordScheduled(*assumed, host);
  rec.result = CycleRecord::Result::kScheduled;
  if (detail) {
    detail->record = rec;
    observer_->OnDetail(*detail);
  }
  Observe(rec, start);
}

void Scheduler::FailBinding(Framework& fw, const QueuedPodInfoPtr& info, const Status& failure, int64_t cycle,
                            CycleRecord& rec, MonoTime start, CycleDetail* detail) {
  Attempt a;
  a.kind = failure.IsRejected() ? Attempt::Kind::kFit : Attempt::Kind::kError;
  a.message = failure.Message();
  if (failure.IsRejected() && !failure.plugin().empty())
    a.diag.unschedulable_plugins.insert(std::string(failure.plugin()));
  rec.result = failure.IsRejected() ? CycleRecord::Result::kUnschedulable : CycleRecord::Result::kError;
  rec.message = a.message;
  HandleFailure(fw, info, a, cycle);
  if (detail) {
    detail->record = rec;
    observer_->OnDetail(*detail);
  }
  Observe(rec, start);
}

bool Scheduler::WaitForBindings(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(bind_mu_);
  return bind_cv_.wait_for(lock, timeout, [&] { return bindings_in_flight_.load() == 0; });
}

void Scheduler::OnNodeAdd(NodePtr node) {
  cache_.AddNode(std::move(node));
  queue_->MoveAllToActiveOrBackoffQueue({EventResource::kNode, kAdd});
}

void Scheduler::OnNodeUpdate(const Node& old_node, NodePtr node) {
  uint32_t actions = 0;
  if (old_node.labels != node->labels) actions |= kUpdateNodeLabel;
  if (old_node.unschedulable != node->unschedulable) actions |= kUpdateNodeTaint;
  auto taints_equal = [](const std::vector<Taint>& a, const std::vector<Taint>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i].key != b[i].key || a[i].value != b[i].value || a[i].effect != b[i].effect) return false;
    return true;
  };
  if (!taints_equal(old_node.taints, node->taints)) actions |= kUpdateNodeTaint;
  const Resources& oa = old_node.allocatable;
  const Resources& na = node->allocatable;
  if (oa.milli_cpu != na.milli_cpu || oa.memory != na.memory || oa.pods != na.pods ||
      oa.ephemeral_storage != na.ephemeral_storage || oa.scalars != na.scalars)
    actions |= kUpdateNodeAllocatable;
  cache_.UpdateNode(std::move(node));
  if (actions) queue_->MoveAllToActiveOrBackoffQueue({EventResource::kNode, actions});
}

void Scheduler::OnNodeDelete(const Node& node) {
  cache_.RemoveNode(node.name);
  queue_->MoveAllToActiveOrBackoffQueue({EventResource::kNode, kDelete});
}

void Scheduler::OnPodAdd(PodPtr pod) {
  if (pod->IsTerminal()) return;
  if (!pod->node_name.empty()) {
    cache_.AddPod(pod);
    // Only pods whose required affinity the new pod satisfies can gain
    // (upstream's assignedPodAdded without queueing hints).
    queue_->MoveAllToActiveOrBackoffQueue({EventResource::kAssignedPod, kAdd});
    return;
  }
  if (Responsible(*pod)) queue_->Add(pod);
}

void Scheduler::OnPodUpdate(const PodPtr& old_pod, PodPtr pod) {
  bool was_assigned = !old_pod->node_name.empty();
  bool assigned = !pod->node_name.empty();
  if (pod->IsTerminal()) {
    OnPodDelete(old_pod);
    return;
  }
  if (assigned) {
    if (!was_assigned) {
      queue_->Delete(*old_pod);
      cache_.AddPod(pod);
      queue_->MoveAllToActiveOrBackoffQueue({EventResource::kAssignedPod, kAdd});
    } else {
      cache_.UpdatePod(*old_pod, pod);
      uint32_t actions = old_pod->labels != pod->labels ? kUpdatePodLabel : kUpdateOther;
      if (pod->terminating && !old_pod->terminating) actions |= kUpdatePodScaleDown;
      queue_->MoveAllToActiveOrBackoffQueue({EventResource::kAssignedPod, actions});
    }
    return;
  }
  if (Responsible(*pod)) queue_->Update(*old_pod, pod);
}

void Scheduler::OnPodDelete(const PodPtr& pod) {
  if (!pod->node_name.empty()) {
    cache_.RemovePod(*pod);
    queue_->MoveAllToActiveOrBackoffQueue({EventResource::kAssignedPod, kDelete});
    return;
  }
  queue_->Delete(*pod);
}

void Scheduler::OnStorageEvent(EventResource resource, uint32_t action) {
  queue_->MoveAllToActiveOrBackoffQueue({resource, action});
}

}  // namespace schedule
