// Per-scheduling-cycle scratch space: each plugin keeps the state its
// PreFilter/PreScore computed in its own slot, and the framework records
// which plugins asked to be skipped.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace schedule {

class FilterPlugin;

// Plugin state kept in a CycleState. Clone() must deep-copy what the plugin
// mutates through PreFilter extensions (AddPod/RemovePod), because
// preemption and nominated pods work on copies.
class StateData {
 public:
  virtual ~StateData() = default;
  virtual std::unique_ptr<StateData> Clone() const = 0;
};

// Not thread-safe for writes: written by the scheduling thread in PreFilter
// and PreScore, read concurrently by Filter and Score.
class CycleState {
 public:
  explicit CycleState(size_t slots = 0) : prefilter_(slots), prescore_(slots) {}
  CycleState(const CycleState&) = delete;
  CycleState& operator=(const CycleState&) = delete;

  // Resets for a new cycle with `slots` plugin slots.
  void Reset(size_t slots);

  StateData* prefilter(size_t slot) const { return prefilter_[slot].get(); }
  void set_prefilter(size_t slot, std::unique_ptr<StateData> d) { prefilter_[slot] = std::move(d); }
  StateData* prescore(size_t slot) const { return prescore_[slot].get(); }
  void set_prescore(size_t slot, std::unique_ptr<StateData> d) { prescore_[slot] = std::move(d); }

  // Filter plugins whose PreFilter returned Skip (bit per filter index).
  std::vector<bool> skip_filter;
  // Score plugins whose PreScore returned Skip (bit per score index).
  std::vector<bool> skip_score;
  // The filter plugins to run (those not skipped), rebuilt after PreFilter,
  // so the per-node loop does not test skip bits.
  std::vector<const FilterPlugin*> active_filters;

  // Deep copy (PreFilter states cloned; PreScore states are not needed by copies).
  std::unique_ptr<CycleState> Clone() const;

 private:
  std::vector<std::unique_ptr<StateData>> prefilter_;
  std::vector<std::unique_ptr<StateData>> prescore_;
};

}  // namespace schedule
