#include "pod_control.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <map>
#include <mutex>

#include "common/strings.h"

namespace reconcile {

std::vector<common::Status> RunParallel(common::ThreadPool& pool, int n,
                                        const std::function<common::Status(int)>& fn) {
  std::vector<common::Status> out(static_cast<size_t>(std::max(n, 0)));
  if (n <= 0) return out;
  if (n == 1) {
    out[0] = fn(0);
    return out;
  }
  std::mutex mu;
  std::condition_variable cv;
  int left = n;
  for (int i = 0; i < n; ++i) {
    pool.Submit([&, i] {
      common::Status st = fn(i);
      std::lock_guard<std::mutex> lock(mu);
      out[static_cast<size_t>(i)] = std::move(st);
      if (--left == 0) cv.notify_one();
    });
  }
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return left == 0; });
  return out;
}

SlowStartResult SlowStartBatch(common::ThreadPool& pool, int count, int initial_batch,
                               const std::function<common::Status(int)>& fn) {
  SlowStartResult r;
  int remaining = count;
  int done = 0;
  for (int batch = std::min(remaining, initial_batch); batch > 0;
       batch = std::min(2 * batch, remaining)) {
    int base = done;
    auto statuses = RunParallel(pool, batch, [&](int i) { return fn(base + i); });
    for (auto& st : statuses) {
      if (st.ok()) ++r.successes;
      else if (r.error.ok()) r.error = st;
    }
    if (!r.error.ok()) return r;
    remaining -= batch;
    done += batch;
  }
  return r;
}

Json PodFromTemplate(const Json& pod_template, const Json& owner, const Json& controller_ref) {
  const Json& tmd = common::Get(pod_template, "metadata");
  Json md = Json::object();
  md["generateName"] = Name(owner) + "-";
  md["namespace"] = Namespace(owner);
  for (const char* k : {"labels", "annotations", "finalizers"}) {
    const Json& v = common::Get(tmd, k);
    if (!v.is_null()) md[k] = v;
  }
  md["ownerReferences"] = Json::array({controller_ref});
  Json pod = {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", std::move(md)}};
  pod["spec"] = common::Get(pod_template, "spec");
  return pod;
}

namespace {

struct Ranked {
  ObjectPtr pod;
  int rank;  // active related pods on the same node
};

int PhaseOrdinal(const Json& pod) {
  const std::string phase = common::GetString(common::Get(pod, "status"), "phase");
  if (phase == "Unknown") return 1;
  if (phase == "Running") return 2;
  return 0;  // Pending, and anything unexpected, as upstream's map lookup
}

int64_t DeletionCost(const Json& pod) {
  const Json& v =
      common::GetPath(pod, {"metadata", "annotations", "controller.kubernetes.io/pod-deletion-cost"});
  if (!v.is_string()) return 0;
  auto n = common::ParseInt64(v.get_ref<const std::string&>());
  if (!n || *n < INT32_MIN || *n > INT32_MAX) return 0;
  return *n;
}

int64_t MaxRestarts(const Json& pod) {
  int64_t most = 0;
  const Json& cs = common::GetPath(pod, {"status", "containerStatuses"});
  if (cs.is_array())
    for (const auto& c : cs) most = std::max(most, common::GetInt(c, "restartCount"));
  return most;
}

// log2 of the age in nanoseconds, -1 for a time in the future.
int64_t AgeBucket(common::TimePoint t, common::TimePoint now) {
  auto d = std::chrono::duration_cast<std::chrono::nanoseconds>(now - t).count();
  if (d <= 0) return -1;
  return static_cast<int64_t>(std::log2(static_cast<double>(d)));
}

// Compares two times as upstream's step 6/8: a missing time first, then the
// more recent (a smaller age bucket), UID breaking ties within a bucket.
// Returns <0 when a goes first, >0 when b does, 0 when they are equal.
int CompareTimes(const std::optional<common::TimePoint>& ta, const std::optional<common::TimePoint>& tb,
                 const Json& a, const Json& b, common::TimePoint now) {
  if (ta == tb) return 0;
  if (!ta || !tb) return !ta ? -1 : 1;
  int64_t ra = AgeBucket(*ta, now), rb = AgeBucket(*tb, now);
  if (ra == rb) return Uid(a) < Uid(b) ? -1 : (Uid(a) == Uid(b) ? 0 : 1);
  return ra < rb ? -1 : 1;
}

bool Less(const Ranked& x, const Ranked& y, common::TimePoint now) {
  const Json& a = *x.pod;
  const Json& b = *y.pod;
  const std::string na = common::GetString(common::Get(a, "spec"), "nodeName");
  const std::string nb = common::GetString(common::Get(b, "spec"), "nodeName");
  // 1. Unassigned < assigned.
  if (na != nb && (na.empty() || nb.empty())) return na.empty();
  // 2. Pending < Unknown < Running.
  if (int pa = PhaseOrdinal(a), pb = PhaseOrdinal(b); pa != pb) return pa < pb;
  // 3. Not ready < ready.
  if (bool ra = IsPodReady(a), rb = IsPodReady(b); ra != rb) return !ra;
  // 4. Lower deletion cost first.
  if (int64_t ca = DeletionCost(a), cb = DeletionCost(b); ca != cb) return ca < cb;
  // 5. Doubled up (more related pods on its node) first.
  if (x.rank != y.rank) return x.rank > y.rank;
  // 6. Ready for a shorter time first.
  if (IsPodReady(a) && IsPodReady(b)) {
    int c = CompareTimes(PodReadyTime(a), PodReadyTime(b), a, b, now);
    if (c != 0) return c < 0;
    if (PodReadyTime(a) != PodReadyTime(b)) return false;  // equal bucket and UID
  }
  // 7. More restarts first.
  if (int64_t ma = MaxRestarts(a), mb = MaxRestarts(b); ma != mb) return ma > mb;
  // 8. Newer first.
  auto cta = TimeAt(common::Get(a, "metadata"), "creationTimestamp");
  auto ctb = TimeAt(common::Get(b, "metadata"), "creationTimestamp");
  return CompareTimes(cta, ctb, a, b, now) < 0;
}

}  // namespace

std::vector<ObjectPtr> PodsToDelete(std::vector<ObjectPtr> pods,
                                    const std::vector<ObjectPtr>& related, size_t n,
                                    common::TimePoint now) {
  if (n >= pods.size()) return pods;
  std::map<std::string, int> on_node;
  for (const auto& p : related)
    if (IsPodActive(*p)) ++on_node[common::GetString(common::Get(*p, "spec"), "nodeName")];
  std::vector<Ranked> ranked;
  ranked.reserve(pods.size());
  for (auto& p : pods) {
    int rank = on_node[common::GetString(common::Get(*p, "spec"), "nodeName")];
    ranked.push_back({std::move(p), rank});
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&](const Ranked& x, const Ranked& y) { return Less(x, y, now); });
  std::vector<ObjectPtr> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(std::move(ranked[i].pod));
  return out;
}

}  // namespace reconcile
