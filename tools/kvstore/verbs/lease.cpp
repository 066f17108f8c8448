// kvstore lease grant|revoke|keep-alive|timetolive|list, printed as etcdctl does.
#include <memory>
#include <thread>

#include "../cli.h"
#include "../print.h"
#include "common/cli.h"
#include "common/base64.h"
#include "common/signals.h"

namespace kvstore {
namespace {

struct LeaseOptions {
  int64_t ttl = 0;
  std::string id;
  bool keys = false;
  bool once = false;
};

#define KVSTORE_CLIENT(ctx)                                       \
  auto client = (ctx).Client();                                   \
  if (!client.ok()) {                                             \
    common::cli::PrintError(client.status().message());           \
    return common::cli::kExitUsage;                               \
  }

int ParseId(const LeaseOptions& o, int64_t* id) {
  if (ParseLeaseId(o.id, id)) return 0;
  common::cli::PrintError("bad lease ID '" + o.id + "' (hexadecimal expected)");
  return common::cli::kExitUsage;
}

int Grant(Context& ctx, const LeaseOptions& o) {
  KVSTORE_CLIENT(ctx);
  auto r = (*client)->LeaseGrant(o.ttl);
  if (!r.ok()) return Fail(r.status());
  if (ctx.json()) {
    common::Json j = common::Json::object();
    common::etcd::Header h;
    h.revision = r->revision;
    j["header"] = HeaderJson(h);
    j["ID"] = r->id;
    j["TTL"] = r->ttl;
    return OutJson(j) ? 0 : 1;
  }
  return Out("lease " + LeaseHex(r->id) + " granted with TTL(" + std::to_string(r->ttl) + "s)\n")
             ? 0
             : 1;
}

int Revoke(Context& ctx, const LeaseOptions& o) {
  int64_t id;
  if (int rc = ParseId(o, &id)) return rc;
  KVSTORE_CLIENT(ctx);
  common::Status st = (*client)->LeaseRevoke(id);
  if (!st.ok()) return Fail(st);
  return Out("lease " + LeaseHex(id) + " revoked\n") ? 0 : 1;
}

int TimeToLive(Context& ctx, const LeaseOptions& o) {
  int64_t id;
  if (int rc = ParseId(o, &id)) return rc;
  KVSTORE_CLIENT(ctx);
  auto r = (*client)->LeaseTimeToLive(id, o.keys);
  if (!r.ok()) return Fail(r.status());
  if (ctx.json()) {
    common::Json j = common::Json::object();
    common::etcd::Header h;
    h.revision = r->revision;
    j["header"] = HeaderJson(h);
    j["ID"] = r->id;
    j["TTL"] = r->ttl;
    j["grantedTTL"] = r->granted_ttl;
    if (!r->keys.empty()) {
      common::Json keys = common::Json::array();
      for (const auto& k : r->keys) keys.push_back(common::Base64Encode(k));
      j["keys"] = std::move(keys);
    }
    return OutJson(j) ? 0 : 1;
  }
  if (r->ttl == -1) return Out("lease " + LeaseHex(id) + " already expired\n") ? 0 : 1;
  std::string line = "lease " + LeaseHex(id) + " granted with TTL(" +
                     std::to_string(r->granted_ttl) + "s), remaining(" + std::to_string(r->ttl) +
                     "s)";
  if (o.keys) {
    line += ", attached keys([";
    for (size_t i = 0; i < r->keys.size(); ++i) line += (i ? " " : "") + r->keys[i];
    line += "])";
  }
  return Out(line + "\n") ? 0 : 1;
}

int List(Context& ctx) {
  KVSTORE_CLIENT(ctx);
  auto r = (*client)->LeaseList();
  if (!r.ok()) return Fail(r.status());
  if (ctx.json()) {
    common::Json j = common::Json::object();
    common::Json leases = common::Json::array();
    for (int64_t id : *r) leases.push_back(common::Json{{"ID", id}});
    j["leases"] = std::move(leases);
    return OutJson(j) ? 0 : 1;
  }
  std::string out = "found " + std::to_string(r->size()) + " leases\n";
  for (int64_t id : *r) out += LeaseHex(id) + "\n";
  return Out(out) ? 0 : 1;
}

// Renews every TTL/3 (as clientv3 does) until interrupted or the lease is gone.
int KeepAlive(Context& ctx, const LeaseOptions& o) {
  int64_t id;
  if (int rc = ParseId(o, &id)) return rc;
  common::BlockShutdownSignals();
  KVSTORE_CLIENT(ctx);
  for (;;) {
    auto ttl = (*client)->LeaseKeepAlive(id);
    if (!ttl.ok()) return Fail(ttl.status());
    if (*ttl <= 0) {
      Out("lease " + LeaseHex(id) + " expired or revoked.\n");
      return 1;
    }
    if (!Out("lease " + LeaseHex(id) + " keepalived with TTL(" + std::to_string(*ttl) + ")\n"))
      return 0;
    if (o.once) return 0;
    auto wait = std::chrono::milliseconds(std::max<int64_t>(500, *ttl * 1000 / 3));
    if (common::WaitForShutdownSignal(wait) != 0) return 0;
  }
}

}  // namespace

void SetupLease(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<LeaseOptions>();
  CLI::App* lease = app.add_subcommand("lease", "grant, revoke, keep alive and inspect leases");
  lease->require_subcommand(1);
  CLI::App* grant = lease->add_subcommand("grant", "grant a lease of TTL seconds");
  grant->add_option("ttl", o->ttl, "time to live in seconds")->required();
  grant->callback([&ctx, o] { ctx.run = [&ctx, o] { return Grant(ctx, *o); }; });
  CLI::App* revoke = lease->add_subcommand("revoke", "revoke a lease, deleting its keys");
  revoke->add_option("id", o->id, "lease ID (hex)")->required();
  revoke->callback([&ctx, o] { ctx.run = [&ctx, o] { return Revoke(ctx, *o); }; });
  CLI::App* ka = lease->add_subcommand("keep-alive", "renew a lease until interrupted");
  ka->add_option("id", o->id, "lease ID (hex)")->required();
  ka->add_flag("--once", o->once, "renew once and exit");
  ka->callback([&ctx, o] { ctx.run = [&ctx, o] { return KeepAlive(ctx, *o); }; });
  CLI::App* ttl = lease->add_subcommand("timetolive", "show a lease's remaining time");
  ttl->add_option("id", o->id, "lease ID (hex)")->required();
  ttl->add_flag("--keys", o->keys, "list the keys attached to the lease");
  ttl->callback([&ctx, o] { ctx.run = [&ctx, o] { return TimeToLive(ctx, *o); }; });
  CLI::App* list = lease->add_subcommand("list", "list the live leases");
  list->callback([&ctx] { ctx.run = [&ctx] { return List(ctx); }; });
}

}  // namespace kvstore
