#include "rule.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "../model/ip.h"

namespace proxyrules::iptables {
namespace {

using common::Result;
using common::Status;

bool IsOptionName(const std::string& s) { return s.size() > 1 && s[0] == '-'; }

std::string Hex(uint32_t v) {
  char buf[16];
  int n = std::snprintf(buf, sizeof(buf), "0x%x", v);
  return std::string(buf, n);
}

bool ParseU32(const std::string& s, uint32_t* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  unsigned long long v = std::strtoull(s.c_str(), &end, 0);
  if (*end != '\0' || v > 0xffffffffULL) return false;
  *out = static_cast<uint32_t>(v);
  return true;
}

// "a.b.c.d" or "a.b.c.d/len" (or IPv6) -> "network/len" as iptables stores
// and prints it. Leaves unparseable text alone (iptables would reject it).
std::string CanonicalAddress(const std::string& text) {
  std::string t = text;
  if (t.find('/') == std::string::npos) {
    auto ip = ParseIP(t);
    if (!ip) return text;
    return ip->String() + (ip->is_v4() ? "/32" : "/128");
  }
  auto c = ParseCIDR(t);
  return c ? c->String() : text;
}

Option* FindMutable(std::vector<Option>& opts, std::string_view name) {
  for (auto& o : opts)
    if (o.name == name) return &o;
  return nullptr;
}

// Keeps only the options listed, in that order (iptables-save's print order).
void Reorder(std::vector<Option>* opts, std::initializer_list<std::string_view> order) {
  std::vector<Option> out;
  for (std::string_view name : order) {
    for (auto& o : *opts)
      if (o.name == name) out.push_back(o);
  }
  // Anything we do not know stays, after the known ones.
  for (auto& o : *opts) {
    bool known = false;
    for (std::string_view name : order) known |= o.name == name;
    if (!known) out.push_back(o);
  }
  *opts = std::move(out);
}

void Rename(std::vector<Option>* opts, std::string_view from, std::string_view to) {
  for (auto& o : *opts)
    if (o.name == from) o.name = std::string(to);
}

void CanonicalizeMatch(Match* m, bool ipv6) {
  auto& opts = m->options;
  if (m->module == "tcp" || m->module == "udp" || m->module == "sctp") {
    Rename(&opts, "--destination-port", "--dport");
    Rename(&opts, "--source-port", "--sport");
    Reorder(&opts, {"--sport", "--dport"});
  } else if (m->module == "statistic") {
    if (Option* p = FindMutable(opts, "--probability"); p && p->values.size() == 1) {
      // Stored as a fraction of 2^31 (libxt_statistic), printed with %.11f.
      double prob = std::strtod(p->values[0].c_str(), nullptr);
      uint32_t fixed = static_cast<uint32_t>(std::lround(prob * 0x80000000));
      char buf[32];
      int n = std::snprintf(buf, sizeof(buf), "%.11f", fixed / 2147483648.0);
      p->values[0] = std::string(buf, n);
    }
    Reorder(&opts, {"--mode", "--probability", "--every", "--packet"});
  } else if (m->module == "recent") {
    if (!FindMutable(opts, "--name")) opts.push_back({false, "--name", {"DEFAULT"}});
    if (!FindMutable(opts, "--mask"))
      opts.push_back({false, "--mask", {ipv6 ? "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" : "255.255.255.255"}});
    if (!FindMutable(opts, "--rsource") && !FindMutable(opts, "--rdest"))
      opts.push_back({false, "--rsource", {}});
    Reorder(&opts, {"--set", "--rcheck", "--update", "--remove", "--seconds", "--hitcount",
                    "--rttl", "--reap", "--name", "--mask", "--rsource", "--rdest"});
  } else if (m->module == "addrtype") {
    Reorder(&opts, {"--src-type", "--dst-type", "--limit-iface-in", "--limit-iface-out"});
  } else if (m->module == "conntrack") {
    if (Option* s = FindMutable(opts, "--ctstate"); s && s->values.size() == 1) {
      static const char* kOrder[] = {"INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED",
                                     "SNAT", "DNAT"};
      std::string in = "," + s->values[0] + ",", out;
      for (const char* st : kOrder) {
        if (in.find(std::string(",") + st + ",") == std::string::npos) continue;
        if (!out.empty()) out += ",";
        out += st;
      }
      s->values[0] = out;
    }
  } else if (m->module == "mark") {
    if (Option* mk = FindMutable(opts, "--mark"); mk && mk->values.size() == 1) {
      std::string v = mk->values[0];
      size_t slash = v.find('/');
      uint32_t value = 0, mask = 0xffffffff;
      if (ParseU32(v.substr(0, slash), &value) &&
          (slash == std::string::npos || ParseU32(v.substr(slash + 1), &mask))) {
        mk->values[0] = mask == 0xffffffff ? Hex(value) : Hex(value) + "/" + Hex(mask);
      }
    }
  }
}

void CanonicalizeTarget(Rule* r, bool ipv6) {
  auto& opts = r->target_options;
  if (r->target == "MARK") {
    // libxt_MARK stores every form as (mark, mask) and prints --set-xmark.
    uint32_t mark = 0, mask = 0;
    bool ok = true;
    std::vector<Option> out;
    for (const auto& o : opts) {
      std::string v = o.values.empty() ? "" : o.values[0];
      size_t slash = v.find('/');
      uint32_t a = 0, b = 0xffffffff;
      ok &= ParseU32(v.substr(0, slash), &a);
      if (slash != std::string::npos) ok &= ParseU32(v.substr(slash + 1), &b);
      if (o.name == "--set-xmark") {
        mark = a, mask = b;
      } else if (o.name == "--set-mark") {
        mark = a, mask = b | a;
      } else if (o.name == "--or-mark") {
        mark = a, mask = a;
      } else if (o.name == "--xor-mark") {
        mark = a, mask = 0;
      } else if (o.name == "--and-mark") {
        mark = 0, mask = ~a;
      } else {
        ok = false;
      }
    }
    if (ok && !opts.empty()) opts = {{false, "--set-xmark", {Hex(mark) + "/" + Hex(mask)}}};
  } else if (r->target == "REJECT") {
    if (!FindMutable(opts, "--reject-with"))
      opts.push_back({false, "--reject-with", {ipv6 ? "icmp6-port-unreachable" : "icmp-port-unreachable"}});
  } else if (r->target == "MASQUERADE") {
    Reorder(&opts, {"--to-ports", "--random", "--random-fully"});
  }
}

}  // namespace

Result<std::vector<std::string>> SplitArgs(std::string_view line) {
  std::vector<std::string> out;
  out.reserve(24);
  size_t i = 0, n = line.size();
  while (i < n) {
    while (i < n && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= n) break;
    if (line[i] != '"') {
      // The common case: a bare word, copied in one piece.
      size_t end = line.find_first_of(" \t\"", i);
      if (end == std::string_view::npos) end = n;
      if (end == n || line[end] != '"') {
        out.emplace_back(line.substr(i, end - i));
        i = end;
        continue;
      }
    }
    std::string tok;
    bool quoted = false;
    while (i < n && (quoted || (line[i] != ' ' && line[i] != '\t'))) {
      char c = line[i];
      if (c == '"') {
        quoted = !quoted;
        ++i;
        continue;
      }
      if (quoted && c == '\\' && i + 1 < n) {
        tok.push_back(line[i + 1]);
        i += 2;
        continue;
      }
      tok.push_back(c);
      ++i;
    }
    if (quoted) return Status::BadRequest("unterminated quote in: " + std::string(line));
    out.push_back(std::move(tok));
  }
  return out;
}

const Option* Match::Find(std::string_view name) const {
  for (const auto& o : options)
    if (o.name == name) return &o;
  return nullptr;
}

Result<Rule> ParseRule(std::string chain, const std::vector<std::string>& args) {
  Rule r;
  r.chain = std::move(chain);
  bool invert = false;
  // Where "--option" arguments go: the last -m match, or the target after -j.
  enum { kNone, kMatch, kTarget } owner = kNone;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* out) -> Status {
      if (i + 1 >= args.size()) return Status::BadRequest("option \"" + a + "\" needs a value");
      *out = args[++i];
      return Status::Ok();
    };
    if (a == "!") {
      invert = true;
      continue;
    }
    if (a == "-s" || a == "--source" || a == "--src") {
      RETURN_IF_ERROR(value(&r.src));
      r.src_invert = invert;
    } else if (a == "-d" || a == "--destination" || a == "--dst") {
      RETURN_IF_ERROR(value(&r.dst));
      r.dst_invert = invert;
    } else if (a == "-i" || a == "--in-interface") {
      RETURN_IF_ERROR(value(&r.in_iface));
      r.in_invert = invert;
    } else if (a == "-o" || a == "--out-interface") {
      RETURN_IF_ERROR(value(&r.out_iface));
      r.out_invert = invert;
    } else if (a == "-p" || a == "--protocol") {
      RETURN_IF_ERROR(value(&r.proto));
      std::transform(r.proto.begin(), r.proto.end(), r.proto.begin(), ::tolower);
      r.proto_invert = invert;
    } else if (a == "-m" || a == "--match") {
      Match m;
      RETURN_IF_ERROR(value(&m.module));
      r.matches.push_back(std::move(m));
      owner = kMatch;
    } else if (a == "-j" || a == "--jump") {
      RETURN_IF_ERROR(value(&r.target));
      owner = kTarget;
    } else if (a.size() > 2 && a[0] == '-' && a[1] == '-') {
      if (owner == kNone) return Status::BadRequest("option \"" + a + "\" outside a match");
      Option o;
      o.invert = invert;
      o.name = a;
      while (i + 1 < args.size() && args[i + 1] != "!" && !IsOptionName(args[i + 1]))
        o.values.push_back(args[++i]);
      (owner == kTarget ? r.target_options : r.matches.back().options).push_back(std::move(o));
    } else {
      return Status::BadRequest("unexpected argument \"" + a + "\"");
    }
    invert = false;
  }
  return r;
}

