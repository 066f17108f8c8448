// WATCH: served from the resource's watch cache. One JSON event per line
// (client-go frames by object, the Python client by newline), synthetic ADDED
// events for unset and "0" resourceVersions, BOOKMARKs when allowed, 410
// Expired in-stream for a revision the cache no longer holds, and a clean
// end at timeoutSeconds (default: random in [min-request-timeout, 2x]).
#include <random>
#include <thread>

#include "common/log.h"
#include "common/strings.h"
#include "encoding.h"
#include "handlers/list_options.h"
#include "storage/codec.h"

namespace apiserve::handlers {

using common::Json;

namespace {

// Streams a watcher may leave unread before it is cut off (it then re-lists,
// as client-go does after any watch ends).
constexpr size_t kMaxPendingBytes = 16 << 20;
// Upstream's cacher sends bookmarks about once a minute.
constexpr auto kBookmarkInterval = std::chrono::seconds(60);

struct ActiveWatch {
  std::shared_ptr<common::HttpStream> stream;
  storage::WatchCache* cache;
  std::shared_ptr<storage::CacheWatcher> watcher;
  std::chrono::steady_clock::time_point deadline;
  std::chrono::steady_clock::time_point next_bookmark;
  bool bookmarks;
};

// Ends watches at their deadline and sends periodic bookmarks.
class WatchHub {
 public:
  static WatchHub& Get() {
    static WatchHub* hub = new WatchHub();  // lives for the process
    return *hub;
  }
  uint64_t Add(ActiveWatch w) {
    std::lock_guard<std::mutex> lock(mu_);
    uint64_t id = next_++;
    watches_.emplace(id, std::move(w));
    return id;
  }
  void Remove(uint64_t id) {
    std::shared_ptr<storage::CacheWatcher> w;
    storage::WatchCache* cache = nullptr;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = watches_.find(id);
      if (it == watches_.end()) return;
      w = it->second.watcher;
      cache = it->second.cache;
      watches_.erase(it);
    }
    if (w && cache) cache->Unwatch(w);
  }

 private:
  WatchHub() {
    std::thread([this] { Loop(); }).detach();
  }
  void Loop() {
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      auto now = std::chrono::steady_clock::now();
      std::vector<ActiveWatch> expired, bookmark;
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (auto& [id, w] : watches_) {
          if (now >= w.deadline) {
            expired.push_back(w);
          } else if (w.bookmarks && now >= w.next_bookmark) {
            w.next_bookmark = now + kBookmarkInterval;
            bookmark.push_back(w);
          }
        }
      }
      for (auto& w : bookmark) w.cache->Bookmark(w.watcher);
      for (auto& w : expired) {
        // A last bookmark lets a reflector resume exactly where it stopped.
        if (w.bookmarks) w.cache->Bookmark(w.watcher);
        w.cache->Unwatch(w.watcher);
        w.stream->Close();
      }
    }
  }
  std::mutex mu_;
  uint64_t next_ = 1;
  std::map<uint64_t, ActiveWatch> watches_;
};

const char* TypeName(storage::CacheEvent::Type t) {
  switch (t) {
    case storage::CacheEvent::Type::kAdded: return "ADDED";
    case storage::CacheEvent::Type::kModified: return "MODIFIED";
    case storage::CacheEvent::Type::kDeleted: return "DELETED";
    case storage::CacheEvent::Type::kBookmark: return "BOOKMARK";
  }
  return "";
}

std::string ErrorEvent(const ApiError& e) {
  return "{\"type\":\"ERROR\",\"object\":" + common::DumpJson(e.ToJson()) + "}\n";
}

}  // namespace

