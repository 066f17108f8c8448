#include "framework/cycle_state.h"

namespace schedule {

void CycleState::Reset(size_t slots) {
  prefilter_.clear();
  prefilter_.resize(slots);
  prescore_.clear();
  prescore_.resize(slots);
  skip_filter.clear();
  skip_score.clear();
  active_filters.clear();
}

std::unique_ptr<CycleState> CycleState::Clone() const {
  auto c = std::make_unique<CycleState>(prefilter_.size());
  for (size_t i = 0; i < prefilter_.size(); ++i)
    if (prefilter_[i]) c->prefilter_[i] = prefilter_[i]->Clone();
  c->skip_filter = skip_filter;
  c->skip_score = skip_score;
  c->active_filters = active_filters;
  return c;
}

}  // namespace schedule
