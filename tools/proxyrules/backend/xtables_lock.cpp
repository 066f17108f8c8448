#include "xtables_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <thread>

namespace proxyrules {

using common::Status;

XtablesLock::XtablesLock() {
  const char* path = std::getenv("XTABLES_LOCKFILE");
  if (!path || !*path) path = "/run/xtables.lock";
  path_ = path;
  fd_ = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    status_ = Status::FromErrno(errno, "open", path);
    return;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      status_ = Status::FromErrno(errno, "lock", path);
      return;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      status_ = Status::Unavailable("another app is holding the xtables lock '" + path_ + "'");
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

XtablesLock::~XtablesLock() {
  if (fd_ >= 0) close(fd_);  // closing releases the flock
}

}  // namespace proxyrules
