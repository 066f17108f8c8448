// URLs: parsing "scheme://host:port/path", percent-encoding and query strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace common {

struct Url {
  std::string scheme;  // "http", "https", "unix"
  std::string host;    // "127.0.0.1", "::1" (no brackets), "" for unix
  uint16_t port = 0;   // 0 when absent and the scheme has no default
  std::string path;    // "/..." or the socket path for unix://
  std::string query;   // raw, without '?'

  // "host:port" with brackets around IPv6 literals.
  std::string HostPort() const;
  // scheme://host:port (no path).
  std::string Origin() const;
};

// Parses an absolute URL. Returns BadRequest naming `text` when it is not one.
Result<Url> ParseUrl(std::string_view text);

// Splits "host:port" / "[v6]:port" / ":port" into host and port.
Result<std::pair<std::string, uint16_t>> SplitHostPort(std::string_view text);

// %XX and (when `plus_is_space`) '+' decoding. Invalid escapes are kept as-is.
std::string PercentDecode(std::string_view s, bool plus_is_space = false);
// Escapes everything but unreserved characters (RFC 3986), as Go's url.QueryEscape
// does except that space becomes %20.
std::string PercentEncode(std::string_view s);

// Parses "a=1&b=x%20y&c" into decoded pairs in order ("c" has value "").
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query);

}  // namespace common
