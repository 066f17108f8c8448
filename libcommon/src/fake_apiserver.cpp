#include "common/fake_apiserver.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <random>

#include "common/api/patch.h"
#include "common/api/registry.h"
#include "common/selector.h"
#include "common/strings.h"
#include "common/timeutil.h"

namespace common {
namespace {

using SteadyClock = std::chrono::steady_clock;

HttpResponse StatusResponse(int code, const std::string& reason, const std::string& message,
                            int retry_after = -1) {
  Json s = {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()},
            {"status", "Failure"}, {"message", message}, {"reason", reason},
            {"code", code}};
  if (retry_after >= 0) s["details"] = {{"retryAfterSeconds", retry_after}};
  HttpResponse r = HttpResponse::Json(code, DumpJson(s));
  if (retry_after >= 0) r.SetHeader("Retry-After", std::to_string(retry_after));
  return r;
}

HttpResponse FromStatus(const Status& st) {
  return StatusResponse(st.http_status(), std::string(ReasonName(st.code())), st.message());
}

std::string NotFoundMessage(const GroupVersionResource& gvr, const std::string& name) {
  return gvr.GroupResource() + " \"" + name + "\" not found";
}

std::string ConflictMessage(const GroupVersionResource& gvr, const std::string& name) {
  return "Operation cannot be fulfilled on " + gvr.GroupResource() + " \"" + name +
         "\": the object has been modified; please apply your changes to the latest version "
         "and try again";
}

std::string KeyOf(const std::string& ns, const std::string& name) {
  return ns.empty() ? name : ns + "/" + name;
}

// A field's value as a field selector compares it: scalars as text, missing as "".
std::optional<std::string> FieldValue(const Json& obj, std::string_view field) {
  const Json* cur = &obj;
  for (const auto& part : Split(field, '.')) cur = &common::Get(*cur, part);
  if (cur->is_string()) return cur->get<std::string>();
  if (cur->is_boolean()) return std::string(cur->get<bool>() ? "true" : "false");
  if (cur->is_number()) return cur->dump();
  return std::string();
}

// metadata.finalizers, or a namespace's spec.finalizers ("kubernetes").
bool HasFinalizers(const Json& obj) {
  const Json& f = GetPath(obj, {"metadata", "finalizers"});
  const Json& nsf = GetPath(obj, {"spec", "finalizers"});
  return (f.is_array() && !f.empty()) ||
         (GetString(obj, "kind") == "Namespace" && nsf.is_array() && !nsf.empty());
}

// Discovery documents from the built-in registry, as kube-apiserver's
// unaggregated /api, /apis and /api(s)/<group>/<version> serve them.
std::optional<HttpResponse> Discovery(const std::string& path) {
  std::vector<std::string> seg = SplitNonEmpty(path, '/');
  if (seg.size() == 1 && seg[0] == "api")
    return HttpResponse::Json(200, DumpJson(Json{{"kind", "APIVersions"}, {"versions", {"v1"}}}));
  if (seg.size() == 1 && seg[0] == "apis") {
    Json groups = Json::array();
    for (const auto& gv : api::BuiltinGroupVersions()) {
      if (gv.group.empty()) continue;
      Json* group = nullptr;
      for (auto& g : groups)
        if (g["name"] == gv.group) group = &g;
      Json version = {{"groupVersion", gv.String()}, {"version", gv.version}};
      if (!group) {
        groups.push_back({{"name", gv.group}, {"versions", Json::array()}, {"preferredVersion", version}});
        group = &groups.back();
      }
      (*group)["versions"].push_back(version);
    }
    return HttpResponse::Json(200, DumpJson(Json{{"kind", "APIGroupList"}, {"apiVersion", "v1"},
                                                 {"groups", groups}}));
  }
  std::string group, version;
  if (seg.size() == 2 && seg[0] == "api") version = seg[1];
  else if (seg.size() == 3 && seg[0] == "apis") group = seg[1], version = seg[2];
  else return std::nullopt;
  Json resources = Json::array();
  for (const auto& ri : api::BuiltinResources()) {
    if (ri.group != group || ri.version != version) continue;
    resources.push_back({{"name", ri.resource}, {"singularName", ri.singular},
                         {"namespaced", ri.namespaced}, {"kind", ri.kind}, {"verbs", ri.verbs}});
    for (const auto& sub : ri.subresources)
      resources.push_back({{"name", ri.resource + "/" + sub}, {"singularName", ""},
                           {"namespaced", ri.namespaced}, {"kind", ri.kind}, {"verbs", {"get"}}});
  }
  if (resources.empty()) return std::nullopt;
  return HttpResponse::Json(200, DumpJson(Json{{"kind", "APIResourceList"}, {"apiVersion", "v1"},
                                               {"groupVersion", group.empty() ? version : group + "/" + version},
                                               {"resources", resources}}));
}

}  // namespace

