#include "netlink.h"

#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace nodeagent {

namespace {

// A netlink message under construction, with nested attributes.
class Msg {
 public:
  Msg(uint16_t type, uint16_t flags) {
    buf_.resize(NLMSG_HDRLEN);
    hdr()->nlmsg_type = type;
    hdr()->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
  }
  template <typename T>
  T* Header() {
    size_t off = buf_.size();
    buf_.resize(off + NLMSG_ALIGN(sizeof(T)));
    return reinterpret_cast<T*>(buf_.data() + off);
  }
  void Attr(uint16_t type, const void* data, size_t len) {
    size_t off = buf_.size();
    buf_.resize(off + RTA_ALIGN(RTA_LENGTH(len)));
    auto* rta = reinterpret_cast<struct rtattr*>(buf_.data() + off);
    rta->rta_type = type;
    rta->rta_len = static_cast<uint16_t>(RTA_LENGTH(len));
    if (len) memcpy(RTA_DATA(rta), data, len);
  }
  void Str(uint16_t type, const std::string& s) { Attr(type, s.c_str(), s.size() + 1); }
  void U32(uint16_t type, uint32_t v) { Attr(type, &v, sizeof v); }
  size_t Begin(uint16_t type) {
    size_t off = buf_.size();
    Attr(type, nullptr, 0);
    return off;
  }
  void End(size_t off) {
    reinterpret_cast<struct rtattr*>(buf_.data() + off)->rta_len =
        static_cast<uint16_t>(buf_.size() - off);
  }
  // Reserves room for a raw struct inside a nested attribute (veth's peer ifinfomsg).
  void Raw(size_t len) { buf_.resize(buf_.size() + NLMSG_ALIGN(len)); }
  struct nlmsghdr* hdr() { return reinterpret_cast<struct nlmsghdr*>(buf_.data()); }
  void* data() {
    hdr()->nlmsg_len = static_cast<uint32_t>(buf_.size());
    return buf_.data();
  }
  size_t size() const { return buf_.size(); }

 private:
  std::vector<char> buf_;
};

}  // namespace

Netlink::~Netlink() {
  if (fd_ >= 0) close(fd_);
}

common::Status Netlink::Open() {
  fd_ = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd_ < 0) return common::Status::FromErrno(errno, "open", "netlink socket");
  struct sockaddr_nl sa = {};
  sa.nl_family = AF_NETLINK;
  if (bind(fd_, reinterpret_cast<struct sockaddr*>(&sa), sizeof sa) != 0)
    return common::Status::FromErrno(errno, "bind", "netlink socket");
  return common::Status::Ok();
}

common::Status Netlink::Request(void* msg, size_t len, const char* what) {
  auto* h = static_cast<struct nlmsghdr*>(msg);
  h->nlmsg_seq = ++seq_;
  struct sockaddr_nl sa = {};
  sa.nl_family = AF_NETLINK;
  if (sendto(fd_, msg, len, 0, reinterpret_cast<struct sockaddr*>(&sa), sizeof sa) < 0)
    return common::Status::Internal(std::string("cannot ") + what + ": " + strerror(errno));
  char buf[8192];
  for (;;) {
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return common::Status::Internal(std::string("cannot ") + what + ": " + strerror(errno));
    }
    for (auto* r = reinterpret_cast<struct nlmsghdr*>(buf); NLMSG_OK(r, static_cast<unsigned>(n));
         r = NLMSG_NEXT(r, n)) {
      if (r->nlmsg_seq != seq_) continue;
      if (r->nlmsg_type == NLMSG_ERROR) {
        auto* e = static_cast<struct nlmsgerr*>(NLMSG_DATA(r));
        if (e->error == 0) return common::Status::Ok();
        return common::Status::Internal(std::string("cannot ") + what + ": " + strerror(-e->error));
      }
    }
  }
}

common::Result<int> Netlink::LinkIndex(const std::string& name) {
  Msg m(RTM_GETLINK, 0);
  auto* ifi = m.Header<struct ifinfomsg>();
  ifi->ifi_family = AF_UNSPEC;
  m.Str(IFLA_IFNAME, name);
  auto* h = static_cast<struct nlmsghdr*>(m.data());
  h->nlmsg_flags = NLM_F_REQUEST;
  h->nlmsg_seq = ++seq_;
  struct sockaddr_nl sa = {};
  sa.nl_family = AF_NETLINK;
  if (sendto(fd_, h, m.size(), 0, reinterpret_cast<struct sockaddr*>(&sa), sizeof sa) < 0)
    return common::Status::FromErrno(errno, "query link", name);
  char buf[16384];
  for (;;) {
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return common::Status::FromErrno(errno, "query link", name);
    }
    for (auto* r = reinterpret_cast<struct nlmsghdr*>(buf); NLMSG_OK(r, static_cast<unsigned>(n));
         r = NLMSG_NEXT(r, n)) {
      if (r->nlmsg_seq != seq_) continue;
      if (r->nlmsg_type == NLMSG_ERROR) {
        auto* e = static_cast<struct nlmsgerr*>(NLMSG_DATA(r));
        if (e->error == -ENODEV) return common::Status::NotFound("no link named " + name);
        return common::Status::FromErrno(-e->error, "query link", name);
      }
      if (r->nlmsg_type == RTM_NEWLINK)
        return static_cast<struct ifinfomsg*>(NLMSG_DATA(r))->ifi_index;
    }
  }
}

