#include "common/rest_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "common/fake_apiserver.h"

namespace common {
namespace {

using namespace std::chrono_literals;

const GroupVersionResource kPods{"", "v1", "pods"};
const GroupVersionResource kDeployments{"apps", "v1", "deployments"};
const GroupVersionResource kNamespaces{"", "v1", "namespaces"};

Json Pod(const std::string& ns, const std::string& name, Json labels = Json::object()) {
  return Json{{"kind", "Pod"},
              {"apiVersion", "v1"},
              {"metadata", {{"name", name}, {"namespace", ns}, {"labels", labels}}},
              {"spec", {{"containers", Json::array({{{"name", "c"}, {"image", "i"}}})}}}};
}

TEST(ResourcePath, CoreGroupAndNamespaces) {
  EXPECT_EQ(ResourcePath(kPods, ""), "/api/v1/pods");
  EXPECT_EQ(ResourcePath(kPods, "default"), "/api/v1/namespaces/default/pods");
  EXPECT_EQ(ResourcePath(kPods, "default", "web-1"), "/api/v1/namespaces/default/pods/web-1");
  EXPECT_EQ(ResourcePath(kPods, "default", "web-1", "binding"),
            "/api/v1/namespaces/default/pods/web-1/binding");
  EXPECT_EQ(ResourcePath(kDeployments, "ns", "d", "scale"),
            "/apis/apps/v1/namespaces/ns/deployments/d/scale");
  EXPECT_EQ(ResourcePath({"", "v1", "nodes"}, "", "n1", "status"), "/api/v1/nodes/n1/status");
  // A namespace is cluster-scoped even when the caller names it as ns.
  EXPECT_EQ(ResourcePath(kNamespaces, "", "team-a", "finalize"),
            "/api/v1/namespaces/team-a/finalize");
  EXPECT_EQ(ResourcePath(kPods, "a b", "x/y"), "/api/v1/namespaces/a%20b/pods/x%2Fy");
}

TEST(ResourcePath, GroupResourceAndApiVersion) {
  EXPECT_EQ(kPods.GroupResource(), "pods");
  EXPECT_EQ(kDeployments.GroupResource(), "deployments.apps");
  EXPECT_EQ(kPods.ApiVersion(), "v1");
  EXPECT_EQ(kDeployments.ApiVersion(), "apps/v1");
}

TEST(ListOptions, QueryParameters) {
  ListOptions o;
  o.label_selector = "app=web,tier in (a,b)";
  o.field_selector = "spec.nodeName=n1";
  o.limit = 500;
  o.resource_version = "42";
  o.timeout_seconds = 300;
  o.allow_watch_bookmarks = true;
  EXPECT_EQ(o.AppendTo("/api/v1/pods", false),
            "/api/v1/pods?labelSelector=app%3Dweb%2Ctier%20in%20%28a%2Cb%29"
            "&fieldSelector=spec.nodeName%3Dn1&limit=500&resourceVersion=42&timeoutSeconds=300");
  EXPECT_EQ(ListOptions{}.AppendTo("/api/v1/pods", true), "/api/v1/pods?watch=1");
  ListOptions w;
  w.resource_version = "7";
  w.allow_watch_bookmarks = true;
  EXPECT_EQ(w.AppendTo("/x", true), "/x?resourceVersion=7&watch=1&allowWatchBookmarks=true");
}

TEST(DeleteOptions, Json) {
  DeleteOptions d;
  d.propagation_policy = "Foreground";
  d.grace_period_seconds = 0;
  d.precondition_uid = "u1";
  EXPECT_EQ(DumpJson(d.ToJson()),
            R"({"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":0,)"
            R"("preconditions":{"uid":"u1"},"propagationPolicy":"Foreground"})");
}

TEST(StatusDecoding, ReasonsPickTheCode) {
  auto st = StatusFromResponse(
      409, R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"pods \"x\" already exists","reason":"AlreadyExists","code":409})");
  EXPECT_EQ(st.code(), Code::kAlreadyExists);
  EXPECT_EQ(st.message(), "pods \"x\" already exists");
  st = StatusFromResponse(
      409, R"({"kind":"Status","status":"Failure","message":"m","reason":"Conflict","code":409})");
  EXPECT_EQ(st.code(), Code::kConflict);
  st = StatusFromResponse(
      410, R"({"kind":"Status","status":"Failure","message":"too old","reason":"Gone","code":410})");
  EXPECT_EQ(st.code(), Code::kExpired);
  st = StatusFromResponse(
      504, R"({"kind":"Status","status":"Failure","message":"t","reason":"Timeout","code":504})");
  EXPECT_EQ(st.code(), Code::kTimeout);
  // Unknown reason: the code decides.
  st = StatusFromResponse(422, R"({"kind":"Status","status":"Failure","message":"bad","code":422})");
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_TRUE(StatusFromObject(Json{{"kind", "Status"}, {"status", "Success"}}).ok());
}

TEST(StatusDecoding, BodiesThatAreNotStatus) {
  auto st = StatusFromResponse(404, "404 page not found\n");
  EXPECT_EQ(st.code(), Code::kNotFound);
  EXPECT_EQ(st.message(), "the server could not find the requested resource (404 page not found)");
  st = StatusFromResponse(503, "");
  EXPECT_EQ(st.code(), Code::kUnavailable);
  EXPECT_EQ(st.message(), "the server is currently unable to handle the request");
}

TEST(JsonStreamFramer, SplitsValuesAcrossChunks) {
  std::string stream =
      R"({"type":"ADDED","object":{"a":"}{\"x"}})" "\n"
      R"({"type":"DELETED","object":{"b":[1,{"c":"\\"}]}})" "\n"
      R"({"type":"BOOKMARK","object":{}})";  // no trailing newline: client-go framing
  for (size_t cut = 1; cut < stream.size(); cut += 7) {
    JsonStreamFramer f;
    std::vector<std::string> got;
    auto on = [&](std::string_view v) {
      got.emplace_back(v);
      return true;
    };
    ASSERT_TRUE(f.Feed(stream.substr(0, cut), on));
    ASSERT_TRUE(f.Feed(stream.substr(cut), on));
    ASSERT_EQ(got.size(), 3u) << "cut " << cut;
    EXPECT_EQ(got[0], R"({"type":"ADDED","object":{"a":"}{\"x"}})");
    EXPECT_EQ(got[2], R"({"type":"BOOKMARK","object":{}})");
    EXPECT_EQ(f.buffered(), 0u);
    EXPECT_TRUE(ParseJson(got[1]).ok());
  }
}

