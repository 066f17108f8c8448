#include "common/rest_client.h"

#include <utility>

#include "common/url.h"

namespace common {
namespace {

constexpr std::string_view kJson = "application/json";

// The namespace a write goes to: the caller's, else the object's own.
std::string_view NamespaceOf(std::string_view ns, const Json& object) {
  if (!ns.empty()) return ns;
  const Json& v = GetPath(object, {"metadata", "namespace"});
  return v.is_string() ? std::string_view(v.get_ref<const std::string&>()) : std::string_view();
}

std::string NameOf(const Json& object) { return GetString(common::Get(object, "metadata"), "name"); }

void AddParam(std::string& path, bool& first, std::string_view key, std::string_view value) {
  path += first ? '?' : '&';
  first = false;
  path.append(key);
  path += '=';
  path += PercentEncode(value);
}

std::string WriteQuery(std::string path, const WriteOptions& o) {
  bool first = path.find('?') == std::string::npos;
  if (o.dry_run) AddParam(path, first, "dryRun", "All");
  if (!o.field_manager.empty()) AddParam(path, first, "fieldManager", o.field_manager);
  if (o.force) AddParam(path, first, "force", "true");
  return path;
}

// client-go's messages for an error response that is not a Status
// (apimachinery errors.NewGenericServerResponse).
std::string GenericMessage(int code) {
  switch (code) {
    case 400: return "the server rejected our request for an unknown reason";
    case 401: return "the server has asked for the client to provide credentials";
    case 403: return "the server does not allow access to the requested resource";
    case 404: return "the server could not find the requested resource";
    case 405: return "the server does not allow this method on the requested resource";
    case 406: return "the server was unable to respond with a content type that the client supports";
    case 409: return "the server reported a conflict";
    case 413: return "the server has rejected the request because it is too large";
    case 415: return "the server was unable to process a request with a content type it does not support";
    case 422: return "the server rejected our request due to an error in our request";
    case 429: return "the server has received too many requests and has asked us to try again later";
    case 500: return "an error on the server has prevented the request from succeeding";
    case 503: return "the server is currently unable to handle the request";
    case 504:
      return "the server was unable to return a response in the time allotted, but may still "
             "be processing the request";
    default:
      return "the server responded with the status code " + std::to_string(code) +
             " but did not return more information";
  }
}

std::optional<Code> CodeFromReason(std::string_view reason) {
  static const std::pair<std::string_view, Code> kReasons[] = {
      {"BadRequest", Code::kBadRequest},
      {"Unauthorized", Code::kUnauthorized},
      {"Forbidden", Code::kForbidden},
      {"NotFound", Code::kNotFound},
      {"MethodNotAllowed", Code::kMethodNotAllowed},
      {"NotAcceptable", Code::kNotAcceptable},
      {"AlreadyExists", Code::kAlreadyExists},
      {"Conflict", Code::kConflict},
      {"Expired", Code::kExpired},
      {"Gone", Code::kExpired},
      {"RequestEntityTooLarge", Code::kRequestTooLarge},
      {"UnsupportedMediaType", Code::kUnsupportedMedia},
      {"Invalid", Code::kInvalid},
      {"TooManyRequests", Code::kTooManyRequests},
      {"InternalError", Code::kInternal},
      {"ServiceUnavailable", Code::kUnavailable},
      {"Timeout", Code::kTimeout},
      {"ServerTimeout", Code::kTimeout},
  };
  for (const auto& [name, code] : kReasons)
    if (name == reason) return code;
  return std::nullopt;
}

Result<WatchEvent> DecodeEvent(std::string_view text) {
  auto parsed = ParseJson(text);
  if (!parsed.ok())
    return Status::Internal("cannot decode watch event: " + parsed.status().message());
  Json& j = *parsed;
  if (!j.is_object() || !j.contains("type") || !j["type"].is_string())
    return Status::Internal("cannot decode watch event: no \"type\" in " +
                            std::string(text.substr(0, 200)));
  const std::string& type = j["type"].get_ref<const std::string&>();
  WatchEvent ev;
  if (type == "ADDED") ev.type = WatchEvent::Type::kAdded;
  else if (type == "MODIFIED") ev.type = WatchEvent::Type::kModified;
  else if (type == "DELETED") ev.type = WatchEvent::Type::kDeleted;
  else if (type == "BOOKMARK") ev.type = WatchEvent::Type::kBookmark;
  else if (type == "ERROR") ev.type = WatchEvent::Type::kError;
  else return Status::Internal("cannot decode watch event: unknown type \"" + type + "\"");
  auto it = j.find("object");
  if (it != j.end()) ev.object = std::move(*it);
  return ev;
}

}  // namespace

std::string GroupVersionResource::GroupResource() const {
  return group.empty() ? resource : resource + "." + group;
}

std::string GroupVersionResource::ApiVersion() const {
  return group.empty() ? version : group + "/" + version;
}

bool GroupVersionResource::operator<(const GroupVersionResource& o) const {
  return std::tie(group, version, resource) < std::tie(o.group, o.version, o.resource);
}

std::string ResourcePath(const GroupVersionResource& gvr, std::string_view ns,
                         std::string_view name, std::string_view subresource) {
  std::string p = gvr.group.empty() ? "/api/" + gvr.version
                                    : "/apis/" + gvr.group + "/" + gvr.version;
  // A namespace object's own path is /api/v1/namespaces/<name>, not nested.
  if (!ns.empty() && !(gvr.group.empty() && gvr.resource == "namespaces")) {
    p += "/namespaces/";
    p += PercentEncode(ns);
  }
  p += '/';
  p += gvr.resource;
  if (!name.empty()) {
    p += '/';
    p += PercentEncode(name);
    if (!subresource.empty()) {
      p += '/';
      p.append(subresource);
    }
  }
  return p;
}

std::string ListOptions::AppendTo(std::string path, bool watch) const {
  bool first = path.find('?') == std::string::npos;
  if (!label_selector.empty()) AddParam(path, first, "labelSelector", label_selector);
  if (!field_selector.empty()) AddParam(path, first, "fieldSelector", field_selector);
  if (limit > 0) AddParam(path, first, "limit", std::to_string(limit));
  if (!continue_token.empty()) AddParam(path, first, "continue", continue_token);
  if (!resource_version.empty()) AddParam(path, first, "resourceVersion", resource_version);
  if (!resource_version_match.empty())
    AddParam(path, first, "resourceVersionMatch", resource_version_match);
  if (timeout_seconds > 0) AddParam(path, first, "timeoutSeconds", std::to_string(timeout_seconds));
  if (watch) {
    AddParam(path, first, "watch", "1");
    if (allow_watch_bookmarks) AddParam(path, first, "allowWatchBookmarks", "true");
  }
  return path;
}

Json DeleteOptions::ToJson() const {
  Json j = {{"kind", "DeleteOptions"}, {"apiVersion", "v1"}};
  if (grace_period_seconds) j["gracePeriodSeconds"] = *grace_period_seconds;
  if (!precondition_uid.empty() || !precondition_resource_version.empty()) {
    Json pre = Json::object();
    if (!precondition_uid.empty()) pre["uid"] = precondition_uid;
    if (!precondition_resource_version.empty())
      pre["resourceVersion"] = precondition_resource_version;
    j["preconditions"] = std::move(pre);
  }
  if (!propagation_policy.empty()) j["propagationPolicy"] = propagation_policy;
  if (dry_run) j["dryRun"] = Json::array({"All"});
  return j;
}

std::string_view PatchContentType(PatchType type) {
  switch (type) {
    case PatchType::kJson: return "application/json-patch+json";
    case PatchType::kMerge: return "application/merge-patch+json";
    case PatchType::kStrategic: return "application/strategic-merge-patch+json";
    case PatchType::kApply: return "application/apply-patch+yaml";
  }
  return kJson;
}

std::string_view WatchEventTypeName(WatchEvent::Type type) {
  switch (type) {
    case WatchEvent::Type::kAdded: return "ADDED";
    case WatchEvent::Type::kModified: return "MODIFIED";
    case WatchEvent::Type::kDeleted: return "DELETED";
    case WatchEvent::Type::kBookmark: return "BOOKMARK";
    case WatchEvent::Type::kError: return "ERROR";
  }
  return "";
}

Status StatusFromObject(const Json& s) {
  if (GetString(s, "status") == "Success") return Status::Ok();
  std::string message = GetString(s, "message");
  int64_t http = GetInt(s, "code", 500);
  auto code = CodeFromReason(GetString(s, "reason"));
  Code c = code ? *code : CodeFromHttpStatus(static_cast<int>(http));
  if (c == Code::kOk) c = Code::kInternal;  // a Failure must not read as OK
  if (message.empty()) message = GenericMessage(static_cast<int>(http));
  return Status(c, std::move(message));
}

Status StatusFromResponse(int http_status, std::string_view body) {
  auto parsed = ParseJson(body);
  if (parsed.ok() && parsed->is_object() && GetString(*parsed, "kind") == "Status" &&
      GetString(*parsed, "status") == "Failure") {
    Json s = std::move(*parsed);
    if (!s.contains("code")) s["code"] = http_status;
    return StatusFromObject(s);
  }
  Code c = CodeFromHttpStatus(http_status);
  if (c == Code::kOk) c = Code::kInternal;
  std::string message = GenericMessage(http_status);
  // client-go shows a short non-Status body (a proxy's text) in the message.
  std::string_view trimmed = body.substr(0, 256);
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == ' '))
    trimmed.remove_suffix(1);
  if (!trimmed.empty() && trimmed.find('\n') == std::string_view::npos)
    message += " (" + std::string(trimmed) + ")";
  return Status(c, std::move(message));
}

