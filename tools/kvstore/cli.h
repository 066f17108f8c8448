// The kvstore command line: global client flags, the verb table, dispatch.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/etcd_client.h"
#include "common/status.h"

namespace kvstore {

// Flags every client verb shares (named like etcdctl's), and the verb chosen.
struct Context {
  std::string endpoints = "127.0.0.1:2379";
  std::string output = "simple";  // simple | json
  std::string dial_timeout = "2s";
  std::string command_timeout = "5s";
  std::string cacert;
  std::string cert;
  std::string key;
  bool insecure_skip_tls_verify = false;
  // Set by the chosen verb's parse callback; returns the exit code.
  std::function<int()> run;

  // A client for --endpoints, or a usage error (bad duration, no endpoint).
  common::Result<std::unique_ptr<common::EtcdClient>> Client() const;
  bool json() const { return output == "json"; }
};

// Parses "5s", "500ms", "2m", "1h" or a plain number of seconds.
common::Result<std::chrono::milliseconds> ParseDuration(const std::string& text);

// Each verb registers its subcommand: options, then `ctx.run` in a callback.
// One function per verb file under verbs/.
void SetupGet(CLI::App& app, Context& ctx);
void SetupPut(CLI::App& app, Context& ctx);
void SetupDel(CLI::App& app, Context& ctx);
void SetupWatch(CLI::App& app, Context& ctx);
void SetupTxn(CLI::App& app, Context& ctx);
void SetupCompact(CLI::App& app, Context& ctx);
void SetupLease(CLI::App& app, Context& ctx);
void SetupStatus(CLI::App& app, Context& ctx);
void SetupSnapshot(CLI::App& app, Context& ctx);
void SetupDefrag(CLI::App& app, Context& ctx);
void SetupAlarm(CLI::App& app, Context& ctx);
void SetupServe(CLI::App& app, Context& ctx);
void SetupBench(CLI::App& app, Context& ctx);

// Reports a failed client call: "kvstore: <message>" and exit 1 (3 when the
// server could not be reached, 2 for a usage error).
int Fail(const common::Status& status);

int Main(int argc, char** argv);

}  // namespace kvstore
