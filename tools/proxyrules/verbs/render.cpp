// proxyrules render: objects in, iptables-restore input out.
#include <time.h>

#include <chrono>
#include <cstdio>

#include "../inputs.h"
#include "../iptables/dump.h"
#include "common/cli.h"
#include "common/log.h"
#include "input_paths.h"
#include "verbs.h"

namespace proxyrules {

void AddRenderFlags(CLI::App* app, Options* o) {
  AddInputFlags(app, o);
  AddProxierFlags(app, o);
  app->add_flag("--sort", o->sort,
                "sort the output as upstream's proxier tests do before comparing, instead of "
                "kube-proxy's write order");
}

int RunRender(Options& o) {
  auto paths = InputPaths(o);
  if (!paths.ok()) return common::cli::Fail(paths.status());
  if (paths->empty()) {
    common::cli::PrintError("no input: give -f FILE (or --services/--endpoints); -f - reads stdin");
    return common::cli::kExitUsage;
  }
  Model model(o.NodeName());
  LoadStats stats;
  if (auto st = LoadFiles(*paths, o.Family(), &model, &stats); !st.ok())
    return common::cli::Fail(st);
  auto cfg = BuildRenderConfig(o, /*probe_system=*/false);
  if (!cfg.ok()) return common::cli::Fail(cfg.status());

  // CPU time beside wall time: on a busy machine the wall clock also counts
  // the time spent waiting for a core.
  auto cpu_ms = [] {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
  };
  auto start = std::chrono::steady_clock::now();
  double cpu_start = cpu_ms();
  RenderResult r = Render(model, *cfg, RenderScope{});
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  double cpu = cpu_ms() - cpu_start;
  VLOG(1, "Rendered rules", {"services", stats.services}, {"endpointSlices", stats.endpoint_slices},
       {"skipped", stats.invalid}, {"filterRules", r.filter_rules}, {"natRules", r.nat_rules},
       {"largeClusterMode", r.large_cluster_mode}, {"elapsedMs", ms}, {"cpuMs", cpu});

  std::string out = std::move(r.data);
  if (o.sort) {
    auto dump = iptables::ParseDump(out);
    if (!dump.ok()) return common::cli::Fail(dump.status());
    iptables::SortLikeUpstream(&*dump);
    out = iptables::FormatDump(*dump);
  }
  if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0) {
    common::cli::PrintError("cannot write to stdout");
    return common::cli::kExitFailed;
  }
  return common::cli::kExitOk;
}

}  // namespace proxyrules
