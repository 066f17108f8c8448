#include "common/workqueue.h"

#include <algorithm>

namespace common {
namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::nanoseconds;

double Seconds(SteadyClock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

ItemExponentialRateLimiter::ItemExponentialRateLimiter(nanoseconds base, nanoseconds max)
    : base_(base), max_(max) {}

nanoseconds ItemExponentialRateLimiter::When(const std::string& item) {
  std::lock_guard<std::mutex> lock(mu_);
  int exp = failures_[item]++;
  // Doubling in floating point cannot overflow; the cap bounds it anyway.
  double ns = static_cast<double>(base_.count());
  for (int i = 0; i < exp && ns < static_cast<double>(max_.count()); ++i) ns *= 2;
  if (ns >= static_cast<double>(max_.count())) return max_;
  return nanoseconds(static_cast<int64_t>(ns));
}

void ItemExponentialRateLimiter::Forget(const std::string& item) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_.erase(item);
}

int ItemExponentialRateLimiter::NumRequeues(const std::string& item) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = failures_.find(item);
  return it == failures_.end() ? 0 : it->second;
}

BucketRateLimiter::BucketRateLimiter(double qps, int burst)
    : qps_(qps), burst_(std::max(1, burst)), tokens_(std::max(1, burst)),
      last_(SteadyClock::now()) {}

nanoseconds BucketRateLimiter::When(const std::string&) {
  if (qps_ <= 0) return nanoseconds(0);
  std::lock_guard<std::mutex> lock(mu_);
  auto now = SteadyClock::now();
  tokens_ = std::min(burst_, tokens_ + Seconds(now - last_) * qps_);
  last_ = now;
  // Reserve a token now, possibly going into debt: the wait is the time the
  // debt takes to repay (rate.Limiter.Reserve().Delay()).
  tokens_ -= 1;
  if (tokens_ >= 0) return nanoseconds(0);
  return nanoseconds(static_cast<int64_t>(-tokens_ / qps_ * 1e9));
}

MaxOfRateLimiter::MaxOfRateLimiter(std::vector<std::unique_ptr<RateLimiter>> limiters)
    : limiters_(std::move(limiters)) {}

nanoseconds MaxOfRateLimiter::When(const std::string& item) {
  nanoseconds longest(0);
  for (auto& l : limiters_) longest = std::max(longest, l->When(item));
  return longest;
}

void MaxOfRateLimiter::Forget(const std::string& item) {
  for (auto& l : limiters_) l->Forget(item);
}

int MaxOfRateLimiter::NumRequeues(const std::string& item) {
  int most = 0;
  for (auto& l : limiters_) most = std::max(most, l->NumRequeues(item));
  return most;
}

std::unique_ptr<RateLimiter> DefaultControllerRateLimiter() {
  std::vector<std::unique_ptr<RateLimiter>> v;
  v.push_back(std::make_unique<ItemExponentialRateLimiter>(std::chrono::milliseconds(5),
                                                           std::chrono::seconds(1000)));
  v.push_back(std::make_unique<BucketRateLimiter>(10, 100));
  return std::make_unique<MaxOfRateLimiter>(std::move(v));
}

struct WorkQueue::State {
  std::mutex mu;
  std::condition_variable cv;        // Get waiters
  std::condition_variable drain_cv;  // ShutDownWithDrain
  std::condition_variable delay_cv;  // the delay thread
  std::deque<std::string> queue;
  std::unordered_set<std::string> dirty;
  std::unordered_map<std::string, SteadyClock::time_point> processing;  // -> start
  std::unordered_map<std::string, SteadyClock::time_point> added_at;
  // Delayed items: ready time -> items, and item -> its ready time.
  std::set<std::pair<SteadyClock::time_point, std::string>> waiting;
  std::unordered_map<std::string, SteadyClock::time_point> waiting_at;
  bool shutting_down = false;
  std::unique_ptr<RateLimiter> limiter;

