// RFC 3339 times as Kubernetes writes them: metav1.Time ("2024-05-01T10:00:00Z")
// and metav1.MicroTime ("2024-05-01T10:00:00.123456Z"), always in UTC.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/status.h"

namespace common {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

// Seconds precision, UTC, 'Z' suffix.
std::string FormatRFC3339(TimePoint t);
// Microseconds precision, UTC, 'Z' suffix.
std::string FormatRFC3339Micro(TimePoint t);
// Accepts "Z" or "+hh:mm" offsets and any fraction of a second.
Result<TimePoint> ParseRFC3339(std::string_view text);

// "5s", "3m", "2d", "4y" as kubectl's AGE column prints durations
// (apimachinery duration.HumanDuration).
std::string HumanDuration(std::chrono::nanoseconds d);
// kubectl's ShortHumanDuration ("10s", "5m", "3h", "2d", "1y").
std::string ShortHumanDuration(std::chrono::nanoseconds d);

}  // namespace common