bool JsonStreamFramer::Feed(std::string_view chunk,
                            const std::function<bool(std::string_view)>& on_value) {
  buf_.append(chunk);
  size_t start = 0;
  // Skip whitespace between values (the '\n' after each event).
  auto skip_space = [&](size_t from) {
    while (from < buf_.size() && (buf_[from] == '\n' || buf_[from] == '\r' ||
                                  buf_[from] == ' ' || buf_[from] == '\t'))
      ++from;
    return from;
  };
  if (depth_ == 0 && !in_string_) {
    start = skip_space(0);
    scan_ = std::max(scan_, start);
  }
  for (size_t i = scan_; i < buf_.size(); ++i) {
    char c = buf_[i];
    if (in_string_) {
      if (escape_) escape_ = false;
      else if (c == '\\') escape_ = true;
      else if (c == '"') in_string_ = false;
      continue;
    }
    if (c == '"') {
      in_string_ = true;
    } else if (c == '{' || c == '[') {
      ++depth_;
    } else if (c == '}' || c == ']') {
      if (--depth_ == 0) {
        std::string_view value(buf_.data() + start, i + 1 - start);
        if (!on_value(value)) {
          buf_.erase(0, i + 1);
          scan_ = 0;
          return false;
        }
        start = skip_space(i + 1);
        i = start - 1;
      }
    }
  }
  buf_.erase(0, start);
  scan_ = buf_.size();
  return true;
}

