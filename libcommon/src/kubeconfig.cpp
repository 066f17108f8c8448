#include "common/kubeconfig.h"

#include <sys/stat.h>

#include <cstdlib>
#include <set>

#include "common/base64.h"
#include "common/file.h"
#include "common/strings.h"
#include "common/yaml.h"

namespace common {
namespace {

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::string DirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// clientcmd's ResolveLocalPaths: relative paths are relative to the file.
std::string Resolve(const std::string& dir, std::string path) {
  if (path.empty() || path[0] == '/') return path;
  if (path.starts_with("~/")) {
    const char* home = std::getenv("HOME");
    if (home) return std::string(home) + path.substr(1);
  }
  return dir + "/" + path;
}

Result<std::string> DecodeData(const Json& obj, const char* field, const std::string& where) {
  const Json& v = Get(obj, field);
  if (!v.is_string() || v.get_ref<const std::string&>().empty()) return std::string();
  size_t bad = 0;
  auto decoded = Base64Decode(v.get_ref<const std::string&>(), &bad);
  if (!decoded)
    return Status::BadRequest(where + "." + field + ": illegal base64 data at input byte " +
                              std::to_string(bad));
  return *decoded;
}

// The named entries of a kubeconfig list ("clusters", "users", "contexts").
template <typename F>
Status ForEachNamed(const Json& root, const char* list, const char* inner, F fn) {
  const Json& items = Get(root, list);
  if (items.is_null()) return Status::Ok();
  if (!items.is_array())
    return Status::BadRequest(std::string("error loading config: ") + list + " is not a list");
  for (const auto& item : items) {
    std::string name = GetString(item, "name");
    if (name.empty())
      return Status::BadRequest(std::string("error loading config: an entry of ") + list +
                                " has no name");
    RETURN_IF_ERROR(fn(name, Get(item, inner)));
  }
  return Status::Ok();
}

}  // namespace

Result<Kubeconfig> ParseKubeconfig(std::string_view yaml, const std::string& dir) {
  auto parsed = ParseYaml(yaml);
  if (!parsed.ok()) return parsed.status();
  const Json& root = *parsed;
  Kubeconfig kc;
  if (root.is_null()) return kc;  // an empty file is an empty config
  if (!root.is_object())
    return Status::BadRequest("error loading config: the document is not a mapping");

  RETURN_IF_ERROR(ForEachNamed(root, "clusters", "cluster", [&](const std::string& name,
                                                               const Json& c) -> Status {
    Kubeconfig::Cluster cl;
    cl.server = GetString(c, "server");
    cl.certificate_authority = Resolve(dir, GetString(c, "certificate-authority"));
    ASSIGN_OR_RETURN(cl.certificate_authority_data,
                     DecodeData(c, "certificate-authority-data", "clusters[" + name + "]"));
    cl.insecure_skip_tls_verify = GetBool(c, "insecure-skip-tls-verify");
    cl.tls_server_name = GetString(c, "tls-server-name");
    kc.clusters.emplace(name, std::move(cl));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(ForEachNamed(root, "users", "user", [&](const std::string& name,
                                                         const Json& u) -> Status {
    Kubeconfig::AuthInfo a;
    std::string where = "users[" + name + "]";
    a.client_certificate = Resolve(dir, GetString(u, "client-certificate"));
    ASSIGN_OR_RETURN(a.client_certificate_data, DecodeData(u, "client-certificate-data", where));
    a.client_key = Resolve(dir, GetString(u, "client-key"));
    ASSIGN_OR_RETURN(a.client_key_data, DecodeData(u, "client-key-data", where));
    a.token = GetString(u, "token");
    a.token_file = Resolve(dir, GetString(u, "tokenFile"));
    a.username = GetString(u, "username");
    a.password = GetString(u, "password");
    a.has_exec = u.is_object() && u.contains("exec") && !u["exec"].is_null();
    a.has_auth_provider =
        u.is_object() && u.contains("auth-provider") && !u["auth-provider"].is_null();
    kc.users.emplace(name, std::move(a));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(ForEachNamed(root, "contexts", "context", [&](const std::string& name,
                                                               const Json& c) -> Status {
    kc.contexts.emplace(name, Kubeconfig::Context{GetString(c, "cluster"), GetString(c, "user"),
                                                  GetString(c, "namespace")});
    return Status::Ok();
  }));
  kc.current_context = GetString(root, "current-context");
  return kc;
}

Result<Kubeconfig> LoadKubeconfigFiles(const std::vector<std::string>& paths, bool must_exist) {
  Kubeconfig merged;
  std::set<std::string> seen;
  for (const auto& path : paths) {
    if (path.empty() || !seen.insert(path).second) continue;
    if (!must_exist && !FileExists(path)) continue;
    auto text = ReadFile(path);
    if (!text.ok()) return text.status();
    auto kc = ParseKubeconfig(*text, DirOf(path));
    if (!kc.ok()) return Status(kc.status().code(), path + ": " + kc.status().message());
    // The first file to define a name wins (clientcmd's merge order).
    merged.clusters.merge(kc->clusters);
    merged.users.merge(kc->users);
    merged.contexts.merge(kc->contexts);
    if (merged.current_context.empty()) merged.current_context = kc->current_context;
    merged.files.push_back(path);
  }
  return merged;
}

Result<ClientConfig> LoadClientConfig(const KubeconfigOptions& o) {
  auto env = [&](const char* name) -> std::string {
    const char* v = o.getenv ? o.getenv(name) : std::getenv(name);
    return v ? v : "";
  };

  // Which files (clientcmd.ClientConfigLoadingRules).
  std::vector<std::string> paths;
  bool must_exist = false;
  if (!o.kubeconfig.empty()) {
    paths.push_back(o.kubeconfig);
    must_exist = true;
  } else if (std::string list = env("KUBECONFIG"); !list.empty()) {
    paths = Split(list, ':');
  } else if (std::string home = env("HOME"); !home.empty()) {
    paths.push_back(home + "/.kube/config");
  }
  ASSIGN_OR_RETURN(Kubeconfig kc, LoadKubeconfigFiles(paths, must_exist));

  ClientConfig out;
  out.files = kc.files;
  const bool no_config = kc.clusters.empty() && kc.users.empty() && kc.contexts.empty();

  if (no_config && o.server.empty()) {
    std::string host = env("KUBERNETES_SERVICE_HOST"), port = env("KUBERNETES_SERVICE_PORT");
    if (o.in_cluster_fallback && !host.empty() && !port.empty()) {
      // rest.InClusterConfig: the pod's service account.
      if (host.find(':') != std::string::npos) host = "[" + host + "]";
      out.http.server = "https://" + host + ":" + port;
      auto token = ReadFile(o.service_account_dir + "/token");
      if (!token.ok()) return token.status();
      out.http.bearer_token = std::string(TrimSpace(*token));
      out.http.ca_file = o.service_account_dir + "/ca.crt";
      auto ns = ReadFile(o.service_account_dir + "/namespace");
      out.ns = ns.ok() ? std::string(TrimSpace(*ns)) : "default";
      if (!o.ns.empty()) out.ns = o.ns;
      return out;
    }
    return Status::BadRequest(
        "invalid configuration: no configuration has been provided, try setting "
        "KUBERNETES_MASTER environment variable");
  }

  std::string context_name = o.context.empty() ? kc.current_context : o.context;
  Kubeconfig::Context ctx;
  if (!context_name.empty()) {
    auto it = kc.contexts.find(context_name);
    if (it == kc.contexts.end()) {
      if (!o.context.empty())
        return Status::BadRequest("context was not found for specified context: " + o.context);
      return Status::BadRequest("invalid configuration: context \"" + context_name +
                                "\" does not exist");
    }
    ctx = it->second;
  }
  out.context = context_name;
  if (!o.cluster.empty()) ctx.cluster = o.cluster;
  if (!o.user.empty()) ctx.user = o.user;

  Kubeconfig::Cluster cluster;
  if (!ctx.cluster.empty()) {
    auto it = kc.clusters.find(ctx.cluster);
    if (it == kc.clusters.end()) {
      if (!o.cluster.empty() || o.server.empty())
        return Status::BadRequest("invalid configuration: cluster \"" + ctx.cluster +
                                  "\" does not exist");
    } else {
      cluster = it->second;
    }
  }
  Kubeconfig::AuthInfo user;
  if (!ctx.user.empty()) {
    auto it = kc.users.find(ctx.user);
    if (it != kc.users.end()) user = it->second;
    else if (!o.user.empty())
      return Status::BadRequest("auth info \"" + ctx.user + "\" does not exist");
  }

  // Flag overrides (clientcmd.ConfigOverrides).
  if (!o.server.empty()) cluster.server = o.server;
  if (!o.certificate_authority.empty()) {
    cluster.certificate_authority = o.certificate_authority;
    cluster.certificate_authority_data.clear();
  }
  if (o.insecure_skip_tls_verify) {
    // The flag wins over any CA the file names, as kubectl lets it.
    cluster.insecure_skip_tls_verify = true;
    cluster.certificate_authority.clear();
    cluster.certificate_authority_data.clear();
  }
  if (!o.token.empty()) {
    user.token = o.token;
    user.token_file.clear();
  }

  if (cluster.server.empty()) {
    if (ctx.cluster.empty())
      return Status::BadRequest(
          "invalid configuration: no configuration has been provided, try setting "
          "KUBERNETES_MASTER environment variable");
    return Status::BadRequest("invalid configuration: no server found for cluster \"" +
                              ctx.cluster + "\"");
  }
  if (cluster.insecure_skip_tls_verify &&
      (!cluster.certificate_authority.empty() || !cluster.certificate_authority_data.empty()))
    return Status::BadRequest(
        "invalid configuration: specifying a root certificates file with the insecure flag is "
        "not allowed");
  if (user.has_exec || user.has_auth_provider)
    return Status::BadRequest("user \"" + ctx.user + "\": " +
                              (user.has_exec ? "exec credential plugins" : "auth-provider plugins") +
                              " are not supported by kubix; use a token or a client certificate");
  if (!user.username.empty() && user.token.empty() && user.token_file.empty())
    return Status::BadRequest("user \"" + ctx.user +
                              "\": basic authentication (username/password) is not supported by "
                              "kubix; use a token or a client certificate");
  bool has_cert = !user.client_certificate.empty() || !user.client_certificate_data.empty();
  bool has_key = !user.client_key.empty() || !user.client_key_data.empty();
  if (has_cert && !has_key)
    return Status::BadRequest("invalid configuration: client-key-data or client-key must be "
                              "specified for " + ctx.user +
                              " to use the clientCert authentication method.");
  if (has_key && !has_cert)
    return Status::BadRequest("invalid configuration: client-cert-data or client-cert must be "
                              "specified for " + ctx.user +
                              " to use the clientCert authentication method.");

  HttpClientOptions& h = out.http;
  h.server = cluster.server;
  // A bare host:port means https, as client-go's DefaultServerURL assumes.
  if (h.server.find("://") == std::string::npos) h.server = "https://" + h.server;
  h.ca_file = cluster.certificate_authority;
  h.ca_pem = cluster.certificate_authority_data;
  h.insecure_skip_verify = cluster.insecure_skip_tls_verify;
  h.cert_file = user.client_certificate;
  h.cert_pem = user.client_certificate_data;
  h.key_file = user.client_key;
  h.key_pem = user.client_key_data;
  h.bearer_token = user.token;
  if (h.bearer_token.empty() && !user.token_file.empty()) {
    auto token = ReadFile(user.token_file);
    if (!token.ok()) return token.status();
    h.bearer_token = std::string(TrimSpace(*token));
  }
  out.ns = !o.ns.empty() ? o.ns : (!ctx.ns.empty() ? ctx.ns : "default");
  return out;
}

}  // namespace common
