#include "model/intern.h"

#include <mutex>
#include <string>
#include <unordered_map>

namespace schedule {

uint32_t Intern(std::string_view s) {
  static std::mutex mu;
  static auto* table = new std::unordered_map<std::string, uint32_t>();  // lives for the process
  std::lock_guard<std::mutex> lock(mu);
  auto it = table->find(std::string(s));
  if (it != table->end()) return it->second;
  uint32_t id = static_cast<uint32_t>(table->size() + 1);
  table->emplace(std::string(s), id);
  return id;
}

void MatchMemo::Grow() {
  std::vector<uint64_t> keys = std::move(keys_);
  std::vector<uint8_t> vals = std::move(vals_);
  size_t n = keys.empty() ? 64 : keys.size() * 2;
  keys_.assign(n, 0);
  vals_.assign(n, 0);
  size_t mask = n - 1;
  for (size_t j = 0; j < keys.size(); ++j) {
    if (vals[j] == 0) continue;
    size_t i = Mix(keys[j]) & mask;
    while (vals_[i] != 0) i = (i + 1) & mask;
    keys_[i] = keys[j];
    vals_[i] = vals[j];
  }
}

}  // namespace schedule
