#include "common/expectations.h"

#include <gtest/gtest.h>

#include <thread>

namespace common {
namespace {

using namespace std::chrono_literals;

TEST(ControllerExpectations, NoRecordMeansSatisfied) {
  ControllerExpectations e;
  EXPECT_TRUE(e.Satisfied("ns/rs"));
  EXPECT_FALSE(e.Get("ns/rs").exists);
  // Observations for an owner without expectations are ignored.
  e.CreationObserved("ns/rs");
  EXPECT_FALSE(e.Get("ns/rs").exists);
}

TEST(ControllerExpectations, CreationsMustAllBeObserved) {
  ControllerExpectations e;
  e.ExpectCreations("ns/rs", 3);
  EXPECT_FALSE(e.Satisfied("ns/rs"));
  e.CreationObserved("ns/rs");
  e.CreationObserved("ns/rs");
  EXPECT_FALSE(e.Satisfied("ns/rs"));
  // A failed create is lowered by hand: the informer will never see it.
  e.Lower("ns/rs", 1, 0);
  EXPECT_TRUE(e.Satisfied("ns/rs"));
  auto p = e.Get("ns/rs");
  EXPECT_TRUE(p.exists);
  EXPECT_EQ(p.adds, 0);
  e.Raise("ns/rs", 2, 0);
  EXPECT_FALSE(e.Satisfied("ns/rs"));
  e.Delete("ns/rs");
  EXPECT_TRUE(e.Satisfied("ns/rs"));
}

TEST(ControllerExpectations, TrackedDeletionsCountOnce) {
  ControllerExpectations e;
  e.ExpectDeletions("ns/rs", std::vector<std::string>{"ns/p1", "ns/p2"});
  EXPECT_EQ(e.Get("ns/rs").dels, 2);
  // The update with deletionTimestamp and the delete event both report p1.
  e.DeletionObserved("ns/rs", "ns/p1");
  e.DeletionObserved("ns/rs", "ns/p1");
  e.DeletionObserved("ns/rs", "ns/unrelated");
  EXPECT_EQ(e.Get("ns/rs").dels, 1);
  EXPECT_FALSE(e.Satisfied("ns/rs"));
  EXPECT_EQ(e.PendingDeletions("ns/rs"), std::vector<std::string>{"ns/p2"});
  e.DeletionObserved("ns/rs", "ns/p2");
  EXPECT_TRUE(e.Satisfied("ns/rs"));
}

TEST(ControllerExpectations, ExpireAfterTtl) {
  ControllerExpectations e(50ms);
  e.ExpectCreations("ns/rs", 5);
  EXPECT_FALSE(e.Satisfied("ns/rs"));
  std::this_thread::sleep_for(80ms);
  EXPECT_TRUE(e.Satisfied("ns/rs"));
  // Setting them again restarts the clock.
  e.ExpectCreations("ns/rs", 1);
  EXPECT_FALSE(e.Satisfied("ns/rs"));
}

TEST(ControllerExpectations, ConcurrentObservations) {
  ControllerExpectations e;
  e.ExpectCreations("k", 4000);
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i)
    ts.emplace_back([&] {
      for (int j = 0; j < 1000; ++j) e.CreationObserved("k");
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(e.Get("k").adds, 0);
  EXPECT_TRUE(e.Satisfied("k"));
}

}  // namespace
}  // namespace common
