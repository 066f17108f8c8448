// An in-memory Kubernetes API server for tests of clients, informers,
// leader election and controllers: any resource under /api and /apis,
// create/get/list/update/patch/delete, watch from a resourceVersion with
// bookmarks, 410 Expired after Compact(), finalizers, injected failures, and
// discovery (/api, /apis) of the built-in resources.
//
// It is deliberately small: no validation, no defaulting beyond the
// metadata a server assigns, patches applied with common/api/patch.h,
// selectors evaluated on the object itself. Tests that need the real
// semantics run against apiserve.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/http_server.h"
#include "common/json.h"
#include "common/rest_client.h"
#include "common/status.h"

namespace common {

// Thread-safe. Not copyable.
class FakeApiServer {
 public:
  FakeApiServer();
  ~FakeApiServer();  // Stop()
  FakeApiServer(const FakeApiServer&) = delete;
  FakeApiServer& operator=(const FakeApiServer&) = delete;

  // Listens on 127.0.0.1 with a free port.
  Status Start();
  // Closes every watch and stops serving. Idempotent.
  void Stop();
  // "http://127.0.0.1:<port>".
  std::string url() const { return url_; }

  // Direct writes and reads, as if another client had made them over HTTP:
  // watchers see the same events. Errors are the server's (AlreadyExists,
  // NotFound, Conflict on a stale metadata.resourceVersion).
  Result<Json> Create(const GroupVersionResource& gvr, const Json& object);
  Result<Json> Update(const GroupVersionResource& gvr, const Json& object);
  Result<Json> Get(const GroupVersionResource& gvr, const std::string& ns,
                   const std::string& name);
  // Deletes now (finalizers ignored).
  Status Delete(const GroupVersionResource& gvr, const std::string& ns, const std::string& name);
  // Objects of `gvr` (all namespaces), ordered by namespace/name.
  std::vector<Json> List(const GroupVersionResource& gvr);

  // The current (latest) resourceVersion.
  int64_t resource_version() const;
  // Forgets the event history: a watch from an older resourceVersion gets an
  // in-stream ERROR 410 Expired, and old continue tokens get HTTP 410.
  void Compact();
  // Sends a BOOKMARK with the current resourceVersion to every open watch
  // that asked for bookmarks.
  void SendBookmarks();
  // Ends every open watch stream cleanly (as a server-side timeout does).
  void CloseWatches();
  // Open watch streams.
  size_t WatchCount() const;

  // The next `times` requests whose method equals `method` ("" = any) and
  // whose path starts with `path_prefix` get an error response: a Status of
  // `reason` with HTTP `code`, and a Retry-After header when `retry_after`
  // >= 0.
  void FailNext(const std::string& method, const std::string& path_prefix, int code,
                const std::string& reason, int times = 1, int retry_after = -1);

  struct RequestRecord {
    std::string method;
    std::string target;  // path and query as sent
    std::string user_agent;
    std::string content_type;
    std::string authorization;
    std::string body;
  };
  // Every request seen so far, in order.
  std::vector<RequestRecord> Requests() const;
  void ClearRequests();

 private:
  struct Watcher;
  struct Failure {
    std::string method, prefix, reason;
    int code, times, retry_after;
  };
  struct ParsedPath;

  void Handle(HttpRequest& req, Responder r);
  void HandleWatch(const ParsedPath& p, HttpRequest& req, Responder r);
  HttpResponse HandleList(const ParsedPath& p, HttpRequest& req);
  HttpResponse HandleCreate(const ParsedPath& p, HttpRequest& req);
  HttpResponse HandleUpdate(const ParsedPath& p, HttpRequest& req);
  HttpResponse HandlePatch(const ParsedPath& p, HttpRequest& req);
  HttpResponse HandleDelete(const ParsedPath& p, HttpRequest& req);

  // REQUIRES: mu_ held. Store mutations that notify watchers.
  Result<Json> CreateLocked(const std::string& res_key, const GroupVersionResource& gvr,
                            const std::string& ns, Json obj);
  Result<Json> UpdateLocked(const std::string& res_key, const GroupVersionResource& gvr,
                            const std::string& ns, Json obj, const std::string& subresource);
  Result<Json> DeleteLocked(const std::string& res_key, const GroupVersionResource& gvr,
                            const std::string& ns, const std::string& name, bool immediate);
  void NotifyLocked(const std::string& res_key, const std::string& type, const Json& obj);
  void TimeoutLoop();

  mutable std::mutex mu_;
  std::unique_ptr<HttpServer> server_;
  std::string url_;
  int64_t rv_ = 1;
  int64_t compacted_ = 0;  // events at or below this revision are forgotten
  // resource key ("apps/deployments") -> "ns/name" -> object
  std::map<std::string, std::map<std::string, Json>> objects_;
  struct HistoryEntry {
    int64_t rv;
    std::string res_key;
    std::string type;
    Json object;
  };
  std::vector<HistoryEntry> history_;
  std::vector<std::shared_ptr<Watcher>> watchers_;
  std::vector<Failure> failures_;
  std::vector<RequestRecord> requests_;
  uint64_t uid_counter_ = 0;
  bool stopping_ = false;
  std::condition_variable cv_;
  std::thread timeout_thread_;
};

}  // namespace common
