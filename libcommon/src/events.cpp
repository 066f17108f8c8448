#include "common/events.h"

#include <cstdio>

#include "common/log.h"
#include "common/timeutil.h"

namespace common {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Looks `key` up in an LRU, creating `fresh` (and evicting the oldest entry
// past `cap`) when absent; the entry becomes the most recent.
template <typename Lru, typename V>
V& Touch(Lru& lru, const std::string& key, size_t cap, V fresh) {
  auto it = lru.map.find(key);
  if (it != lru.map.end()) {
    lru.order.splice(lru.order.begin(), lru.order, it->second);
    return it->second->second;
  }
  lru.order.emplace_front(key, std::move(fresh));
  lru.map[key] = lru.order.begin();
  if (lru.map.size() > cap) {
    lru.map.erase(lru.order.back().first);
    lru.order.pop_back();
  }
  return lru.order.front().second;
}

std::string Join(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) {
    out.append(p);
    out += '\x1f';  // a separator no field contains
  }
  return out;
}

}  // namespace

struct EventRecorder::Correlated {
  Json event;
  bool skip = false;
  bool update = false;  // fold into the existing Event (PATCH)
  std::string key;
};

EventRecorder::EventRecorder(RestClient* client, EventRecorderOptions options)
    : client_(client), options_(std::move(options)) {
  writer_ = std::thread([this] { WriteLoop(); });
}

EventRecorder::~EventRecorder() {
  Flush(std::chrono::seconds(1));
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  writer_.join();
}

Json EventRecorder::MakeEvent(const Json& object, std::string_view type, std::string_view reason,
                              std::string message, const EventRecorderOptions& options) {
  const Json& md = Get(object, "metadata");
  Json ref = Json::object();
  ref["kind"] = GetString(object, "kind");
  std::string ns = GetString(md, "namespace");
  if (!ns.empty()) ref["namespace"] = ns;
  ref["name"] = GetString(md, "name");
  ref["uid"] = GetString(md, "uid");
  ref["apiVersion"] = GetString(object, "apiVersion");
  ref["resourceVersion"] = GetString(md, "resourceVersion");

  auto now = Clock::now();
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, ".%llx", static_cast<unsigned long long>(nanos));
  std::string ts = FormatRFC3339(now);
  Json source = Json::object();
  source["component"] = options.component;
  if (!options.host.empty()) source["host"] = options.host;
  return Json{{"kind", "Event"},
              {"apiVersion", "v1"},
              {"metadata",
               {{"name", GetString(md, "name") + suffix},
                // Events about cluster-scoped objects live in "default".
                {"namespace", ns.empty() ? "default" : ns}}},
              {"involvedObject", std::move(ref)},
              {"reason", reason},
              {"message", std::move(message)},
              {"source", std::move(source)},
              {"firstTimestamp", ts},
              {"lastTimestamp", ts},
              {"count", 1},
              {"type", type},
              {"eventTime", nullptr},
              {"reportingComponent", options.component},
              {"reportingInstance", options.host}};
}

void EventRecorder::Event(const Json& object, std::string_view type, std::string_view reason,
                          std::string message) {
  Json ev = MakeEvent(object, type, reason, std::move(message), options_);
  VLOG(3, "event", {"object", GetString(ev["involvedObject"], "name")}, {"type", std::string(type)},
       {"reason", std::string(reason)}, {"message", GetString(ev, "message")});
  std::lock_guard<std::mutex> lock(mu_);
  if (stop_ || queue_.size() >= options_.queue_size) {
    ++stats_.dropped;
    return;
  }
  queue_.push_back(std::move(ev));
  cv_.notify_one();
}

bool EventRecorder::Flush(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return idle_cv_.wait_for(lock, timeout, [&] { return queue_.empty() && !writing_; });
}

EventRecorderStats EventRecorder::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

