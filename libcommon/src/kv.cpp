#include "common/kv.h"

namespace common::kv {

int GrpcCode(const Status& status) {
  // gRPC codes: 3 InvalidArgument, 5 NotFound, 8 ResourceExhausted,
  // 9 FailedPrecondition, 11 OutOfRange, 13 Internal, 14 Unavailable.
  switch (status.code()) {
    case Code::kOk: return 0;
    case Code::kExpired: return 11;
    case Code::kBadRequest:
    case Code::kRequestTooLarge:
    case Code::kInvalid:
      return status.message() == kErrFutureRev ? 11 : 3;
    case Code::kNotFound: return 5;
    case Code::kAlreadyExists:
    case Code::kConflict: return 9;
    case Code::kTooManyRequests: return 8;
    case Code::kUnavailable:
    case Code::kUnreachable: return 14;
    case Code::kTimeout: return 4;
    case Code::kUnauthorized: return 16;
    case Code::kForbidden: return 7;
    default: return 13;
  }
}

std::string PrefixEnd(const std::string& prefix) {
  std::string end = prefix;
  while (!end.empty()) {
    unsigned char last = static_cast<unsigned char>(end.back());
    if (last < 0xff) {
      end.back() = static_cast<char>(last + 1);
      return end;
    }
    end.pop_back();
  }
  return std::string(1, '\0');
}

}  // namespace common::kv
