#include "framework/status.h"

namespace schedule {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kSuccess: return "Success";
    case Code::kError: return "Error";
    case Code::kUnschedulable: return "Unschedulable";
    case Code::kUnschedulableAndUnresolvable: return "UnschedulableAndUnresolvable";
    case Code::kWait: return "Wait";
    case Code::kSkip: return "Skip";
    case Code::kPending: return "Pending";
  }
  return "Unknown";
}

std::string Status::Message() const {
  std::string out;
  const auto& r = reasons();
  for (size_t i = 0; i < r.size(); ++i) {
    if (i) out += ", ";
    out += r[i];
  }
  return out;
}

}  // namespace schedule
