#include "duration.h"

#include <cmath>
#include <cstdint>

namespace nodeagent {

common::Result<std::chrono::nanoseconds> ParseDuration(std::string_view text) {
  auto bad = [&] {
    return common::Status::BadRequest("time: invalid duration \"" + std::string(text) + "\"");
  };
  std::string_view s = text;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return std::chrono::nanoseconds(0);
  if (s.empty()) return bad();
  long double total = 0;
  while (!s.empty()) {
    size_t i = 0;
    bool digits = false;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) {
      digits |= s[i] != '.';
      ++i;
    }
    if (!digits) return bad();
    long double value = std::stold(std::string(s.substr(0, i)));
    s.remove_prefix(i);
    size_t u = 0;
    while (u < s.size() && !std::isdigit(static_cast<unsigned char>(s[u])) && s[u] != '.') ++u;
    std::string_view unit = s.substr(0, u);
    s.remove_prefix(u);
    long double scale;
    if (unit == "ns") scale = 1;
    else if (unit == "us" || unit == "\xc2\xb5s" || unit == "\xce\xbcs") scale = 1e3;
    else if (unit == "ms") scale = 1e6;
    else if (unit == "s") scale = 1e9;
    else if (unit == "m") scale = 60e9;
    else if (unit == "h") scale = 3600e9;
    else if (unit.empty())
      return common::Status::BadRequest("time: missing unit in duration \"" + std::string(text) +
                                        "\"");
    else
      return common::Status::BadRequest("time: unknown unit \"" + std::string(unit) +
                                        "\" in duration \"" + std::string(text) + "\"");
    total += value * scale;
  }
  if (total > static_cast<long double>(INT64_MAX)) return bad();
  auto ns = static_cast<int64_t>(std::llround(total));
  return std::chrono::nanoseconds(neg ? -ns : ns);
}

std::string FormatDuration(std::chrono::nanoseconds d) {
  int64_t ns = d.count();
  if (ns == 0) return "0s";
  std::string sign = ns < 0 ? "-" : "";
  uint64_t u = ns < 0 ? static_cast<uint64_t>(-ns) : static_cast<uint64_t>(ns);
  auto frac = [](uint64_t v, uint64_t div) {
    std::string s = std::to_string(v / div);
    uint64_t rem = v % div;
    if (rem) {
      std::string f = std::to_string(rem + div).substr(1);
      while (!f.empty() && f.back() == '0') f.pop_back();
      s += "." + f;
    }
    return s;
  };
  if (u < 1000) return sign + std::to_string(u) + "ns";
  if (u < 1000000) return sign + frac(u, 1000) + "µs";
  if (u < 1000000000) return sign + frac(u, 1000000) + "ms";
  std::string out;
  uint64_t h = u / 3600000000000ULL;
  u %= 3600000000000ULL;
  uint64_t m = u / 60000000000ULL;
  u %= 60000000000ULL;
  if (h) out += std::to_string(h) + "h";
  if (h || m) out += std::to_string(m) + "m";
  out += frac(u, 1000000000) + "s";
  return sign + out;
}

}  // namespace nodeagent
