#include "common/signals.h"

#include <signal.h>
#include <systemd/sd-daemon.h>

#include <ctime>

namespace common {
namespace {
sigset_t ShutdownSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}
}  // namespace

void BlockShutdownSignals() {
  sigset_t set = ShutdownSet();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

int WaitForShutdownSignal(std::chrono::milliseconds timeout) {
  sigset_t set = ShutdownSet();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int sig;
    if (timeout.count() > 0) {
      auto left = deadline - std::chrono::steady_clock::now();
      if (left <= std::chrono::nanoseconds(0)) return 0;
      auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
      struct timespec ts = {static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
      sig = sigtimedwait(&set, nullptr, &ts);
      if (sig < 0) continue;  // EAGAIN (timeout) or EINTR: loop re-checks the deadline
    } else if (sigwait(&set, &sig) != 0) {
      continue;
    }
    if (sig == SIGHUP) continue;
    return sig;
  }
}

void NotifyReady() { sd_notify(0, "READY=1"); }
void NotifyStopping() { sd_notify(0, "STOPPING=1"); }

}  // namespace common
