// Partial-sync latency: loads N services into the model, does one full sync
// into the current network namespace, then changes one endpoint of one
// service at a time and times from the change being seen (the object handed
// to the model, as an informer callback does) to the rules being installed.
//
// usage: partial_sync OBJECTS.json BACKEND ROUNDS
// prints one line per round and a summary line "partial_ms p50=.. p90=..".
// CPU time is this process's (user+system, the kernel's table replacement
// included); a restore tool's own CPU is in its children's share.
// V=3 in the environment logs libiptc's phases.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "common/log.h"
#include "common/objects.h"
#include "inputs.h"
#include "options.h"
#include "sync/proxier.h"

using namespace proxyrules;
using Clock = std::chrono::steady_clock;

static double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// CPU milliseconds used so far by this process and its waited-for children.
static double CpuMs() {
  double ms = 0;
  for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage ru{};
    getrusage(who, &ru);
    ms += (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
          (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
  }
  return ms;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: partial_sync OBJECTS.json BACKEND ROUNDS\n");
    return 2;
  }
  if (const char* v = std::getenv("V")) common::log::SetVerbosity(std::atoi(v));
  auto objs = common::ReadObjects(argv[1]);
  if (!objs.ok()) {
    std::fprintf(stderr, "%s\n", objs.status().message().c_str());
    return 1;
  }
  Model model("node-0");
  LoadStats stats;
  std::vector<common::Json> slices;
  for (const auto& o : *objs) {
    ApplyObject(o, IPFamily::kIPv4, &model, &stats);
    if (common::GetString(o, "kind") == "EndpointSlice") slices.push_back(o);
  }
  auto backend = MakeBackend(argv[2]);
  if (!backend.ok()) {
    std::fprintf(stderr, "%s\n", backend.status().message().c_str());
    return 1;
  }
  Options o;
  o.cluster_cidr = "10.64.0.0/10";
  o.Validate();
  ProxierOptions popts;
  popts.render = *BuildRenderConfig(o, true);
  Proxier proxier(&model, backend->get(), popts);
  proxier.set_clear_conntrack(false);
  SyncOutcome full = proxier.Sync(true);
  if (!full.status.ok()) {
    std::fprintf(stderr, "full sync: %s\n", full.status.message().c_str());
    return 1;
  }
  std::printf("full_sync_s=%.3f render_s=%.3f restore_s=%.3f nat_rules=%zu\n", full.seconds,
              full.render_seconds, full.restore_seconds, full.render.nat_rules);
  std::fflush(stdout);

  int rounds = std::atoi(argv[3]);
  std::vector<double> total, render, restore, cpu;
  for (int i = 0; i < rounds; ++i) {
    // A pod of service i*7 is replaced by a new one with another IP.
    common::Json slice = slices[(i * 7) % slices.size()];
    auto& eps = slice["endpoints"];
    eps[eps.size() - 1]["addresses"][0] = "10.127.255." + std::to_string(1 + i % 250);
    auto seen = Clock::now();
    double cpu0 = CpuMs();
    ApplyObject(slice, IPFamily::kIPv4, &model, &stats);
    SyncOutcome out = proxier.Sync(false);
    double ms = Ms(Clock::now() - seen);
    double cpu_ms = CpuMs() - cpu0;
    if (!out.status.ok() || out.full) {
      std::fprintf(stderr, "round %d: %s full=%d\n", i, out.status.message().c_str(), out.full);
      return 1;
    }
    total.push_back(ms);
    render.push_back(out.render_seconds * 1000);
    restore.push_back(out.restore_seconds * 1000);
    cpu.push_back(cpu_ms);
    std::printf("round %d: %.1f ms (render %.1f, restore %.1f, cpu %.1f, nat rules written %zu)\n", i,
                ms, out.render_seconds * 1000, out.restore_seconds * 1000, cpu_ms, out.render.nat_rules);
    std::fflush(stdout);
  }
  auto pct = [](std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
  };
  std::printf("partial_ms p50=%.1f p90=%.1f render_p50=%.1f restore_p50=%.1f cpu_p50=%.1f\n",
              pct(total, 0.5), pct(total, 0.9), pct(render, 0.5), pct(restore, 0.5), pct(cpu, 0.5));
  return 0;
}