std::string DefaultUserAgent(std::string_view component) {
  return std::string(component) + "/v1.32.0-kubix (linux/amd64) kubix";
}

RestClient::RestClient(HttpClientOptions options)
    : http_(std::make_shared<HttpClient>(std::move(options))) {}

RestClient::RestClient(std::shared_ptr<HttpClient> http) : http_(std::move(http)) {}

Result<Json> RestClient::Send(std::string_view method, const std::string& path,
                              std::string_view body, std::string_view content_type) {
  std::vector<HttpHeader> headers = {{"Accept", std::string(kJson)}};
  if (!body.empty()) headers.push_back({"Content-Type", std::string(content_type)});
  auto resp = http_->Do(method, path, body, headers);
  if (!resp.ok()) return resp.status();
  if (resp->status < 200 || resp->status >= 300) return StatusFromResponse(resp->status, resp->body);
  if (resp->body.empty()) return Json();
  auto parsed = ParseJson(resp->body);
  if (!parsed.ok())
    return Status::Internal("cannot decode the response to " + std::string(method) + " " + path +
                            ": " + parsed.status().message());
  return parsed;
}

Result<Json> RestClient::Get(const GroupVersionResource& gvr, std::string_view ns,
                             std::string_view name, std::string_view resource_version,
                             std::string_view subresource) {
  std::string path = ResourcePath(gvr, ns, name, subresource);
  if (!resource_version.empty()) path += "?resourceVersion=" + PercentEncode(resource_version);
  return Send("GET", path, {}, kJson);
}

Result<Json> RestClient::List(const GroupVersionResource& gvr, std::string_view ns,
                              const ListOptions& options) {
  return Send("GET", options.AppendTo(ResourcePath(gvr, ns), false), {}, kJson);
}

