#include "deadlines.h"

#include <cmath>

namespace apiserve {

using common::Status;
using namespace std::chrono;


common::Result<nanoseconds> ParseGoDuration(std::string_view in) {
  auto bad = [&] { return Status::BadRequest("time: invalid duration \"" + std::string(in) + "\""); };
  std::string_view s = in;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return nanoseconds(0);
  if (s.empty()) return bad();
  long double total = 0;
  while (!s.empty()) {
    size_t i = 0;
    long double v = 0;
    bool digits = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      v = v * 10 + (s[i] - '0');
      ++i;
      digits = true;
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      long double scale = 0.1L;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        v += (s[i] - '0') * scale;
        scale /= 10;
        ++i;
        digits = true;
      }
    }
    if (!digits) return bad();
    size_t u = i;
    while (u < s.size() && !(s[u] >= '0' && s[u] <= '9') && s[u] != '.') ++u;
    std::string_view unit = s.substr(i, u - i);
    long double mul;
    if (unit == "ns") mul = 1;
    else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") mul = 1e3L;
    else if (unit == "ms") mul = 1e6L;
    else if (unit == "s") mul = 1e9L;
    else if (unit == "m") mul = 60e9L;
    else if (unit == "h") mul = 3600e9L;
    else if (unit.empty()) return Status::BadRequest("time: missing unit in duration \"" + std::string(in) + "\"");
    else return Status::BadRequest("time: unknown unit \"" + std::string(unit) + "\" in duration \"" + std::string(in) + "\"");
    total += v * mul;
    if (total > 9.2e18L) return bad();
    s.remove_prefix(u);
  }
  auto ns = nanoseconds(static_cast<int64_t>(std::llround(static_cast<double>(total))));
  return neg ? -ns : ns;
}

common::Result<nanoseconds> RequestTimeout(const common::HttpRequest& req, nanoseconds max) {
  auto v = req.Query("timeout");
  if (!v || v->empty()) return max;
  auto d = ParseGoDuration(*v);
  if (!d.ok())
    return Status::BadRequest("invalid timeout specified in the request URL - " + d.status().message());
  // 0 means "no timeout of my own"; longer than the server's is capped.
  if (*d > nanoseconds(0) && *d < max) return *d;
  return max;
}

DeadlineKeeper::DeadlineKeeper(std::function<common::HttpResponse(const std::string&)> make_response)
    : make_response_(std::move(make_response)), thread_([this] { Loop(); }) {}

DeadlineKeeper::~DeadlineKeeper() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

uint64_t DeadlineKeeper::Arm(steady_clock::time_point deadline, common::Responder responder,
                             std::string tag) {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t id = next_id_++;
  bool earliest = order_.empty() || deadline < order_.begin()->first;
  order_.emplace(deadline, id);
  entries_.emplace(id, Entry{deadline, std::move(responder), std::move(tag)});
  if (earliest) cv_.notify_one();
  return id;
}

void DeadlineKeeper::Done(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  order_.erase({it->second.deadline, id});
  entries_.erase(it);
}

size_t DeadlineKeeper::Pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

void DeadlineKeeper::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (order_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto first = *order_.begin();
    if (steady_clock::now() < first.first) {
      cv_.wait_until(lock, first.first);
      continue;
    }
    order_.erase(order_.begin());
    auto node = entries_.extract(first.second);
    lock.unlock();
    // A responder that already answered ignores this.
    node.mapped().responder.Send(make_response_(node.mapped().tag));
    lock.lock();
  }
}

}  // namespace apiserve
