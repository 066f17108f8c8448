// kubeconfig files read as kubectl reads them (client-go's clientcmd):
// --kubeconfig or $KUBECONFIG (merged) or ~/.kube/config, contexts, clusters,
// users, --context/--cluster/--user/--server overrides, in-cluster service
// account fallback; the result is the HttpClientOptions to talk to the server.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/http_client.h"
#include "common/status.h"

namespace common {

// One merged kubeconfig (clientcmdapi.Config). Paths are already made
// absolute (relative ones are relative to the file that named them) and
// *-data fields are already base64-decoded.
struct Kubeconfig {
  struct Cluster {
    std::string server;
    std::string certificate_authority;       // a file
    std::string certificate_authority_data;  // PEM
    bool insecure_skip_tls_verify = false;
    std::string tls_server_name;
  };
  struct AuthInfo {
    std::string client_certificate;       // a file
    std::string client_certificate_data;  // PEM
    std::string client_key;
    std::string client_key_data;
    std::string token;
    std::string token_file;
    std::string username;
    std::string password;
    bool has_exec = false;           // an exec credential plugin
    bool has_auth_provider = false;  // a legacy auth-provider (gcp, oidc, ...)
  };
  struct Context {
    std::string cluster;
    std::string user;
    std::string ns;
  };
  std::map<std::string, Cluster> clusters;
  std::map<std::string, AuthInfo> users;
  std::map<std::string, Context> contexts;
  std::string current_context;
  // The files merged, in order.
  std::vector<std::string> files;
};

// Parses one kubeconfig document. `dir` is the directory relative paths in
// it are resolved against. Errors are BadRequest naming the bad field
// ("illegal base64 data at input byte 4" for a broken *-data field).
Result<Kubeconfig> ParseKubeconfig(std::string_view yaml, const std::string& dir);

// Reads and merges `paths` with clientcmd's rules: for clusters, users and
// contexts the first file defining a name wins; current-context comes from
// the first file that sets it. Missing files are skipped unless
// `must_exist` (an explicit --kubeconfig), which makes them NotFound.
Result<Kubeconfig> LoadKubeconfigFiles(const std::vector<std::string>& paths, bool must_exist);

// What a command line asks for (kubectl's global flags; a controller's
// --kubeconfig and --master).
struct KubeconfigOptions {
  std::string kubeconfig;  // --kubeconfig: exactly this file, which must exist
  std::string context;     // --context
  std::string cluster;     // --cluster
  std::string user;        // --user
  std::string server;      // --server / --master: replaces the cluster's server
  std::string token;       // --token
  std::string ns;          // --namespace
  std::string certificate_authority;  // --certificate-authority
  bool insecure_skip_tls_verify = false;  // --insecure-skip-tls-verify
  // With no kubeconfig anywhere, use the pod's service account
  // (KUBERNETES_SERVICE_HOST/PORT and `service_account_dir`), as
  // rest.InClusterConfig does.
  bool in_cluster_fallback = true;
  std::string service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";
  // Environment lookup ($KUBECONFIG, $HOME, $KUBERNETES_SERVICE_*); tests
  // replace it. Null means ::getenv.
  std::function<const char*(const char*)> getenv;
};

// A resolved client configuration.
struct ClientConfig {
  HttpClientOptions http;   // server, TLS material, bearer token
  std::string ns;           // the context's namespace, else "default"
  std::string context;      // the context used ("" for flags-only or in-cluster)
  std::vector<std::string> files;  // kubeconfig files read
};

// Resolves `options` the way kubectl does, in this order: --kubeconfig;
// else $KUBECONFIG (':'-separated, merged); else ~/.kube/config if it
// exists; else (with only --server or in-cluster) no file. Then picks the
// context (--context, else current-context), its cluster and user (unless
// --cluster/--user name others), applies the flag overrides, reads token
// files, and fills HttpClientOptions. Errors (BadRequest unless a file is
// missing: NotFound) read like kubectl's: "context was not found for
// specified context: foo", "no server found for cluster \"c\"", "invalid
// configuration: no configuration has been provided".
Result<ClientConfig> LoadClientConfig(const KubeconfigOptions& options);

}  // namespace common
