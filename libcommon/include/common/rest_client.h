// A Kubernetes REST client on common::HttpClient: resource paths, CRUD, patch,
// list with selectors and paging, streamed watches, and Status errors decoded
// into common::Status with the code of their reason.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/http_client.h"
#include "common/json.h"
#include "common/status.h"

namespace common {

// A resource type as the API serves it: group ("" for core), version and plural.
struct GroupVersionResource {
  std::string group;
  std::string version;
  std::string resource;

  // "pods", "deployments.apps": upstream's GroupResource.String(), the form
  // used in Status messages ("deployments.apps \"web\" not found").
  std::string GroupResource() const;
  // "v1" or "apps/v1": the apiVersion of the resource's objects.
  std::string ApiVersion() const;
  bool operator==(const GroupVersionResource&) const = default;
  bool operator<(const GroupVersionResource& o) const;
};

// The request path of a resource: /api/v1/... for the core group and
// /apis/<group>/<version>/... otherwise; `ns` empty means cluster-scoped (or
// all namespaces for a list); `name` empty means the collection;
// `subresource` ("status", "scale", "binding", "finalize") needs a name.
// Path segments are percent-encoded.
std::string ResourcePath(const GroupVersionResource& gvr, std::string_view ns,
                         std::string_view name = {}, std::string_view subresource = {});

// Query parameters of list and watch requests (metav1.ListOptions).
struct ListOptions {
  std::string label_selector;  // "app=web,tier!=db"
  std::string field_selector;  // "spec.nodeName=n1"
  int64_t limit = 0;           // 0: no paging
  std::string continue_token;
  // "" = most recent (a consistent read); "0" = any; N = not older than N
  // (lists) or start right after N (watches).
  std::string resource_version;
  std::string resource_version_match;  // "", "NotOlderThan", "Exact"
  // Watches: the server ends the stream cleanly after this many seconds (0: server default).
  int64_t timeout_seconds = 0;
  bool allow_watch_bookmarks = false;
  // Appends these parameters to `path` ("?a=b&c=d"), in a stable order.
  std::string AppendTo(std::string path, bool watch) const;
};

// Parameters of create, update and patch requests.
struct WriteOptions {
  std::string field_manager;  // fieldManager=; "" leaves it to the server
  bool dry_run = false;       // dryRun=All: validated and admitted, not stored
  bool force = false;         // force=true (server-side apply only)
};

// metav1.DeleteOptions, sent as the DELETE body.
struct DeleteOptions {
  std::string propagation_policy;  // "", "Background", "Foreground", "Orphan"
  std::optional<int64_t> grace_period_seconds;
  std::string precondition_uid;
  std::string precondition_resource_version;
  bool dry_run = false;
  // The DeleteOptions JSON object ({"kind":"DeleteOptions","apiVersion":"v1",...}).
  Json ToJson() const;
};

enum class PatchType {
  kJson,       // application/json-patch+json (RFC 6902)
  kMerge,      // application/merge-patch+json (RFC 7386)
  kStrategic,  // application/strategic-merge-patch+json (built-in types)
  kApply,      // application/apply-patch+yaml (server-side apply)
};
// The Content-Type a patch of `type` is sent with.
std::string_view PatchContentType(PatchType type);

// One event of a watch stream.
struct WatchEvent {
  enum class Type { kAdded, kModified, kDeleted, kBookmark, kError };
  Type type = Type::kAdded;
  // The object; for kBookmark only metadata.resourceVersion is meaningful;
  // for kError a metav1.Status (see StatusFromObject).
  Json object;
};
// "ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR".
std::string_view WatchEventTypeName(WatchEvent::Type type);

// Turns a metav1.Status object into a common::Status: the code comes from
// `reason` (NotFound, AlreadyExists, Conflict, Invalid, Expired, Gone,
// TooManyRequests, Timeout, ...), or from `code` when the reason is unknown
// or empty; the message is the Status's message. A Status whose `status` is
// "Success" gives OK.
Status StatusFromObject(const Json& status_object);

// Decodes an error response: a body that parses as a Status with
// status "Failure" gives StatusFromObject; anything else gives the code of
// `http_status` and client-go's generic message for it ("the server could
// not find the requested resource", ...), followed by the body when short.
// REQUIRES: http_status is not 2xx.
Status StatusFromResponse(int http_status, std::string_view body);

// Splits a watch stream into whole JSON values. kube-apiserver ends each
// event with '\n' and client-go frames by JSON object instead; this framer
// does the latter (braces outside strings), so both framings work.
// Not thread-safe.
class JsonStreamFramer {
 public:
  // Feeds a chunk; calls `on_value` with the text of each complete top-level
  // value. Returns false as soon as `on_value` does.
  bool Feed(std::string_view chunk, const std::function<bool(std::string_view)>& on_value);
  // Bytes of an unfinished value held back.
  size_t buffered() const { return buf_.size(); }

