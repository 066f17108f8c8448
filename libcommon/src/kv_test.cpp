#include "common/kv.h"

#include <gtest/gtest.h>

namespace common::kv {
namespace {

TEST(Kv, PrefixEnd) {
  EXPECT_EQ(PrefixEnd("aa"), "ab");
  EXPECT_EQ(PrefixEnd("a\xff"), "b");
  EXPECT_EQ(PrefixEnd("/registry/pods/"), "/registry/pods0");
  EXPECT_EQ(PrefixEnd(""), std::string(1, '\0'));
  EXPECT_EQ(PrefixEnd("\xff\xff"), std::string(1, '\0'));
}

TEST(Kv, GrpcCodes) {
  EXPECT_EQ(GrpcCode(Status(Code::kExpired, kErrCompacted)), 11);
  EXPECT_EQ(GrpcCode(Status(Code::kBadRequest, kErrFutureRev)), 11);
  EXPECT_EQ(GrpcCode(Status(Code::kBadRequest, kErrEmptyKey)), 3);
  EXPECT_EQ(GrpcCode(Status(Code::kNotFound, kErrLeaseNotFound)), 5);
  EXPECT_EQ(GrpcCode(Status(Code::kAlreadyExists, kErrLeaseExists)), 9);
  EXPECT_EQ(GrpcCode(Status(Code::kTooManyRequests, kErrNoSpace)), 8);
}

}  // namespace
}  // namespace common::kv
