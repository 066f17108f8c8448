// Request deadlines (kube-apiserver's --request-timeout and the `timeout`
// query parameter, filters/request_deadline.go and timeout.go): a request
// that is not long-running and has not answered by its deadline gets
// 504 Timeout; whatever it answers later is dropped (the work itself may
// still finish, as upstream warns: "may still be processing the request").
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>

#include "common/http_server.h"
#include "common/status.h"

namespace apiserve {

// Go's time.ParseDuration ("300ms", "1m30s", "-1.5h"). BadRequest with
// Go's wording (`time: invalid duration "x"`) on bad input.
common::Result<std::chrono::nanoseconds> ParseGoDuration(std::string_view s);

// The deadline a request gets: `timeout` from the URL when it is positive and
// shorter than `max`, else `max`. BadRequest text (upstream's) for a bad value.
common::Result<std::chrono::nanoseconds> RequestTimeout(const common::HttpRequest& req,
                                                        std::chrono::nanoseconds max);

// Thread-safe. One thread sleeping until the earliest deadline.
class DeadlineKeeper {
 public:
  // `make_response` builds what a request that ran out of time gets, from
  // the tag given to Arm (built only when a deadline fires).
  explicit DeadlineKeeper(std::function<common::HttpResponse(const std::string& tag)> make_response);
  ~DeadlineKeeper();  // Stops the thread; pending deadlines never fire.

  // Sends make_response(tag) through `responder` at `deadline` unless
  // Done(id) came first. Returns the id for Done.
  uint64_t Arm(std::chrono::steady_clock::time_point deadline, common::Responder responder,
               std::string tag);
  // The request answered: forget its deadline (a no-op for unknown ids).
  void Done(uint64_t id);
  size_t Pending() const;

 private:
  struct Entry {
    std::chrono::steady_clock::time_point deadline;
    common::Responder responder;
    std::string tag;
  };
  void Loop();

  std::function<common::HttpResponse(const std::string&)> make_response_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  uint64_t next_id_ = 1;
  std::set<std::pair<std::chrono::steady_clock::time_point, uint64_t>> order_;
  std::unordered_map<uint64_t, Entry> entries_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace apiserve