void Watch(ApiServer& s, Request& r) {
  ListOptions o;
  if (auto e = ParseListOptions(r, &o)) return r.Fail(*e);
  if (!r.info.name.empty()) {
    // ?watch=true on an object: a watch of that one name.
    auto sel = common::FieldSelector::Parse("metadata.name=" + r.info.name);
    if (sel.ok()) {
      std::string combined = sel->String();
      if (!o.fields.Empty()) combined += "," + o.fields.String();
      auto both = common::FieldSelector::Parse(combined);
      if (both.ok()) o.fields = std::move(both).value();
    }
  }
  std::string ns = r.res->info.namespaced ? r.info.namespace_ : "";
  auto st = s.StorageFor(*r.res);
  if (!st.ok()) return r.Fail(ApiError::FromStatus(st.status(), r.gr(), ""));
  storage::WatchCache* cache = (*st)->cache.get();
  storage::Filter filter = MakeFilter(s, *r.res, ns, o);

  int64_t from_rv = 0;
  if (!o.resource_version) {
    // Unset: the current state, consistently, then changes.
    auto cur = s.store().CurrentRevision();
    if (cur.ok()) {
      auto fresh = cache->WaitUntilFresh(*cur, std::chrono::seconds(3));
      (void)fresh;
    }
  } else {
    from_rv = *common::ParseInt64(*o.resource_version);
  }
  bool initial_events_end = o.send_initial_events && o.allow_bookmarks;

  int64_t timeout_s = o.timeout_seconds.value_or(0);
  if (timeout_s <= 0) {
    thread_local std::mt19937 rng{std::random_device{}()};
    int min = s.options().min_request_timeout_s;
    timeout_s = min + static_cast<int64_t>(rng() % static_cast<unsigned>(min + 1));
  }

  auto stream = r.responder.Stream(200, {{"Audit-Id", r.audit_id},
                                         {"Content-Type", "application/json"},
                                         {"Cache-Control", "no-cache, private"}});
  if (!stream) return;

  const ServedResource res = *r.res;
  const bool plain = r.out.kind == OutputFormat::Kind::kJson && !r.out.pretty &&
                     res.info.storage_version == res.info.gv();
  const OutputFormat out = r.out;
  const std::string include = o.include_object;
  auto table_headers_sent = std::make_shared<bool>(false);
  const std::string kind = res.info.kind;
  const std::string api_version = res.info.gv().String();

  auto encode = [=](const storage::Delivery& d) -> std::string {
    if (d.type == storage::CacheEvent::Type::kBookmark) {
      Json md = {{"resourceVersion", std::to_string(d.rv)}};
      if (out.kind == OutputFormat::Kind::kTable) {
        Json t = {{"kind", "Table"}, {"apiVersion", "meta.k8s.io/" + out.table_version},
                  {"metadata", md}, {"columnDefinitions", nullptr}, {"rows", nullptr}};
        return "{\"type\":\"BOOKMARK\",\"object\":" + common::DumpJson(t) + "}\n";
      }
      Json b = {{"kind", kind}, {"apiVersion", api_version}, {"metadata", md}};
      return "{\"type\":\"BOOKMARK\",\"object\":" + common::DumpJson(b) + "}\n";
    }
    if (plain) return d.frame;
    auto served = ToServedVersion(res, d.obj->bytes);
    if (!served.ok()) return "";
    std::string body;
    if (out.kind == OutputFormat::Kind::kTable || out.kind == OutputFormat::Kind::kPartialMetadata) {
      auto obj = common::ParseJson(*served);
      if (!obj.ok()) return "";
      if (out.kind == OutputFormat::Kind::kPartialMetadata) {
        body = common::DumpJson(PartialMetadata(*obj, out.table_version));
      } else {
        Json t = Json::object();
        t["kind"] = "Table";
        t["apiVersion"] = "meta.k8s.io/" + out.table_version;
        t["metadata"] = {{"resourceVersion", std::to_string(d.rv)}};
        // Only the first event carries the column definitions.
        if (!*table_headers_sent) {
          t["columnDefinitions"] = TableColumns(res);
          *table_headers_sent = true;
        } else {
          t["columnDefinitions"] = nullptr;
        }
        t["rows"] = Json::array({TableRow(res, *obj, include)});
        body = common::DumpJson(t);
      }
    } else {
      body = std::move(served).value();
    }
    return std::string("{\"type\":\"") + TypeName(d.type) + "\",\"object\":" + body + "}\n";
  };

  std::weak_ptr<common::HttpStream> weak = stream;
  auto sink = [weak, encode](const storage::Delivery& d) -> bool {
    auto st = weak.lock();
    if (!st || st->closed()) return false;
    if (st->Pending() > kMaxPendingBytes) {
      LOG_WARNING("closing a watch whose client does not keep up");
      st->Close();
      return false;
    }
    std::string line = encode(d);
    if (line.empty()) return true;
    return st->Write(std::move(line));
  };

  auto w = cache->Watch(from_rv, filter, sink);
  if (!w.ok()) {
    if (w.status().code() == common::Code::kExpired) {
      stream->Write(ErrorEvent(ApiError::Expired(w.status().message())));
    } else {
      stream->Write(ErrorEvent(ApiError::FromStatus(w.status(), r.gr(), "")));
    }
    stream->Close();
    return;
  }
  std::shared_ptr<storage::CacheWatcher> watcher = *w;
  if (initial_events_end) {
    Json b = {{"kind", kind},
              {"apiVersion", api_version},
              {"metadata",
               {{"resourceVersion", std::to_string(cache->ResourceVersion())},
                {"annotations", {{"k8s.io/initial-events-end", "true"}}}}}};
    stream->Write("{\"type\":\"BOOKMARK\",\"object\":" + common::DumpJson(b) + "}\n");
  }
  watcher->on_terminate = [weak] {
    if (auto st = weak.lock()) st->Close();
  };
  auto now = std::chrono::steady_clock::now();
  uint64_t id = WatchHub::Get().Add(ActiveWatch{stream, cache, watcher,
                                                now + std::chrono::seconds(timeout_s),
                                                now + kBookmarkInterval, o.allow_bookmarks});
  // The client going away (or shutdown) ends the watch.
  stream->OnClose([id] { WatchHub::Get().Remove(id); });
}

}  // namespace apiserve::handlers
