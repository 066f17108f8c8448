#include "util.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/strings.h"

namespace reconcile::deployment {
namespace {

const Json& Strategy(const Json& d) { return common::GetPath(d, {"spec", "strategy"}); }

// The API defaults a RollingUpdate strategy's fields to 25%.
const Json& DefaultQuarter() {
  static const Json k = "25%";
  return k;
}

}  // namespace

common::Result<int64_t> ScaledValue(const Json& v, int64_t total, bool round_up) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (!s.empty() && s.back() == '%') {
      auto pct = common::ParseInt64(std::string_view(s).substr(0, s.size() - 1));
      if (pct) {
        double value = static_cast<double>(*pct) * static_cast<double>(total) / 100.0;
        return static_cast<int64_t>(round_up ? std::ceil(value) : std::floor(value));
      }
    }
    return common::Status::BadRequest("invalid value for IntOrString: invalid value \"" + s +
                                      "\": strconv.Atoi: parsing \"" + s + "\": invalid syntax");
  }
  return common::Status::BadRequest("invalid type: neither int nor percentage");
}

common::Result<Fenceposts> ResolveFenceposts(const Json& max_surge, const Json& max_unavailable,
                                             int64_t desired) {
  Fenceposts f;
  ASSIGN_OR_RETURN(f.surge, ScaledValue(max_surge.is_null() ? DefaultQuarter() : max_surge,
                                        desired, true));
  ASSIGN_OR_RETURN(f.unavailable,
                   ScaledValue(max_unavailable.is_null() ? DefaultQuarter() : max_unavailable,
                               desired, false));
  if (f.surge == 0 && f.unavailable == 0) {
    // Validation rejects 0/0; percentages can still round to it. Keep the
    // rollout moving by letting one pod be unavailable.
    f.unavailable = 1;
  }
  return f;
}

bool IsRollingUpdate(const Json& d) {
  return common::GetString(Strategy(d), "type", "RollingUpdate") == "RollingUpdate";
}

static Fenceposts Resolve(const Json& d) {
  const Json& ru = common::Get(Strategy(d), "rollingUpdate");
  auto f = ResolveFenceposts(common::Get(ru, "maxSurge"), common::Get(ru, "maxUnavailable"),
                             SpecReplicas(d));
  return f.ok() ? *f : Fenceposts{};
}

int64_t MaxUnavailable(const Json& d) {
  int64_t replicas = SpecReplicas(d);
  if (!IsRollingUpdate(d) || replicas == 0) return 0;
  return std::min(Resolve(d).unavailable, replicas);
}

int64_t MaxSurge(const Json& d) {
  if (!IsRollingUpdate(d)) return 0;
  return Resolve(d).surge;
}

int64_t Replicas(const Json& rs) { return common::GetInt(common::Get(rs, "spec"), "replicas", 0); }

int64_t StatusInt(const Json& obj, const char* field) {
  return common::GetInt(common::Get(obj, "status"), field, 0);
}

int64_t SumSpecReplicas(const RSList& rss) {
  int64_t n = 0;
  for (const auto& rs : rss)
    if (rs) n += Replicas(*rs);
  return n;
}

int64_t SumStatus(const RSList& rss, const char* field) {
  int64_t n = 0;
  for (const auto& rs : rss)
    if (rs) n += StatusInt(*rs, field);
  return n;
}

std::string ComputeHash(const Json& pod_template, std::optional<int64_t> collision_count) {
  // nlohmann::json keeps object keys sorted: a canonical text.
  std::string text = nlohmann::json(pod_template).dump();
  if (collision_count) text += std::to_string(*collision_count);
  uint32_t h = 2166136261u;
  for (unsigned char c : text) {
    h ^= c;
    h *= 16777619u;
  }
  // rand.SafeEncodeString: each byte of the decimal text mapped onto an
  // alphabet without vowels or look-alike digits.
  static const char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  std::string digits = std::to_string(h);
  std::string out;
  for (unsigned char c : digits) out += kAlphabet[c % 27];
  return out;
}

bool SemanticEqual(const Json& a, const Json& b) { return nlohmann::json(a) == nlohmann::json(b); }

namespace {
// Drops object members that are null, {} or [], at any depth (a member left
// empty by that goes too). Upstream compares templates with
// apimachinery's Semantic.DeepEqual on typed structs, where none of these
// differ from an absent field; kubectl's rollout undo sends the template
// back with "creationTimestamp": null and "resources": {} that the stored
// ReplicaSet may not have.
void DropEmpty(nlohmann::json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end();) {
      DropEmpty(*it);
      if (it->is_null() || ((it->is_object() || it->is_array()) && it->empty())) {
        it = j.erase(it);
      } else {
        ++it;
      }
    }
  } else if (j.is_array()) {
    for (auto& e : j) DropEmpty(e);
  }
}
}  // namespace