  metrics::Gauge* depth = nullptr;
  metrics::Counter* adds = nullptr;
  metrics::Histogram* queue_latency = nullptr;
  metrics::Histogram* work_duration = nullptr;
  metrics::Gauge* unfinished = nullptr;
  metrics::Gauge* longest = nullptr;
  metrics::Counter* retries = nullptr;

  // REQUIRES: mu held.
  void AddLocked(const std::string& item) {
    if (shutting_down) return;
    if (!dirty.insert(item).second) return;
    if (adds) adds->Inc();
    added_at.emplace(item, SteadyClock::now());
    if (processing.count(item)) return;  // Done() queues it again
    queue.push_back(item);
    if (depth) depth->Inc();
    cv.notify_one();
  }

  // The gauges client-go refreshes twice a second, computed at scrape time.
  void UpdateUnfinished() {
    std::lock_guard<std::mutex> lock(mu);
    if (!unfinished) return;
    auto now = SteadyClock::now();
    double total = 0, most = 0;
    for (const auto& [item, start] : processing) {
      double s = Seconds(now - start);
      total += s;
      most = std::max(most, s);
    }
    unfinished->Set(total);
    longest->Set(most);
  }
};

WorkQueue::WorkQueue(WorkQueueOptions options) : state_(std::make_shared<State>()) {
  state_->limiter =
      options.rate_limiter ? std::move(options.rate_limiter) : DefaultControllerRateLimiter();
  if (!options.name.empty()) {
    metrics::Registry& reg = options.registry ? *options.registry : metrics::Registry::Default();
    const std::vector<std::string> labels = {"name"};
    const std::vector<std::string> values = {options.name};
    // Names, help texts and buckets as client-go's Prometheus provider
    // (k8s.io/component-base/metrics/prometheus/workqueue) registers them.
    const auto buckets = metrics::ExponentialBuckets(10e-9, 10, 10);
    State& s = *state_;
    s.depth = &reg.AddGauge("workqueue_depth", "Current depth of workqueue", labels).With(values);
    s.adds = &reg.AddCounter("workqueue_adds_total", "Total number of adds handled by workqueue",
                             labels)
                  .With(values);
    s.queue_latency =
        &reg.AddHistogram("workqueue_queue_duration_seconds",
                          "How long in seconds an item stays in workqueue before being requested.",
                          labels, buckets)
             .With(values);
    s.work_duration =
        &reg.AddHistogram("workqueue_work_duration_seconds",
                          "How long in seconds processing an item from workqueue takes.", labels,
                          buckets)
             .With(values);
    s.unfinished =
        &reg.AddGauge("workqueue_unfinished_work_seconds",
                      "How many seconds of work has done that is in progress and hasn't been "
                      "observed by work_duration. Large values indicate stuck threads. One can "
                      "deduce the number of stuck threads by observing the rate at which this "
                      "increases.",
                      labels)
             .With(values);
    s.longest = &reg.AddGauge("workqueue_longest_running_processor_seconds",
                              "How many seconds has the longest running processor for workqueue "
                              "been running.",
                              labels)
                     .With(values);
    s.retries = &reg.AddCounter("workqueue_retries_total",
                                "Total number of retries handled by workqueue", labels)
                     .With(values);
    std::weak_ptr<State> weak = state_;
    reg.AddCollector([weak] {
      if (auto s = weak.lock()) s->UpdateUnfinished();
    });
  }
  delay_thread_ = std::thread([this] { DelayLoop(); });
}

WorkQueue::~WorkQueue() {
  ShutDown();
  if (delay_thread_.joinable()) delay_thread_.join();
  State& s = *state_;
  std::lock_guard<std::mutex> lock(s.mu);
  // The series outlives the queue in the registry: leave it reading zero.
  if (s.unfinished) {
    s.unfinished->Set(0);
    s.longest->Set(0);
    s.unfinished = nullptr;
  }
}

