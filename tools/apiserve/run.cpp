#include "run.h"

#include <fcntl.h>
#include <unistd.h>

#include "api_server.h"
#include "certs.h"
#include "common/cli.h"
#include "common/etcd_client.h"
#include "common/http_server.h"
#include "common/log.h"
#include "common/mvcc.h"
#include "common/signals.h"
#include "malloc_tuning.h"

namespace apiserve {

namespace {

common::Result<std::unique_ptr<common::kv::KV>> OpenStorage(const Options& o) {
  if (!o.etcd_servers.empty()) {
    common::EtcdClientOptions eo;
    eo.endpoints = o.etcd_servers;
    eo.ca_file = o.etcd_cafile;
    eo.cert_file = o.etcd_certfile;
    eo.key_file = o.etcd_keyfile;
    auto c = std::make_unique<common::EtcdClient>(eo);
    // Fail early when no endpoint answers.
    auto st = c->GetStatus();
    if (!st.ok()) {
      return common::Status::Unreachable("cannot reach etcd at " +
                                         o.etcd_servers[0] + ": " + st.status().message());
    }
    return std::unique_ptr<common::kv::KV>(std::move(c));
  }
  common::mvcc::MvccOptions mo;
  mo.dir = o.data_dir + "/store";
  mo.fsync = o.fsync;
  mo.quota_bytes = o.quota_backend_bytes;
  auto s = common::mvcc::MvccStore::Open(mo);
  if (!s.ok()) return s.status();
  return std::unique_ptr<common::kv::KV>(std::move(s).value());
}

}  // namespace

int Run(const Options& o) {
  TuneMalloc();
  if (!o.log_file.empty()) {
    int fd = open(o.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return common::cli::Fail(common::Status::FromErrno(errno, "open", o.log_file));
    common::log::SetOutputFd(fd);
  }
  auto kv = OpenStorage(o);
  if (!kv.ok()) return common::cli::Fail(kv.status());

  ApiServer server(o, kv->get());
  if (auto st = server.Start(); !st.ok()) return common::cli::Fail(st);

  std::string cert = o.tls_cert_file, key = o.tls_private_key_file;
  if (cert.empty()) {
    std::vector<std::string> names = o.tls_sans;
    names.push_back(server.allocators().FirstIP());
    if (!o.advertise_address.empty()) names.push_back(o.advertise_address);
    if (o.bind_address != "0.0.0.0" && o.bind_address != "::") names.push_back(o.bind_address);
    auto paths = EnsureSelfSignedCert(o.cert_dir, names);
    if (!paths.ok()) return common::cli::Fail(paths.status());
    cert = paths->cert;
    key = paths->key;
  }

  auto handler = [&server](common::HttpRequest& req, common::Responder resp) {
    server.Handle(req, std::move(resp));
  };
  auto on_complete = [&server](const common::HttpRequest& req, int status,
                               std::chrono::steady_clock::duration latency) {
    server.OnComplete(req, status, latency);
  };
  auto too_large = [](size_t limit) { return ApiError::TooLarge(limit).ToResponse(); };

  common::HttpServerOptions so;
  std::string bind = o.bind_address.find(':') != std::string::npos ? "[" + o.bind_address + "]"
                                                                     : o.bind_address;
  so.listen = {bind + ":" + std::to_string(o.secure_port)};
  so.tls_cert_file = cert;
  so.tls_key_file = key;
  so.tls_client_ca_file = o.client_ca_file;
  so.handler_threads = o.handler_threads;
  so.run_inline = [&server](const common::HttpRequest& req) { return server.ServesInline(req); };
  so.too_large = too_large;
  so.on_complete = on_complete;
  common::HttpServer secure(so, handler);
  if (auto st = secure.Start(); !st.ok()) return common::cli::Fail(st);
  for (const auto& a : secure.BoundAddresses()) LOG_INFO("Serving securely", {"address", a});

  std::unique_ptr<common::HttpServer> insecure;
  if (o.insecure_port > 0) {
    common::HttpServerOptions io = so;
    io.listen = {"127.0.0.1:" + std::to_string(o.insecure_port)};
    io.tls_cert_file.clear();
    io.tls_key_file.clear();
    io.tls_client_ca_file.clear();
    insecure = std::make_unique<common::HttpServer>(io, handler);
    if (auto st = insecure->Start(); !st.ok()) return common::cli::Fail(st);
    for (const auto& a : insecure->BoundAddresses())
      LOG_INFO("Serving insecurely on loopback", {"address", a});
  }
  common::NotifyReady();
  int sig = common::WaitForShutdownSignal();
  LOG_INFO("Shutting down", {"signal", sig});
  common::NotifyStopping();
  auto grace = std::chrono::seconds(o.shutdown_grace_s);
  // Watches end at once; in-flight requests get the grace period.
  server.Stop();
  secure.Shutdown(grace);
  if (insecure) insecure->Shutdown(grace);
  return common::cli::kExitOk;
}

}  // namespace apiserve
