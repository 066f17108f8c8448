#include "probe.h"

namespace nodeagent {

const char* ProbeTypeName(ProbeType t) {
  switch (t) {
    case ProbeType::kLiveness: return "Liveness";
    case ProbeType::kReadiness: return "Readiness";
    case ProbeType::kStartup: return "Startup";
  }
  return "";
}

ProbeState::ProbeState(ProbeType type, ProbeSpec spec) : type_(type), spec_(std::move(spec)) {
  Reset();
}

void ProbeState::Reset() {
  // Upstream's initial values: not ready until proven, alive until proven
  // otherwise, startup unknown.
  switch (type_) {
    case ProbeType::kReadiness: published_ = ProbeResult::kFailure; break;
    case ProbeType::kLiveness: published_ = ProbeResult::kSuccess; break;
    case ProbeType::kStartup: published_ = ProbeResult::kUnknown; break;
  }
  last_ = ProbeResult::kUnknown;
  run_ = 0;
  on_hold_ = false;
}

bool ProbeState::ShouldProbe(TimePoint now, TimePoint started, bool started_ok) const {
  if (on_hold_) return false;
  if (type_ != ProbeType::kStartup && !started_ok) return false;
  // A startup probe that succeeded is done for this container.
  if (type_ == ProbeType::kStartup && published_ == ProbeResult::kSuccess) return false;
  return now - started >= std::chrono::seconds(spec_.initial_delay_seconds);
}

bool ProbeState::Observe(ProbeResult result) {
  if (result == last_) {
    ++run_;
  } else {
    last_ = result;
    run_ = 1;
  }
  if ((result == ProbeResult::kFailure && run_ < spec_.failure_threshold) ||
      (result == ProbeResult::kSuccess && run_ < spec_.success_threshold))
    return false;
  bool changed = published_ != result;
  published_ = result;
  if ((type_ == ProbeType::kLiveness || type_ == ProbeType::kStartup) &&
      result == ProbeResult::kFailure) {
    on_hold_ = true;
    run_ = 0;
    changed = true;  // the container must be restarted even if liveness was already failing
  }
  return changed;
}

}  // namespace nodeagent
