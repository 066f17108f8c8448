#include "model/types.h"

#include <algorithm>

#include "model/intern.h"

namespace schedule {

TaintEffect ParseTaintEffect(std::string_view s) {
  if (s.empty()) return TaintEffect::kAll;
  if (s == "NoSchedule") return TaintEffect::kNoSchedule;
  if (s == "PreferNoSchedule") return TaintEffect::kPreferNoSchedule;
  if (s == "NoExecute") return TaintEffect::kNoExecute;
  return TaintEffect::kOther;
}

bool Toleration::Tolerates(const Taint& taint) const {
  if (effect != TaintEffect::kAll && effect != taint.effect) return false;
  if (!key.empty() && key != taint.key) return false;
  return exists || value == taint.value;
}

bool TolerationsTolerateTaint(const std::vector<Toleration>& tolerations, const Taint& taint) {
  for (const auto& t : tolerations)
    if (t.Tolerates(taint)) return true;
  return false;
}

const Taint* FindUntoleratedTaint(const std::vector<Taint>& taints,
                                  const std::vector<Toleration>& tolerations) {
  for (const auto& t : taints) {
    if (!IsDoNotScheduleTaint(t)) continue;
    if (!TolerationsTolerateTaint(tolerations, t)) return &t;
  }
  return nullptr;
}

bool NodeSelectorTerm::Matches(const Node& node) const {
  if (expressions.empty() && fields.empty()) return false;
  for (const auto& r : expressions)
    if (!r.Matches(node.labels)) return false;
  for (const auto& f : fields) {
    // metadata.name is the only node field; any other key reads as "".
    const std::string& actual = f.key == "metadata.name" ? node.name : std::string();
    if ((actual == f.value) != f.in) return false;
  }
  return true;
}

bool NodeSelector::Matches(const Node& node) const {
  for (const auto& t : terms)
    if (t.Matches(node)) return true;
  return false;
}

bool RequiredNodeAffinity::Matches(const Node& node) const {
  for (const auto& [k, v] : node_selector) {
    auto it = node.labels.find(k);
    if (it == node.labels.end() || it->second != v) return false;
  }
  if (affinity && !affinity->Matches(node)) return false;
  return true;
}

bool AffinityTerm::Matches(const Pod& pod, const common::Labels* ns_labels) const {
  bool ns_ok = std::binary_search(namespaces.begin(), namespaces.end(), pod.ns);
  if (!ns_ok && namespace_selector) {
    static const common::Labels kEmpty;
    ns_ok = namespace_selector->Matches(ns_labels ? *ns_labels : kEmpty);
  }
  return ns_ok && selector.Matches(pod.labels);
}

void SetMatchKey(Pod* pod) {
  std::string k = pod->ns;
  for (const auto& [key, value] : pod->labels) {
    k += '\x1f';
    k += key;
    k += '=';
    k += value;
  }
  pod->match_key = Intern(k);
}

uint32_t SelectorId(const common::LabelSelector& sel) {
  return Intern(sel.MatchesNothing() ? std::string("\x1e<nothing>") : "\x1e" + sel.String());
}

void SetTermId(AffinityTerm* t) {
  std::string k = "\x1d" + t->selector.String() + (t->selector.MatchesNothing() ? "<nothing>" : "") + "\x1f";
  for (const auto& n : t->namespaces) k += n + ",";
  k += '\x1f';
  k += t->namespace_selector ? "sel:" + t->namespace_selector->String() : "nil";
  k += '\x1f';
  k += t->topology_key;
  t->id = Intern(k);
}

bool PodUpdated(const Pod& a, const Pod& b) {
  if (!a.raw || !b.raw) return true;
  if (a.raw == b.raw) return false;
  auto strip = [](const common::Json& in) {
    common::Json j = in;
    if (j.is_object()) {
      j.erase("status");
      if (auto m = j.find("metadata"); m != j.end() && m->is_object()) {
        m->erase("resourceVersion");
        m->erase("generation");
        m->erase("managedFields");
      }
    }
    return j;
  };
  return strip(*a.raw) != strip(*b.raw);
}

bool MoreImportantPod(const Pod& a, const Pod& b) {
  if (a.priority != b.priority) return a.priority > b.priority;
  // A pod without a start time has not started: it counts as "now".
  auto now = common::Clock::now();
  auto ta = a.start_time.value_or(now), tb = b.start_time.value_or(now);
  return ta < tb;
}

}  // namespace schedule