struct FakeApiServer::ParsedPath {
  bool ok = false;
  GroupVersionResource gvr;
  std::string ns, name, subresource;
  std::string res_key;  // "group/resource"
};

struct FakeApiServer::Watcher {
  std::shared_ptr<HttpStream> stream;
  std::string res_key;
  std::string ns;
  LabelSelector labels;
  FieldSelector fields;
  bool bookmarks = false;
  std::string kind;
  std::string api_version;
  SteadyClock::time_point deadline = SteadyClock::time_point::max();

  bool Matches(const Json& obj) const {
    if (!ns.empty() && GetString(common::Get(obj, "metadata"), "namespace") != ns) return false;
    if (!labels.Matches(GetPath(obj, {"metadata", "labels"}))) return false;
    return fields.Matches([&](std::string_view f) { return FieldValue(obj, f); });
  }
  void Send(const std::string& type, const Json& obj) {
    stream->Write(DumpJson(Json{{"type", type}, {"object", obj}}) + "\n");
  }
};

FakeApiServer::FakeApiServer() = default;

FakeApiServer::~FakeApiServer() { Stop(); }

Status FakeApiServer::Start() {
  HttpServerOptions opts;
  opts.listen = {"127.0.0.1:0"};
  server_ = std::make_unique<HttpServer>(
      opts, [this](HttpRequest& req, Responder r) { Handle(req, std::move(r)); });
  RETURN_IF_ERROR(server_->Start());
  url_ = "http://" + server_->BoundAddresses()[0];
  timeout_thread_ = std::thread([this] { TimeoutLoop(); });
  return Status::Ok();
}

void FakeApiServer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    for (auto& w : watchers_) w->stream->Close();
    watchers_.clear();
  }
  cv_.notify_all();
  if (timeout_thread_.joinable()) timeout_thread_.join();
  if (server_) server_->Shutdown(std::chrono::milliseconds(200));
}

void FakeApiServer::TimeoutLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, std::chrono::milliseconds(20));
    auto now = SteadyClock::now();
    std::erase_if(watchers_, [&](const std::shared_ptr<Watcher>& w) {
      if (w->stream->closed()) return true;
      if (now >= w->deadline) {
        w->stream->Close();
        return true;
      }
      return false;
    });
  }
}

int64_t FakeApiServer::resource_version() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rv_;
}

void FakeApiServer::Compact() {
  std::lock_guard<std::mutex> lock(mu_);
  compacted_ = rv_;
  history_.clear();
}

void FakeApiServer::SendBookmarks() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& w : watchers_) {
    if (!w->bookmarks) continue;
    w->Send("BOOKMARK", Json{{"kind", w->kind},
                             {"apiVersion", w->api_version},
                             {"metadata", {{"resourceVersion", std::to_string(rv_)}}}});
  }
}

void FakeApiServer::CloseWatches() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& w : watchers_) w->stream->Close();
  watchers_.clear();
}

size_t FakeApiServer::WatchCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& w : watchers_) n += !w->stream->closed();
  return n;
}

void FakeApiServer::FailNext(const std::string& method, const std::string& path_prefix, int code,
                             const std::string& reason, int times, int retry_after) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_.push_back({method, path_prefix, reason, code, times, retry_after});
}

std::vector<FakeApiServer::RequestRecord> FakeApiServer::Requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

void FakeApiServer::ClearRequests() {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.clear();
}

static std::string ResKey(const GroupVersionResource& gvr) {
  return gvr.group + "/" + gvr.resource;
}

Result<Json> FakeApiServer::Create(const GroupVersionResource& gvr, const Json& object) {
  std::lock_guard<std::mutex> lock(mu_);
  return CreateLocked(ResKey(gvr), gvr, GetString(common::Get(object, "metadata"), "namespace"), object);
}

