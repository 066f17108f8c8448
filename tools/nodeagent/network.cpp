#include "network.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <thread>

#include "common/file.h"
#include "common/log.h"
#include "netlink.h"

namespace nodeagent {

namespace {

uint32_t Fnv32(const std::string& s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

// Runs `fn` on a fresh thread (so namespace changes stay on that thread)
// and returns its status.
common::Status OnThread(const std::function<common::Status()>& fn) {
  common::Status st;
  std::thread t([&] { st = fn(); });
  t.join();
  return st;
}

}  // namespace

PodNetwork::PodNetwork(NetworkOptions options) : opts_(std::move(options)) {}

std::string PodNetwork::NetnsPath(const std::string& uid) const {
  return opts_.netns_dir + "/" + opts_.netns_prefix + uid;
}

std::string PodNetwork::HostVethName(const std::string& uid) const {
  char buf[16];
  snprintf(buf, sizeof buf, "veth%08x", Fnv32(uid));
  return buf;
}

common::Status PodNetwork::Init() {
  auto cidr = Ipv4Cidr::Parse(opts_.pod_cidr);
  if (!cidr.ok()) return cidr.status();
  cidr_ = *cidr;
  if (cidr_.prefix > 30) return common::Status::Invalid("pod CIDR " + cidr_.String() + " is too small");
  ipam_ = std::make_unique<Ipam>(cidr_, opts_.ipam_dir + "/" + FormatIpv4(cidr_.network) + "-" +
                                            std::to_string(cidr_.prefix));
  RETURN_IF_ERROR(common::MakeDirs(opts_.netns_dir));
  // As `ip netns add` does: the directory is a shared mount point.
  if (mount("", opts_.netns_dir.c_str(), "none", MS_SHARED | MS_REC, nullptr) != 0) {
    if (errno != EINVAL ||
        mount(opts_.netns_dir.c_str(), opts_.netns_dir.c_str(), "none", MS_BIND | MS_REC, nullptr) != 0 ||
        mount("", opts_.netns_dir.c_str(), "none", MS_SHARED | MS_REC, nullptr) != 0)
      return common::Status::FromErrno(errno, "make shared mount", opts_.netns_dir);
  }
  Netlink nl;
  RETURN_IF_ERROR(nl.Open());
  auto idx = nl.LinkIndex(opts_.bridge);
  if (!idx.ok()) {
    RETURN_IF_ERROR(nl.CreateBridge(opts_.bridge));
    idx = nl.LinkIndex(opts_.bridge);
    if (!idx.ok()) return idx.status();
    LOG_INFO("created bridge", {"bridge", opts_.bridge});
  }
  bridge_index_ = *idx;
  RETURN_IF_ERROR(nl.AddAddress(bridge_index_, cidr_.Gateway(), cidr_.prefix));
  RETURN_IF_ERROR(nl.SetUp(bridge_index_));
  // Pods on other nodes' bridges are reached through the host's routing.
  int fd = open("/proc/sys/net/ipv4/ip_forward", O_WRONLY | O_CLOEXEC);
  if (fd >= 0) {
    if (write(fd, "1", 1) != 1) LOG_WARNING("cannot enable net.ipv4.ip_forward");
    close(fd);
  }
  return common::Status::Ok();
}

common::Result<PodNetwork::Result> PodNetwork::Setup(const std::string& uid) {
  std::string path = NetnsPath(uid);
  // A namespace left from an interrupted setup is redone from scratch.
  Teardown(uid);
  auto ip_text = ipam_->Allocate(uid);
  if (!ip_text.ok()) return ip_text.status();
  uint32_t ip = *ParseIpv4(*ip_text);

  RETURN_IF_ERROR(OnThread([&]() -> common::Status {
    int fd = open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
    if (fd < 0) return common::Status::FromErrno(errno, "create", path);
    close(fd);
    if (unshare(CLONE_NEWNET) != 0) return common::Status::FromErrno(errno, "unshare", "network namespace");
    std::string self = "/proc/self/task/" + std::to_string(gettid()) + "/ns/net";
    if (mount(self.c_str(), path.c_str(), "none", MS_BIND, nullptr) != 0)
      return common::Status::FromErrno(errno, "bind network namespace to", path);
    return common::Status::Ok();
  }));

  int nsfd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (nsfd < 0) return common::Status::FromErrno(errno, "open", path);
  std::string veth = HostVethName(uid);
  common::Status st;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Netlink nl;
    st = nl.Open();
    if (st.ok()) st = nl.CreateVeth(veth, "eth0", nsfd);
    common::Result<int> idx = st.ok() ? nl.LinkIndex(veth) : common::Result<int>(st);
    if (idx.ok()) st = nl.SetMaster(*idx, bridge_index_);
    else st = idx.status();
    if (st.ok()) st = nl.SetUp(*idx);
  }
  if (st.ok()) {
    st = OnThread([&]() -> common::Status {
      if (setns(nsfd, CLONE_NEWNET) != 0) return common::Status::FromErrno(errno, "enter", path);
      Netlink nl;
      RETURN_IF_ERROR(nl.Open());
      ASSIGN_OR_RETURN(int lo, nl.LinkIndex("lo"));
      RETURN_IF_ERROR(nl.SetUp(lo));
      ASSIGN_OR_RETURN(int eth0, nl.LinkIndex("eth0"));
      RETURN_IF_ERROR(nl.AddAddress(eth0, ip, cidr_.prefix));
      RETURN_IF_ERROR(nl.SetUp(eth0));
      return nl.AddDefaultRoute(cidr_.Gateway(), eth0);
    });
  }
  close(nsfd);
  if (!st.ok()) {
    Teardown(uid);
    return st;
  }
  return Result{path, *ip_text};
}

void PodNetwork::Teardown(const std::string& uid) {
  std::string path = NetnsPath(uid);
  {
    std::lock_guard<std::mutex> lock(mu_);
    Netlink nl;
    if (nl.Open().ok())
      if (auto idx = nl.LinkIndex(HostVethName(uid)); idx.ok()) (void)nl.DeleteLink(*idx);
  }
  umount2(path.c_str(), MNT_DETACH);
  unlink(path.c_str());
  if (ipam_) ipam_->Release(uid);
}

}  // namespace nodeagent
