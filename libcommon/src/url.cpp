#include "common/url.h"

#include <cctype>

#include "common/strings.h"

namespace common {

std::string Url::HostPort() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return port ? h + ":" + std::to_string(port) : h;
}

std::string Url::Origin() const { return scheme + "://" + HostPort(); }

Result<std::pair<std::string, uint16_t>> SplitHostPort(std::string_view text) {
  std::string host;
  std::string_view rest;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos)
      return Status::BadRequest("missing ']' in address '" + std::string(text) + "'");
    host = std::string(text.substr(1, close - 1));
    rest = text.substr(close + 1);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos)
      return Status::BadRequest("missing port in address '" + std::string(text) + "'");
    host = std::string(text.substr(0, colon));
    rest = text.substr(colon);
  }
  if (rest.size() < 2 || rest.front() != ':')
    return Status::BadRequest("missing port in address '" + std::string(text) + "'");
  auto port = ParseUint64(rest.substr(1));
  if (!port || *port > 65535)
    return Status::BadRequest("invalid port in address '" + std::string(text) + "'");
  return std::make_pair(host, static_cast<uint16_t>(*port));
}

Result<Url> ParseUrl(std::string_view text) {
  Url u;
  size_t sep = text.find("://");
  if (sep == std::string_view::npos || sep == 0)
    return Status::BadRequest("invalid URL '" + std::string(text) + "': missing scheme");
  u.scheme = ToLower(text.substr(0, sep));
  std::string_view rest = text.substr(sep + 3);
  if (u.scheme == "unix" || u.scheme == "unixs") {
    u.path = std::string(rest);
    return u;
  }
  size_t q = rest.find('?');
  if (q != std::string_view::npos) {
    u.query = std::string(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  u.path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
  if (authority.empty())
    return Status::BadRequest("invalid URL '" + std::string(text) + "': missing host");
  bool has_port = authority.back() != ']' && authority.find(':') != std::string_view::npos &&
                  (authority.front() != '[' || authority.find("]:") != std::string_view::npos);
  if (has_port) {
    auto hp = SplitHostPort(authority);
    if (!hp.ok()) return Status::BadRequest("invalid URL '" + std::string(text) + "': " +
                                            hp.status().message());
    u.host = hp->first;
    u.port = hp->second;
  } else {
    u.host = std::string(authority);
    if (u.host.size() > 2 && u.host.front() == '[') u.host = u.host.substr(1, u.host.size() - 2);
    if (u.scheme == "http") u.port = 80;
    if (u.scheme == "https") u.port = 443;
  }
  return u;
}

std::string PercentDecode(std::string_view s, bool plus_is_space) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (plus_is_space && s[i] == '+') ? ' ' : s[i];
  }
  return out;
}

std::string PercentEncode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start <= query.size()) {
    size_t amp = query.find('&', start);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view part = query.substr(start, amp - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      if (eq == std::string_view::npos)
        out.emplace_back(PercentDecode(part, true), "");
      else
        out.emplace_back(PercentDecode(part.substr(0, eq), true),
                         PercentDecode(part.substr(eq + 1), true));
    }
    start = amp + 1;
  }
  return out;
}

}  // namespace common
