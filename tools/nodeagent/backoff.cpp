#include "backoff.h"

#include <algorithm>

namespace nodeagent {

RestartBackoff::Duration RestartBackoff::TryRestart(const std::string& key,
                                                    Clock::time_point finished,
                                                    Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it != entries_.end() && !Expired(it->second, finished)) {
    Duration since = now - finished;
    if (since < it->second.backoff) return it->second.backoff - since;
  }
  // Not backing off: restart now and double the next wait (flowcontrol.Backoff.Next).
  if (it == entries_.end() || Expired(it->second, finished)) {
    entries_[key] = Entry{initial_, now};
  } else {
    it->second.backoff = std::min(it->second.backoff * 2, max_);
    it->second.last_update = now;
  }
  return Duration(0);
}

RestartBackoff::Duration RestartBackoff::Current(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  return it == entries_.end() ? Duration(0) : it->second.backoff;
}

void RestartBackoff::Forget(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(key);
}

void RestartBackoff::ForgetPrefix(const std::string& prefix) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = entries_.lower_bound(prefix);
       it != entries_.end() && it->first.compare(0, prefix.size(), prefix) == 0;)
    it = entries_.erase(it);
}

}  // namespace nodeagent