EventRecorder::Correlated EventRecorder::Correlate(Json event) {
  Correlated c;
  const Json& ref = event["involvedObject"];
  const Json& src = event["source"];
  std::string object_key =
      Join({GetString(src, "component"), GetString(src, "host"), GetString(ref, "kind"),
            GetString(ref, "namespace"), GetString(ref, "name"), GetString(ref, "uid"),
            GetString(ref, "apiVersion")});
  auto now = SteadyClock::now();

  // 1. Spam filter: a token bucket per involved object.
  SpamBucket& bucket = Touch(spam_, object_key, options_.cache_size,
                             SpamBucket{static_cast<double>(options_.spam_burst), now});
  bucket.tokens = std::min<double>(
      options_.spam_burst,
      bucket.tokens + std::chrono::duration<double>(now - bucket.last).count() * options_.spam_qps);
  bucket.last = now;
  if (bucket.tokens < 1) {
    c.skip = true;
    return c;
  }
  bucket.tokens -= 1;

  // 2. Aggregation: events alike but for their message.
  std::string aggregate_key =
      object_key + Join({GetString(event, "type"), GetString(event, "reason")});
  std::string message = GetString(event, "message");
  AggregateRecord& rec = Touch(aggregate_, aggregate_key, options_.cache_size,
                               AggregateRecord{{}, now});
  if (now - rec.last > options_.aggregate_interval) rec.messages.clear();
  rec.last = now;
  rec.messages[message] = true;
  if (static_cast<int>(rec.messages.size()) < options_.aggregate_max) {
    c.key = aggregate_key + message;
  } else {
    c.key = aggregate_key;
    event["message"] = "(combined from similar events): " + message;
  }

  // 3. Deduplication: a repeat bumps the count of the Event already written.
  auto it = observed_.map.find(c.key);
  if (it != observed_.map.end()) {
    Observation& obs = Touch(observed_, c.key, options_.cache_size, Observation{});
    obs.count += 1;
    event["count"] = obs.count;
    event["firstTimestamp"] = obs.first_timestamp;
    event["metadata"]["name"] = obs.name;
    c.update = true;
  } else {
    Touch(observed_, c.key, options_.cache_size,
          Observation{1, GetString(event, "firstTimestamp"),
                      GetString(event["metadata"], "name")});
  }
  c.event = std::move(event);
  return c;
}

void EventRecorder::WriteLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) break;  // stopping
    Json ev = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    lock.unlock();
    Write(std::move(ev));
    lock.lock();
    writing_ = false;
    if (queue_.empty()) idle_cv_.notify_all();
  }
  idle_cv_.notify_all();
}

void EventRecorder::Write(Json event) {
  Correlated c = Correlate(std::move(event));
  if (c.skip) {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.dropped;
    return;
  }
  const std::string ns = GetString(c.event["metadata"], "namespace");
  const std::string name = GetString(c.event["metadata"], "name");
  for (int attempt = 0; attempt < options_.max_tries; ++attempt) {
    Status st;
    bool patched = false;
    if (c.update) {
      Json patch = {{"count", c.event["count"]},
                    {"lastTimestamp", c.event["lastTimestamp"]},
                    {"message", c.event["message"]}};
      auto r = client_->Patch(events_, ns, name, PatchType::kStrategic, patch);
      st = r.status();
      patched = r.ok();
    }
    if (!c.update || st.IsNotFound()) {
      // A first occurrence, or the Event we would fold into is gone.
      Json fresh = c.event;
      fresh["metadata"].erase("resourceVersion");
      auto r = client_->Create(events_, ns, fresh);
      st = r.status();
      if (r.ok()) {
        auto it = observed_.map.find(c.key);
        if (it != observed_.map.end())
          it->second->second.name = GetString((*r)["metadata"], "name");
      }
    }
    if (st.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      ++(patched ? stats_.patched : stats_.created);
      return;
    }
    // As client-go: what the server refused on its merits is not retried.
    Code code = st.code();
    if (code == Code::kAlreadyExists || code == Code::kInvalid || code == Code::kBadRequest ||
        code == Code::kForbidden || code == Code::kUnauthorized || code == Code::kConflict) {
      LOG_WARNING("server rejected event (will not retry!)", {"event", name},
                  {"err", st.ToString()});
      break;
    }
    LOG_WARNING("unable to write event (may retry after sleeping)", {"event", name},
                {"err", st.ToString()});
    std::unique_lock<std::mutex> lock(mu_);
    if (cv_.wait_for(lock, options_.retry_sleep, [&] { return stop_; })) break;
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++stats_.dropped;
}

}  // namespace common