Result<Json> FakeApiServer::Update(const GroupVersionResource& gvr, const Json& object) {
  std::lock_guard<std::mutex> lock(mu_);
  return UpdateLocked(ResKey(gvr), gvr, GetString(common::Get(object, "metadata"), "namespace"), object,
                      "");
}

Result<Json> FakeApiServer::Get(const GroupVersionResource& gvr, const std::string& ns,
                                const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& objs = objects_[ResKey(gvr)];
  auto it = objs.find(KeyOf(ns, name));
  if (it == objs.end()) return Status::NotFound(NotFoundMessage(gvr, name));
  return it->second;
}

Status FakeApiServer::Delete(const GroupVersionResource& gvr, const std::string& ns,
                             const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  return DeleteLocked(ResKey(gvr), gvr, ns, name, true).status();
}

std::vector<Json> FakeApiServer::List(const GroupVersionResource& gvr) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Json> out;
  for (const auto& [k, v] : objects_[ResKey(gvr)]) out.push_back(v);
  return out;
}

void FakeApiServer::NotifyLocked(const std::string& res_key, const std::string& type,
                                 const Json& obj) {
  history_.push_back({rv_, res_key, type, obj});
  for (auto& w : watchers_)
    if (w->res_key == res_key && !w->stream->closed() && w->Matches(obj)) w->Send(type, obj);
}

