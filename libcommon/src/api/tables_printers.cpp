// The printer table and shared cell helpers.
#include "common/timeutil.h"
#include "tables_util.h"

namespace common::api::tables {

std::string TimestampAge(const Json& ts) {
  if (!ts.is_string()) return "<unknown>";
  auto t = ParseRFC3339(ts.get<std::string>());
  if (!t.ok()) return "<unknown>";
  return HumanDuration(Clock::now() - *t);
}

std::string Age(const Json& obj) { return TimestampAge(GetPath(obj, {"metadata", "creationTimestamp"})); }

const std::vector<Printer>& AllPrinters() {
  static const std::vector<Printer> printers = {};
  return printers;
}

}  // namespace common::api::tables
