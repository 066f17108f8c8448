// Score normalization helpers shared by plugins (upstream's plugins/helper).
#pragma once

#include <cstdint>
#include <vector>

namespace schedule {

// Upstream's DefaultNormalizeScore: scales to [0, max_priority] by the
// maximum; `reverse` flips it. All zero: all max_priority when reversed.
void DefaultNormalizeScore(int64_t max_priority, bool reverse, std::vector<int64_t>& scores);

}  // namespace schedule