Result<Json> FakeApiServer::CreateLocked(const std::string& res_key,
                                         const GroupVersionResource& gvr, const std::string& ns,
                                         Json obj) {
  if (!obj.is_object()) return Status::BadRequest("the body is not an object");
  Json& md = obj["metadata"];
  if (!md.is_object()) md = Json::object();
  std::string name = GetString(md, "name");
  if (name.empty()) {
    std::string gen = GetString(md, "generateName");
    if (gen.empty())
      return Status::Invalid("metadata.name: Required value: name or generateName is required");
    static const char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    static std::mt19937 rng(std::random_device{}());
    do {
      name = gen;
      for (int i = 0; i < 5; ++i) name += kAlphabet[rng() % 27];
    } while (objects_[res_key].count(KeyOf(ns, name)));
    md["name"] = name;
  }
  auto& objs = objects_[res_key];
  std::string key = KeyOf(ns, name);
  if (objs.count(key))
    return Status::AlreadyExists(gvr.GroupResource() + " \"" + name + "\" already exists");
  if (!ns.empty()) md["namespace"] = ns;
  char uid[40];
  std::snprintf(uid, sizeof uid, "00000000-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(++uid_counter_));
  md["uid"] = uid;
  md["resourceVersion"] = std::to_string(++rv_);
  md["creationTimestamp"] = FormatRFC3339(Clock::now());
  md["generation"] = 1;
  if (!obj.contains("apiVersion")) obj["apiVersion"] = gvr.ApiVersion();
  if (gvr.group.empty() && gvr.resource == "namespaces") {
    // What kube-apiserver's namespace strategy defaults.
    obj["kind"] = "Namespace";
    if (!GetPath(obj, {"spec", "finalizers"}).is_array()) obj["spec"]["finalizers"] = {"kubernetes"};
    obj["status"]["phase"] = "Active";
  }
  objs[key] = obj;
  NotifyLocked(res_key, "ADDED", obj);
  return obj;
}

Result<Json> FakeApiServer::UpdateLocked(const std::string& res_key,
                                         const GroupVersionResource& gvr, const std::string& ns,
                                         Json obj, const std::string& subresource) {
  std::string name = GetString(common::Get(obj, "metadata"), "name");
  auto& objs = objects_[res_key];
  auto it = objs.find(KeyOf(ns, name));
  if (it == objs.end()) return Status::NotFound(NotFoundMessage(gvr, name));
  Json& old = it->second;
  std::string rv = GetString(obj["metadata"], "resourceVersion");
  if (!rv.empty() && rv != GetString(old["metadata"], "resourceVersion"))
    return Status::Conflict(ConflictMessage(gvr, name));
  Json next;
  if (subresource == "status") {
    next = old;
    if (obj.contains("status")) next["status"] = obj["status"];
  } else if (subresource == "finalize") {
    next = old;
    next["spec"]["finalizers"] = GetPath(obj, {"spec", "finalizers"});
  } else {
    next = obj;
    // Server-owned metadata survives a PUT.
    for (const char* k : {"uid", "creationTimestamp", "generation", "deletionTimestamp"})
      if (old["metadata"].contains(k)) next["metadata"][k] = old["metadata"][k];
    if (old.contains("status") && gvr.resource != "leases") next["status"] = old["status"];
    if (common::Get(old, "spec") != common::Get(next, "spec"))
      next["metadata"]["generation"] = GetInt(old["metadata"], "generation", 1) + 1;
  }
  if (!ns.empty()) next["metadata"]["namespace"] = ns;
  next["metadata"]["resourceVersion"] = std::to_string(++rv_);
  if (next["metadata"].contains("deletionTimestamp") && !HasFinalizers(next)) {
    Json gone = next;
    objs.erase(it);
    NotifyLocked(res_key, "DELETED", gone);
    return gone;
  }
  old = next;
  NotifyLocked(res_key, "MODIFIED", next);
  return next;
}

Result<Json> FakeApiServer::DeleteLocked(const std::string& res_key,
                                         const GroupVersionResource& gvr, const std::string& ns,
                                         const std::string& name, bool immediate) {
  auto& objs = objects_[res_key];
  auto it = objs.find(KeyOf(ns, name));
  if (it == objs.end()) return Status::NotFound(NotFoundMessage(gvr, name));
  if (!immediate && HasFinalizers(it->second)) {
    Json& md = it->second["metadata"];
    if (!md.contains("deletionTimestamp")) {
      md["deletionTimestamp"] = FormatRFC3339(Clock::now());
      md["deletionGracePeriodSeconds"] = 0;
      if (GetString(it->second, "kind") == "Namespace") it->second["status"]["phase"] = "Terminating";
      md["resourceVersion"] = std::to_string(++rv_);
      NotifyLocked(res_key, "MODIFIED", it->second);
    }
    return it->second;
  }
  Json gone = std::move(it->second);
  objs.erase(it);
  gone["metadata"]["resourceVersion"] = std::to_string(++rv_);
  NotifyLocked(res_key, "DELETED", gone);
  return gone;
}

void FakeApiServer::Handle(HttpRequest& req, Responder r) {
  ParsedPath p;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back({req.method, req.target, std::string(req.Header("User-Agent")),
                         std::string(req.Header("Content-Type")),
                         std::string(req.Header("Authorization")), req.body});
    for (auto it = failures_.begin(); it != failures_.end(); ++it) {
      if ((!it->method.empty() && it->method != req.method) || !req.path.starts_with(it->prefix))
        continue;
      HttpResponse resp = StatusResponse(it->code, it->reason,
                                         "injected failure: " + it->reason, it->retry_after);
      if (--it->times <= 0) failures_.erase(it);
      r.Send(std::move(resp));
      return;
    }
  }
  if (req.method == "GET")
    if (auto d = Discovery(req.path)) {
      r.Send(std::move(*d));
      return;
    }
  std::vector<std::string> seg = SplitNonEmpty(req.path, '/');
  size_t i = 0;
  if (seg.size() >= 2 && seg[0] == "api") {
    p.gvr.version = seg[1];
    i = 2;
  } else if (seg.size() >= 3 && seg[0] == "apis") {
    p.gvr.group = seg[1];
    p.gvr.version = seg[2];
    i = 3;
  } else {
    r.Send(HttpResponse::Text(404, "404 page not found\n"));
    return;
  }
  std::vector<std::string> rest(seg.begin() + static_cast<long>(i), seg.end());
  if (rest.size() >= 3 && rest[0] == "namespaces" &&
      !(rest.size() == 3 && (rest[2] == "status" || rest[2] == "finalize"))) {
    p.ns = rest[1];
    rest.erase(rest.begin(), rest.begin() + 2);
  }
  if (rest.empty() || rest.size() > 3) {
    r.Send(HttpResponse::Text(404, "404 page not found\n"));
    return;
  }
  p.gvr.resource = rest[0];
  if (rest.size() > 1) p.name = rest[1];
  if (rest.size() > 2) p.subresource = rest[2];
  p.res_key = ResKey(p.gvr);
  p.ok = true;

  const std::string& m = req.method;
  if (m == "GET" && p.name.empty()) {
    auto w = req.Query("watch");
    if (w && (*w == "1" || *w == "true")) {
      HandleWatch(p, req, r);
      return;
    }
    r.Send(HandleList(p, req));
  } else if (m == "GET") {
    std::lock_guard<std::mutex> lock(mu_);
    auto& objs = objects_[p.res_key];
    auto it = objs.find(KeyOf(p.ns, p.name));
    if (it == objs.end()) r.Send(FromStatus(Status::NotFound(NotFoundMessage(p.gvr, p.name))));
    else r.Send(HttpResponse::Json(200, DumpJson(it->second)));
  } else if (m == "POST") {
    r.Send(HandleCreate(p, req));
  } else if (m == "PUT" && !p.name.empty()) {
    r.Send(HandleUpdate(p, req));
  } else if (m == "PATCH" && !p.name.empty()) {
    r.Send(HandlePatch(p, req));
  } else if (m == "DELETE") {
    r.Send(HandleDelete(p, req));
  } else {
    r.Send(StatusResponse(405, "MethodNotAllowed",
                          m + " is not supported on resources of kind \"" + p.gvr.resource + "\""));
  }
}

