#include "storage/watch_cache.h"

#include "common/log.h"
#include "storage/codec.h"

namespace apiserve::storage {

namespace kv = common::kv;
using common::Json;
using common::Status;

std::optional<std::string> CachedObject::Field(std::string_view field) const {
  if (field == "metadata.name") return name;
  if (field == "metadata.namespace") return ns;
  for (const auto& [k, v] : fields)
    if (k == field) return v;
  if (!field_fn || !*field_fn) return std::nullopt;
  auto parsed = common::ParseJson(bytes);
  if (!parsed.ok()) return std::nullopt;
  return (*field_fn)(*parsed, field);
}

bool Filter::Matches(const CachedObject& o) const {
  if (exact_key) {
    if (o.key != key_prefix) return false;
  } else if (o.key.compare(0, key_prefix.size(), key_prefix) != 0) {
    return false;
  }
  if (!labels.Empty() && !labels.Matches(o.labels)) return false;
  if (!fields.Empty() && !fields.Matches([&](std::string_view f) { return o.Field(f); }))
    return false;
  return true;
}

std::string TooOldMessage(int64_t requested, int64_t oldest) {
  return "too old resource version: " + std::to_string(requested) + " (" +
         std::to_string(oldest) + ")";
}

WatchCache::WatchCache(Store* store, WatchCacheOptions options)
    : store_(store), opts_(std::move(options)) {
  if (opts_.capacity < 1) opts_.capacity = 1;
}

WatchCache::~WatchCache() { Stop(); }

void WatchCache::Stop() {
  std::unique_ptr<kv::Watcher> w;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    w = std::move(kv_watch_);
  }
  restart_cv_.notify_all();
  if (w) w->Cancel();
  if (restarter_.joinable()) restarter_.join();
  std::vector<std::shared_ptr<CacheWatcher>> ws;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ws.swap(watchers_);
    for (auto& x : ws) x->stopped = true;
  }
  for (auto& x : ws)
    if (x->on_terminate) x->on_terminate();
}

ObjectPtr WatchCache::MakeObject(const std::string& key, const std::string& value,
                                 int64_t rv) const {
  auto o = std::make_shared<CachedObject>();
  o->key = key;
  std::string_view rel = std::string_view(key).substr(std::min(key.size(), opts_.prefix.size()));
  size_t slash = rel.find('/');
  if (slash == std::string_view::npos) {
    o->name = std::string(rel);
  } else {
    o->ns = std::string(rel.substr(0, slash));
    o->name = std::string(rel.substr(slash + 1));
  }
  o->rv = rv;
  o->bytes = WithResourceVersion(value, rv);
  o->field_fn = opts_.field_fn;
  if (opts_.index) {
    if (!opts_.index_paths.empty()) {
      if (auto part = ExtractPaths(value, opts_.index_paths)) opts_.index(*part, *o);
    } else if (auto parsed = common::ParseJson(value); parsed.ok()) {
      opts_.index(*parsed, *o);
    }
  }
  return o;
}

Status WatchCache::Relist() {
  auto list = store_->List(opts_.prefix, kv::PrefixEnd(opts_.prefix), 0, 0);
  if (!list.ok()) return list.status();
  std::map<std::string, ObjectPtr> objects;
  for (auto& item : list->items)
    objects.emplace(item.key, MakeObject(item.key, item.value, item.mod_revision));
  int64_t rev = list->revision;

  kv::WatchRequest wr;
  wr.key = opts_.prefix;
  wr.range_end = kv::PrefixEnd(opts_.prefix);
  wr.start_revision = rev + 1;
  wr.progress_notify = true;
  // Hold the lock across the watch start so its first response (on a store
  // thread) sees the listed state.
  std::vector<std::shared_ptr<CacheWatcher>> dropped;
  std::unique_lock<std::mutex> lock(mu_);
  if (stopping_) return Status::Unavailable("watch cache stopped");
  objects_ = std::move(objects);
  ring_.clear();
  rv_ = rev;
  oldest_rv_ = rev;
  broken_ = false;
  dropped.swap(watchers_);
  for (auto& x : dropped) x->stopped = true;
  auto w = store_->kv()->Watch(wr, [this](kv::WatchResponse r) { OnWatchResponse(std::move(r)); });
  if (!w.ok()) {
    broken_ = true;
    return w.status();
  }
  kv_watch_ = std::move(w).value();
  ready_ = true;
  lock.unlock();
  fresh_.notify_all();
  for (auto& x : dropped)
    if (x->on_terminate) x->on_terminate();
  return Status::Ok();
}

Status WatchCache::Start() {
  Status s = Relist();
  restarter_ = std::thread([this] { RestartLoop(); });
  return s;
}

void WatchCache::RestartLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    restart_cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_ || broken_; });
    if (stopping_) break;
    if (!broken_) continue;
    auto old = std::move(kv_watch_);
    lock.unlock();
    if (old) old->Cancel();
    old.reset();
    Status s = Relist();
    if (!s.ok()) {
      LOG_WARNING("watch cache relist failed", {"prefix", opts_.prefix}, {"err", s.ToString()});
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    lock.lock();
  }
}

