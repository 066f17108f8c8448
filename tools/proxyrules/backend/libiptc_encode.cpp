#include "libiptc_encode.h"

#include <arpa/inet.h>
#include <libiptc/libiptc.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_addrtype.h>
#include <linux/netfilter/xt_comment.h>
#include <linux/netfilter/xt_conntrack.h>
#include <linux/netfilter/xt_mark.h>
#include <linux/netfilter/xt_nfacct.h>
#include <linux/netfilter/xt_recent.h>
// xt_sctp.h has C inline helpers spelled with _Bool.
#define _Bool bool
#include <linux/netfilter/xt_sctp.h>
#undef _Bool
#include <linux/netfilter/xt_statistic.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <linux/netfilter_ipv4/ipt_REJECT.h>

#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <cstring>

#include "../model/ip.h"
#include "common/strings.h"

namespace proxyrules {
namespace {

using common::Result;
using common::Status;
using iptables::Match;
using iptables::Option;
using iptables::Rule;

// One match or target: its header fields, its data, and how many leading
// bytes of the data userspace owns (the rest the kernel fills in).
struct Part {
  std::string name;
  uint8_t revision = 0;
  std::vector<unsigned char> data;  // already XT_ALIGNed
  size_t user_size = 0;
};

template <typename T>
Part MakePart(const char* name, uint8_t rev, const T& info, size_t user_size = sizeof(T)) {
  Part p;
  p.name = name;
  p.revision = rev;
  p.data.assign(XT_ALIGN(sizeof(T)), 0);
  std::memcpy(p.data.data(), &info, sizeof(T));
  p.user_size = user_size;
  return p;
}

Status Unsupported(const std::string& what) {
  return Status::Invalid("libiptc backend: unsupported " + what);
}

const std::string* Value(const Option& o) { return o.values.empty() ? nullptr : &o.values[0]; }

bool ParseU32(const std::string& s, uint32_t* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  unsigned long long v = std::strtoull(s.c_str(), &end, 0);
  if (*end || v > 0xffffffffULL) return false;
  *out = static_cast<uint32_t>(v);
  return true;
}

// "80" or "80:90" -> {lo, hi}.
bool ParsePorts(const std::string& s, uint16_t out[2]) {
  size_t colon = s.find(':');
  auto lo = common::ParseUint64(s.substr(0, colon));
  auto hi = colon == std::string::npos ? lo : common::ParseUint64(s.substr(colon + 1));
  if (!lo || !hi || *lo > 65535 || *hi > 65535 || *lo > *hi) return false;
  out[0] = static_cast<uint16_t>(*lo);
  out[1] = static_cast<uint16_t>(*hi);
  return true;
}

// "a.b.c.d" or "a.b.c.d/len" -> address and mask (network byte order).
bool ParseV4Net(const std::string& s, in_addr* addr, in_addr* mask) {
  auto c = ParseCIDR(s.find('/') == std::string::npos ? s + "/32" : s);
  if (!c || !c->ip.is_v4()) return false;
  std::memcpy(&addr->s_addr, c->ip.bytes.data(), 4);
  mask->s_addr = c->prefix == 0 ? 0 : htonl(0xffffffffu << (32 - c->prefix));
  return true;
}

// xtables_parse_interface: "eth0" matches exactly, "veth+" any "veth" prefix.
void ParseInterface(const std::string& name, char* via, unsigned char* mask) {
  std::memset(via, 0, IFNAMSIZ);
  std::memset(mask, 0, IFNAMSIZ);
  size_t n = std::min<size_t>(name.size(), IFNAMSIZ - 1);
  std::memcpy(via, name.data(), n);
  if (n == 0) return;
  if (via[n - 1] == '+')
    std::memset(mask, 0xff, n - 1);
  else
    std::memset(mask, 0xff, n + 1);
}

Result<Part> EncodeTcpUdp(const Match& m) {
  uint16_t sp[2] = {0, 0xffff}, dp[2] = {0, 0xffff};
  uint8_t inv = 0;
  for (const auto& o : m.options) {
    const std::string* v = Value(o);
    if ((o.name == "--dport" || o.name == "--destination-port") && v && ParsePorts(*v, dp)) {
      if (o.invert) inv |= XT_TCP_INV_DSTPT;
    } else if ((o.name == "--sport" || o.name == "--source-port") && v && ParsePorts(*v, sp)) {
      if (o.invert) inv |= XT_TCP_INV_SRCPT;
    } else {
      return Unsupported(m.module + " option " + o.name);
    }
  }
  if (m.module == "tcp") {
    xt_tcp t{};
    std::memcpy(t.spts, sp, sizeof(sp));
    std::memcpy(t.dpts, dp, sizeof(dp));
    t.invflags = inv;
    return MakePart("tcp", 0, t);
  }
  xt_udp u{};
  std::memcpy(u.spts, sp, sizeof(sp));
  std::memcpy(u.dpts, dp, sizeof(dp));
  u.invflags = inv;  // XT_UDP_INV_* share the TCP values
  return MakePart("udp", 0, u);
}

Result<Part> EncodeSctp(const Match& m) {
  xt_sctp_info s{};
  s.spts[1] = s.dpts[1] = 0xffff;
  for (const auto& o : m.options) {
    const std::string* v = Value(o);
    if ((o.name == "--dport" || o.name == "--destination-port") && v && ParsePorts(*v, s.dpts)) {
      s.flags |= XT_SCTP_DEST_PORTS;
      if (o.invert) s.invflags |= XT_SCTP_DEST_PORTS;
    } else if ((o.name == "--sport" || o.name == "--source-port") && v && ParsePorts(*v, s.spts)) {
      s.flags |= XT_SCTP_SRC_PORTS;
      if (o.invert) s.invflags |= XT_SCTP_SRC_PORTS;
    } else {
      return Unsupported("sctp option " + o.name);
    }
  }
  return MakePart("sctp", 0, s);
}

Result<Part> EncodeMatch(const Match& m) {
  const auto& mod = m.module;
  if (mod == "comment") {
    xt_comment_info c{};
    const Option* o = m.Find("--comment");
    if (!o || !Value(*o) || Value(*o)->size() >= XT_MAX_COMMENT_LEN) return Unsupported("comment");
    std::memcpy(c.comment, Value(*o)->data(), Value(*o)->size());
    return MakePart("comment", 0, c);
  }
  if (mod == "tcp" || mod == "udp") return EncodeTcpUdp(m);
  if (mod == "sctp") return EncodeSctp(m);
  if (mod == "statistic") {
    xt_statistic_info s{};
    for (const auto& o : m.options) {
      const std::string* v = Value(o);
      if (o.name == "--mode" && v && *v == "random") {
        s.mode = XT_STATISTIC_MODE_RANDOM;
      } else if (o.name == "--probability" && v) {
        // libxt_statistic: the probability as a fraction of 2^31.
        s.u.random.probability =
            static_cast<uint32_t>(std::lround(std::strtod(v->c_str(), nullptr) * 0x80000000));
        if (o.invert) s.flags |= XT_STATISTIC_INVERT;
      } else {
        return Unsupported("statistic option " + o.name);
      }
    }
    // libxt_statistic's final check sets count = every - packet, and in
    // random mode `every` is the probability's storage: copy it so the entry
    // is byte for byte what iptables makes.
    s.u.nth.count = s.u.nth.every - s.u.nth.packet;
    return MakePart("statistic", 0, s, offsetof(xt_statistic_info, master));
  }
  if (mod == "recent") {
    xt_recent_mtinfo_v1 r{};
    std::strcpy(r.name, "DEFAULT");
    r.side = XT_RECENT_SOURCE;
    std::memset(&r.mask, 0xff, sizeof(r.mask));
    for (const auto& o : m.options) {
      const std::string* v = Value(o);
      if (o.name == "--set" || o.name == "--rcheck" || o.name == "--update" || o.name == "--remove") {
        r.check_set |= o.name == "--set"      ? XT_RECENT_SET
                       : o.name == "--rcheck" ? XT_RECENT_CHECK
                       : o.name == "--update" ? XT_RECENT_UPDATE
                                              : XT_RECENT_REMOVE;
        if (o.invert) r.invert = 1;
      } else if (o.name == "--seconds" && v) {
        if (!ParseU32(*v, &r.seconds)) return Unsupported("recent --seconds " + *v);
      } else if (o.name == "--hitcount" && v) {
        if (!ParseU32(*v, &r.hit_count)) return Unsupported("recent --hitcount " + *v);
      } else if (o.name == "--reap") {
        r.check_set |= XT_RECENT_REAP;
      } else if (o.name == "--rttl") {
        r.check_set |= XT_RECENT_TTL;
      } else if (o.name == "--name" && v && v->size() < XT_RECENT_NAME_LEN) {
        std::memset(r.name, 0, sizeof(r.name));
        std::memcpy(r.name, v->data(), v->size());
      } else if (o.name == "--rsource") {
        r.side = XT_RECENT_SOURCE;
      } else if (o.name == "--rdest") {
        r.side = XT_RECENT_DEST;
      } else if (o.name == "--mask" && v) {
        in_addr a, unused;
        if (!ParseV4Net(*v, &a, &unused)) return Unsupported("recent --mask " + *v);
        std::memset(&r.mask, 0, sizeof(r.mask));
        r.mask.in = a;
      } else {
        return Unsupported("recent option " + o.name);
      }
    }
    return MakePart("recent", 1, r);
  }
  if (mod == "addrtype") {
    static const char* kTypes[] = {"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST",
                                   "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"};
    xt_addrtype_info_v1 a{};
    for (const auto& o : m.options) {
      const std::string* v = Value(o);
      if (!v || (o.name != "--src-type" && o.name != "--dst-type"))
        return Unsupported("addrtype option " + o.name);
      uint16_t bits = 0;
      for (const auto& t : common::Split(*v, ',')) {
        bool found = false;
        for (int i = 0; i < 12; ++i)
          if (t == kTypes[i]) bits |= 1 << i, found = true;
        if (!found) return Unsupported("address type " + t);
      }
      if (o.name == "--src-type") {
        a.source |= bits;
        if (o.invert) a.flags |= XT_ADDRTYPE_INVERT_SOURCE;
      } else {
        a.dest |= bits;
        if (o.invert) a.flags |= XT_ADDRTYPE_INVERT_DEST;
      }
    }
    return MakePart("addrtype", 1, a);
  }
  if (mod == "conntrack") {
    xt_conntrack_mtinfo3 c{};
    for (const auto& o : m.options) {
      const std::string* v = Value(o);
      if (o.name != "--ctstate" || !v) return Unsupported("conntrack option " + o.name);
      for (const auto& st : common::Split(*v, ',')) {
        if (st == "INVALID") c.state_mask |= XT_CONNTRACK_STATE_INVALID;
        else if (st == "NEW") c.state_mask |= XT_CONNTRACK_STATE_BIT(IP_CT_NEW);
        else if (st == "RELATED") c.state_mask |= XT_CONNTRACK_STATE_BIT(IP_CT_RELATED);
        else if (st == "ESTABLISHED") c.state_mask |= XT_CONNTRACK_STATE_BIT(IP_CT_ESTABLISHED);
        else if (st == "UNTRACKED") c.state_mask |= XT_CONNTRACK_STATE_UNTRACKED;
        else if (st == "SNAT") c.state_mask |= XT_CONNTRACK_STATE_SNAT;
        else if (st == "DNAT") c.state_mask |= XT_CONNTRACK_STATE_DNAT;
        else return Unsupported("conntrack state " + st);
      }
      c.match_flags |= XT_CONNTRACK_STATE;
      if (o.invert) c.invert_flags |= XT_CONNTRACK_STATE;
    }
    return MakePart("conntrack", 3, c);
  }
  if (mod == "mark") {
    xt_mark_mtinfo1 k{};
    const Option* o = m.Find("--mark");
    if (!o || !Value(*o) || m.options.size() != 1) return Unsupported("mark match");
    const std::string& v = *Value(*o);
    size_t slash = v.find('/');
    k.mask = 0xffffffff;
    if (!ParseU32(v.substr(0, slash), &k.mark) ||
        (slash != std::string::npos && !ParseU32(v.substr(slash + 1), &k.mask)))
      return Unsupported("mark " + v);
    k.invert = o->invert;
    return MakePart("mark", 1, k);
  }
  if (mod == "nfacct") {
    xt_nfacct_match_info n{};
    const Option* o = m.Find("--nfacct-name");
    if (!o || !Value(*o) || Value(*o)->size() >= NFACCT_NAME_MAX) return Unsupported("nfacct match");
    std::memcpy(n.name, Value(*o)->data(), Value(*o)->size());
    return MakePart("nfacct", 0, n, offsetof(xt_nfacct_match_info, nfacct));
  }
  return Unsupported("match \"" + mod + "\"");
}

Result<Part> EncodeTarget(const Rule& r) {
  const std::string& t = r.target;
  auto opt = [&](const char* name) -> const Option* {
    for (const auto& o : r.target_options)
      if (o.name == name) return &o;
    return nullptr;
  };
  if (t == "DNAT") {
    const Option* o = opt("--to-destination");
    if (!o || !Value(*o) || r.target_options.size() != 1) return Unsupported("DNAT options");
    // "ip[-ip][:port[-port]]".
    const std::string& v = *Value(*o);
    nf_nat_range2 n{};
    size_t colon = v.find(':');
    std::string ips = v.substr(0, colon);
    if (!ips.empty()) {
      size_t dash = ips.find('-');
      auto lo = ParseIP(ips.substr(0, dash));
      auto hi = dash == std::string::npos ? lo : ParseIP(ips.substr(dash + 1));
      if (!lo || !hi || !lo->is_v4() || !hi->is_v4()) return Unsupported("DNAT address " + v);
      std::memcpy(&n.min_addr.in, lo->bytes.data(), 4);
      std::memcpy(&n.max_addr.in, hi->bytes.data(), 4);
      n.flags |= NF_NAT_RANGE_MAP_IPS;
    }
    if (colon != std::string::npos) {
      uint16_t ports[2];
      std::string p = v.substr(colon + 1);
      for (auto& c : p)
        if (c == '-') c = ':';
      if (!ParsePorts(p, ports)) return Unsupported("DNAT port " + v);
      n.min_proto.all = htons(ports[0]);
      n.max_proto.all = htons(ports[1]);
      n.flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
    }
    return MakePart("DNAT", 2, n);
  }
  if (t == "MASQUERADE") {
    nf_nat_ipv4_multi_range_compat m{};
    m.rangesize = 1;
    for (const auto& o : r.target_options) {
      if (o.name == "--random-fully")
        m.range[0].flags |= NF_NAT_RANGE_PROTO_RANDOM_FULLY;
      else if (o.name == "--random")
        m.range[0].flags |= NF_NAT_RANGE_PROTO_RANDOM;
      else
        return Unsupported("MASQUERADE option " + o.name);
    }
    return MakePart("MASQUERADE", 0, m);
  }
  if (t == "MARK") {
    // libxt_MARK keeps (mark, mask) for every form and the kernel applies
    // mark' = (mark & ~mask) ^ value.
    xt_mark_tginfo2 k{};
    if (r.target_options.size() != 1 || !Value(r.target_options[0])) return Unsupported("MARK options");
    const Option& o = r.target_options[0];
    const std::string& v = *Value(o);
    size_t slash = v.find('/');
    uint32_t a = 0, b = 0xffffffff;
    if (!ParseU32(v.substr(0, slash), &a) ||
        (slash != std::string::npos && !ParseU32(v.substr(slash + 1), &b)))
      return Unsupported("MARK value " + v);
    if (o.name == "--set-xmark") k.mark = a, k.mask = b;
    else if (o.name == "--set-mark") k.mark = a, k.mask = b | a;
    else if (o.name == "--or-mark") k.mark = a, k.mask = a;
    else if (o.name == "--xor-mark") k.mark = a, k.mask = 0;
    else if (o.name == "--and-mark") k.mark = 0, k.mask = ~a;
    else return Unsupported("MARK option " + o.name);
    return MakePart("MARK", 2, k);
  }
  if (t == "REJECT") {
    static const std::pair<const char*, ipt_reject_with> kWith[] = {
        {"icmp-net-unreachable", IPT_ICMP_NET_UNREACHABLE},
        {"icmp-host-unreachable", IPT_ICMP_HOST_UNREACHABLE},
        {"icmp-port-unreachable", IPT_ICMP_PORT_UNREACHABLE},
        {"icmp-proto-unreachable", IPT_ICMP_PROT_UNREACHABLE},
        {"icmp-net-prohibited", IPT_ICMP_NET_PROHIBITED},
        {"icmp-host-prohibited", IPT_ICMP_HOST_PROHIBITED},
        {"icmp-admin-prohibited", IPT_ICMP_ADMIN_PROHIBITED},
        {"tcp-reset", IPT_TCP_RESET},
    };
    ipt_reject_info j{};
    j.with = IPT_ICMP_PORT_UNREACHABLE;
    for (const auto& o : r.target_options) {
      bool ok = o.name == "--reject-with" && Value(o);
      if (ok) {
        ok = false;
        for (const auto& [name, with] : kWith)
          if (*Value(o) == name) j.with = with, ok = true;
      }
      if (!ok) return Unsupported("REJECT option " + o.name);
    }
    return MakePart("REJECT", 0, j);
  }
  // A standard verdict, a jump to a chain, or no target at all: libiptc
  // resolves the name when the entry is added.
  if (!r.target_options.empty()) return Unsupported("target \"" + t + "\"");
  Part p;
  p.name = t;
  p.data.assign(XT_ALIGN(sizeof(xt_standard_target)) - XT_ALIGN(sizeof(xt_entry_target)), 0);
  p.user_size = sizeof(int);
  return p;
}

}  // namespace

size_t EncodedRule::size() const {
  return reinterpret_cast<const ipt_entry*>(storage.data())->next_offset;
}

Result<EncodedRule> EncodeRule(const Rule& r) {
  ipt_entry head{};
  if (!r.src.empty() && !ParseV4Net(r.src, &head.ip.src, &head.ip.smsk))
    return Unsupported("source " + r.src);
  if (!r.dst.empty() && !ParseV4Net(r.dst, &head.ip.dst, &head.ip.dmsk))
    return Unsupported("destination " + r.dst);
  if (r.src_invert) head.ip.invflags |= IPT_INV_SRCIP;
  if (r.dst_invert) head.ip.invflags |= IPT_INV_DSTIP;
  if (!r.in_iface.empty()) {
    ParseInterface(r.in_iface, head.ip.iniface, head.ip.iniface_mask);
    if (r.in_invert) head.ip.invflags |= IPT_INV_VIA_IN;
  }
  if (!r.out_iface.empty()) {
    ParseInterface(r.out_iface, head.ip.outiface, head.ip.outiface_mask);
    if (r.out_invert) head.ip.invflags |= IPT_INV_VIA_OUT;
  }
  if (r.proto == "tcp") head.ip.proto = IPPROTO_TCP;
  else if (r.proto == "udp") head.ip.proto = IPPROTO_UDP;
  else if (r.proto == "sctp") head.ip.proto = IPPROTO_SCTP;
  else if (r.proto == "icmp") head.ip.proto = IPPROTO_ICMP;
  else if (!r.proto.empty() && r.proto != "all") return Unsupported("protocol " + r.proto);
  if (r.proto_invert) head.ip.invflags |= XT_INV_PROTO;

  std::vector<Part> matches;
  for (const auto& m : r.matches) {
    ASSIGN_OR_RETURN(Part p, EncodeMatch(m));
    matches.push_back(std::move(p));
  }
  ASSIGN_OR_RETURN(Part target, EncodeTarget(r));

  const size_t mhdr = XT_ALIGN(sizeof(xt_entry_match)), thdr = XT_ALIGN(sizeof(xt_entry_target));
  size_t size = sizeof(ipt_entry);
  for (const auto& m : matches) size += mhdr + m.data.size();
  head.target_offset = static_cast<uint16_t>(size);
  size += thdr + target.data.size();
  head.next_offset = static_cast<uint16_t>(size);

  EncodedRule out;
  out.storage.assign((size + 7) / 8, 0);
  out.matchmask.assign(size, 0);
  auto* base = reinterpret_cast<unsigned char*>(out.storage.data());
  std::memcpy(base, &head, sizeof(head));
  std::memset(out.matchmask.data(), 0xff, sizeof(ipt_entry));
  size_t at = sizeof(ipt_entry);
  for (const auto& m : matches) {
    auto* em = reinterpret_cast<xt_entry_match*>(base + at);
    em->u.user.match_size = static_cast<uint16_t>(mhdr + m.data.size());
    std::strncpy(em->u.user.name, m.name.c_str(), sizeof(em->u.user.name) - 1);
    em->u.user.revision = m.revision;
    std::memcpy(base + at + mhdr, m.data.data(), m.data.size());
    std::memset(out.matchmask.data() + at, 0xff, mhdr + m.user_size);
    at += mhdr + m.data.size();
  }
  auto* et = reinterpret_cast<xt_entry_target*>(base + at);
  et->u.user.target_size = static_cast<uint16_t>(thdr + target.data.size());
  std::strncpy(et->u.user.name, target.name.c_str(), sizeof(et->u.user.name) - 1);
  et->u.user.revision = target.revision;
  std::memcpy(base + at + thdr, target.data.data(), target.data.size());
  std::memset(out.matchmask.data() + at, 0xff, thdr + target.user_size);
  return out;
}

}  // namespace proxyrules