Result<Rule> ParseRuleLine(std::string_view line) {
  ASSIGN_OR_RETURN(auto args, SplitArgs(line));
  if (args.size() < 2 || (args[0] != "-A" && args[0] != "--append"))
    return Status::BadRequest("not an -A rule: " + std::string(line));
  std::string chain = args[1];
  args.erase(args.begin(), args.begin() + 2);
  return ParseRule(std::move(chain), args);
}

void Canonicalize(Rule* r) {
  bool ipv6 = r->src.find(':') != std::string::npos || r->dst.find(':') != std::string::npos;
  if (!r->src.empty()) r->src = CanonicalAddress(r->src);
  if (!r->dst.empty()) r->dst = CanonicalAddress(r->dst);
  for (auto& m : r->matches) CanonicalizeMatch(&m, ipv6);
  CanonicalizeTarget(r, ipv6);
}

std::string SaveString(std::string_view value) {
  static const std::string_view kPlain =
      "_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  if (!value.empty() && value.find_first_not_of(kPlain) == std::string_view::npos)
    return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string SaveLine(const Rule& r) {
  std::string out = "-A " + r.chain;
  auto field = [&](bool inv, const char* flag, const std::string& v) {
    if (v.empty()) return;
    if (inv) out += " !";
    out += " ";
    out += flag;
    out += " ";
    out += v;
  };
  field(r.src_invert, "-s", r.src);
  field(r.dst_invert, "-d", r.dst);
  field(r.in_invert, "-i", r.in_iface);
  field(r.out_invert, "-o", r.out_iface);
  field(r.proto_invert, "-p", r.proto);
  auto options = [&](const std::vector<Option>& opts, bool quote_values) {
    for (const auto& o : opts) {
      if (o.invert) out += " !";
      out += " " + o.name;
      for (const auto& v : o.values) out += " " + (quote_values ? SaveString(v) : v);
    }
  };
  for (const auto& m : r.matches) {
    out += " -m " + m.module;
    options(m.options, m.module == "comment");
  }
  if (!r.target.empty()) {
    out += " -j " + r.target;
    options(r.target_options, false);
  }
  return out;
}

}  // namespace proxyrules::iptables
