#include "cron.h"

#include <sys/stat.h>

#include <cctype>
#include <cstdlib>
#include <ctime>
#include <mutex>

#include "common/strings.h"

namespace reconcile {
namespace {

struct Bounds {
  int min, max;
  const char* const* names;  // index = value - names_base
  int names_base;
};

const char* const kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                               "jul", "aug", "sep", "oct", "nov", "dec", nullptr};
const char* const kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", nullptr};

common::Result<int> ParseValue(std::string_view text, const Bounds& b) {
  std::string lower = common::ToLower(text);
  if (b.names)
    for (int i = 0; b.names[i]; ++i)
      if (lower == b.names[i]) return i + b.names_base;
  auto n = common::ParseUint64(text);
  if (!n) return common::Status::BadRequest("failed to parse int from " + std::string(text));
  return static_cast<int>(*n);
}

// One field: comma-separated ranges with optional steps. Sets *star when
// the field is '*' or '?' without a step (robfig's starBit).
common::Result<uint64_t> ParseField(std::string_view field, const Bounds& b, bool* star) {
  uint64_t bits = 0;
  *star = false;
  for (const auto& part : common::Split(field, ',')) {
    std::string_view range = part;
    int step = 1;
    size_t slash = range.find('/');
    bool has_step = slash != std::string_view::npos;
    if (has_step) {
      auto s = common::ParseUint64(range.substr(slash + 1));
      if (!s || *s == 0) return common::Status::BadRequest("failed to parse int from " + std::string(range.substr(slash + 1)));
      step = static_cast<int>(*s);
      range = range.substr(0, slash);
    }
    int lo, hi;
    bool is_star = range == "*" || range == "?";
    if (is_star) {
      lo = b.min;
      hi = b.max;
      if (step == 1) *star = true;
    } else {
      size_t dash = range.find('-');
      ASSIGN_OR_RETURN(lo, ParseValue(range.substr(0, dash), b));
      if (dash != std::string_view::npos) {
        ASSIGN_OR_RETURN(hi, ParseValue(range.substr(dash + 1), b));
      } else {
        hi = has_step ? b.max : lo;  // "N/step" means N through max
      }
    }
    if (lo < b.min)
      return common::Status::BadRequest("beginning of range (" + std::to_string(lo) + ") below minimum (" +
                                        std::to_string(b.min) + "): " + std::string(part));
    if (hi > b.max)
      return common::Status::BadRequest("end of range (" + std::to_string(hi) + ") above maximum (" +
                                        std::to_string(b.max) + "): " + std::string(part));
    if (lo > hi)
      return common::Status::BadRequest("beginning of range (" + std::to_string(lo) +
                                        ") beyond end of range (" + std::to_string(hi) + "): " + std::string(part));
    for (int v = lo; v <= hi; v += step) bits |= uint64_t{1} << v;
  }
  return bits;
}

std::mutex tz_mu;

// Broken-down time of `t` in `zone` ("" = UTC).
std::tm ToZone(std::time_t t, const std::string& zone) {
  std::tm tm{};
  if (zone.empty() || zone == "UTC" || zone == "Etc/UTC") {
    gmtime_r(&t, &tm);
    return tm;
  }
  // localtime_r reads $TZ: serialise every switch of it.
  std::lock_guard<std::mutex> lock(tz_mu);
  const char* old = std::getenv("TZ");
  std::string saved = old ? old : "";
  setenv("TZ", (":" + zone).c_str(), 1);
  tzset();
  localtime_r(&t, &tm);
  if (old) setenv("TZ", saved.c_str(), 1);
  else unsetenv("TZ");
  tzset();
  return tm;
}

std::time_t FromZone(std::tm tm, const std::string& zone) {
  tm.tm_isdst = -1;
  if (zone.empty() || zone == "UTC" || zone == "Etc/UTC") return timegm(&tm);
  std::lock_guard<std::mutex> lock(tz_mu);
  const char* old = std::getenv("TZ");
  std::string saved = old ? old : "";
  setenv("TZ", (":" + zone).c_str(), 1);
  tzset();
  std::time_t t = mktime(&tm);
  if (old) setenv("TZ", saved.c_str(), 1);
  else unsetenv("TZ");
  tzset();
  return t;
}

}  // namespace