bool EqualIgnoreHash(const Json& a, const Json& b) {
  nlohmann::json x(a), y(b);
  DropEmpty(x);
  DropEmpty(y);
  for (auto* t : {&x, &y}) {
    auto md = t->find("metadata");
    if (md == t->end() || !md->is_object()) continue;
    auto labels = md->find("labels");
    if (labels == md->end() || !labels->is_object()) continue;
    labels->erase(kPodTemplateHashLabel);
    if (labels->empty()) md->erase(labels);
    if (md->empty()) t->erase(md);
  }
  return x == y;
}

int64_t Revision(const Json& obj) {
  const Json& v = common::GetPath(obj, {"metadata", "annotations", kRevisionAnnotation});
  if (!v.is_string()) return 0;
  return common::ParseInt64(v.get_ref<const std::string&>()).value_or(0);
}

int64_t MaxRevision(const RSList& rss) {
  int64_t m = 0;
  for (const auto& rs : rss)
    if (rs) m = std::max(m, Revision(*rs));
  return m;
}

void SortByCreation(RSList& rss) {
  std::stable_sort(rss.begin(), rss.end(), [](const RS& a, const RS& b) {
    const std::string ta = common::GetString(common::Get(*a, "metadata"), "creationTimestamp");
    const std::string tb = common::GetString(common::Get(*b, "metadata"), "creationTimestamp");
    if (ta != tb) return ta < tb;  // RFC 3339 UTC text sorts by time
    return Name(*a) < Name(*b);
  });
}

RS FindNewReplicaSet(const Json& d, RSList rss) {
  SortByCreation(rss);
  const Json& tmpl = common::GetPath(d, {"spec", "template"});
  for (const auto& rs : rss)
    if (EqualIgnoreHash(common::GetPath(*rs, {"spec", "template"}), tmpl)) return rs;
  return nullptr;
}

RSList FindOldReplicaSets(const Json&, const RSList& rss, const RS& new_rs) {
  RSList out;
  for (const auto& rs : rss)
    if (!new_rs || Uid(*rs) != Uid(*new_rs)) out.push_back(rs);
  return out;
}

RSList FilterActive(const RSList& rss) {
  RSList out;
  for (const auto& rs : rss)
    if (rs && Replicas(*rs) > 0) out.push_back(rs);
  return out;
}

common::Result<int64_t> NewRSNewReplicas(const Json& d, const RSList& all, const RS& new_rs) {
  int64_t replicas = SpecReplicas(d);
  if (!IsRollingUpdate(d)) return replicas;
  const Json& ru = common::Get(Strategy(d), "rollingUpdate");
  const Json& surge_value = common::Get(ru, "maxSurge");
  ASSIGN_OR_RETURN(int64_t surge,
                   ScaledValue(surge_value.is_null() ? DefaultQuarter() : surge_value, replicas, true));
  int64_t current = PodCountUpperBound(all);
  int64_t max_total = replicas + surge;
  int64_t now = Replicas(*new_rs);
  if (current >= max_total) return now;
  int64_t up = std::min(max_total - current, replicas - now);
  return now + up;
}

int64_t PodCountUpperBound(const RSList& rss) {
  int64_t total = 0;
  for (const auto& rs : rss)
    if (rs) total += std::max(Replicas(*rs), StatusInt(*rs, "replicas"));
  return total;
}

int64_t AvailableLowerBound(const RSList& rss) {
  int64_t total = 0;
  for (const auto& rs : rss)
    if (rs) total += std::min(Replicas(*rs), StatusInt(*rs, "availableReplicas"));
  return total;
}

std::optional<int64_t> IntAnnotation(const Json& obj, const char* name) {
  const Json& v = common::GetPath(obj, {"metadata", "annotations", name});
  if (!v.is_string()) return std::nullopt;
  return common::ParseInt64(v.get_ref<const std::string&>());
}

bool SetReplicasAnnotations(Json& rs, int64_t desired, int64_t max) {
  Json& ann = rs["metadata"]["annotations"];
  if (!ann.is_object()) ann = Json::object();
  bool changed = false;
  for (auto [key, value] : {std::pair<const char*, int64_t>{kDesiredReplicasAnnotation, desired},
                            {kMaxReplicasAnnotation, max}}) {
    std::string text = std::to_string(value);
    if (common::GetString(ann, key) != text) {
      ann[key] = text;
      changed = true;
    }
  }
  return changed;
}

bool IsScalingEvent(const Json& d, const RSList& all_rss) {
  for (const auto& rs : FilterActive(all_rss)) {
    auto desired = IntAnnotation(*rs, kDesiredReplicasAnnotation);
    if (!desired) continue;
    if (*desired != SpecReplicas(d)) return true;
  }
  return false;
}

