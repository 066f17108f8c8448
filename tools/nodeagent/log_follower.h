// Streams growing CRI log files to HTTP clients (`kubectl logs -f`): one
// thread polls every open follow session, sends new complete lines, and ends
// a session when its container instance has exited and everything it wrote
// has been sent.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/http_server.h"
#include "cri_log.h"

namespace nodeagent {

class LogFollower {
 public:
  LogFollower();
  ~LogFollower();  // closes every session

  // Follows `path` from byte `offset` (complete lines already sent up to
  // there) into `stream`, formatting with `formatter`'s state. `alive`
  // says whether the container may still write; once it returns false the
  // session drains and closes. Thread-safe.
  void Add(std::string path, uint64_t offset, LogFormatter formatter,
           std::shared_ptr<common::HttpStream> stream, std::function<bool()> alive);
  size_t sessions() const;

 private:
  struct Session;
  void Loop();
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<Session>> sessions_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace nodeagent
