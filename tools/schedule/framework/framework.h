// A scheduling profile's plugins wired into its extension points, and the
// code that runs each point the way upstream's frameworkImpl does (order,
// Skip handling, filters with nominated pods, weighted scores).
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/config.h"
#include "framework/interface.h"
#include "framework/parallelize.h"
#include "framework/registry.h"
#include "framework/snapshot.h"
#include "model/object_store.h"

namespace schedule {

// What a framework and its plugins reach outside themselves. Pointers are
// not owned and must outlive the framework; nominator and client may be null.
struct FrameworkDeps {
  const PluginRegistry* registry = nullptr;
  ObjectStore* objects = nullptr;
  Parallelizer* parallelizer = nullptr;
  Nominator* nominator = nullptr;
  ClusterClient* client = nullptr;
};

// Per-node, per-plugin scores of one cycle.
struct ScoreResult {
  // Score plugins that ran (indexes into Framework::score_plugins()).
  std::vector<int> plugins;
  // raw[i][n]: plugin plugins[i]'s Score for node n (before normalizing).
  std::vector<std::vector<int64_t>> raw;
  // normalized[i][n]: after NormalizeScore, before the weight.
  std::vector<std::vector<int64_t>> normalized;
  // Weighted sum per node.
  std::vector<int64_t> totals;
};

// Thread-safety: the Run* methods are called by the scheduling thread;
// filters and scores fan out over the Parallelizer internally.
class Framework {
 public:
  // Instantiates the profile's plugins from `deps.registry` and expands
  // MultiPoint as upstream does. Errors name the offending field.
  static common::Result<std::unique_ptr<Framework>> Create(const Profile& profile,
                                                           const FrameworkDeps& deps);
  ~Framework();

  // The Handle plugins use.
  const std::string& profile_name() const { return profile_name_; }
  const Snapshot& snapshot() const { return *snapshot_; }
  void set_snapshot(const Snapshot* s) { snapshot_ = s; }
  ObjectStore& objects() const { return *deps_.objects; }
  Parallelizer& parallelizer() const { return *deps_.parallelizer; }
  Nominator* nominator() const { return deps_.nominator; }
  ClusterClient* client() const { return deps_.client; }
  std::optional<int32_t> percentage_of_nodes_to_score() const { return percentage_; }

  // Prepares `state` for a new cycle of this framework.
  void InitCycleState(CycleState& state) const;

  Status RunPreEnqueuePlugins(const Pod& pod) const;
  // Runs PreFilter plugins in order. `result` narrows the nodes to check;
  // `narrowing` receives the plugins that narrowed them. A rejection carries
  // the plugin name; UnschedulableAndUnresolvable stops at once, as upstream.
  Status RunPreFilterPlugins(CycleState& state, const Pod& pod, PreFilterResult* result,
                             std::set<std::string>* narrowing);
  Status RunPreFilterExtensionAddPod(CycleState& state, const Pod& pod, const PodPtr& to_add,
                                     const NodeInfo& node) const;
  Status RunPreFilterExtensionRemovePod(CycleState& state, const Pod& pod, const Pod& to_remove,
                                        const NodeInfo& node) const;
  // The first failing filter's status (with its plugin), or Success.
  Status RunFilterPlugins(const CycleState& state, const Pod& pod, const NodeInfo& node) const;
  // Every filter's status for `node` (explain output); skipped ones are Skip.
  std::vector<Status> RunAllFilterPlugins(const CycleState& state, const Pod& pod,
                                          const NodeInfo& node) const;
  // Upstream's RunFilterPluginsWithNominatedPods: the node must pass with
  // the higher-or-equal priority pods nominated to it, and without them.
  Status RunFilterPluginsWithNominatedPods(const CycleState& state, const Pod& pod,
                                           const NodeInfo& node) const;
  Status RunPostFilterPlugins(CycleState& state, const Pod& pod, const NodeToStatus& statuses,
                              PostFilterResult* result);
  Status RunPreScorePlugins(CycleState& state, const Pod& pod, const std::vector<NodeInfo*>& nodes);
  // Scores `nodes`; Error when a plugin's normalized score leaves [0, 100].
  Status RunScorePlugins(CycleState& state, const Pod& pod, const std::vector<NodeInfo*>& nodes,
                         ScoreResult* out);
  Status RunReservePluginsReserve(CycleState& state, const Pod& pod, const std::string& node);
  void RunReservePluginsUnreserve(CycleState& state, const Pod& pod, const std::string& node);
  Status RunPreBindPlugins(CycleState& state, const Pod& pod, const std::string& node);
  Status RunBindPlugins(CycleState& state, const Pod& pod, const std::string& node);

  bool HasFilterPlugins() const { return !filter_.empty(); }
  bool HasScorePlugins() const { return !score_.empty(); }
  bool HasPostFilterPlugins() const { return !post_filter_.empty(); }

  struct ScoreEntry {
    ScorePlugin* plugin;
    int32_t weight;
  };
  const std::vector<FilterPlugin*>& filter_plugins() const { return filter_; }
  const std::vector<PreFilterPlugin*>& pre_filter_plugins() const { return pre_filter_; }
  const std::vector<ScoreEntry>& score_plugins() const { return score_; }
  // Every instantiated plugin, in MultiPoint order.
  const std::vector<Plugin*>& plugins() const { return all_; }
  // The events each plugin registered (for the queue's requeueing).
  std::vector<std::pair<std::string, std::vector<ClusterEvent>>> EventsByPlugin() const;

 private:
  Framework() = default;
  Status RunPreFilterPluginsImpl(CycleState& state, const Pod& pod, PreFilterResult* result,
                                 std::set<std::string>* narrowing);
  void RebuildActiveFilters(CycleState& state) const;

  std::string profile_name_;
  std::optional<int32_t> percentage_;
  FrameworkDeps deps_;
  const Snapshot* snapshot_ = nullptr;
  std::vector<std::unique_ptr<Plugin>> owned_;
  std::vector<Plugin*> all_;
  std::vector<PreEnqueuePlugin*> pre_enqueue_;
  std::vector<PreFilterPlugin*> pre_filter_;
  std::vector<PreFilterPlugin*> pre_filter_ext_;
  std::vector<FilterPlugin*> filter_;
  std::vector<PostFilterPlugin*> post_filter_;
  std::vector<PreScorePlugin*> pre_score_;
  std::vector<ScoreEntry> score_;
  std::vector<ReservePlugin*> reserve_;
  std::vector<PreBindPlugin*> pre_bind_;
  std::vector<BindPlugin*> bind_;
  // slot -> index in filter_ / score_, or -1.
  std::vector<int> filter_index_;
  std::vector<int> score_index_;
};

}  // namespace schedule
