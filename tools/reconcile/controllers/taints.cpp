#include "taints.h"

#include <algorithm>

namespace reconcile {

bool Tolerates(const Json& t, const Json& taint) {
  std::string effect = common::GetString(t, "effect");
  if (!effect.empty() && effect != common::GetString(taint, "effect")) return false;
  std::string key = common::GetString(t, "key");
  std::string op = common::GetString(t, "operator", "Equal");
  if (key.empty()) return op == "Exists";
  if (key != common::GetString(taint, "key")) return false;
  if (op == "Exists") return true;
  return op == "Equal" && common::GetString(t, "value") == common::GetString(taint, "value");
}

std::optional<common::TimePoint> EvictionTime(const Json& pod, const Json& taints,
                                              common::TimePoint now) {
  const Json& tolerations = common::GetPath(pod, {"spec", "tolerations"});
  std::optional<int64_t> min_seconds;
  std::optional<common::TimePoint> latest_added;
  bool any = false;
  for (const auto& taint : taints) {
    if (common::GetString(taint, "effect") != "NoExecute") continue;
    any = true;
    bool tolerated = false;
    if (tolerations.is_array())
      for (const auto& t : tolerations) {
        if (!Tolerates(t, taint)) continue;
        tolerated = true;
        const Json& secs = common::Get(t, "tolerationSeconds");
        if (secs.is_number_integer()) {
          int64_t s = std::max<int64_t>(secs.get<int64_t>(), 0);
          min_seconds = min_seconds ? std::min(*min_seconds, s) : s;
        }
      }
    if (!tolerated) return common::TimePoint{};
    auto added = TimeAt(taint, "timeAdded");
    common::TimePoint at = added ? *added : now;
    latest_added = latest_added ? std::max(*latest_added, at) : at;
  }
  if (!any || !min_seconds) return std::nullopt;  // tolerated forever
  return *latest_added + std::chrono::seconds(*min_seconds);
}

Json TaintsOf(const Json& node) {
  const Json& t = common::GetPath(node, {"spec", "taints"});
  return t.is_array() ? t : Json::array();
}

bool HasTaint(const Json& taints, std::string_view key, std::string_view effect) {
  for (const auto& t : taints)
    if (common::GetString(t, "key") == key && common::GetString(t, "effect") == effect) return true;
  return false;
}

}  // namespace reconcile