 private:
  std::string buf_;
  size_t scan_ = 0;  // bytes of buf_ already scanned
  int depth_ = 0;
  bool in_string_ = false;
  bool escape_ = false;
};

// "<component>/v1.32.0-kubix (linux/amd64) kubix": the User-Agent shape
// client-go sends ("<binary>/<version> (<os>/<arch>) kubernetes/<commit>").
std::string DefaultUserAgent(std::string_view component);

// The client. Thread-safe: any number of threads may issue requests at once
// (each borrows a pooled connection; a running watch holds one). Requests go
// through the HttpClient's token bucket (qps/burst, the --kube-api-qps and
// --kube-api-burst of a controller) and its retries, which honour Retry-After
// on 429 and 5xx.
//
// Every call returns the decoded object, or a Status: the server's Status
// error (Code from its reason), or a transport error (kUnreachable when the
// server cannot be reached, kTimeout, kInternal).
class RestClient {
 public:
  explicit RestClient(HttpClientOptions options);
  explicit RestClient(std::shared_ptr<HttpClient> http);
  RestClient(const RestClient&) = delete;
  RestClient& operator=(const RestClient&) = delete;

  HttpClient& http() { return *http_; }
  const std::string& server() const { return http_->options().server; }

  // GET one object. `resource_version` as for GetOptions ("" = latest).
  Result<Json> Get(const GroupVersionResource& gvr, std::string_view ns, std::string_view name,
                   std::string_view resource_version = {},
                   std::string_view subresource = {});
  // GET one page of the collection (all namespaces when `ns` is empty and
  // the resource is namespaced). The List's metadata.continue is set while
  // more pages remain. A stale continue token gives kExpired.
  Result<Json> List(const GroupVersionResource& gvr, std::string_view ns,
                    const ListOptions& options = {});
  // Like List, but follows continue tokens until the last page and returns
  // one List holding every item, with the first page's resourceVersion.
  Result<Json> ListAll(const GroupVersionResource& gvr, std::string_view ns,
                       ListOptions options = {});
  // POST `object` to the collection; returns the created object. With a
  // `name` and `subresource`, POSTs to that subresource instead
  // (pods/<name>/binding, pods/<name>/eviction).
  Result<Json> Create(const GroupVersionResource& gvr, std::string_view ns, const Json& object,
                      const WriteOptions& options = {}, std::string_view name = {},
                      std::string_view subresource = {});
  // PUT `object` (its metadata.name) with its metadata.resourceVersion as the
  // precondition: a stale one gives kConflict.
  Result<Json> Update(const GroupVersionResource& gvr, std::string_view ns, const Json& object,
                      const WriteOptions& options = {});
  // PUT to the status subresource.
  Result<Json> UpdateStatus(const GroupVersionResource& gvr, std::string_view ns,
                            const Json& object, const WriteOptions& options = {});
  // PUT to any subresource (scale, finalize).
  Result<Json> UpdateSubresource(const GroupVersionResource& gvr, std::string_view ns,
                                 const Json& object, std::string_view subresource,
                                 const WriteOptions& options = {});
  // PATCH with `patch` (serialised as JSON) of `type`; `subresource` may be
  // "status" or "scale".
  Result<Json> Patch(const GroupVersionResource& gvr, std::string_view ns, std::string_view name,
                     PatchType type, const Json& patch, const WriteOptions& options = {},
                     std::string_view subresource = {});
  // DELETE one object. Returns the object (when finalizers keep it, or as the
  // server answers) or the Success Status the server sent.
  Result<Json> Delete(const GroupVersionResource& gvr, std::string_view ns, std::string_view name,
                      const DeleteOptions& options = {});
  // DELETE the collection (deletecollection), filtered by `list_options`'
  // selectors.
  Result<Json> DeleteCollection(const GroupVersionResource& gvr, std::string_view ns,
                                const DeleteOptions& options = {},
                                const ListOptions& list_options = {});

  // Opens a watch (GET ...?watch=1 with `options`) and hands every event to
  // `on_event`, in order, on the calling thread. Returns OK when the server
  // ends the stream (timeoutSeconds), when `on_event` returns false, or when
  // `cancel` is set (checked at least once a second). An ERROR event is
  // passed to `on_event` like any other (its object is a Status: see
  // StatusFromObject). Errors: the request was refused (the server's Status:
  // kExpired for a 410, ...), a transport failure, or kInternal for a stream
  // line that is not a watch event.
  Status Watch(const GroupVersionResource& gvr, std::string_view ns, const ListOptions& options,
               const std::function<bool(WatchEvent&)>& on_event,
               const std::atomic<bool>* cancel = nullptr);

  // Any request by path (discovery, /version, /healthz): `body` is sent with
  // `content_type` when not empty. Returns the JSON body of a 2xx response
  // (null for an empty one) or the decoded error.
  Result<Json> Raw(std::string_view method, std::string_view path, std::string_view body = {},
                   std::string_view content_type = "application/json");

 private:
  Result<Json> Send(std::string_view method, const std::string& path, std::string_view body,
                    std::string_view content_type);

  std::shared_ptr<HttpClient> http_;
};

}  // namespace common
