// The request pipeline: audit ID, authentication, authorization (AlwaysAllow
// for now), in-flight limits, routing to the resource handlers, and the
// access log line plus metrics when the response is done.
#include <array>
#include <charconv>
#include <random>

#include "api_server.h"
#include "common/log.h"
#include "common/strings.h"
#include "encoding.h"
#include "handlers/node_proxy.h"
#include "server_metrics.h"

namespace apiserve {

using common::Json;

namespace {

// Private request headers that carry what the access log needs from the
// handler to OnComplete (the same HttpRequest object). Incoming copies are
// dropped first, so clients cannot forge them.
constexpr const char* kHdrAudit = "X-Kubix-Audit-Id";
constexpr const char* kHdrVerb = "X-Kubix-Verb";
constexpr const char* kHdrLabels = "X-Kubix-Labels";
constexpr const char* kHdrInflight = "X-Kubix-Inflight";
constexpr const char* kHdrDeadline = "X-Kubix-Deadline";

// The private headers are set here with these exact names and appended
// after the client's (whose x-kubix-* copies Handle drops), so they are found
// from the back with an exact compare: no case folding over every header of
// the request, twice per private header per request.
common::HttpHeader* FindPrivate(std::vector<common::HttpHeader>& headers, std::string_view name) {
  for (auto it = headers.rbegin(); it != headers.rend(); ++it)
    if (it->name == name) return &*it;
  return nullptr;
}

std::string_view Private(const common::HttpRequest& req, std::string_view name) {
  for (auto it = req.headers.rbegin(); it != req.headers.rend(); ++it)
    if (it->name == name) return it->value;
  return {};
}

void SetPrivate(common::HttpRequest& req, const char* name, std::string value) {
  if (auto* h = FindPrivate(req.headers, name)) {
    h->value = std::move(value);
    return;
  }
  req.headers.push_back({name, std::move(value)});
}

// Go's time.Duration.String().
std::string GoDuration(std::chrono::nanoseconds d) {
  int64_t ns = d.count();
  char buf[64];
  auto trim = [](std::string s) {
    if (s.find('.') != std::string::npos) {
      while (!s.empty() && s.back() == '0') s.pop_back();
      if (!s.empty() && s.back() == '.') s.pop_back();
    }
    return s;
  };
  if (ns < 1000) return std::to_string(ns) + "ns";
  if (ns < 1000000) {
    snprintf(buf, sizeof buf, "%.3f", ns / 1e3);
    return trim(buf) + "\xC2\xB5s";
  }
  if (ns < 1000000000) {
    snprintf(buf, sizeof buf, "%.6f", ns / 1e6);
    return trim(buf) + "ms";
  }
  int64_t h = ns / 3600000000000LL;
  ns -= h * 3600000000000LL;
  int64_t m = ns / 60000000000LL;
  ns -= m * 60000000000LL;
  snprintf(buf, sizeof buf, "%.9f", ns / 1e9);
  std::string out;
  if (h) out += std::to_string(h) + "h";
  if (h || m) out += std::to_string(m) + "m";
  return out + trim(buf) + "s";
}

std::string NewAuditId() { return ApiServer::NewUid(); }

}  // namespace

std::string_view AuditIdOf(const common::HttpRequest& req) { return Private(req, kHdrAudit); }

void Reply(const common::HttpRequest& req, const common::Responder& responder,
           common::HttpResponse resp) {
  std::string_view id = AuditIdOf(req);
  if (!id.empty()) resp.SetHeader("Audit-Id", std::string(id));
  responder.Send(std::move(resp));
}

namespace {

bool IsMutating(const std::string& verb) {
  return verb == "create" || verb == "update" || verb == "patch" || verb == "delete" ||
         verb == "deletecollection";
}

bool IsLongRunning(const RequestInfo& info) {
  return info.verb == "watch" || info.subresource == "log" || info.subresource == "exec" ||
         info.subresource == "attach" || info.subresource == "portforward" ||
         info.subresource == "proxy";
}

}  // namespace

bool ApiServer::ServesInline(const common::HttpRequest& req) const {
  if (!opts_.etcd_servers.empty() || req.method != "GET") return false;
  const std::string& p = req.path;
  if (p == "/healthz" || p == "/livez" || p == "/readyz" || p == "/version") return true;
  if (!p.starts_with("/api")) return false;
  // A GET of one object, read from storage (unset resourceVersion): no watch
  // cache to build, nothing to wait for; subresources (log, exec, proxy) and
  // lists (tens of milliseconds for big ones) stay on the pool.
  if (req.query.find("resourceVersion") != std::string::npos) return false;
  RequestInfo info = ParseRequestInfo(req);
  return info.is_resource_request && info.verb == "get" && info.subresource.empty() &&
         !info.name.empty();
}

void ApiServer::Handle(common::HttpRequest& req, common::Responder responder) {
  std::erase_if(req.headers, [](const common::HttpHeader& h) {
    return h.name.size() > 8 && common::EqualsIgnoreCase(std::string_view(h.name).substr(0, 8), "x-kubix-");
  });
  req.headers.reserve(req.headers.size() + 5);  // the private headers below
  std::string audit_id(req.Header("Audit-ID"));
  if (audit_id.empty()) audit_id = NewAuditId();
  SetPrivate(req, kHdrAudit, audit_id);
  RequestInfo info = ParseRequestInfo(req);
  SetPrivate(req, kHdrVerb, MetricsVerb(info, req));
  {
    std::string scope;
    if (info.is_resource_request) {
      if (!info.name.empty()) scope = "resource";
      else if (!info.namespace_.empty()) scope = "namespace";
      else scope = "cluster";
    }
    std::string dry = req.Query("dryRun").value_or("");
    SetPrivate(req, kHdrLabels,
               info.api_group + "|" + info.api_version + "|" + info.resource + "|" +
                   info.subresource + "|" + scope + "|" + dry);
  }

  // Authentication: a verified client certificate, else anonymous.
  UserInfo user;
  if (!req.client_cn.empty()) {
    user.name = req.client_cn;
    user.groups = req.client_orgs;
    user.groups.push_back("system:authenticated");
  } else if (!req.Header("Authorization").empty()) {
    // No token authenticator is configured yet: a bearer token cannot be
    // verified, which kube-apiserver answers with 401.
    ApiError e{401, "Unauthorized", "Unauthorized", nullptr};
    return Reply(req, responder, e.ToResponse());
  } else if (!opts_.anonymous_auth) {
    ApiError e{401, "Unauthorized", "Unauthorized", nullptr};
    return Reply(req, responder, e.ToResponse());
  } else {
    user.name = "system:anonymous";
    user.groups = {"system:unauthenticated"};
  }
  // Authorization: AlwaysAllow (RBAC comes with a later issue).

  // Deadline (--request-timeout, or a shorter ?timeout=) for everything but
  // watches and streams.
  if (!IsLongRunning(info) && opts_.request_timeout_s > 0) {
    auto t = RequestTimeout(req, std::chrono::seconds(opts_.request_timeout_s));
    if (!t.ok()) return Reply(req, responder, ApiError::BadRequest(t.status().message()).ToResponse());
    uint64_t id = deadlines_.Arm(std::chrono::steady_clock::now() + *t, responder, audit_id);
    SetPrivate(req, kHdrDeadline, std::to_string(id));
  }

  if (!info.is_resource_request) return ServeNonResource(req, responder, info);

  // In-flight limits (the seed's --max-requests-inflight and
  // --max-mutating-requests-inflight); long-running requests are exempt.
  if (!IsLongRunning(info)) {
    bool mut = IsMutating(info.verb);
    auto& counter = mut ? inflight_mutating_ : inflight_readonly_;
    int limit = mut ? opts_.max_mutating_requests_inflight : opts_.max_requests_inflight;
    int n = counter.fetch_add(1) + 1;
    SetPrivate(req, kHdrInflight, mut ? "mutating" : "readOnly");
    SetInflight(*metrics_, mut ? "mutating" : "readOnly", n);
    if (limit > 0 && n > limit) {
      auto e = ApiError::TooManyRequests("Too many requests, please try again later.", 1);
      return Reply(req, responder, e.ToResponse());
    }
  }

  Request r{req, std::move(responder), std::move(info), nullptr, std::move(user), audit_id, {},
            false, {}};
  r.out = NegotiateOutput(req);
  r.res = resources_.Find(r.info.api_group, r.info.api_version, r.info.resource);
  if (!r.res) return r.Fail(ApiError::ResourceNotFound());
  ServeResource(r);
}

void ApiServer::ServeResource(Request& r) {
  const auto& ri = r.res->info;
  const auto& info = r.info;
  // Scope: namespaced resources live under namespaces/<ns>/ (lists and
  // watches may span all namespaces); cluster-scoped ones never do.
  if (ri.namespaced) {
    bool collection_read = info.name.empty() && (info.verb == "list" || info.verb == "watch");
    if (info.namespace_.empty() && !collection_read) return r.Fail(ApiError::ResourceNotFound());
  } else if (!info.namespace_.empty() && !(ri.resource == "namespaces")) {
    return r.Fail(ApiError::ResourceNotFound());
  }
  if (info.part_count > 3) return r.Fail(ApiError::ResourceNotFound());
  if (!info.subresource.empty() && !r.res->HasSubresource(info.subresource))
    return r.Fail(ApiError::ResourceNotFound());
  if (info.verb.empty()) return r.Fail(ApiError::MethodNotAllowed());

  if (auto d = r.http.Query("dryRun")) {
    if (*d != "All")
      return r.Fail(ApiError::BadRequest("dryRun: Unsupported value: \"" + *d +
                                         "\": supported values: \"All\""));
    r.dry_run = true;
  }

  auto has_verb = [&](const char* v) {
    return std::find(ri.verbs.begin(), ri.verbs.end(), v) != ri.verbs.end();
  };
  const std::string& sub = info.subresource;
  if (sub.empty()) {
    // Bindings (POST namespaces/<ns>/bindings) are pod binding requests.
    if (ri.group.empty() && ri.resource == "bindings") {
      if (info.verb != "create") return r.Fail(ApiError::MethodNotAllowed());
      return handlers::Binding(*this, r);
    }
    std::string verb = info.verb;
    if (verb == "watch" && !info.name.empty()) verb = "watch";
    if (!has_verb(verb.c_str())) return r.Fail(ApiError::MethodNotAllowed());
    if (verb == "get") return handlers::Get(*this, r);
    if (verb == "list") return handlers::List(*this, r);
    if (verb == "watch") return handlers::Watch(*this, r);
    if (verb == "create") {
      if (!info.name.empty()) return r.Fail(ApiError::MethodNotAllowed());
      return handlers::Create(*this, r);
    }
    if (verb == "update") return handlers::Update(*this, r);
    if (verb == "patch") return handlers::Patch(*this, r);
    if (verb == "delete") return handlers::Delete(*this, r);
    if (verb == "deletecollection") return handlers::DeleteCollection(*this, r);
    return r.Fail(ApiError::MethodNotAllowed());
  }
  if (sub == "status" || sub == "finalize") {
    if (info.verb == "get") return handlers::Get(*this, r);
    if (info.verb == "update") return handlers::Update(*this, r);
    if (info.verb == "patch" && sub == "status") return handlers::Patch(*this, r);
    return r.Fail(ApiError::MethodNotAllowed());
  }
  if (sub == "scale") {
    if (info.verb == "get" || info.verb == "update" || info.verb == "patch")
      return handlers::Scale(*this, r);
    return r.Fail(ApiError::MethodNotAllowed());
  }
  if (sub == "binding") {
    if (info.verb != "create") return r.Fail(ApiError::MethodNotAllowed());
    return handlers::Binding(*this, r);
  }
  if (sub == "eviction") {
    if (info.verb != "create") return r.Fail(ApiError::MethodNotAllowed());
    return handlers::Eviction(*this, r);
  }
  // log and exec: proxied to the pod's node agent (handlers/node_proxy.h).
  if (sub == "log" || sub == "exec") return handlers::NodeProxy(*this, r);
  // attach, portforward, proxy: not yet.
  return r.Fail(ApiError::ServiceUnavailable("the " + sub + " subresource is not served yet"));
}

void ApiServer::OnComplete(const common::HttpRequest& req, int status,
                           std::chrono::steady_clock::duration latency) {
  std::string verb(Private(req, kHdrVerb));
  if (verb.empty()) verb = req.method;
  if (auto d = Private(req, kHdrDeadline); !d.empty()) {
    uint64_t id = 0;
    std::from_chars(d.data(), d.data() + d.size(), id);
    deadlines_.Done(id);
  }
  std::string_view inflight = Private(req, kHdrInflight);
  if (!inflight.empty()) {
    auto& counter = inflight == "mutating" ? inflight_mutating_ : inflight_readonly_;
    int n = counter.fetch_sub(1) - 1;
    SetInflight(*metrics_, std::string(inflight), n);
  }
  std::string src = req.remote_addr + ":" + std::to_string(req.remote_port);
  LOG_INFO("HTTP", {"verb", verb}, {"URI", req.target},
           {"latency", GoDuration(std::chrono::duration_cast<std::chrono::nanoseconds>(latency))},
           {"userAgent", std::string(req.Header("User-Agent"))},
           {"audit-ID", std::string(Private(req, kHdrAudit))}, {"srcIP", src}, {"resp", status});
  // group|version|resource|subresource|scope|dryRun, split without copies.
  std::array<std::string_view, 6> parts;
  size_t nparts = 0;
  std::string_view labels = Private(req, kHdrLabels);
  for (size_t at = 0;;) {
    size_t bar = labels.find('|', at);
    std::string_view field = labels.substr(at, bar == std::string_view::npos ? bar : bar - at);
    if (nparts < parts.size()) parts[nparts] = field;
    ++nparts;
    if (bar == std::string_view::npos) break;
    at = bar + 1;
  }
  if (nparts == 6 && !parts[1].empty() && !parts[2].empty()) {
    RequestLabels l;
    l.verb = verb;
    l.group = parts[0];
    l.version = parts[1];
    l.resource = parts[2];
    l.subresource = parts[3];
    l.scope = parts[4];
    l.dry_run = parts[5];
    ObserveRequest(*metrics_, l, status, latency);
  } else {
    RequestLabels l;
    l.verb = verb;
    ObserveRequest(*metrics_, l, status, latency);
  }
}

}  // namespace apiserve