void WatchCache::OnWatchResponse(kv::WatchResponse resp) {
  if (resp.canceled) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      broken_ = true;
    }
    LOG_WARNING("watch cache lost its store watch; relisting", {"prefix", opts_.prefix},
                {"reason", resp.cancel_reason});
    restart_cv_.notify_all();
    return;
  }
  // Parse outside the lock: only this thread feeds the cache.
  struct Pending {
    kv::Event::Type type;
    std::string key;
    int64_t rv;
    ObjectPtr obj;
  };
  std::vector<Pending> pending;
  pending.reserve(resp.events.size());
  for (auto& e : resp.events) {
    Pending p{e.type, e.kv.key, e.kv.mod_revision, nullptr};
    if (e.type == kv::Event::Type::kPut) p.obj = MakeObject(e.kv.key, e.kv.value, e.kv.mod_revision);
    pending.push_back(std::move(p));
  }
  std::unique_lock<std::mutex> lock(mu_);
  if (stopping_ || broken_) return;
  for (auto& p : pending) {
    if (p.rv <= rv_) continue;  // already in the listed state
    CacheEvent ev;
    ev.rv = p.rv;
    auto it = objects_.find(p.key);
    if (p.type == kv::Event::Type::kPut) {
      ev.type = it == objects_.end() ? CacheEvent::Type::kAdded : CacheEvent::Type::kModified;
      if (it != objects_.end()) ev.prev = it->second;
      ev.obj = p.obj;
    } else {
      if (it == objects_.end()) continue;
      ev.type = CacheEvent::Type::kDeleted;
      ev.prev = it->second;
      auto gone = std::make_shared<CachedObject>(*it->second);
      gone->bytes = ReplaceResourceVersion(it->second->bytes, it->second->rv, p.rv);
      gone->rv = p.rv;
      ev.obj = std::move(gone);
    }
    ApplyEventLocked(std::move(ev));
  }
  if (resp.revision > rv_) rv_ = resp.revision;
  lock.unlock();
  fresh_.notify_all();
}

void WatchCache::ApplyEventLocked(CacheEvent ev) {
  if (ev.type == CacheEvent::Type::kDeleted) {
    objects_.erase(ev.obj->key);
  } else {
    objects_[ev.obj->key] = ev.obj;
  }
  rv_ = ev.rv;
  Dispatch(ev);
  ring_.push_back(std::move(ev));
  while (ring_.size() > opts_.capacity) {
    oldest_rv_ = ring_.front().rv;
    ring_.pop_front();
  }
}

namespace {

const char* TypeName(CacheEvent::Type t) {
  switch (t) {
    case CacheEvent::Type::kAdded: return "ADDED";
    case CacheEvent::Type::kModified: return "MODIFIED";
    case CacheEvent::Type::kDeleted: return "DELETED";
    case CacheEvent::Type::kBookmark: return "BOOKMARK";
  }
  return "";
}

std::string Frame(CacheEvent::Type t, const ObjectPtr& obj) {
  std::string s;
  s.reserve(obj->bytes.size() + 32);
  s += "{\"type\":\"";
  s += TypeName(t);
  s += "\",\"object\":";
  s += obj->bytes;
  s += "}\n";
  return s;
}

// What one watcher sees of one event (nullopt: nothing).
struct Seen {
  CacheEvent::Type type;
  int which;  // 0 = ev.obj, 1 = ev.prev at the event's rv
};

std::optional<Seen> Project(const Filter& f, const CacheEvent& ev) {
  switch (ev.type) {
    case CacheEvent::Type::kAdded:
      if (f.Matches(*ev.obj)) return Seen{CacheEvent::Type::kAdded, 0};
      return std::nullopt;
    case CacheEvent::Type::kModified: {
      bool cur = f.Matches(*ev.obj);
      bool old = ev.prev && f.Matches(*ev.prev);
      if (cur && old) return Seen{CacheEvent::Type::kModified, 0};
      if (cur) return Seen{CacheEvent::Type::kAdded, 0};
      if (old) return Seen{CacheEvent::Type::kDeleted, 1};
      return std::nullopt;
    }
    case CacheEvent::Type::kDeleted:
      if (f.Matches(*ev.obj)) return Seen{CacheEvent::Type::kDeleted, 0};
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace

void WatchCache::Dispatch(const CacheEvent& ev) {
  if (watchers_.empty()) return;
  std::string frames[2][4];
  ObjectPtr prev_at_rv;
  bool any_dropped = false;
  for (auto& w : watchers_) {
    if (w->stopped || ev.rv <= w->from_rv) continue;
    auto seen = Project(w->filter, ev);
    if (!seen) continue;
    const ObjectPtr* obj = &ev.obj;
    if (seen->which == 1) {
      if (!prev_at_rv) {
        auto p = std::make_shared<CachedObject>(*ev.prev);
        p->bytes = ReplaceResourceVersion(ev.prev->bytes, ev.prev->rv, ev.rv);
        p->rv = ev.rv;
        prev_at_rv = std::move(p);
      }
      obj = &prev_at_rv;
    }
    std::string& frame = frames[seen->which][static_cast<int>(seen->type)];
    if (frame.empty()) frame = Frame(seen->type, *obj);
    if (!w->sink(Delivery{seen->type, *obj, ev.rv, frame})) {
      w->stopped = true;
      any_dropped = true;
    }
  }
  if (any_dropped) {
    std::erase_if(watchers_, [](const std::shared_ptr<CacheWatcher>& w) { return w->stopped; });
  }
}

int64_t WatchCache::ResourceVersion() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rv_;
}

bool WatchCache::ready() const {
  std::lock_guard<std::mutex> lock(mu_);
  return ready_ && !broken_;
}

size_t WatchCache::Size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return objects_.size();
}

size_t WatchCache::WatcherCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return watchers_.size();
}

