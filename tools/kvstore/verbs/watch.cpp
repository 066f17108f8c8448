// kvstore watch KEY [RANGE_END]: prints events as they happen, one per line,
// flushed, until interrupted or stdout closes (so it works in pipelines).
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <mutex>

#include "../cli.h"
#include "../print.h"
#include "common/cli.h"
#include "common/signals.h"

namespace kvstore {
namespace {

struct WatchOptions {
  std::string key;
  std::string range_end;
  bool prefix = false;
  int64_t rev = 0;
  bool prev_kv = false;
  bool no_put = false;
  bool no_delete = false;
};

// "PUT <key> <value>" / "DELETE <key>": fields escaped so that one event is
// one line and the key splits off at the first space.
std::string SimpleLine(const common::kv::Event& ev, bool prev_kv) {
  std::string line = ev.type == common::kv::Event::Type::kDelete ? "DELETE " : "PUT ";
  line += EscapeField(ev.kv.key, true);
  if (ev.type == common::kv::Event::Type::kPut) line += " " + EscapeField(ev.kv.value, false);
  if (prev_kv && ev.prev_kv) line += " (prev " + EscapeField(ev.prev_kv->value, false) + ")";
  return line + "\n";
}

int RunWatch(Context& ctx, const WatchOptions& o) {
  common::BlockShutdownSignals();
  auto client = ctx.Client();
  if (!client.ok()) return (common::cli::PrintError(client.status().message()), common::cli::kExitUsage);
  common::kv::WatchRequest req;
  req.key = o.key;
  req.range_end = o.prefix ? common::kv::PrefixEnd(o.key) : o.range_end;
  req.start_revision = o.rev;
  req.prev_kv = o.prev_kv;
  req.no_put = o.no_put;
  req.no_delete = o.no_delete;

  // Fail fast (exit 3) when nothing answers, rather than retrying forever.
  common::kv::RangeRequest probe{o.key};
  probe.count_only = true;
  probe.serializable = true;
  if (auto r = (*client)->Range(probe); !r.ok()) return Fail(r.status());

  std::mutex mu;
  common::Status end;  // why the watch ended, if the server ended it
  std::atomic<bool> stdout_gone{false};
  const bool json = ctx.json();
  auto watcher = (*client)->Watch(req, [&](common::kv::WatchResponse r) {
    if (r.canceled) {
      std::lock_guard<std::mutex> lock(mu);
      std::string why = r.compact_revision
                            ? std::string(common::kv::kErrCompacted) + " (compact revision " +
                                  std::to_string(r.compact_revision) + ")"
                            : "watch canceled: " + r.cancel_reason;
      end = common::Status::Expired(why);
      kill(getpid(), SIGTERM);
      return;
    }
    std::string out;
    for (const auto& ev : r.events)
      out += json ? common::DumpJson(EventJson(ev)) + "\n" : SimpleLine(ev, o.prev_kv);
    if (!out.empty() && !Out(out) && !stdout_gone.exchange(true)) kill(getpid(), SIGTERM);
  });
  if (!watcher.ok()) return Fail(watcher.status());
  // Also notice a closed pipe while no events come (`kvstore watch | head -1`).
  while (common::WaitForShutdownSignal(std::chrono::milliseconds(300)) == 0) {
    pollfd p{STDOUT_FILENO, 0, 0};
    if (poll(&p, 1, 0) > 0 && (p.revents & (POLLERR | POLLHUP))) break;
  }
  (*watcher)->Cancel();
  std::lock_guard<std::mutex> lock(mu);
  if (!end.ok()) return Fail(end);
  return 0;
}

}  // namespace

void SetupWatch(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<WatchOptions>();
  CLI::App* sub = app.add_subcommand(
      "watch", "print events on a key, a range or a prefix, one per line, until interrupted");
  sub->add_option("key", o->key, "the key")->required();
  sub->add_option("range_end", o->range_end, "end of the range (exclusive)");
  sub->add_flag("--prefix", o->prefix, "watch every key starting with KEY");
  sub->add_option("--rev", o->rev, "start at this revision (replays history)");
  sub->add_flag("--prev-kv", o->prev_kv, "include the previous value");
  sub->add_flag("--no-put", o->no_put, "skip PUT events");
  sub->add_flag("--no-delete", o->no_delete, "skip DELETE events");
  sub->callback([&ctx, o] {
    if (o->prefix && !o->range_end.empty())
      throw CLI::ValidationError("--prefix", "cannot be combined with RANGE_END");
    ctx.run = [&ctx, o] { return RunWatch(ctx, *o); };
  });
}

}  // namespace kvstore
