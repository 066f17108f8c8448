#include "fake_runtime.h"

#include <signal.h>

namespace nodeagent {

FakeRuntime::FakeRuntime(TimerQueue* timers, std::chrono::milliseconds start_delay, std::string cidr)
    : timers_(timers), delay_(start_delay) {
  if (!cidr.empty())
    if (auto c = Ipv4Cidr::Parse(cidr); c.ok()) {
      cidr_ = *c;
      have_cidr_ = true;
    }
}

void FakeRuntime::SetEventSink(EventSink sink) {
  std::lock_guard<std::mutex> lock(mu_);
  sink_ = std::move(sink);
}

std::variant<SandboxInfo, RuntimeError> FakeRuntime::EnsureSandbox(const PodSpec& pod) {
  std::lock_guard<std::mutex> lock(mu_);
  Pod& p = pods_[pod.uid];
  if (p.ip.empty() && have_cidr_) {
    // Addresses cycle through the range, as kwok's do; a fake pod holds one
    // only as a label for its status.
    uint32_t first = cidr_.Gateway() + 1, last = cidr_.Broadcast() - 1;
    uint32_t span = last >= first ? last - first + 1 : 1;
    p.ip = FormatIpv4(first + (next_ip_++ % span));
  }
  SandboxInfo info;
  info.uid = pod.uid;
  info.ip = p.ip;
  info.created = common::Clock::now();
  return info;
}

void FakeRuntime::StopSandbox(const std::string& uid) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pods_.find(uid);
  if (it == pods_.end()) return;
  for (auto& [id, c] : it->second.containers)
    if (c.state != ContainerState::kExited) {
      c.state = ContainerState::kExited;
      c.exit_code = 137;
      c.reason = "Error";
      c.finished_at = common::Clock::now();
    }
}

common::Status FakeRuntime::RemoveSandbox(const std::string& uid, bool) {
  std::lock_guard<std::mutex> lock(mu_);
  pods_.erase(uid);
  return common::Status::Ok();
}

std::variant<ContainerStatus, StartFailure> FakeRuntime::StartContainer(
    const PodSpec& pod, const SandboxInfo&, const ContainerSpec& container, const ContainerConfig&,
    int attempt) {
  ContainerStatus cs;
  cs.name = container.name;
  cs.attempt = attempt;
  cs.image = container.image;
  {
    std::lock_guard<std::mutex> lock(mu_);
    char id[32];
    snprintf(id, sizeof id, "fake-%016llx", static_cast<unsigned long long>(next_id_++));
    cs.id = id;
    auto now = common::Clock::now();
    cs.started_at = now + delay_;
    cs.state = delay_.count() > 0 ? ContainerState::kCreated : ContainerState::kRunning;
    pods_[pod.uid].containers[cs.id] = cs;
  }
  if (delay_.count() > 0) {
    std::string uid = pod.uid;
    timers_->After(delay_, [this, uid] {
      EventSink sink;
      {
        std::lock_guard<std::mutex> lock(mu_);
        sink = sink_;
      }
      if (sink) sink(uid);
    });
  }
  return cs;
}

void FakeRuntime::Signal(const std::string& uid, const ContainerStatus& c, int sig) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto p = pods_.find(uid);
    if (p == pods_.end()) return;
    auto it = p->second.containers.find(c.id);
    if (it == p->second.containers.end() || it->second.state == ContainerState::kExited) return;
    if (sig != SIGTERM && sig != SIGKILL) return;
    // A fake process handles SIGTERM by exiting cleanly.
    it->second.state = ContainerState::kExited;
    it->second.exit_code = sig == SIGTERM ? 0 : 137;
    it->second.reason = sig == SIGTERM ? "Completed" : "Error";
    it->second.finished_at = common::Clock::now();
  }
  EventSink sink;
  {
    std::lock_guard<std::mutex> lock(mu_);
    sink = sink_;
  }
  if (sink) sink(uid);
}

ContainerStatus FakeRuntime::Inspect(const std::string& uid, const ContainerStatus& c) {
  std::lock_guard<std::mutex> lock(mu_);
  auto p = pods_.find(uid);
  if (p == pods_.end()) return c;
  auto it = p->second.containers.find(c.id);
  if (it == p->second.containers.end()) return c;
  if (it->second.state == ContainerState::kCreated && common::Clock::now() >= it->second.started_at)
    it->second.state = ContainerState::kRunning;
  return it->second;
}

std::vector<ContainerStatus> FakeRuntime::ListContainers(const std::string& uid) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<ContainerStatus> out;
  auto p = pods_.find(uid);
  if (p == pods_.end()) return out;
  for (const auto& [id, c] : p->second.containers) out.push_back(c);
  std::sort(out.begin(), out.end(), [](const ContainerStatus& a, const ContainerStatus& b) {
    return a.name != b.name ? a.name < b.name : a.attempt < b.attempt;
  });
  return out;
}

bool FakeRuntime::ExitContainer(const std::string& uid, const std::string& container, int exit_code,
                                const std::string& reason) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto p = pods_.find(uid);
    if (p == pods_.end()) return false;
    ContainerStatus* latest = nullptr;
    for (auto& [id, c] : p->second.containers)
      if (c.name == container && (!latest || c.attempt > latest->attempt)) latest = &c;
    if (!latest || latest->state == ContainerState::kExited) return false;
    latest->state = ContainerState::kExited;
    latest->exit_code = exit_code;
    latest->reason = !reason.empty() ? reason : exit_code == 0 ? "Completed" : "Error";
    latest->finished_at = common::Clock::now();
  }
  EventSink sink;
  {
    std::lock_guard<std::mutex> lock(mu_);
    sink = sink_;
  }
  if (sink) sink(uid);
  return true;
}

std::vector<std::string> FakeRuntime::ListPods() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (const auto& [uid, p] : pods_) out.push_back(uid);
  return out;
}

bool FakeRuntime::HasPod(const std::string& uid) {
  std::lock_guard<std::mutex> lock(mu_);
  return pods_.count(uid) > 0;
}

}  // namespace nodeagent
