#include "plugins/helpers.h"

namespace schedule {

void DefaultNormalizeScore(int64_t max_priority, bool reverse, std::vector<int64_t>& scores) {
  int64_t max = 0;
  for (int64_t s : scores)
    if (s > max) max = s;
  if (max == 0) {
    if (reverse)
      for (auto& s : scores) s = max_priority;
    return;
  }
  for (auto& s : scores) {
    s = max_priority * s / max;
    if (reverse) s = max_priority - s;
  }
}

}  // namespace schedule
