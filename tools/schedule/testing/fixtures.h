// Test helpers (header-only, included by *_test.cpp): pods and nodes from
// YAML, and a framework over a small cluster to run one plugin the way the
// scheduler would.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/yaml.h"
#include "config/config.h"
#include "engine/cache.h"
#include "framework/framework.h"
#include "model/parse.h"
#include "plugins/registry.h"

namespace schedule::testing {

inline common::Json Yaml(const std::string& text) {
  auto j = common::ParseYaml(text);
  EXPECT_TRUE(j.ok()) << j.status().message();
  return j.ok() ? *j : common::Json();
}

inline PodPtr MakePod(const std::string& yaml) {
  common::Json j = Yaml(yaml);
  if (!j.contains("kind")) j["kind"] = "Pod";
  auto p = ParsePod(j);
  EXPECT_TRUE(p.ok()) << p.status().message();
  return p.ok() ? std::make_shared<const Pod>(std::move(*p)) : nullptr;
}

inline NodePtr MakeNode(const std::string& yaml) {
  common::Json j = Yaml(yaml);
  if (!j.contains("kind")) j["kind"] = "Node";
  auto n = ParseNode(j);
  EXPECT_TRUE(n.ok()) << n.status().message();
  return n.ok() ? std::make_shared<const Node>(std::move(*n)) : nullptr;
}

// A node with a name, labels, allocatable cpu / memory / pods, and taints.
inline NodePtr SimpleNode(const std::string& name, const std::string& cpu = "4", const std::string& memory = "8Gi",
                          const common::Labels& labels = {}, const std::string& extra_spec = "") {
  std::string l = "{kubernetes.io/hostname: " + name;
  for (const auto& [k, v] : labels) l += ", " + k + ": \"" + v + "\"";
  l += "}";
  return MakeNode("metadata: {name: " + name + ", labels: " + l + "}\n" +
                  (extra_spec.empty() ? "" : "spec: " + extra_spec + "\n") + "status: {allocatable: {cpu: \"" + cpu +
                  "\", memory: " + memory + ", pods: \"110\"}}\n");
}

// A pod bound to `node`.
inline PodPtr OnNode(PodPtr pod, const std::string& node) {
  auto p = std::make_shared<Pod>(*pod);
  p->node_name = node;
  return p;
}

// A framework with one profile over nodes and bound pods.
class Cluster {
 public:
  explicit Cluster(std::vector<NodePtr> nodes, std::vector<PodPtr> pods = {},
                   Configuration config = DefaultConfiguration())
      : parallelizer_(1) {
    for (auto& n : nodes) cache_.AddNode(n);
    for (auto& p : pods) cache_.AddPod(p);
    cache_.UpdateSnapshot(&snapshot_);
    FrameworkDeps deps;
    deps.registry = &DefaultRegistry();
    deps.objects = &store_;
    deps.parallelizer = &parallelizer_;
    auto fw = Framework::Create(config.profiles[0], deps);
    EXPECT_TRUE(fw.ok()) << fw.status().message();
    fw_ = std::move(*fw);
    fw_->set_snapshot(&snapshot_);
  }

  Framework& fw() { return *fw_; }
  ObjectStore& store() { return store_; }
  const Snapshot& snapshot() const { return snapshot_; }
  void AddPod(PodPtr p) {
    cache_.AddPod(std::move(p));
    cache_.UpdateSnapshot(&snapshot_);
  }

  template <typename T>
  T* Plugin(const std::string& name) {
    for (auto* p : fw_->plugins())
      if (p->Name() == name) return dynamic_cast<T*>(p);
    ADD_FAILURE() << "no plugin " << name;
    return nullptr;
  }

  // Runs `plugin`'s PreFilter (if any) then its Filter on every node.
  std::map<std::string, Status> Filter(const std::string& plugin, const Pod& pod) {
    fw_->InitCycleState(state_);
    std::map<std::string, Status> out;
    if (auto* pf = Plugin<PreFilterPlugin>(plugin); pf && dynamic_cast<PreFilterPlugin*>(pf)) {
      PreFilterResult r;
      Status s = pf->PreFilter(state_, pod, &r);
      if (s.IsSkip()) {
        for (NodeInfo* ni : snapshot_.nodes()) out[ni->name()] = Status();
        return out;
      }
      if (!s.IsSuccess()) {
        for (NodeInfo* ni : snapshot_.nodes()) out[ni->name()] = s;
        return out;
      }
    }
    auto* f = Plugin<FilterPlugin>(plugin);
    for (NodeInfo* ni : snapshot_.nodes()) out[ni->name()] = f->Filter(state_, pod, *ni);
    return out;
  }

  // PreScore + Score + NormalizeScore of `plugin` over every node; a
  // skipped plugin gives an empty map.
  std::map<std::string, int64_t> Score(const std::string& plugin, const Pod& pod) {
    fw_->InitCycleState(state_);
    // Some scores read PreFilter state (none of ours do) — run PreFilters for fidelity.
    std::vector<NodeInfo*> nodes = snapshot_.nodes();
    std::map<std::string, int64_t> out;
    if (auto* ps = dynamic_cast<PreScorePlugin*>(Plugin<schedule::Plugin>(plugin))) {
      Status s = ps->PreScore(state_, pod, nodes);
      if (s.IsSkip()) return out;
      EXPECT_TRUE(s.IsSuccess()) << s.Message();
    }
    auto* sp = Plugin<ScorePlugin>(plugin);
    std::vector<int64_t> scores;
    for (NodeInfo* ni : nodes) scores.push_back(sp->Score(state_, pod, *ni));
    if (sp->HasNormalize()) sp->NormalizeScore(state_, pod, nodes, scores);
    for (size_t i = 0; i < nodes.size(); ++i) out[nodes[i]->name()] = scores[i];
    return out;
  }

  CycleState& state() { return state_; }

 private:
  ObjectStore store_;
  Parallelizer parallelizer_;
  Cache cache_;
  Snapshot snapshot_;
  std::unique_ptr<Framework> fw_;
  CycleState state_;
};

}  // namespace schedule::testing
