// iptables' own lock (/run/xtables.lock, or $XTABLES_LOCKFILE), held from
// reading a table to committing it, so concurrent iptables commands do not
// overwrite each other's tables. Waits like "-w 5 -W 100000".
#pragma once

#include <string>

#include "common/status.h"

namespace proxyrules {

// Takes the lock in the constructor (status() says whether it got it) and
// releases it in the destructor.
class XtablesLock {
 public:
  XtablesLock();
  ~XtablesLock();
  XtablesLock(const XtablesLock&) = delete;
  XtablesLock& operator=(const XtablesLock&) = delete;

  // Ok, or why the lock could not be taken within 5 s.
  const common::Status& status() const { return status_; }

 private:
  std::string path_;
  int fd_ = -1;
  common::Status status_;
};

}  // namespace proxyrules
