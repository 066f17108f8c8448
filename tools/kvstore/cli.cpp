#include "cli.h"

#include <cstdio>

#include "common/cli.h"
#include "common/strings.h"

namespace kvstore {

using common::Result;
using common::Status;

Result<std::chrono::milliseconds> ParseDuration(const std::string& text) {
  std::string_view t = common::TrimSpace(text);
  size_t i = 0;
  while (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '.')) ++i;
  std::string num(t.substr(0, i));
  std::string_view unit = t.substr(i);
  double v = 0;
  try {
    size_t used = 0;
    v = std::stod(num, &used);
    if (used != num.size()) throw std::invalid_argument(num);
  } catch (...) {
    return Status::BadRequest("invalid duration '" + text + "'");
  }
  double ms = unit == "ms" ? v : unit == "s" || unit.empty() ? v * 1000 : unit == "m" ? v * 60000
              : unit == "h" ? v * 3600000 : -1;
  if (ms < 0) return Status::BadRequest("invalid duration '" + text + "'");
  return std::chrono::milliseconds(static_cast<int64_t>(ms));
}

Result<std::unique_ptr<common::EtcdClient>> Context::Client() const {
  common::EtcdClientOptions o;
  o.endpoints = common::SplitNonEmpty(endpoints, ',');
  if (o.endpoints.empty()) return Status::BadRequest("--endpoints names no endpoint");
  auto dial = ParseDuration(dial_timeout);
  if (!dial.ok()) return Status::BadRequest("--dial-timeout: " + dial.status().message());
  auto cmd = ParseDuration(command_timeout);
  if (!cmd.ok()) return Status::BadRequest("--command-timeout: " + cmd.status().message());
  o.dial_timeout = *dial;
  o.request_timeout = *cmd;
  o.ca_file = cacert;
  o.cert_file = cert;
  o.key_file = key;
  o.insecure_skip_verify = insecure_skip_tls_verify;
  // https endpoints without --cacert: the system bundle verifies them.
  return std::make_unique<common::EtcdClient>(std::move(o));
}

int Fail(const Status& status) {
  common::cli::PrintError(status.message());
  if (status.code() == common::Code::kUnreachable) return common::cli::kExitUnreachable;
  return common::cli::kExitFailed;
}

namespace {

using SetupFn = void (*)(CLI::App&, Context&);
// The verb table: one entry per file under verbs/.
constexpr SetupFn kVerbs[] = {
    SetupGet,      SetupPut,      SetupDel,   SetupWatch, SetupTxn,
    SetupCompact,  SetupLease,    SetupStatus, SetupSnapshot, SetupDefrag,
    SetupAlarm,    SetupServe,    SetupBench,
};

}  // namespace

int Main(int argc, char** argv) {
  common::cli::SetToolName("kvstore");
  Context ctx;
  CLI::App app{
      "kvstore: an etcd-compatible MVCC key-value store on LMDB.\n"
      "'kvstore serve' runs the server (the etcd v3 JSON API); the other verbs are\n"
      "etcdctl-like clients that work against kvstore and against a real etcd."};
  app.name("kvstore");
  app.require_subcommand(0, 1);
  app.fallthrough();
  app.add_option("--endpoints", ctx.endpoints,
                 "comma-separated client URLs of kvstore or etcd (default 127.0.0.1:2379)")
      ->envname("KVSTORE_ENDPOINTS");
  app.add_option("-o,-w,--output,--write-out", ctx.output, "output format: simple or json")
      ->check(CLI::IsMember({"simple", "json"}));
  app.add_option("--dial-timeout", ctx.dial_timeout,
                 "give up connecting to one endpoint after this (default 2s)");
  app.add_option("--command-timeout", ctx.command_timeout,
                 "give up on a request after this (default 5s)");
  app.add_option("--cacert", ctx.cacert, "verify TLS servers with this CA bundle");
  app.add_option("--cert", ctx.cert, "identify to TLS servers with this client certificate");
  app.add_option("--key", ctx.key, "the client certificate's private key");
  app.add_flag("--insecure-skip-tls-verify", ctx.insecure_skip_tls_verify,
               "do not verify the server's certificate (testing only)");
  common::cli::AddVerbosityFlag(app);
  for (SetupFn setup : kVerbs) setup(app, ctx);

  if (auto rc = common::cli::Parse(app, argc, argv)) return *rc;
  if (!ctx.run) {
    std::fputs(app.help().c_str(), stderr);
    return common::cli::kExitUsage;
  }
  return ctx.run();
}

}  // namespace kvstore