RS FindActiveOrLatest(const RS& new_rs, const RSList& old_rss) {
  if (!new_rs && old_rss.empty()) return nullptr;
  RSList olds = old_rss;
  SortByCreation(olds);
  std::reverse(olds.begin(), olds.end());  // newest first
  RSList all = olds;
  if (new_rs) all.push_back(new_rs);
  RSList active = FilterActive(all);
  if (active.empty()) return new_rs ? new_rs : olds.front();
  if (active.size() == 1) return active.front();
  return nullptr;
}

bool IsSaturated(const Json& d, const RS& rs) {
  if (!rs) return false;
  auto desired = IntAnnotation(*rs, kDesiredReplicasAnnotation);
  if (!desired) return false;
  int64_t replicas = SpecReplicas(d);
  return Replicas(*rs) == replicas && *desired == replicas &&
         StatusInt(*rs, "availableReplicas") == replicas;
}

static int64_t Fraction(const Json& rs, const Json& d) {
  if (SpecReplicas(d) == 0) return -Replicas(rs);
  int64_t deployment_replicas = SpecReplicas(d) + MaxSurge(d);
  auto annotated = IntAnnotation(rs, kMaxReplicasAnnotation);
  int64_t base = annotated ? *annotated : StatusInt(d, "replicas");
  if (base == 0) return 0;
  double size = static_cast<double>(Replicas(rs) * deployment_replicas) / static_cast<double>(base);
  return static_cast<int64_t>(std::llround(size)) - Replicas(rs);
}

int64_t GetProportion(const RS& rs, const Json& d, int64_t to_add, int64_t added) {
  if (!rs || Replicas(*rs) == 0 || to_add == 0 || to_add == added) return 0;
  int64_t fraction = Fraction(*rs, d);
  int64_t allowed = to_add - added;
  return to_add > 0 ? std::min(fraction, allowed) : std::max(fraction, allowed);
}

bool HasProgressDeadline(const Json& d) {
  const Json& v = common::GetPath(d, {"spec", "progressDeadlineSeconds"});
  if (v.is_null()) return true;  // defaulted to 600 by the API
  return v.is_number_integer() && v.get<int64_t>() != std::numeric_limits<int32_t>::max();
}

static int64_t ProgressDeadlineSeconds(const Json& d) {
  return common::GetInt(common::Get(d, "spec"), "progressDeadlineSeconds", 600);
}

bool DeploymentComplete(const Json& d, const Json& s) {
  int64_t replicas = SpecReplicas(d);
  return common::GetInt(s, "updatedReplicas") == replicas &&
         common::GetInt(s, "replicas") == replicas &&
         common::GetInt(s, "availableReplicas") == replicas &&
         common::GetInt(s, "observedGeneration") >=
             common::GetInt(common::Get(d, "metadata"), "generation");
}

bool DeploymentProgressing(const Json& d, const Json& s) {
  const Json& old = common::Get(d, "status");
  int64_t old_old = common::GetInt(old, "replicas") - common::GetInt(old, "updatedReplicas");
  int64_t new_old = common::GetInt(s, "replicas") - common::GetInt(s, "updatedReplicas");
  return common::GetInt(s, "updatedReplicas") > common::GetInt(old, "updatedReplicas") ||
         new_old < old_old ||
         common::GetInt(s, "readyReplicas") > common::GetInt(old, "readyReplicas") ||
         common::GetInt(s, "availableReplicas") > common::GetInt(old, "availableReplicas");
}

bool DeploymentTimedOut(const Json& d, const Json& s, common::TimePoint now) {
  if (!HasProgressDeadline(d)) return false;
  const Json* c = FindCondition(s, "Progressing");
  if (!c) return false;
  std::string reason = common::GetString(*c, "reason");
  if (reason == kNewRSAvailableReason) return false;
  if (reason == kTimedOutReason) return true;
  auto from = TimeAt(*c, "lastUpdateTime");
  if (!from) return false;
  return *from + std::chrono::seconds(ProgressDeadlineSeconds(d)) < now;
}

Json NewCondition(const std::string& type, const std::string& status, const std::string& reason,
                  const std::string& message) {
  std::string now = NowText();
  return Json{{"type", type},
              {"status", status},
              {"lastUpdateTime", now},
              {"lastTransitionTime", now},
              {"reason", reason},
              {"message", message}};
}

void SetDeploymentCondition(Json& status, Json condition) {
  if (!status.is_object()) status = Json::object();
  const std::string type = common::GetString(condition, "type");
  const Json* cur = FindCondition(status, type);
  if (cur && common::GetString(*cur, "status") == common::GetString(condition, "status") &&
      common::GetString(*cur, "reason") == common::GetString(condition, "reason"))
    return;
  if (cur && common::GetString(*cur, "status") == common::GetString(condition, "status"))
    condition["lastTransitionTime"] = (*cur)["lastTransitionTime"];
  RemoveCondition(status, type);
  status["conditions"].push_back(std::move(condition));
}

}  // namespace reconcile::deployment