HttpResponse FakeApiServer::HandleList(const ParsedPath& p, HttpRequest& req) {
  auto labels = LabelSelector::Parse(req.Query("labelSelector").value_or(""));
  if (!labels.ok()) return FromStatus(Status::BadRequest(labels.status().message()));
  auto fields = FieldSelector::Parse(req.Query("fieldSelector").value_or(""));
  if (!fields.ok()) return FromStatus(Status::BadRequest(fields.status().message()));
  int64_t limit = ParseInt64(req.Query("limit").value_or("0")).value_or(0);
  std::string cont = req.Query("continue").value_or("");

  std::lock_guard<std::mutex> lock(mu_);
  int64_t list_rv = rv_;
  std::string after;
  if (!cont.empty()) {
    size_t colon = cont.find(':');
    auto token_rv = ParseInt64(cont.substr(0, colon));
    if (colon == std::string::npos || !token_rv)
      return FromStatus(Status::BadRequest("invalid continue token"));
    if (*token_rv < compacted_)
      return FromStatus(Status::Expired(
          "The provided continue parameter is too old to display a consistent list result. "
          "You can start a new list without the continue parameter."));
    list_rv = *token_rv;
    after = cont.substr(colon + 1);
  }
  Json items = Json::array();
  std::string kind;
  std::string next;
  for (const auto& [key, obj] : objects_[p.res_key]) {
    if (!after.empty() && key <= after) continue;
    if (!p.ns.empty() && GetString(obj["metadata"], "namespace") != p.ns) continue;
    if (!labels->Matches(GetPath(obj, {"metadata", "labels"}))) continue;
    if (!fields->Matches([&](std::string_view f) { return FieldValue(obj, f); })) continue;
    if (limit > 0 && static_cast<int64_t>(items.size()) == limit) {
      // The key of the last item returned.
      const Json& lm = items.back()["metadata"];
      next = std::to_string(list_rv) + ":" +
             KeyOf(GetString(lm, "namespace"), GetString(lm, "name"));
      break;
    }
    Json item = obj;
    kind = GetString(item, "kind");
    // kube-apiserver's list items carry no kind/apiVersion of their own.
    item.erase("kind");
    item.erase("apiVersion");
    items.push_back(std::move(item));
  }
  Json list = {{"kind", kind.empty() ? "List" : kind + "List"},
               {"apiVersion", p.gvr.ApiVersion()},
               {"metadata", {{"resourceVersion", std::to_string(list_rv)}}},
               {"items", std::move(items)}};
  if (!next.empty()) list["metadata"]["continue"] = next;
  return HttpResponse::Json(200, DumpJson(list));
}