void WorkQueue::Add(const std::string& item) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->AddLocked(item);
}

void WorkQueue::AddAfter(const std::string& item, nanoseconds delay) {
  State& s = *state_;
  std::lock_guard<std::mutex> lock(s.mu);
  if (s.shutting_down) return;
  if (delay.count() <= 0) {
    s.AddLocked(item);
    return;
  }
  auto ready = SteadyClock::now() + delay;
  auto it = s.waiting_at.find(item);
  if (it != s.waiting_at.end()) {
    if (it->second <= ready) return;  // already due sooner
    s.waiting.erase({it->second, item});
    it->second = ready;
  } else {
    s.waiting_at.emplace(item, ready);
  }
  s.waiting.insert({ready, item});
  s.delay_cv.notify_one();
}

void WorkQueue::AddRateLimited(const std::string& item) {
  if (state_->retries && !ShuttingDown()) state_->retries->Inc();
  AddAfter(item, state_->limiter->When(item));
}

void WorkQueue::Forget(const std::string& item) { state_->limiter->Forget(item); }

int WorkQueue::NumRequeues(const std::string& item) { return state_->limiter->NumRequeues(item); }

std::optional<std::string> WorkQueue::Get() {
  State& s = *state_;
  std::unique_lock<std::mutex> lock(s.mu);
  s.cv.wait(lock, [&] { return !s.queue.empty() || s.shutting_down; });
  if (s.queue.empty()) return std::nullopt;
  std::string item = std::move(s.queue.front());
  s.queue.pop_front();
  if (s.depth) s.depth->Dec();
  auto now = SteadyClock::now();
  auto added = s.added_at.find(item);
  if (added != s.added_at.end()) {
    if (s.queue_latency) s.queue_latency->Observe(Seconds(now - added->second));
    s.added_at.erase(added);
  }
  s.processing[item] = now;
  s.dirty.erase(item);
  return item;
}

void WorkQueue::Done(const std::string& item) {
  State& s = *state_;
  std::lock_guard<std::mutex> lock(s.mu);
  auto it = s.processing.find(item);
  if (it == s.processing.end()) return;
  if (s.work_duration) s.work_duration->Observe(Seconds(SteadyClock::now() - it->second));
  s.processing.erase(it);
  if (s.dirty.count(item)) {
    s.queue.push_back(item);
    if (s.depth) s.depth->Inc();
    s.cv.notify_one();
  } else if (s.processing.empty()) {
    s.drain_cv.notify_all();
  }
}

size_t WorkQueue::Len() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->queue.size();
}

void WorkQueue::ShutDown() {
  State& s = *state_;
  std::lock_guard<std::mutex> lock(s.mu);
  s.shutting_down = true;
  s.waiting.clear();
  s.waiting_at.clear();
  s.cv.notify_all();
  s.delay_cv.notify_all();
}

void WorkQueue::ShutDownWithDrain() {
  ShutDown();
  State& s = *state_;
  std::unique_lock<std::mutex> lock(s.mu);
  // As upstream: wait for the items workers hold. Items still queued are
  // handed out by Get until the queue is empty, but with no workers left
  // nobody would take them, so they are not waited for.
  s.drain_cv.wait(lock, [&] { return s.processing.empty(); });
}

bool WorkQueue::ShuttingDown() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->shutting_down;
}

void WorkQueue::DelayLoop() {
  State& s = *state_;
  std::unique_lock<std::mutex> lock(s.mu);
  while (!s.shutting_down) {
    if (s.waiting.empty()) {
      s.delay_cv.wait(lock);
      continue;
    }
    auto first = s.waiting.begin();
    if (first->first > SteadyClock::now()) {
      s.delay_cv.wait_until(lock, first->first);
      continue;
    }
    std::string item = first->second;
    s.waiting.erase(first);
    s.waiting_at.erase(item);
    s.AddLocked(item);
  }
}

}  // namespace common