bool ValidTimeZone(const std::string& name) {
  if (name.empty() || name == "UTC" || name == "Local") return true;
  if (name.find("..") != std::string::npos || name.front() == '/') return false;
  struct stat st;
  return ::stat(("/usr/share/zoneinfo/" + name).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

common::Result<CronSchedule> CronSchedule::Parse(std::string_view spec) {
  std::string text(common::TrimSpace(spec));
  if (text.starts_with("TZ=") || text.starts_with("CRON_TZ="))
    return common::Status::BadRequest(
        "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
  if (text.empty()) return common::Status::BadRequest("empty spec string");
  CronSchedule s;
  if (text[0] == '@') {
    static const std::pair<const char*, const char*> kDescriptors[] = {
        {"@yearly", "0 0 1 1 *"},  {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
        {"@weekly", "0 0 * * 0"},  {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
        {"@hourly", "0 * * * *"}};
    for (auto [name, expansion] : kDescriptors)
      if (text == name) return Parse(expansion);
    if (text.starts_with("@every ")) {
      std::string d = std::string(common::TrimSpace(std::string_view(text).substr(7)));
      // Go durations: "90s", "5m", "1h30m".
      int64_t total = 0, num = 0;
      bool any = false;
      for (size_t i = 0; i < d.size(); ++i) {
        char c = d[i];
        if (std::isdigit(static_cast<unsigned char>(c))) {
          num = num * 10 + (c - '0');
          any = true;
        } else if (c == 'h' || c == 'm' || c == 's') {
          if (!any) return common::Status::BadRequest("failed to parse duration " + text);
          total += num * (c == 'h' ? 3600 : c == 'm' ? 60 : 1);
          num = 0;
          any = false;
        } else {
          return common::Status::BadRequest("failed to parse duration " + text);
        }
      }
      if (any || total <= 0) return common::Status::BadRequest("failed to parse duration " + text);
      s.every_ = std::chrono::seconds(std::max<int64_t>(total, 1));
      return s;
    }
    return common::Status::BadRequest("unrecognized descriptor: " + text);
  }
  auto fields = common::SplitNonEmpty(text, ' ');
  std::vector<std::string> f;
  for (auto& x : fields)
    for (auto& y : common::SplitNonEmpty(x, '\t')) f.push_back(y);
  if (f.size() != 5)
    return common::Status::BadRequest("expected exactly 5 fields, found " + std::to_string(f.size()) + ": " + text);
  bool star;
  ASSIGN_OR_RETURN(s.minute_, ParseField(f[0], {0, 59, nullptr, 0}, &star));
  ASSIGN_OR_RETURN(s.hour_, ParseField(f[1], {0, 23, nullptr, 0}, &star));
  ASSIGN_OR_RETURN(s.dom_, ParseField(f[2], {1, 31, nullptr, 0}, &s.dom_star_));
  ASSIGN_OR_RETURN(s.month_, ParseField(f[3], {1, 12, kMonths, 1}, &star));
  ASSIGN_OR_RETURN(s.dow_, ParseField(f[4], {0, 6, kDays, 0}, &s.dow_star_));
  return s;
}

std::optional<common::TimePoint> CronSchedule::Next(common::TimePoint t, const std::string& zone) const {
  using namespace std::chrono;
  if (every_.count() > 0) {
    // @every: whole seconds after t, rounded down as robfig does.
    auto secs = duration_cast<seconds>(t.time_since_epoch()) + every_;
    return common::TimePoint(secs);
  }
  std::time_t cur = static_cast<std::time_t>(duration_cast<seconds>(t.time_since_epoch()).count());
  std::tm tm = ToZone(cur, zone);
  tm.tm_sec = 0;
  tm.tm_min += 1;  // strictly after t, on a minute boundary
  std::time_t limit = cur + 5LL * 366 * 24 * 3600;
  for (int guard = 0; guard < 100000; ++guard) {
    std::time_t at = FromZone(tm, zone);
    if (at > limit) return std::nullopt;
    tm = ToZone(at, zone);  // normalised
    if (!(month_ >> (tm.tm_mon + 1) & 1)) {
      tm.tm_mon += 1;
      tm.tm_mday = 1;
      tm.tm_hour = 0;
      tm.tm_min = 0;
      continue;
    }
    bool dom = dom_ >> tm.tm_mday & 1, dow = dow_ >> tm.tm_wday & 1;
    bool day = (dom_star_ || dow_star_) ? (dom && dow) : (dom || dow);
    if (!day) {
      tm.tm_mday += 1;
      tm.tm_hour = 0;
      tm.tm_min = 0;
      continue;
    }
    if (!(hour_ >> tm.tm_hour & 1)) {
      tm.tm_hour += 1;
      tm.tm_min = 0;
      continue;
    }
    if (!(minute_ >> tm.tm_min & 1)) {
      tm.tm_min += 1;
      continue;
    }
    return common::TimePoint(seconds(FromZone(tm, zone)));
  }
  return std::nullopt;
}

}  // namespace reconcile