void FakeApiServer::HandleWatch(const ParsedPath& p, HttpRequest& req, Responder r) {
  auto labels = LabelSelector::Parse(req.Query("labelSelector").value_or(""));
  auto fields = FieldSelector::Parse(req.Query("fieldSelector").value_or(""));
  if (!labels.ok() || !fields.ok()) {
    r.Send(FromStatus(Status::BadRequest("bad selector")));
    return;
  }
  auto w = std::make_shared<Watcher>();
  w->res_key = p.res_key;
  w->ns = p.ns;
  w->labels = *labels;
  w->fields = *fields;
  w->bookmarks = req.Query("allowWatchBookmarks").value_or("") == "true";
  w->api_version = p.gvr.ApiVersion();
  int64_t timeout = ParseInt64(req.Query("timeoutSeconds").value_or("0")).value_or(0);
  if (timeout > 0) w->deadline = SteadyClock::now() + std::chrono::seconds(timeout);
  std::string rv = req.Query("resourceVersion").value_or("");

  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [k, obj] : objects_[p.res_key]) {
    w->kind = GetString(obj, "kind");
    break;
  }
  w->stream = r.Stream(200, {{"Content-Type", "application/json"}});
  if (rv.empty() || rv == "0") {
    for (const auto& [k, obj] : objects_[p.res_key])
      if (w->Matches(obj)) w->Send("ADDED", obj);
  } else {
    auto from = ParseInt64(rv);
    if (!from || *from < compacted_) {
      // As kube-apiserver's watch cache does: 200, then an in-stream ERROR.
      w->Send("ERROR", Json{{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()},
                            {"status", "Failure"},
                            {"message", "too old resource version: " + rv + " (" +
                                            std::to_string(compacted_) + ")"},
                            {"reason", "Expired"}, {"code", 410}});
      w->stream->Close();
      return;
    }
    for (const auto& h : history_)
      if (h.rv > *from && h.res_key == p.res_key && w->Matches(h.object))
        w->Send(h.type, h.object);
  }
  watchers_.push_back(w);
}

HttpResponse FakeApiServer::HandleCreate(const ParsedPath& p, HttpRequest& req) {
  auto body = ParseJson(req.body);
  if (!body.ok()) return FromStatus(body.status());
  std::lock_guard<std::mutex> lock(mu_);
  if (!p.name.empty()) {
    // Subresources: pods/<name>/binding and pods/<name>/eviction.
    auto& objs = objects_[p.res_key];
    auto it = objs.find(KeyOf(p.ns, p.name));
    if (it == objs.end()) return FromStatus(Status::NotFound(NotFoundMessage(p.gvr, p.name)));
    Json ok = {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()},
               {"status", "Success"}, {"code", 201}};
    if (p.subresource == "binding") {
      Json next = it->second;
      next["spec"]["nodeName"] = GetPath(*body, {"target", "name"});
      auto res = UpdateLocked(p.res_key, p.gvr, p.ns, next, "");
      if (!res.ok()) return FromStatus(res.status());
      return HttpResponse::Json(201, DumpJson(ok));
    }
    if (p.subresource == "eviction") {
      auto res = DeleteLocked(p.res_key, p.gvr, p.ns, p.name, false);
      if (!res.ok()) return FromStatus(res.status());
      return HttpResponse::Json(201, DumpJson(ok));
    }
    return FromStatus(Status::NotFound("the server could not find the requested resource"));
  }
  auto res = CreateLocked(p.res_key, p.gvr, p.ns, std::move(*body));
  if (!res.ok()) return FromStatus(res.status());
  return HttpResponse::Json(201, DumpJson(*res));
}

HttpResponse FakeApiServer::HandleUpdate(const ParsedPath& p, HttpRequest& req) {
  auto body = ParseJson(req.body);
  if (!body.ok()) return FromStatus(body.status());
  if (GetString(common::Get(*body, "metadata"), "name") != p.name)
    return FromStatus(Status::BadRequest("the name of the object (" +
                                         GetString(common::Get(*body, "metadata"), "name") +
                                         ") does not match the name on the URL (" + p.name + ")"));
  std::lock_guard<std::mutex> lock(mu_);
  auto res = UpdateLocked(p.res_key, p.gvr, p.ns, std::move(*body), p.subresource);
  if (!res.ok()) return FromStatus(res.status());
  return HttpResponse::Json(200, DumpJson(*res));
}

