#include "api_server.h"

#include <gtest/gtest.h>

#include <set>

namespace apiserve {
namespace {

// A UUID version 4, variant 10, lower-case hex in 8-4-4-4-12 groups, as
// Kubernetes' uuid.NewUUID() prints (object uids and audit IDs).
TEST(ApiServer, NewUidIsARandomVersion4Uuid) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string u = ApiServer::NewUid();
    ASSERT_EQ(u.size(), 36u) << u;
    for (size_t k = 0; k < u.size(); ++k) {
      if (k == 8 || k == 13 || k == 18 || k == 23) {
        EXPECT_EQ(u[k], '-') << u;
      } else {
        EXPECT_TRUE((u[k] >= '0' && u[k] <= '9') || (u[k] >= 'a' && u[k] <= 'f')) << u;
      }
    }
    EXPECT_EQ(u[14], '4') << u;
    EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos) << u;
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 200u);
}

}  // namespace
}  // namespace apiserve
