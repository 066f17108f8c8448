// kvstore serve: the daemon. Serves the etcd v3 JSON API on
// --listen-client-urls until SIGTERM/SIGINT, then drains and exits 0.
#include <sys/resource.h>

#include <memory>

#include "../cli.h"
#include "../server/compactor.h"
#include "../server/engine.h"
#include "../server/server.h"
#include "common/cli.h"
#include "common/file.h"
#include "common/log.h"
#include "common/signals.h"
#include "common/strings.h"
#include "common/url.h"

namespace kvstore {
namespace {

struct ServeOptions {
  std::string name = "default";
  std::string data_dir = "/var/lib/kubix/kvstore";
  std::string listen_client_urls = "http://127.0.0.1:2379";
  std::string advertise_client_urls;
  int64_t quota_backend_bytes = 0;
  std::string auto_compaction_retention = "0";
  std::string auto_compaction_mode = "periodic";
  int64_t max_request_bytes = 1536 * 1024;
  int64_t max_txn_ops = 128;
  bool unsafe_no_fsync = false;
  std::string cert_file;
  std::string key_file;
  std::string trusted_ca_file;
  int io_threads = 0;
};

// "http://127.0.0.1:2379" -> "127.0.0.1:2379"; https needs a certificate.
common::Result<std::vector<std::string>> ListenAddresses(const ServeOptions& o) {
  std::vector<std::string> out;
  for (const auto& u : common::SplitNonEmpty(o.listen_client_urls, ',')) {
    auto url = common::ParseUrl(std::string(common::TrimSpace(u)));
    if (!url.ok() || (url->scheme != "http" && url->scheme != "https") || url->host.empty())
      return common::Status::BadRequest("invalid --listen-client-urls entry '" + u +
                                        "' (want http://HOST:PORT or https://HOST:PORT)");
    if (url->scheme == "https" && (o.cert_file.empty() || o.key_file.empty()))
      return common::Status::BadRequest("'" + u + "' needs --cert-file and --key-file");
    if (url->scheme == "http" && !o.cert_file.empty())
      return common::Status::BadRequest("'" + u + "' is http but --cert-file is set: use https");
    out.push_back(url->HostPort());
  }
  if (out.empty()) return common::Status::BadRequest("--listen-client-urls names no URL");
  return out;
}

int RunServe(const ServeOptions& o) {
  common::BlockShutdownSignals();
  auto listen = ListenAddresses(o);
  if (!listen.ok()) {
    common::cli::PrintError(listen.status().message());
    return common::cli::kExitUsage;
  }
  auto retention = ParseRetention(o.auto_compaction_mode, o.auto_compaction_retention);
  if (!retention.ok()) {
    common::cli::PrintError(retention.status().message());
    return common::cli::kExitUsage;
  }
  if (o.max_request_bytes <= 0 || o.max_txn_ops <= 0 || o.quota_backend_bytes < 0) {
    common::cli::PrintError("--max-request-bytes, --max-txn-ops and --quota-backend-bytes must be positive");
    return common::cli::kExitUsage;
  }
  // Thousands of watch streams need thousands of descriptors.
  rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }

  if (auto s = common::MakeDirs(o.data_dir, 0700); !s.ok()) {
    common::cli::PrintError("cannot create data dir '" + o.data_dir + "': " + s.message());
    return common::cli::kExitFailed;
  }
  EngineOptions eo;
  eo.data_dir = o.data_dir;
  eo.fsync = !o.unsafe_no_fsync;
  eo.quota_bytes = o.quota_backend_bytes;
  eo.max_txn_ops = o.max_txn_ops;
  auto store = OpenEngine(eo);
  if (!store.ok()) {
    common::cli::PrintError("cannot open data dir '" + o.data_dir + "': " +
                            store.status().message());
    return common::cli::kExitFailed;
  }

  ServerOptions so;
  so.listen = *listen;
  so.name = o.name;
  so.advertise_client_urls = common::SplitNonEmpty(
      o.advertise_client_urls.empty() ? o.listen_client_urls : o.advertise_client_urls, ',');
  so.max_request_bytes = o.max_request_bytes;
  so.max_txn_ops = o.max_txn_ops;
  so.cert_file = o.cert_file;
  so.key_file = o.key_file;
  so.trusted_ca_file = o.trusted_ca_file;
  so.io_threads = o.io_threads;
  Server server(store->get(), so);
  if (auto s = server.Start(); !s.ok()) {
    common::cli::PrintError(s.message());
    return common::cli::kExitFailed;
  }
  LOG_INFO("serving client requests", {"addresses", common::Join(server.BoundAddresses(), ",")},
           {"data_dir", o.data_dir}, {"fsync", !o.unsafe_no_fsync});
  {
    Compactor compactor(store->get(), *retention);
    common::NotifyReady();
    int sig = common::WaitForShutdownSignal();
    common::NotifyStopping();
    LOG_INFO("shutting down", {"signal", sig});
  }
  server.Shutdown(std::chrono::seconds(5));
  store->reset();  // waits for queued writes, closes the file
  return 0;
}

}  // namespace

void SetupServe(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ServeOptions>();
  CLI::App* sub = app.add_subcommand("serve", "run the server (the etcd v3 JSON API)");
  sub->add_option("--name", o->name, "human-readable name of this member (default \"default\")");
  sub->add_option("--data-dir", o->data_dir, "directory of the database")
      ->capture_default_str();
  sub->add_option("--listen-client-urls", o->listen_client_urls,
                  "comma-separated URLs to serve clients on")
      ->capture_default_str();
  sub->add_option("--advertise-client-urls", o->advertise_client_urls,
                  "client URLs to advertise (default: the listen URLs)");
  sub->add_option("--quota-backend-bytes", o->quota_backend_bytes,
                  "raise the NOSPACE alarm when the database exceeds this (0 = 2 GiB)");
  sub->add_option("--auto-compaction-retention", o->auto_compaction_retention,
                  "history to keep: a duration or hours (periodic), a count (revision); 0 = off")
      ->capture_default_str();
  sub->add_option("--auto-compaction-mode", o->auto_compaction_mode, "periodic or revision")
      ->check(CLI::IsMember({"periodic", "revision"}))
      ->capture_default_str();
  sub->add_option("--max-request-bytes", o->max_request_bytes,
                  "largest request the server accepts")
      ->capture_default_str();
  sub->add_option("--max-txn-ops", o->max_txn_ops, "most operations in one txn")
      ->capture_default_str();
  sub->add_flag("--unsafe-no-fsync", o->unsafe_no_fsync,
                "do not fsync commits (a power loss may lose acknowledged writes)");
  sub->add_option("--cert-file", o->cert_file, "TLS certificate for https client URLs");
  sub->add_option("--key-file", o->key_file, "TLS private key for https client URLs");
  sub->add_option("--trusted-ca-file", o->trusted_ca_file, "CA bundle to verify client certificates");
  sub->add_option("--io-threads", o->io_threads,
                  "threads serving HTTP connections (0 = one per CPU)")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  sub->callback([&ctx, o] { ctx.run = [o] { return RunServe(*o); }; });
}

}  // namespace kvstore
