// The result of running a plugin at an extension point, with upstream's codes
// (framework.Status): Success, Error, Unschedulable,
// UnschedulableAndUnresolvable, Wait, Skip, Pending.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace schedule {

enum class Code : uint8_t {
  kSuccess,
  kError,
  kUnschedulable,                 // preemption might help
  kUnschedulableAndUnresolvable,  // preemption cannot help
  kWait,
  kSkip,
  kPending,
};

// "Success", "Error", "Unschedulable", ...
std::string_view CodeName(Code code);

// Cheap when successful (no allocation) and cheap to copy: the reasons are
// shared and immutable, so a plugin can return one prebuilt rejection for
// thousands of nodes without allocating. Copyable value type; copies may be
// used from several threads.
class Status {
 public:
  Status() = default;
  explicit Status(Code code) : code_(code) {}
  Status(Code code, std::string reason)
      : code_(code), reasons_(std::make_shared<const std::vector<std::string>>(1, std::move(reason))) {}
  Status(Code code, std::vector<std::string> reasons)
      : code_(code), reasons_(std::make_shared<const std::vector<std::string>>(std::move(reasons))) {}

  static Status Success() { return Status(); }
  static Status Skip() { return Status(Code::kSkip); }
  static Status Error(std::string msg) { return Status(Code::kError, std::move(msg)); }

  Code code() const { return code_; }
  bool IsSuccess() const { return code_ == Code::kSuccess; }
  bool IsSkip() const { return code_ == Code::kSkip; }
  // Unschedulable or UnschedulableAndUnresolvable.
  bool IsRejected() const {
    return code_ == Code::kUnschedulable || code_ == Code::kUnschedulableAndUnresolvable;
  }
  const std::vector<std::string>& reasons() const {
    static const std::vector<std::string> kNone;
    return reasons_ ? *reasons_ : kNone;
  }
  // The reasons joined with ", " (upstream's Status.Message()).
  std::string Message() const;
  // The plugin that produced this status ("" when none).
  std::string_view plugin() const { return plugin_; }
  Status& WithPlugin(std::string_view plugin) {
    plugin_ = plugin;
    return *this;
  }

 private:
  Code code_ = Code::kSuccess;
  std::shared_ptr<const std::vector<std::string>> reasons_;
  std::string_view plugin_;  // points at a plugin's static name
};

}  // namespace schedule

// A rejection with a constant reason, built once per call site: returning it
// copies a shared pointer and allocates nothing, which matters when most of
// 5,000 nodes reject a pod.
#define SCHEDULE_REJECT(code, reason)                    \
  ([]() -> const ::schedule::Status& {                   \
    static const ::schedule::Status kStatus(code, reason); \
    return kStatus;                                      \
  }())