HttpResponse FakeApiServer::HandlePatch(const ParsedPath& p, HttpRequest& req) {
  std::string_view ct = req.Header("Content-Type");
  auto patch = ParseJson(req.body);
  if (!patch.ok()) return FromStatus(patch.status());
  std::lock_guard<std::mutex> lock(mu_);
  auto& objs = objects_[p.res_key];
  auto it = objs.find(KeyOf(p.ns, p.name));
  if (it == objs.end()) return FromStatus(Status::NotFound(NotFoundMessage(p.gvr, p.name)));
  Result<Json> patched = Status::Internal("unset");
  if (ct == "application/merge-patch+json") {
    patched = api::ApplyMergePatch(it->second, *patch);
  } else if (ct == "application/json-patch+json") {
    patched = api::ApplyJsonPatch(it->second, *patch);
  } else if (ct == "application/strategic-merge-patch+json") {
    const api::ResourceInfo* ri = api::FindResource(p.gvr.group, p.gvr.version, p.gvr.resource);
    patched = ri ? api::ApplyStrategicMergePatch(*ri, it->second, *patch)
                 : api::ApplyMergePatch(it->second, *patch);
  } else {
    return StatusResponse(415, "UnsupportedMediaType",
                          "the body of the request was in an unknown format - accepted media "
                          "types include: application/json-patch+json, "
                          "application/merge-patch+json, application/apply-patch+yaml");
  }
  if (!patched.ok()) return FromStatus(patched.status());
  Json next = std::move(*patched);
  // A resourceVersion in the patch is a precondition; otherwise none.
  if (GetString(common::Get(*patch, "metadata"), "resourceVersion").empty())
    next["metadata"]["resourceVersion"] = GetString(it->second["metadata"], "resourceVersion");
  auto res = UpdateLocked(p.res_key, p.gvr, p.ns, std::move(next),
                          p.subresource == "status" ? "status" : "");
  if (!res.ok()) return FromStatus(res.status());
  return HttpResponse::Json(200, DumpJson(*res));
}

HttpResponse FakeApiServer::HandleDelete(const ParsedPath& p, HttpRequest& req) {
  Json opts = Json::object();
  if (!req.body.empty()) {
    auto parsed = ParseJson(req.body);
    if (!parsed.ok()) return FromStatus(parsed.status());
    opts = std::move(*parsed);
  }
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> names;
  if (p.name.empty()) {
    for (const auto& [k, obj] : objects_[p.res_key])
      if (p.ns.empty() || GetString(obj["metadata"], "namespace") == p.ns)
        names.push_back(GetString(obj["metadata"], "name"));
  } else {
    names.push_back(p.name);
  }
  Json last;
  for (const auto& name : names) {
    auto& objs = objects_[p.res_key];
    auto it = objs.find(KeyOf(p.ns, name));
    if (it == objs.end()) return FromStatus(Status::NotFound(NotFoundMessage(p.gvr, name)));
    const Json& pre = common::Get(opts, "preconditions");
    std::string pre_uid = GetString(pre, "uid"), pre_rv = GetString(pre, "resourceVersion");
    if ((!pre_uid.empty() && pre_uid != GetString(it->second["metadata"], "uid")) ||
        (!pre_rv.empty() && pre_rv != GetString(it->second["metadata"], "resourceVersion")))
      return FromStatus(Status::Conflict(ConflictMessage(p.gvr, name)));
    std::string policy = GetString(opts, "propagationPolicy");
    if (policy == "Foreground" || policy == "Orphan") {
      Json& fin = it->second["metadata"]["finalizers"];
      std::string f = policy == "Foreground" ? "foregroundDeletion" : "orphan";
      if (!fin.is_array()) fin = Json::array();
      if (std::find(fin.begin(), fin.end(), f) == fin.end()) fin.push_back(f);
    }
    auto res = DeleteLocked(p.res_key, p.gvr, p.ns, name, false);
    if (!res.ok()) return FromStatus(res.status());
    last = *res;
  }
  if (!p.name.empty() && last.is_object() && GetPath(last, {"metadata", "deletionTimestamp"}).is_string() &&
      objects_[p.res_key].count(KeyOf(p.ns, p.name)))
    return HttpResponse::Json(200, DumpJson(last));
  Json ok = {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()},
             {"status", "Success"},
             {"details", {{"name", p.name}, {"group", p.gvr.group}, {"kind", p.gvr.resource}}}};
  return HttpResponse::Json(200, DumpJson(ok));
}

}  // namespace common
