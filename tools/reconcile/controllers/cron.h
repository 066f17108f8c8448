// Cron schedules as CronJobs accept them (robfig/cron's standard parser:
// five fields, names, ranges, steps, '?', and the @yearly..@hourly and
// @every descriptors), evaluated in UTC or an IANA time zone.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/timeutil.h"

namespace reconcile {

class CronSchedule {
 public:
  // Parses `spec`. Errors read like upstream's validation
  // ("expected exactly 5 fields, found 4: * * * *"). A "TZ=" or "CRON_TZ="
  // prefix is refused, as Kubernetes does since 1.27 (use spec.timeZone).
  static common::Result<CronSchedule> Parse(std::string_view spec);

  // The first activation strictly after `t`, in `time_zone` ("" = UTC); or
  // nullopt when none falls within five years (an impossible date).
  std::optional<common::TimePoint> Next(common::TimePoint t, const std::string& time_zone = "") const;

 private:
  uint64_t minute_ = 0, hour_ = 0, dom_ = 0, month_ = 0, dow_ = 0;
  bool dom_star_ = false, dow_star_ = false;
  std::chrono::seconds every_{0};  // @every
};

// The zone exists in the tz database (/usr/share/zoneinfo).
bool ValidTimeZone(const std::string& name);

}  // namespace reconcile