TEST(JsonStreamFramer, StopsWhenAsked) {
  JsonStreamFramer f;
  int n = 0;
  EXPECT_FALSE(f.Feed("{}\n{}\n{}\n", [&](std::string_view) { return ++n < 2; }));
  EXPECT_EQ(n, 2);
}

class RestClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok());
    HttpClientOptions o;
    o.server = server_.url();
    o.user_agent = DefaultUserAgent("clientgo-test");
    o.bearer_token = "t0k3n";
    client_ = std::make_unique<RestClient>(o);
  }
  FakeApiServer server_;
  std::unique_ptr<RestClient> client_;
};

TEST_F(RestClientTest, CreateGetUpdateConflictDelete) {
  auto created = client_->Create(kPods, "default", Pod("default", "web-1"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(GetString((*created)["metadata"], "namespace"), "default");
  EXPECT_FALSE(GetString((*created)["metadata"], "uid").empty());

  auto again = client_->Create(kPods, "default", Pod("default", "web-1"));
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(again.status().message(), "pods \"web-1\" already exists");

  auto got = client_->Get(kPods, "default", "web-1");
  ASSERT_TRUE(got.ok());
  Json stale = *got;
  Json next = *got;
  next["metadata"]["labels"]["x"] = "1";
  ASSERT_TRUE(client_->Update(kPods, "default", next).ok());
  stale["metadata"]["labels"]["x"] = "2";
  auto conflict = client_->Update(kPods, "default", stale);
  EXPECT_EQ(conflict.status().code(), Code::kConflict);
  EXPECT_NE(conflict.status().message().find("the object has been modified"), std::string::npos);

  auto missing = client_->Get(kPods, "default", "nope");
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_EQ(missing.status().message(), "pods \"nope\" not found");

  DeleteOptions d;
  d.propagation_policy = "Background";
  ASSERT_TRUE(client_->Delete(kPods, "default", "web-1", d).ok());
  EXPECT_EQ(client_->Get(kPods, "default", "web-1").status().code(), Code::kNotFound);
  EXPECT_EQ(client_->Delete(kPods, "default", "web-1").status().code(), Code::kNotFound);

  auto reqs = server_.Requests();
  ASSERT_FALSE(reqs.empty());
  EXPECT_EQ(reqs[0].user_agent, "clientgo-test/v1.32.0-kubix (linux/amd64) kubix");
  EXPECT_EQ(reqs[0].authorization, "Bearer t0k3n");
  EXPECT_EQ(reqs[0].content_type, "application/json");
  EXPECT_EQ(reqs.back().body,
            R"({"kind":"DeleteOptions","apiVersion":"v1"})");
}

TEST_F(RestClientTest, PatchTypesAndSubresources) {
  ASSERT_TRUE(client_->Create(kPods, "default", Pod("default", "p")).ok());
  auto merged = client_->Patch(kPods, "default", "p", PatchType::kMerge,
                               Json{{"metadata", {{"labels", {{"a", "b"}}}}}});
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(GetPath(*merged, {"metadata", "labels", "a"}), "b");
  ASSERT_TRUE(client_->Patch(kPods, "default", "p", PatchType::kStrategic,
                             Json{{"status", {{"phase", "Running"}}}}, {}, "status")
                  .ok());
  auto reqs = server_.Requests();
  EXPECT_EQ(reqs[reqs.size() - 2].content_type, "application/merge-patch+json");
  EXPECT_EQ(reqs.back().content_type, "application/strategic-merge-patch+json");
  EXPECT_EQ(reqs.back().target, "/api/v1/namespaces/default/pods/p/status");
  Json st = *client_->Get(kPods, "default", "p");
  EXPECT_EQ(GetPath(st, {"status", "phase"}), "Running");

  // Binding, a POST to a subresource.
  Json binding = {{"kind", "Binding"}, {"apiVersion", "v1"},
                  {"metadata", {{"name", "p"}}},
                  {"target", {{"kind", "Node"}, {"name", "n1"}}}};
  ASSERT_TRUE(client_->Create(kPods, "default", binding, {}, "p", "binding").ok());
  EXPECT_EQ(GetPath(*client_->Get(kPods, "default", "p"), {"spec", "nodeName"}), "n1");

  WriteOptions wo;
  wo.dry_run = true;
  wo.field_manager = "reconcile";
  ASSERT_TRUE(client_->Patch(kPods, "default", "p", PatchType::kMerge, Json::object(), wo).ok());
  EXPECT_EQ(server_.Requests().back().target,
            "/api/v1/namespaces/default/pods/p?dryRun=All&fieldManager=reconcile");
}

TEST_F(RestClientTest, ListWithSelectorsAndPaging) {
  for (int i = 0; i < 7; ++i)
    ASSERT_TRUE(client_->Create(kPods, "default",
                                Pod("default", "p" + std::to_string(i),
                                    {{"app", i % 2 ? "odd" : "even"}}))
                    .ok());
  ASSERT_TRUE(client_->Create(kPods, "other", Pod("other", "q", {{"app", "odd"}})).ok());

  ListOptions o;
  o.label_selector = "app=odd";
  auto odd = client_->List(kPods, "", o);
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ((*odd)["items"].size(), 4u);
  EXPECT_EQ(GetString(*odd, "kind"), "PodList");

  auto ns = client_->List(kPods, "default");
  EXPECT_EQ((*ns)["items"].size(), 7u);

  ListOptions page;
  page.limit = 3;
  auto first = client_->List(kPods, "", page);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ((*first)["items"].size(), 3u);
  EXPECT_FALSE(GetString((*first)["metadata"], "continue").empty());

  auto all = client_->ListAll(kPods, "", page);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ((*all)["items"].size(), 8u);
  EXPECT_FALSE((*all)["metadata"].contains("continue"));
  EXPECT_EQ(GetString((*all)["metadata"], "resourceVersion"),
            GetString((*first)["metadata"], "resourceVersion"));
  int lists = 0;
  for (const auto& r : server_.Requests()) lists += r.target.find("limit=3") != std::string::npos;
  EXPECT_EQ(lists, 1 + 3);  // the probe above, then three pages

  // A continue token from before a compaction has expired.
  ASSERT_TRUE(client_->Create(kPods, "default", Pod("default", "late")).ok());
  server_.Compact();
  ListOptions stale = page;
  stale.continue_token = GetString((*first)["metadata"], "continue");
  EXPECT_EQ(client_->List(kPods, "", stale).status().code(), Code::kExpired);

  ListOptions bad;
  bad.label_selector = "a in (";
  EXPECT_EQ(client_->List(kPods, "", bad).status().code(), Code::kBadRequest);
}

TEST_F(RestClientTest, WatchFromResourceVersionWithBookmarksAndTimeout) {
  ASSERT_TRUE(client_->Create(kPods, "default", Pod("default", "a")).ok());
  std::string rv = std::to_string(server_.resource_version());
  ASSERT_TRUE(client_->Create(kPods, "default", Pod("default", "b")).ok());

  std::vector<std::pair<WatchEvent::Type, std::string>> got;
  ListOptions o;
  o.resource_version = rv;
  o.allow_watch_bookmarks = true;
  o.timeout_seconds = 1;
  std::thread writer([&] {
    while (server_.WatchCount() == 0) std::this_thread::sleep_for(5ms);
    ASSERT_TRUE(server_.Delete(kPods, "default", "a").ok());
    server_.SendBookmarks();
  });
  auto start = std::chrono::steady_clock::now();
  Status st = client_->Watch(kPods, "default", o, [&](WatchEvent& ev) {
    got.emplace_back(ev.type, GetString(ev.object["metadata"], "name") + "@" +
                                  GetString(ev.object["metadata"], "resourceVersion"));
    return true;
  });
  writer.join();
  ASSERT_TRUE(st.ok()) << st.ToString();
  // timeoutSeconds=1 ended the stream cleanly.
  EXPECT_GE(std::chrono::steady_clock::now() - start, 900ms);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].first, WatchEvent::Type::kAdded);
  EXPECT_EQ(got[0].second.substr(0, 2), "b@");
  EXPECT_EQ(got[1].first, WatchEvent::Type::kDeleted);
  EXPECT_EQ(got[2].first, WatchEvent::Type::kBookmark);
  EXPECT_EQ(got[2].second, "@" + std::to_string(server_.resource_version()));
}

