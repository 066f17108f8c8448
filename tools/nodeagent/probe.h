// The state machine of one probe worker (pkg/kubelet/prober/worker.go):
// thresholds, initial results, holding after a liveness/startup failure, and
// when a probe is due. Pure: time comes in as arguments; the prober runs the
// handlers.
#pragma once

#include <chrono>

#include "podspec.h"

namespace nodeagent {

enum class ProbeType { kLiveness, kReadiness, kStartup };
enum class ProbeResult { kUnknown, kSuccess, kFailure };

const char* ProbeTypeName(ProbeType t);  // "Liveness", "Readiness", "Startup"

class ProbeState {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  ProbeState(ProbeType type, ProbeSpec spec);

  // A new container instance: results start over (readiness Failure,
  // liveness Success, startup Unknown) and probing resumes.
  void Reset();

  // Whether a probe should run at `now` for a container running since
  // `started`, whose startup probe has (`started_ok`) or has not succeeded.
  // Liveness and readiness wait for the startup probe; every probe waits
  // initialDelaySeconds after the container started; nothing runs on hold.
  bool ShouldProbe(TimePoint now, TimePoint started, bool started_ok) const;

  // Records one probe outcome. Returns true when the published result
  // changed (a threshold was reached with a different value).
  bool Observe(ProbeResult result);

  // The result the kubelet acts on.
  ProbeResult result() const { return published_; }
  // True after a liveness/startup failure reached its threshold: the
  // container is to be restarted and probing stops until Reset.
  bool on_hold() const { return on_hold_; }
  ProbeType type() const { return type_; }
  const ProbeSpec& spec() const { return spec_; }
  std::chrono::seconds period() const { return std::chrono::seconds(spec_.period_seconds); }

 private:
  ProbeType type_;
  ProbeSpec spec_;
  ProbeResult published_ = ProbeResult::kUnknown;
  ProbeResult last_ = ProbeResult::kUnknown;
  int run_ = 0;
  bool on_hold_ = false;
};

}  // namespace nodeagent
