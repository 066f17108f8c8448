#include "common/events.h"

#include <gtest/gtest.h>

#include "common/fake_apiserver.h"

namespace common {
namespace {

using namespace std::chrono_literals;

const GroupVersionResource kEvents{"", "v1", "events"};

Json Deployment() {
  return Json{{"kind", "Deployment"},
              {"apiVersion", "apps/v1"},
              {"metadata",
               {{"name", "web"},
                {"namespace", "prod"},
                {"uid", "d-uid"},
                {"resourceVersion", "42"}}}};
}

class EventRecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok());
    client_ = std::make_unique<RestClient>(HttpClientOptions{.server = server_.url()});
    options_.component = "deployment-controller";
    options_.retry_sleep = 20ms;
  }
  std::vector<Json> Events() { return server_.List(kEvents); }
  FakeApiServer server_;
  std::unique_ptr<RestClient> client_;
  EventRecorderOptions options_;
};

TEST_F(EventRecorderTest, PostsAnEventShapedLikeClientGos) {
  EventRecorder rec(client_.get(), options_);
  rec.Event(Deployment(), kEventTypeNormal, "ScalingReplicaSet",
            "Scaled up replica set web-5d4f to 3");
  ASSERT_TRUE(rec.Flush(5s));
  auto evs = Events();
  ASSERT_EQ(evs.size(), 1u);
  const Json& e = evs[0];
  EXPECT_EQ(GetString(e["metadata"], "namespace"), "prod");
  EXPECT_TRUE(GetString(e["metadata"], "name").starts_with("web."));
  EXPECT_EQ(e["involvedObject"],
            (Json{{"kind", "Deployment"}, {"namespace", "prod"}, {"name", "web"},
                  {"uid", "d-uid"}, {"apiVersion", "apps/v1"}, {"resourceVersion", "42"}}));
  EXPECT_EQ(e["reason"], "ScalingReplicaSet");
  EXPECT_EQ(e["message"], "Scaled up replica set web-5d4f to 3");
  EXPECT_EQ(e["type"], "Normal");
  EXPECT_EQ(e["count"], 1);
  EXPECT_EQ(e["source"], (Json{{"component", "deployment-controller"}}));
  EXPECT_EQ(e["reportingComponent"], "deployment-controller");
  EXPECT_EQ(e["firstTimestamp"], e["lastTimestamp"]);
  EXPECT_EQ(rec.stats().created, 1u);
}

TEST_F(EventRecorderTest, ClusterScopedObjectsGoToDefault) {
  EventRecorder rec(client_.get(), options_);
  rec.Event(Json{{"kind", "Node"}, {"apiVersion", "v1"}, {"metadata", {{"name", "n1"}}}},
            kEventTypeWarning, "NodeNotReady", "Node n1 status is now: NodeNotReady");
  ASSERT_TRUE(rec.Flush(5s));
  auto evs = Events();
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(GetString(evs[0]["metadata"], "namespace"), "default");
  EXPECT_FALSE(evs[0]["involvedObject"].contains("namespace"));
}

TEST_F(EventRecorderTest, RepeatsBumpTheCount) {
  EventRecorder rec(client_.get(), options_);
  for (int i = 0; i < 3; ++i) {
    rec.Event(Deployment(), kEventTypeWarning, "FailedCreate", "quota exceeded");
    ASSERT_TRUE(rec.Flush(5s));
  }
  auto evs = Events();
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0]["count"], 3);
  EXPECT_EQ(rec.stats().created, 1u);
  EXPECT_EQ(rec.stats().patched, 2u);
  auto reqs = server_.Requests();
  EXPECT_EQ(reqs.back().method, "PATCH");
  EXPECT_EQ(reqs.back().content_type, "application/strategic-merge-patch+json");

  // The Event was deleted meanwhile (TTL): the next repeat creates it again.
  ASSERT_TRUE(
      server_.Delete(kEvents, "prod", GetString(evs[0]["metadata"], "name")).ok());
  rec.Event(Deployment(), kEventTypeWarning, "FailedCreate", "quota exceeded");
  ASSERT_TRUE(rec.Flush(5s));
  evs = Events();
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0]["count"], 4);
}

TEST_F(EventRecorderTest, SimilarEventsAreCombined) {
  EventRecorder rec(client_.get(), options_);
  for (int i = 0; i < 12; ++i)
    rec.Event(Deployment(), kEventTypeWarning, "FailedCreate",
              "pod " + std::to_string(i) + " failed");
  ASSERT_TRUE(rec.Flush(5s));
  auto evs = Events();
  // Nine distinct messages stand alone; from the tenth on they are combined
  // into one Event whose count grows.
  ASSERT_EQ(evs.size(), 10u);
  int combined = 0;
  for (const auto& e : evs) {
    std::string m = e["message"];
    if (m.starts_with("(combined from similar events): ")) {
      ++combined;
      EXPECT_EQ(e["count"], 3);
      EXPECT_EQ(m, "(combined from similar events): pod 11 failed");
    }
  }
  EXPECT_EQ(combined, 1);
}

TEST_F(EventRecorderTest, SpamFilterDropsFloodsPerObject) {
  options_.spam_burst = 5;
  EventRecorder rec(client_.get(), options_);
  for (int i = 0; i < 8; ++i) rec.Event(Deployment(), kEventTypeNormal, "Same", "same");
  Json other = Deployment();
  other["metadata"]["name"] = "api";
  other["metadata"]["uid"] = "a-uid";
  rec.Event(other, kEventTypeNormal, "Same", "same");
  ASSERT_TRUE(rec.Flush(5s));
  EXPECT_EQ(rec.stats().dropped, 3u);
  auto evs = Events();
  ASSERT_EQ(evs.size(), 2u);  // web (count 5) and api
  for (const auto& e : evs)
    EXPECT_EQ(e["count"], GetString(e["involvedObject"], "name") == "web" ? 5 : 1);
}

TEST_F(EventRecorderTest, RetriesTransientFailuresAndGivesUpOnRefusals) {
  server_.FailNext("POST", "/api/v1/namespaces/prod/events", 503, "ServiceUnavailable", 2);
  EventRecorder rec(client_.get(), options_);
  rec.Event(Deployment(), kEventTypeNormal, "A", "a");
  ASSERT_TRUE(rec.Flush(5s));
  EXPECT_EQ(Events().size(), 1u);
  // A terminating namespace refuses events: dropped, not retried.
  server_.FailNext("POST", "/api/v1/namespaces/prod/events", 403, "Forbidden", 1);
  rec.Event(Deployment(), kEventTypeNormal, "B", "b");
  ASSERT_TRUE(rec.Flush(5s));
  EXPECT_EQ(Events().size(), 1u);
  EXPECT_EQ(rec.stats().dropped, 1u);
}

TEST_F(EventRecorderTest, RecordNeverBlocksOnAFullQueue) {
  options_.queue_size = 3;
  RestClient nowhere(HttpClientOptions{.server = "http://127.0.0.1:1", .max_retries = 0});
  options_.retry_sleep = 10s;
  EventRecorder rec(&nowhere, options_);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 50; ++i) rec.Event(Deployment(), kEventTypeNormal, "R", std::to_string(i));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms);
  EXPECT_GE(rec.stats().dropped, 46u);
}

}  // namespace
}  // namespace common
