#include "exit_watcher.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

#include "common/log.h"
#include "shim_spec.h"

namespace nodeagent {

namespace {
int PidfdOpen(int pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }
}  // namespace

ExitWatcher::ExitWatcher() {
  epfd_ = epoll_create1(EPOLL_CLOEXEC);
  wakefd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  struct epoll_event ev = {};
  ev.events = EPOLLIN;
  ev.data.fd = wakefd_;
  epoll_ctl(epfd_, EPOLL_CTL_ADD, wakefd_, &ev);
  thread_ = std::thread([this] { Loop(); });
  pthread_setname_np(thread_.native_handle(), "exit-watcher");
}

ExitWatcher::~ExitWatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  uint64_t one = 1;
  if (write(wakefd_, &one, sizeof one) < 0) {
  }
  thread_.join();
  for (auto& [fd, _] : by_fd_) close(fd);
  close(wakefd_);
  close(epfd_);
}

void ExitWatcher::Watch(int pid, uint64_t start_time, std::function<void()> on_exit) {
  int fd = PidfdOpen(pid);
  // Checked after opening the pidfd: if the start time still matches, the
  // pidfd refers to the very process we were told about.
  if (fd < 0 || (start_time != 0 && ProcessStartTime(pid) != start_time)) {
    if (fd >= 0) close(fd);
    waitpid(pid, nullptr, WNOHANG);
    on_exit();
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  by_fd_[fd] = {pid, std::move(on_exit)};
  struct epoll_event ev = {};
  ev.events = EPOLLIN;
  ev.data.fd = fd;
  epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev);
}

size_t ExitWatcher::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return by_fd_.size();
}

void ExitWatcher::Loop() {
  struct epoll_event events[64];
  for (;;) {
    int n = epoll_wait(epfd_, events, 64, -1);
    std::vector<std::function<void()>> fire;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      for (int i = 0; i < n; ++i) {
        int fd = events[i].data.fd;
        if (fd == wakefd_) continue;
        auto it = by_fd_.find(fd);
        if (it == by_fd_.end()) continue;
        // Reap it if it is our child (a shim started by this nodeagent);
        // ECHILD for one adopted after a restart is expected.
        waitpid(it->second.first, nullptr, WNOHANG);
        fire.push_back(std::move(it->second.second));
        epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr);
        close(fd);
        by_fd_.erase(it);
      }
    }
    for (auto& f : fire) f();
  }
}

}  // namespace nodeagent
