#include "framework/framework.h"

#include <algorithm>
#include <map>

namespace schedule {

using common::Result;

namespace {

// One extension point: how to read its config and which interface it needs.
struct Point {
  const char* field;      // "filter"
  const char* type_name;  // "FilterPlugin"
  PluginSet Plugins::*set;
  bool (*implements)(Plugin*);
};

template <typename T>
bool Is(Plugin* p) {
  return dynamic_cast<T*>(p) != nullptr;
}

const std::vector<Point>& Points() {
  static const std::vector<Point> kPoints = {
      {"preEnqueue", "PreEnqueuePlugin", &Plugins::pre_enqueue, &Is<PreEnqueuePlugin>},
      {"queueSort", "QueueSortPlugin", &Plugins::queue_sort, &Is<QueueSortPlugin>},
      {"preFilter", "PreFilterPlugin", &Plugins::pre_filter, &Is<PreFilterPlugin>},
      {"filter", "FilterPlugin", &Plugins::filter, &Is<FilterPlugin>},
      {"postFilter", "PostFilterPlugin", &Plugins::post_filter, &Is<PostFilterPlugin>},
      {"preScore", "PreScorePlugin", &Plugins::pre_score, &Is<PreScorePlugin>},
      {"score", "ScorePlugin", &Plugins::score, &Is<ScorePlugin>},
      {"reserve", "ReservePlugin", &Plugins::reserve, &Is<ReservePlugin>},
      {"permit", "PermitPlugin", &Plugins::permit, [](Plugin*) { return false; }},
      {"preBind", "PreBindPlugin", &Plugins::pre_bind, &Is<PreBindPlugin>},
      {"bind", "BindPlugin", &Plugins::bind, &Is<BindPlugin>},
      {"postBind", "PostBindPlugin", &Plugins::post_bind, [](Plugin*) { return false; }},
  };
  return kPoints;
}

common::Status Invalid(const std::string& m) { return common::Status::Invalid(m); }

}  // namespace

Framework::~Framework() = default;

Result<std::unique_ptr<Framework>> Framework::Create(const Profile& profile, const FrameworkDeps& deps) {
  std::unique_ptr<Framework> fw(new Framework());
  fw->profile_name_ = profile.scheduler_name;
  fw->percentage_ = profile.percentage_of_nodes_to_score;
  fw->deps_ = deps;
  const std::string prefix = "profiles[" + std::to_string(profile.index) + "]";

  // pluginConfig must name plugins that exist.
  for (const auto& [name, args] : profile.plugin_config)
    if (!deps.registry->count(name))
      return Invalid(args.field.substr(0, args.field.size() - 5) + ".name: Invalid value: \"" + name +
                     "\": plugin does not exist");

  // Instantiate every plugin named in an enabled list, in first-seen order
  // (MultiPoint first, so plugins() follows the default profile order).
  std::map<std::string, Plugin*> by_name;
  auto instantiate = [&](const PluginRef& ref, const std::string& field) -> common::Status {
    if (by_name.count(ref.name)) return common::Status::Ok();
    auto spec = deps.registry->find(ref.name);
    if (spec == deps.registry->end())
      return Invalid(field + ": Invalid value: \"" + ref.name + "\": plugin does not exist");
    static const common::Json kNull;
    auto cfg = profile.plugin_config.find(ref.name);
    const common::Json& args = cfg == profile.plugin_config.end() ? kNull : cfg->second.args;
    std::string args_field = cfg == profile.plugin_config.end()
                                 ? prefix + ".pluginConfig[" + ref.name + "].args"
                                 : cfg->second.field;
    auto plugin = spec->second.factory(args, args_field, fw.get());
    if (!plugin.ok()) return plugin.status();
    (*plugin)->set_slot(fw->owned_.size());
    by_name[ref.name] = plugin->get();
    fw->all_.push_back(plugin->get());
    fw->owned_.push_back(std::move(*plugin));
    return common::Status::Ok();
  };
  const auto& mp = profile.plugins.multi_point.enabled;
  for (size_t i = 0; i < mp.size(); ++i)
    RETURN_IF_ERROR(instantiate(mp[i], prefix + ".plugins.multiPoint.enabled[" + std::to_string(i) + "]"));
  for (const auto& pt : Points()) {
    const auto& en = (profile.plugins.*pt.set).enabled;
    for (size_t i = 0; i < en.size(); ++i)
      RETURN_IF_ERROR(instantiate(en[i], prefix + ".plugins." + pt.field + ".enabled[" + std::to_string(i) + "]"));
  }

  // Build each point: explicit entries first, then MultiPoint expansion
  // (upstream's expandMultiPointPlugins ordering rules).
  std::map<std::string, std::vector<Plugin*>> lists;
  for (const auto& pt : Points()) {
    const PluginSet& set = profile.plugins.*pt.set;
    std::string field = prefix + ".plugins." + pt.field + ".enabled";
    std::vector<std::string> explicit_names;
    for (size_t i = 0; i < set.enabled.size(); ++i) {
      const auto& ref = set.enabled[i];
      Plugin* p = by_name.at(ref.name);
      std::string f = field + "[" + std::to_string(i) + "]";
      if (!pt.implements(p))
        return Invalid(f + ": Invalid value: \"" + ref.name + "\": plugin does not extend " + pt.type_name);
      if (std::find(explicit_names.begin(), explicit_names.end(), ref.name) != explicit_names.end())
        return Invalid(f + ": Invalid value: \"" + ref.name + "\": plugin already registered as " +
                       pt.type_name);
      explicit_names.push_back(ref.name);
    }
    std::vector<std::string> disabled;
    for (const auto& d : set.disabled) disabled.push_back(d.name);
    bool all_disabled = std::find(disabled.begin(), disabled.end(), "*") != disabled.end();
    std::vector<std::string> overrides, multi;
    if (!all_disabled) {
      for (size_t i = 0; i < mp.size(); ++i) {
        Plugin* p = by_name.at(mp[i].name);
        if (!pt.implements(p)) continue;
        if (std::find(disabled.begin(), disabled.end(), mp[i].name) != disabled.end()) continue;
        if (std::find(explicit_names.begin(), explicit_names.end(), mp[i].name) != explicit_names.end()) {
          overrides.push_back(mp[i].name);
          continue;
        }
        if (std::find(multi.begin(), multi.end(), mp[i].name) != multi.end())
          return Invalid(prefix + ".plugins.multiPoint.enabled[" + std::to_string(i) + "]: Invalid value: \"" +
                         mp[i].name + "\": plugin already registered as " + pt.type_name);
        multi.push_back(mp[i].name);
      }
    }
    std::vector<std::string> order;
    for (const auto& n : explicit_names)
      if (std::find(overrides.begin(), overrides.end(), n) != overrides.end()) order.push_back(n);
    for (const auto& n : multi) order.push_back(n);
    for (const auto& n : explicit_names)
      if (std::find(overrides.begin(), overrides.end(), n) == overrides.end()) order.push_back(n);
    auto& list = lists[pt.field];
    for (const auto& n : order) list.push_back(by_name.at(n));
  }

  for (Plugin* p : lists["preEnqueue"]) fw->pre_enqueue_.push_back(dynamic_cast<PreEnqueuePlugin*>(p));
  for (Plugin* p : lists["preFilter"]) {
    auto* pf = dynamic_cast<PreFilterPlugin*>(p);
    fw->pre_filter_.push_back(pf);
    if (pf->HasExtensions()) fw->pre_filter_ext_.push_back(pf);
  }
  for (Plugin* p : lists["filter"]) fw->filter_.push_back(dynamic_cast<FilterPlugin*>(p));
  for (Plugin* p : lists["postFilter"]) fw->post_filter_.push_back(dynamic_cast<PostFilterPlugin*>(p));
  for (Plugin* p : lists["preScore"]) fw->pre_score_.push_back(dynamic_cast<PreScorePlugin*>(p));
  for (Plugin* p : lists["reserve"]) fw->reserve_.push_back(dynamic_cast<ReservePlugin*>(p));
  for (Plugin* p : lists["preBind"]) fw->pre_bind_.push_back(dynamic_cast<PreBindPlugin*>(p));
  for (Plugin* p : lists["bind"]) fw->bind_.push_back(dynamic_cast<BindPlugin*>(p));

  if (lists["queueSort"].size() != 1)
    return Invalid(prefix + ".plugins.queueSort: Invalid value: only one queue sort plugin required for profile with scheduler name \"" +
                   profile.scheduler_name + "\", but got " + std::to_string(lists["queueSort"].size()));
  if (lists["bind"].empty())
    return Invalid(prefix + ".plugins.bind: Required value: at least one bind plugin is needed for profile with scheduler name \"" +
                   profile.scheduler_name + "\"");

  // Weights: an explicit score entry wins over MultiPoint; 0 means 1.
  std::map<std::string, int32_t> weights;
  std::vector<PluginRef> weight_refs = profile.plugins.score.enabled;
  weight_refs.insert(weight_refs.end(), mp.begin(), mp.end());
  int64_t total = 0;
  for (const auto& ref : weight_refs) {
    if (!Is<ScorePlugin>(by_name.at(ref.name)) || weights.count(ref.name)) continue;
    int32_t w = ref.weight == 0 ? 1 : ref.weight;
    weights[ref.name] = w;
    total += int64_t{w} * kMaxNodeScore;
  }
  (void)total;  // weights are capped at 100 by validation, so the sum cannot overflow
  for (Plugin* p : lists["score"])
    fw->score_.push_back({dynamic_cast<ScorePlugin*>(p), weights.count(std::string(p->Name())) ? weights[std::string(p->Name())] : 1});

  fw->filter_index_.assign(fw->owned_.size(), -1);
  fw->score_index_.assign(fw->owned_.size(), -1);
  for (size_t i = 0; i < fw->filter_.size(); ++i) fw->filter_index_[fw->filter_[i]->slot()] = static_cast<int>(i);
  for (size_t i = 0; i < fw->score_.size(); ++i)
    fw->score_index_[fw->score_[i].plugin->slot()] = static_cast<int>(i);
  return fw;
}

void Framework::InitCycleState(CycleState& state) const {
  state.Reset(owned_.size());
  state.skip_filter.assign(filter_.size(), false);
  state.skip_score.assign(score_.size(), false);
  state.active_filters.assign(filter_.begin(), filter_.end());
}

void Framework::RebuildActiveFilters(CycleState& state) const {
  state.active_filters.clear();
  for (size_t i = 0; i < filter_.size(); ++i)
    if (!state.skip_filter[i]) state.active_filters.push_back(filter_[i]);
}

Status Framework::RunPreEnqueuePlugins(const Pod& pod) const {
  for (auto* p : pre_enqueue_) {
    Status s = p->PreEnqueue(pod);
    if (!s.IsSuccess()) return s.WithPlugin(p->Name());
  }
  return Status();
}

void PreFilterResult::Merge(const PreFilterResult& other) {
  if (other.AllNodes()) return;
  if (AllNodes()) {
    node_names = other.node_names;
    return;
  }
  std::set<std::string> out;
  for (const auto& n : *node_names)
    if (other.node_names->count(n)) out.insert(n);
  node_names = std::move(out);
}

Status Framework::RunPreFilterPlugins(CycleState& state, const Pod& pod, PreFilterResult* result,
                                      std::set<std::string>* narrowing) {
  Status s = RunPreFilterPluginsImpl(state, pod, result, narrowing);
  RebuildActiveFilters(state);
  return s;
}

Status Framework::RunPreFilterPluginsImpl(CycleState& state, const Pod& pod, PreFilterResult* result,
                                          std::set<std::string>* narrowing) {
  Status returned;
  *result = PreFilterResult();
  for (auto* p : pre_filter_) {
    PreFilterResult r;
    Status s = p->PreFilter(state, pod, &r);
    if (s.IsSkip()) {
      int idx = filter_index_[p->slot()];
      if (idx >= 0) state.skip_filter[idx] = true;
      continue;
    }
    if (!s.IsSuccess()) {
      s.WithPlugin(p->Name());
      if (s.code() == Code::kUnschedulableAndUnresolvable) return s;
      if (s.code() == Code::kUnschedulable) {
        // Later PreFilters still run, so preemption has their state.
        returned = s;
        continue;
      }
      return Status(Code::kError, "running PreFilter plugin \"" + std::string(p->Name()) + "\": " + s.Message())
          .WithPlugin(p->Name());
    }
    if (!r.AllNodes()) narrowing->insert(std::string(p->Name()));
    result->Merge(r);
    if (!result->AllNodes() && result->node_names->empty()) {
      std::string msg;
      if (narrowing->size() == 1) {
        msg = "node(s) didn't satisfy plugin " + *narrowing->begin();
      } else {
        msg = "node(s) didn't satisfy plugin(s) [";
        bool first = true;
        for (const auto& n : *narrowing) {
          if (!first) msg += " ";
          msg += n;
          first = false;
        }
        msg += "] simultaneously";
      }
      return Status(Code::kUnschedulableAndUnresolvable, msg);
    }
  }
  return returned;
}

Status Framework::RunPreFilterExtensionAddPod(CycleState& state, const Pod& pod, const PodPtr& to_add,
                                              const NodeInfo& node) const {
  for (auto* p : pre_filter_ext_) {
    int idx = filter_index_[p->slot()];
    if (idx >= 0 && state.skip_filter[idx]) continue;
    Status s = p->AddPod(state, pod, to_add, node);
    if (!s.IsSuccess()) return s.WithPlugin(p->Name());
  }
  return Status();
}

Status Framework::RunPreFilterExtensionRemovePod(CycleState& state, const Pod& pod, const Pod& to_remove,
                                                 const NodeInfo& node) const {
  for (auto* p : pre_filter_ext_) {
    int idx = filter_index_[p->slot()];
    if (idx >= 0 && state.skip_filter[idx]) continue;
    Status s = p->RemovePod(state, pod, to_remove, node);
    if (!s.IsSuccess()) return s.WithPlugin(p->Name());
  }
  return Status();
}

Status Framework::RunFilterPlugins(const CycleState& state, const Pod& pod, const NodeInfo& node) const {
  for (const FilterPlugin* f : state.active_filters) {
    Status s = f->Filter(state, pod, node);
    if (!s.IsSuccess()) {
      if (!s.IsRejected()) {
        return Status(Code::kError, "running \"" + std::string(f->Name()) + "\" filter plugin: " + s.Message())
            .WithPlugin(f->Name());
      }
      return s.WithPlugin(f->Name());
    }
  }
  return Status();
}

std::vector<Status> Framework::RunAllFilterPlugins(const CycleState& state, const Pod& pod,
                                                   const NodeInfo& node) const {
  std::vector<Status> out;
  for (size_t i = 0; i < filter_.size(); ++i) {
    if (state.skip_filter[i]) {
      out.push_back(Status::Skip().WithPlugin(filter_[i]->Name()));
      continue;
    }
    out.push_back(filter_[i]->Filter(state, pod, node).WithPlugin(filter_[i]->Name()));
  }
  return out;
}

Status Framework::RunFilterPluginsWithNominatedPods(const CycleState& state, const Pod& pod,
                                                    const NodeInfo& node) const {
  if (!deps_.nominator || deps_.nominator->Empty() || !node.node())
    return RunFilterPlugins(state, pod, node);
  std::vector<PodPtr> nominated = deps_.nominator->NominatedPodsForNode(node.name());
  std::unique_ptr<CycleState> state_copy;
  std::unique_ptr<NodeInfo> node_copy;
  for (const auto& np : nominated) {
    if (np->priority < pod.priority || np->uid == pod.uid) continue;
    if (!node_copy) {
      node_copy = std::make_unique<NodeInfo>(node);
      state_copy = state.Clone();
    }
    node_copy->AddPod(np);
    Status s = RunPreFilterExtensionAddPod(*state_copy, pod, np, *node_copy);
    if (!s.IsSuccess()) return Status(Code::kError, s.Message());
  }
  if (!node_copy) return RunFilterPlugins(state, pod, node);
  // With the nominated pods first (resources, anti-affinity), then without
  // them (affinity to pods that may land elsewhere).
  Status s = RunFilterPlugins(*state_copy, pod, *node_copy);
  if (!s.IsSuccess()) return s;
  return RunFilterPlugins(state, pod, node);
}

Status Framework::RunPostFilterPlugins(CycleState& state, const Pod& pod, const NodeToStatus& statuses,
                                       PostFilterResult* result) {
  // Upstream keeps the first rejection's message when every plugin fails.
  Status first_rejection;
  bool have_rejection = false;
  for (auto* p : post_filter_) {
    PostFilterResult r;
    Status s = p->PostFilter(state, pod, statuses, &r);
    if (s.IsSuccess()) {
      *result = std::move(r);
      return s;
    }
    if (s.code() == Code::kUnschedulableAndUnresolvable) {
      *result = std::move(r);
      return s.WithPlugin(p->Name());
    }
    if (!s.IsRejected()) return s.WithPlugin(p->Name());
    if (!have_rejection) {
      first_rejection = s.WithPlugin(p->Name());
      have_rejection = true;
      *result = std::move(r);
    }
  }
  return have_rejection ? first_rejection : Status(Code::kUnschedulable);
}

Status Framework::RunPreScorePlugins(CycleState& state, const Pod& pod, const std::vector<NodeInfo*>& nodes) {
  for (auto* p : pre_score_) {
    Status s = p->PreScore(state, pod, nodes);
    if (s.IsSkip()) {
      int idx = score_index_[p->slot()];
      if (idx >= 0) state.skip_score[idx] = true;
      continue;
    }
    if (!s.IsSuccess())
      return Status(Code::kError, "running PreScore plugin \"" + std::string(p->Name()) + "\": " + s.Message())
          .WithPlugin(p->Name());
  }
  return Status();
}

Status Framework::RunScorePlugins(CycleState& state, const Pod& pod, const std::vector<NodeInfo*>& nodes,
                                  ScoreResult* out) {
  out->plugins.clear();
  for (size_t i = 0; i < score_.size(); ++i)
    if (!state.skip_score[i]) out->plugins.push_back(static_cast<int>(i));
  size_t np = out->plugins.size(), nn = nodes.size();
  out->raw.resize(np);
  for (auto& v : out->raw) v.assign(nn, 0);
  deps_.parallelizer->Until(
      static_cast<int>(nn),
      [&](int begin, int end) {
        for (size_t i = 0; i < np; ++i) {
          const ScorePlugin* p = score_[out->plugins[i]].plugin;
          int64_t* raw = out->raw[i].data();
          for (int n = begin; n < end; ++n) raw[n] = p->Score(state, pod, *nodes[n]);
        }
      },
      128);
  out->normalized = out->raw;
  for (size_t i = 0; i < np; ++i) {
    const ScoreEntry& e = score_[out->plugins[i]];
    if (e.plugin->HasNormalize()) e.plugin->NormalizeScore(state, pod, nodes, out->normalized[i]);
  }
  out->totals.assign(nn, 0);
  for (size_t i = 0; i < np; ++i) {
    const ScoreEntry& e = score_[out->plugins[i]];
    for (size_t n = 0; n < nn; ++n) {
      int64_t s = out->normalized[i][n];
      if (s > kMaxNodeScore || s < kMinNodeScore)
        return Status(Code::kError, "plugin \"" + std::string(e.plugin->Name()) + "\" returns an invalid score " +
                                        std::to_string(s) + ", it should in the range of [0, 100] after normalizing");
      out->totals[n] += s * e.weight;
    }
  }
  return Status();
}

Status Framework::RunReservePluginsReserve(CycleState& state, const Pod& pod, const std::string& node) {
  for (auto* p : reserve_) {
    Status s = p->Reserve(state, pod, node);
    if (!s.IsSuccess()) return s.WithPlugin(p->Name());
  }
  return Status();
}

void Framework::RunReservePluginsUnreserve(CycleState& state, const Pod& pod, const std::string& node) {
  // Reverse order, as upstream.
  for (auto it = reserve_.rbegin(); it != reserve_.rend(); ++it) (*it)->Unreserve(state, pod, node);
}

Status Framework::RunPreBindPlugins(CycleState& state, const Pod& pod, const std::string& node) {
  for (auto* p : pre_bind_) {
    Status s = p->PreBind(state, pod, node);
    if (s.IsSkip()) continue;
    if (!s.IsSuccess()) return s.WithPlugin(p->Name());
  }
  return Status();
}

Status Framework::RunBindPlugins(CycleState& state, const Pod& pod, const std::string& node) {
  for (auto* p : bind_) {
    Status s = p->Bind(state, pod, node);
    if (s.IsSkip()) continue;
    return s.WithPlugin(p->Name());
  }
  return Status(Code::kSkip);
}

std::vector<std::pair<std::string, std::vector<ClusterEvent>>> Framework::EventsByPlugin() const {
  std::vector<std::pair<std::string, std::vector<ClusterEvent>>> out;
  for (Plugin* p : all_) out.emplace_back(std::string(p->Name()), p->EventsToRegister());
  return out;
}

std::string ClusterEvent::Label() const {
  std::string r;
  switch (resource) {
    case EventResource::kAssignedPod: r = "AssignedPod"; break;
    case EventResource::kUnscheduledPod: r = "UnscheduledPod"; break;
    case EventResource::kNode: r = "Node"; break;
    case EventResource::kPersistentVolume: r = "PersistentVolume"; break;
    case EventResource::kPersistentVolumeClaim: r = "PersistentVolumeClaim"; break;
    case EventResource::kStorageClass: r = "StorageClass"; break;
    case EventResource::kWildCard: return "WildCard";
  }
  struct Name {
    uint32_t bit;
    const char* name;
  };
  static const Name kNames[] = {{kAdd, "Add"},
                                {kDelete, "Delete"},
                                {kUpdateNodeAllocatable, "UpdateNodeAllocatable"},
                                {kUpdateNodeLabel, "UpdateNodeLabel"},
                                {kUpdateNodeTaint, "UpdateNodeTaint"},
                                {kUpdateNodeCondition, "UpdateNodeCondition"},
                                {kUpdatePodLabel, "UpdatePodLabel"},
                                {kUpdatePodScaleDown, "UpdatePodScaleDown"},
                                {kUpdatePodToleration, "UpdatePodToleration"},
                                {kUpdatePodSchedulingGatesEliminated, "UpdatePodSchedulingGatesEliminated"},
                                {kUpdateOther, "Update"}};
  if (actions == kAll) return r + "*";
  if (actions == kUpdate) return r + "Update";
  for (const auto& n : kNames)
    if (actions == n.bit) return r + n.name;
  return r + "Update";
}

}  // namespace schedule
