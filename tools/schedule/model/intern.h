// Process-wide string interning: equal strings get the same small id, so
// "does this term match this pod" can be remembered per (term, pod shape)
// within a cycle. Pods of one template share a shape; terms of one template
// share an id.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace schedule {

// The id of `s`, assigning the next one on first sight. Ids are never
// reused. Thread-safe.
uint32_t Intern(std::string_view s);

// Remembers boolean results per 64-bit key (two ids) for one cycle.
// Not thread-safe.
class MatchMemo {
 public:
  // The remembered value of `key`, computing it with `fn` on first use.
  // A key with a zero half (an object whose id was never set) is not
  // remembered: id 0 does not identify content.
  template <typename F>
  bool Get(uint64_t key, F&& fn) {
    if ((key >> 32) == 0 || (key & 0xffffffffu) == 0) return fn();
    if ((used_ + 1) * 2 >= keys_.size()) Grow();
    size_t mask = keys_.size() - 1;
    size_t i = Mix(key) & mask;
    for (;; i = (i + 1) & mask) {
      if (vals_[i] == 0) break;
      if (keys_[i] == key) return vals_[i] == 2;
    }
    bool v = fn();
    keys_[i] = key;
    vals_[i] = v ? 2 : 1;
    ++used_;
    return v;
  }
  static uint64_t Key(uint32_t a, uint32_t b) { return (uint64_t{a} << 32) | b; }

 private:
  static uint64_t Mix(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    return x ^ (x >> 33);
  }
  void Grow();

  std::vector<uint64_t> keys_;
  std::vector<uint8_t> vals_;  // 0 empty, 1 false, 2 true
  size_t used_ = 0;
};

}  // namespace schedule