TEST_F(RestClientTest, WatchFromCompactedVersionGetsExpiredErrorEvent) {
  ASSERT_TRUE(client_->Create(kPods, "default", Pod("default", "a")).ok());
  server_.Compact();
  ListOptions o;
  o.resource_version = "1";
  std::vector<WatchEvent> got;
  Status st = client_->Watch(kPods, "", o, [&](WatchEvent& ev) {
    got.push_back(ev);
    return true;
  });
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].type, WatchEvent::Type::kError);
  Status err = StatusFromObject(got[0].object);
  EXPECT_EQ(err.code(), Code::kExpired);
  EXPECT_NE(err.message().find("too old resource version"), std::string::npos);
}

TEST_F(RestClientTest, WatchCancelAndRefusal) {
  std::atomic<bool> cancel{false};
  std::thread stopper([&] {
    while (server_.WatchCount() == 0) std::this_thread::sleep_for(5ms);
    cancel = true;
  });
  auto start = std::chrono::steady_clock::now();
  Status st = client_->Watch(kPods, "", {}, [](WatchEvent&) { return true; }, &cancel);
  stopper.join();
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);

  server_.FailNext("GET", "/api/v1/pods", 403, "Forbidden");
  st = client_->Watch(kPods, "", {}, [](WatchEvent&) { return true; });
  EXPECT_EQ(st.code(), Code::kForbidden);
}