Status WatchCache::WaitUntilFresh(int64_t rv, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock<std::mutex> lock(mu_);
  if (ready_ && !broken_ && rv_ >= rv) return Status::Ok();
  if (kv_watch_) kv_watch_->RequestProgress();
  while (!(ready_ && !broken_ && rv_ >= rv)) {
    if (fresh_.wait_until(lock, deadline) == std::cv_status::timeout) {
      if (ready_ && !broken_ && rv_ >= rv) break;
      return Status::Timeout("Too large resource version: " + std::to_string(rv) +
                             ", current: " + std::to_string(rv_));
    }
  }
  return Status::Ok();
}

std::vector<ObjectPtr> WatchCache::List(const Filter& filter, int64_t* rv) const {
  std::vector<ObjectPtr> out;
  std::lock_guard<std::mutex> lock(mu_);
  if (rv) *rv = rv_;
  if (filter.exact_key) {
    auto it = objects_.find(filter.key_prefix);
    if (it != objects_.end() && filter.Matches(*it->second)) out.push_back(it->second);
    return out;
  }
  for (auto it = objects_.lower_bound(filter.key_prefix); it != objects_.end(); ++it) {
    if (it->first.compare(0, filter.key_prefix.size(), filter.key_prefix) != 0) break;
    if (filter.Matches(*it->second)) out.push_back(it->second);
  }
  return out;
}

ObjectPtr WatchCache::Get(const std::string& key, int64_t* rv) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (rv) *rv = rv_;
  auto it = objects_.find(key);
  return it == objects_.end() ? nullptr : it->second;
}

common::Result<std::shared_ptr<CacheWatcher>> WatchCache::Watch(int64_t from_rv, Filter filter,
                                                                WatchSink sink) {
  auto w = std::make_shared<CacheWatcher>();
  w->filter = std::move(filter);
  w->sink = std::move(sink);
  std::lock_guard<std::mutex> lock(mu_);
  if (!ready_ || broken_) return Status::Unavailable("the watch cache is not ready");
  if (from_rv == 0) {
    // Synthetic ADDED events for the current state, then changes after rv_.
    static const std::string kNoFrame;
    for (auto it = objects_.lower_bound(w->filter.key_prefix); it != objects_.end(); ++it) {
      if (it->first.compare(0, w->filter.key_prefix.size(), w->filter.key_prefix) != 0) break;
      if (!w->filter.Matches(*it->second)) continue;
      std::string frame = Frame(CacheEvent::Type::kAdded, it->second);
      if (!w->sink(Delivery{CacheEvent::Type::kAdded, it->second, it->second->rv, frame}))
        return Status::Unavailable("watcher went away");
    }
    w->from_rv = rv_;
  } else {
    if (from_rv < oldest_rv_) return Status::Expired(TooOldMessage(from_rv, oldest_rv_));
    for (const auto& ev : ring_) {
      if (ev.rv <= from_rv) continue;
      auto seen = Project(w->filter, ev);
      if (!seen) continue;
      ObjectPtr obj = ev.obj;
      if (seen->which == 1) {
        auto p = std::make_shared<CachedObject>(*ev.prev);
        p->bytes = ReplaceResourceVersion(ev.prev->bytes, ev.prev->rv, ev.rv);
        p->rv = ev.rv;
        obj = std::move(p);
      }
      std::string frame = Frame(seen->type, obj);
      if (!w->sink(Delivery{seen->type, obj, ev.rv, frame}))
        return Status::Unavailable("watcher went away");
    }
    w->from_rv = std::max(from_rv, rv_);
  }
  watchers_.push_back(w);
  return w;
}

void WatchCache::Unwatch(const std::shared_ptr<CacheWatcher>& w) {
  std::lock_guard<std::mutex> lock(mu_);
  w->stopped = true;
  std::erase(watchers_, w);
}

void WatchCache::Bookmark(const std::shared_ptr<CacheWatcher>& w) {
  std::lock_guard<std::mutex> lock(mu_);
  if (w->stopped) return;
  static const ObjectPtr kNone;
  static const std::string kNoFrame;
  if (!w->sink(Delivery{CacheEvent::Type::kBookmark, kNone, rv_, kNoFrame})) {
    w->stopped = true;
    std::erase(watchers_, w);
  }
}

}  // namespace apiserve::storage