Result<Json> RestClient::ListAll(const GroupVersionResource& gvr, std::string_view ns,
                                 ListOptions options) {
  ASSIGN_OR_RETURN(Json list, List(gvr, ns, options));
  if (!list.is_object()) return Status::Internal("the server sent a list that is not an object");
  if (!list["items"].is_array()) list["items"] = Json::array();
  for (;;) {
    std::string next = GetString(common::Get(list, "metadata"), "continue");
    if (next.empty()) break;
    options.continue_token = next;
    // Later pages are served from the first page's snapshot; the token
    // carries it, and sending a resourceVersion as well is an error.
    options.resource_version.clear();
    options.resource_version_match.clear();
    ASSIGN_OR_RETURN(Json page, List(gvr, ns, options));
    Json& items = page["items"];
    if (items.is_array())
      for (auto& item : items) list["items"].push_back(std::move(item));
    list["metadata"]["continue"] = GetString(common::Get(page, "metadata"), "continue");
  }
  if (list["metadata"].is_object()) {
    list["metadata"].erase("continue");
    list["metadata"].erase("remainingItemCount");
  }
  return list;
}

Result<Json> RestClient::Create(const GroupVersionResource& gvr, std::string_view ns,
                                const Json& object, const WriteOptions& options,
                                std::string_view name, std::string_view subresource) {
  std::string path = WriteQuery(ResourcePath(gvr, NamespaceOf(ns, object), name, subresource),
                                options);
  return Send("POST", path, DumpJson(object), kJson);
}

Result<Json> RestClient::Update(const GroupVersionResource& gvr, std::string_view ns,
                                const Json& object, const WriteOptions& options) {
  return UpdateSubresource(gvr, ns, object, {}, options);
}

Result<Json> RestClient::UpdateStatus(const GroupVersionResource& gvr, std::string_view ns,
                                      const Json& object, const WriteOptions& options) {
  return UpdateSubresource(gvr, ns, object, "status", options);
}

Result<Json> RestClient::UpdateSubresource(const GroupVersionResource& gvr, std::string_view ns,
                                           const Json& object, std::string_view subresource,
                                           const WriteOptions& options) {
  std::string name = NameOf(object);
  if (name.empty()) return Status::BadRequest("resource name may not be empty");
  std::string path =
      WriteQuery(ResourcePath(gvr, NamespaceOf(ns, object), name, subresource), options);
  return Send("PUT", path, DumpJson(object), kJson);
}

Result<Json> RestClient::Patch(const GroupVersionResource& gvr, std::string_view ns,
                               std::string_view name, PatchType type, const Json& patch,
                               const WriteOptions& options, std::string_view subresource) {
  if (name.empty()) return Status::BadRequest("resource name may not be empty");
  std::string path = WriteQuery(ResourcePath(gvr, ns, name, subresource), options);
  return Send("PATCH", path, DumpJson(patch), PatchContentType(type));
}

Result<Json> RestClient::Delete(const GroupVersionResource& gvr, std::string_view ns,
                                std::string_view name, const DeleteOptions& options) {
  if (name.empty()) return Status::BadRequest("resource name may not be empty");
  return Send("DELETE", ResourcePath(gvr, ns, name), DumpJson(options.ToJson()), kJson);
}

Result<Json> RestClient::DeleteCollection(const GroupVersionResource& gvr, std::string_view ns,
                                          const DeleteOptions& options,
                                          const ListOptions& list_options) {
  return Send("DELETE", list_options.AppendTo(ResourcePath(gvr, ns), false),
              DumpJson(options.ToJson()), kJson);
}

Status RestClient::Watch(const GroupVersionResource& gvr, std::string_view ns,
                         const ListOptions& options,
                         const std::function<bool(WatchEvent&)>& on_event,
                         const std::atomic<bool>* cancel) {
  std::string path = options.AppendTo(ResourcePath(gvr, ns), true);
  JsonStreamFramer framer;
  Status decode_error;
  auto on_value = [&](std::string_view text) {
    auto ev = DecodeEvent(text);
    if (!ev.ok()) {
      decode_error = ev.status();
      return false;
    }
    return on_event(*ev);
  };
  auto on_data = [&](std::string_view chunk) { return framer.Feed(chunk, on_value); };
  auto resp = http_->Stream("GET", path, {}, {{"Accept", std::string(kJson)}}, on_data, cancel);
  if (!decode_error.ok()) return decode_error;
  if (!resp.ok()) {
    if (cancel && cancel->load()) return Status::Ok();
    return resp.status();
  }
  if (resp->status < 200 || resp->status >= 300)
    return StatusFromResponse(resp->status, resp->body);
  return Status::Ok();
}

Result<Json> RestClient::Raw(std::string_view method, std::string_view path,
                             std::string_view body, std::string_view content_type) {
  return Send(method, std::string(path), body, content_type);
}

}  // namespace common