TEST_F(RestClientTest, RetryAfterIsHonoured) {
  server_.FailNext("GET", "/api/v1/namespaces/default/pods", 429, "TooManyRequests", 1, 1);
  auto start = std::chrono::steady_clock::now();
  auto r = client_->List(kPods, "default");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GE(std::chrono::steady_clock::now() - start, 950ms);
  // Without Retry-After a 429 is the caller's to handle.
  server_.FailNext("GET", "/api/v1/namespaces/default/pods", 429, "TooManyRequests", 1);
  EXPECT_EQ(client_->List(kPods, "default").status().code(), Code::kTooManyRequests);
}

TEST_F(RestClientTest, QpsAndBurstThrottleRequests) {
  HttpClientOptions o;
  o.server = server_.url();
  o.qps = 20;
  o.burst = 5;
  RestClient limited(o);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 15; ++i) ASSERT_TRUE(limited.List(kPods, "").ok());
  // 5 from the burst, then 10 more at 20/s.
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 450ms);
  EXPECT_LT(took, 3s);
}

TEST_F(RestClientTest, UnreachableServer) {
  HttpClientOptions o;
  o.server = "http://127.0.0.1:1";
  o.max_retries = 0;
  RestClient dead(o);
  EXPECT_EQ(dead.Get(kPods, "default", "x").status().code(), Code::kUnreachable);
}

}  // namespace
}  // namespace common