common::Status Netlink::CreateBridge(const std::string& name) {
  Msg m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
  m.Header<struct ifinfomsg>()->ifi_family = AF_UNSPEC;
  m.Str(IFLA_IFNAME, name);
  size_t li = m.Begin(IFLA_LINKINFO);
  m.Str(IFLA_INFO_KIND, "bridge");
  m.End(li);
  return Request(m.data(), m.size(), ("create bridge " + name).c_str());
}

common::Status Netlink::CreateVeth(const std::string& host_name, const std::string& peer_name,
                                  int peer_netns_fd) {
  Msg m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
  m.Header<struct ifinfomsg>()->ifi_family = AF_UNSPEC;
  m.Str(IFLA_IFNAME, host_name);
  size_t li = m.Begin(IFLA_LINKINFO);
  m.Str(IFLA_INFO_KIND, "veth");
  size_t data = m.Begin(IFLA_INFO_DATA);
  size_t peer = m.Begin(VETH_INFO_PEER);
  m.Raw(sizeof(struct ifinfomsg));
  m.Str(IFLA_IFNAME, peer_name);
  m.U32(IFLA_NET_NS_FD, static_cast<uint32_t>(peer_netns_fd));
  m.End(peer);
  m.End(data);
  m.End(li);
  return Request(m.data(), m.size(), ("create veth " + host_name).c_str());
}

common::Status Netlink::SetUp(int index) {
  Msg m(RTM_NEWLINK, 0);
  auto* ifi = m.Header<struct ifinfomsg>();
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = index;
  ifi->ifi_flags = IFF_UP;
  ifi->ifi_change = IFF_UP;
  return Request(m.data(), m.size(), "set link up");
}

common::Status Netlink::SetMaster(int index, int master_index) {
  Msg m(RTM_NEWLINK, 0);
  auto* ifi = m.Header<struct ifinfomsg>();
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = index;
  m.U32(IFLA_MASTER, static_cast<uint32_t>(master_index));
  return Request(m.data(), m.size(), "attach link to bridge");
}

common::Status Netlink::DeleteLink(int index) {
  Msg m(RTM_DELLINK, 0);
  auto* ifi = m.Header<struct ifinfomsg>();
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = index;
  return Request(m.data(), m.size(), "delete link");
}

common::Status Netlink::AddAddress(int index, uint32_t ip, int prefix) {
  Msg m(RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE);
  auto* ifa = m.Header<struct ifaddrmsg>();
  ifa->ifa_family = AF_INET;
  ifa->ifa_prefixlen = static_cast<unsigned char>(prefix);
  ifa->ifa_index = static_cast<unsigned>(index);
  uint32_t be = htonl(ip);
  m.Attr(IFA_LOCAL, &be, 4);
  m.Attr(IFA_ADDRESS, &be, 4);
  uint32_t bcast = htonl(prefix >= 31 ? ip : (ip | (0xffffffffu >> prefix)));
  m.Attr(IFA_BROADCAST, &bcast, 4);
  auto st = Request(m.data(), m.size(), "add address");
  if (!st.ok() && st.message().find("File exists") != std::string::npos) return common::Status::Ok();
  return st;
}

common::Status Netlink::AddDefaultRoute(uint32_t gateway, int index) {
  Msg m(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE);
  auto* rt = m.Header<struct rtmsg>();
  rt->rtm_family = AF_INET;
  rt->rtm_table = RT_TABLE_MAIN;
  rt->rtm_protocol = RTPROT_BOOT;
  rt->rtm_scope = RT_SCOPE_UNIVERSE;
  rt->rtm_type = RTN_UNICAST;
  uint32_t gw = htonl(gateway);
  m.Attr(RTA_GATEWAY, &gw, 4);
  m.U32(RTA_OIF, static_cast<uint32_t>(index));
  return Request(m.data(), m.size(), "add default route");
}

}  // namespace nodeagent
