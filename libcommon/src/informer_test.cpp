#include "common/informer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "common/fake_apiserver.h"

namespace common {
namespace {

using namespace std::chrono_literals;

const GroupVersionResource kPods{"", "v1", "pods"};
const GroupVersionResource kNodes{"", "v1", "nodes"};

Json Pod(const std::string& ns, const std::string& name, const std::string& node = "",
         const std::string& owner_uid = "") {
  Json p = {{"kind", "Pod"},
            {"apiVersion", "v1"},
            {"metadata",
             {{"name", name},
              {"namespace", ns},
              {"labels", {{"app", "web"}}},
              {"managedFields", Json::array({{{"manager", "x"}}})}}},
            {"spec", Json::object()}};
  if (!node.empty()) p["spec"]["nodeName"] = node;
  if (!owner_uid.empty())
    p["metadata"]["ownerReferences"] = Json::array(
        {{{"apiVersion", "apps/v1"}, {"kind", "ReplicaSet"}, {"name", "rs"},
          {"uid", owner_uid}, {"controller", true}}});
  return p;
}

// Polls `pred` for up to 5 s.
template <typename F>
bool Eventually(F pred) {
  for (int i = 0; i < 500; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return pred();
}

class StoreTest : public ::testing::TestWithParam<StoreEncoding> {};
INSTANTIATE_TEST_SUITE_P(Encodings, StoreTest,
                         ::testing::Values(StoreEncoding::kJson, StoreEncoding::kCompact),
                         [](const auto& info) {
                           return info.param == StoreEncoding::kJson ? "Json" : "Compact";
                         });

TEST_P(StoreTest, KeysIndexesAndReplacement) {
  Store s({{std::string(kNamespaceIndex), IndexByNamespace},
           {std::string(kNodeNameIndex), IndexByNodeName}},
          GetParam());
  ASSERT_TRUE(s.AddIndexers({{std::string(kOwnerUidIndex), IndexByOwnerUid}}).ok());
  EXPECT_EQ(s.AddIndexers({{std::string(kOwnerUidIndex), IndexByOwnerUid}}).code(),
            Code::kAlreadyExists);
  s.Upsert(std::make_shared<const Json>(Pod("a", "p1", "n1", "u1")));
  s.Upsert(std::make_shared<const Json>(Pod("a", "p2", "n2", "u1")));
  s.Upsert(std::make_shared<const Json>(Pod("b", "p1", "n1")));
  EXPECT_EQ(s.size(), 3u);
  EXPECT_EQ(s.List("a").size(), 2u);
  EXPECT_EQ(s.ByIndex(kNodeNameIndex, "n1").size(), 2u);
  EXPECT_EQ(s.ByIndex(kOwnerUidIndex, "u1").size(), 2u);
  EXPECT_TRUE(s.ByIndex("no-such-index", "x").empty());
  ASSERT_TRUE(s.Get("a", "p1"));

  // Moving a pod to another node refiles it.
  auto old = s.Upsert(std::make_shared<const Json>(Pod("a", "p1", "n3", "u1")));
  ASSERT_TRUE(old);
  EXPECT_EQ(GetPath(*old, {"spec", "nodeName"}), "n1");
  EXPECT_EQ(s.ByIndex(kNodeNameIndex, "n1").size(), 1u);
  EXPECT_EQ(s.IndexKeys(kNodeNameIndex, "n3"), std::vector<std::string>{"a/p1"});

  EXPECT_TRUE(s.Remove("a/p2"));
  EXPECT_FALSE(s.Remove("a/p2"));
  EXPECT_EQ(s.ByIndex(kOwnerUidIndex, "u1").size(), 1u);
  auto values = s.ListIndexValues(kNodeNameIndex);
  std::sort(values.begin(), values.end());
  EXPECT_EQ(values, (std::vector<std::string>{"n1", "n3"}));
  // A store without a namespace index still lists by namespace.
  Store plain({}, GetParam());
  plain.Upsert(std::make_shared<const Json>(Pod("ab", "x")));
  plain.Upsert(std::make_shared<const Json>(Pod("a", "x")));
  EXPECT_EQ(plain.List("a").size(), 1u);
  EXPECT_EQ(plain.List().size(), 2u);
  EXPECT_EQ(plain.ListKeys().size(), 2u);
}

TEST_P(StoreTest, ReadsGiveBackWhatWasStored) {
  Store s({}, GetParam());
  EXPECT_EQ(s.encoding(), GetParam());
  // Every JSON type, key order that is not sorted, numbers at the edges,
  // empty containers and non-ASCII text survive the encoding exactly.
  Json o = Pod("ns", "p");
  o["spec"] = Json::parse(R"({"z": 1, "a": -3, "big": 18446744073709551615, "min": -9223372036854775808,
    "f": 0.1, "g": 1e300, "t": true, "n": null, "e": {}, "l": [], "s": "\u00e9t\u00e9 \ud83d\ude00",
    "nested": [{"b": [1, "2", [3]], "a": {}}]})");
  s.Upsert(std::make_shared<const Json>(o));
  ObjectPtr got = s.Get("ns/p");
  ASSERT_TRUE(got);
  EXPECT_EQ(DumpJson(*got), DumpJson(o));
  EXPECT_EQ(*got, o);
  EXPECT_TRUE((*got)["spec"]["a"].is_number_integer());
  EXPECT_TRUE((*got)["spec"]["f"].is_number_float());
  EXPECT_EQ((*got)["spec"]["big"].get<uint64_t>(), 18446744073709551615ull);
  // Replaced and removed objects come back whole too.
  Json o2 = o;
  o2["spec"]["z"] = 2;
  ObjectPtr old = s.Upsert(std::make_shared<const Json>(o2));
  ASSERT_TRUE(old);
  EXPECT_EQ(*old, o);
  ObjectPtr gone = s.Remove("ns/p");
  ASSERT_TRUE(gone);
  EXPECT_EQ(*gone, o2);
  EXPECT_EQ(s.size(), 0u);
}

TEST(Store, CompactReadsAreIndependentCopies) {
  Store s({}, StoreEncoding::kCompact);
  auto in = std::make_shared<const Json>(Pod("ns", "p"));
  s.Upsert(in);
  ObjectPtr a = s.Get("ns/p"), b = s.Get("ns/p");
  ASSERT_TRUE(a && b);
  EXPECT_NE(a, b);
  EXPECT_NE(a, in);
  EXPECT_EQ(*a, *b);
  // A reader's copy outlives the cached object's replacement and removal.
  s.Upsert(std::make_shared<const Json>(Pod("ns", "p", "n1")));
  s.Remove("ns/p");
  EXPECT_EQ(*a, *in);
  // Adding an index later files what is already cached.
  s.Upsert(std::make_shared<const Json>(Pod("ns", "q", "n2")));
  ASSERT_TRUE(s.AddIndexers({{std::string(kNodeNameIndex), IndexByNodeName}}).ok());
  EXPECT_EQ(s.IndexKeys(kNodeNameIndex, "n2"), std::vector<std::string>{"ns/q"});
}

TEST(Store, MetaNamespaceKeys) {
  EXPECT_EQ(MetaNamespaceKey(Pod("ns", "n")), "ns/n");
  EXPECT_EQ(MetaNamespaceKey(Json{{"metadata", {{"name", "node-1"}}}}), "node-1");
  EXPECT_EQ(SplitMetaNamespaceKey("ns/n"), std::make_pair(std::string("ns"), std::string("n")));
  EXPECT_EQ(SplitMetaNamespaceKey("n"), std::make_pair(std::string(""), std::string("n")));
}

struct Recorder {
  std::mutex mu;
  std::vector<std::string> events;
  ResourceEventHandler Handler() {
    ResourceEventHandler h;
    h.on_add = [this](const ObjectPtr& o) { Push("add " + MetaNamespaceKey(*o)); };
    h.on_update = [this](const ObjectPtr& a, const ObjectPtr& b) {
      Push((a == b ? "resync " : "update ") + MetaNamespaceKey(*b));
    };
    h.on_delete = [this](const ObjectPtr& o, bool unknown) {
      Push((unknown ? "tombstone " : "delete ") + MetaNamespaceKey(*o));
    };
    return h;
  }
  void Push(std::string s) {
    std::lock_guard<std::mutex> l(mu);
    events.push_back(std::move(s));
  }
  std::vector<std::string> Get() {
    std::lock_guard<std::mutex> l(mu);
    return events;
  }
  bool Has(const std::string& s) {
    auto e = Get();
    return std::find(e.begin(), e.end(), s) != e.end();
  }
};

class InformerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok());
    client_ = std::make_unique<RestClient>(HttpClientOptions{.server = server_.url()});
    options_.backoff_initial = 50ms;
    options_.page_size = 2;
  }
  FakeApiServer server_;
  std::unique_ptr<RestClient> client_;
  InformerOptions options_;
};

class InformerEncodingTest : public InformerTest,
                             public ::testing::WithParamInterface<StoreEncoding> {};
INSTANTIATE_TEST_SUITE_P(Encodings, InformerEncodingTest,
                         ::testing::Values(StoreEncoding::kJson, StoreEncoding::kCompact),
                         [](const auto& info) {
                           return info.param == StoreEncoding::kJson ? "Json" : "Compact";
                         });

TEST_P(InformerEncodingTest, ListThenWatchFeedsStoreAndHandlers) {
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(server_.Create(kPods, Pod("default", "p" + std::to_string(i), "n1")).ok());
  options_.encoding = GetParam();
  Informer inf(client_.get(), kPods, options_);
  EXPECT_EQ(inf.store().encoding(), GetParam());
  ASSERT_TRUE(inf.AddIndexers({{std::string(kNodeNameIndex), IndexByNodeName}}).ok());
  Recorder rec;
  inf.AddEventHandler(rec.Handler());
  EXPECT_FALSE(inf.HasSynced());
  inf.Start();
  ASSERT_TRUE(inf.WaitForSync(5s));
  EXPECT_EQ(inf.store().size(), 5u);
  EXPECT_EQ(rec.Get().size(), 5u);
  EXPECT_EQ(inf.stats().lists.load(), 1u);
  // Paged list (page size 2): three requests.
  int pages = 0;
  for (const auto& r : server_.Requests()) pages += r.target.find("limit=2") != std::string::npos;
  EXPECT_EQ(pages, 3);

  // List items had no kind; the cache's objects do, and no managedFields.
  ObjectPtr p0 = inf.store().Get("default", "p0");
  ASSERT_TRUE(p0);
  EXPECT_EQ(GetString(*p0, "kind"), "Pod");
  EXPECT_EQ(GetString(*p0, "apiVersion"), "v1");
  EXPECT_FALSE((*p0)["metadata"].contains("managedFields"));

  ASSERT_TRUE(Eventually([&] { return server_.WatchCount() == 1; }));
  Json p1 = *server_.Get(kPods, "default", "p1");
  p1["spec"]["nodeName"] = "n2";
  ASSERT_TRUE(server_.Update(kPods, p1).ok());
  ASSERT_TRUE(server_.Delete(kPods, "default", "p2").ok());
  ASSERT_TRUE(server_.Create(kPods, Pod("default", "p9")).ok());
  ASSERT_TRUE(Eventually([&] { return rec.Has("add default/p9"); }));
  EXPECT_TRUE(rec.Has("update default/p1"));
  EXPECT_TRUE(rec.Has("delete default/p2"));
  EXPECT_EQ(inf.store().ByIndex(kNodeNameIndex, "n2").size(), 1u);
  EXPECT_EQ(inf.store().ByIndex(kNodeNameIndex, "n1").size(), 3u);
  EXPECT_EQ(inf.LastSyncResourceVersion(), std::to_string(server_.resource_version()));
  EXPECT_FALSE(inf.store().Get("default", "p2"));
  inf.Stop();
  EXPECT_TRUE(Eventually([&] { return server_.WatchCount() == 0; }));  // the server sees the close
}

TEST_F(InformerTest, ResumesFromLastResourceVersionAndBookmark) {
  ASSERT_TRUE(server_.Create(kPods, Pod("default", "a")).ok());
  Informer inf(client_.get(), kPods, options_);
  inf.Start();
  ASSERT_TRUE(inf.WaitForSync(5s));
  ASSERT_TRUE(Eventually([&] { return server_.WatchCount() == 1; }));
  // Writes to another resource move the revision; a bookmark tells the informer.
  ASSERT_TRUE(server_.Create(kNodes, Json{{"kind", "Node"}, {"metadata", {{"name", "n1"}}}}).ok());
  std::string bookmark_rv = std::to_string(server_.resource_version());
  server_.SendBookmarks();
  ASSERT_TRUE(Eventually([&] { return inf.LastSyncResourceVersion() == bookmark_rv; }));
  EXPECT_EQ(inf.stats().bookmarks.load(), 1u);
  // Every watch asked for bookmarks and a timeout.
  auto reqs = server_.Requests();
  EXPECT_NE(reqs.back().target.find("allowWatchBookmarks=true"), std::string::npos);
  EXPECT_NE(reqs.back().target.find("timeoutSeconds="), std::string::npos);

  // The server ends the watch (its timeout): the informer watches again from
  // the bookmark, without a relist.
  server_.ClearRequests();
  server_.CloseWatches();
  // The informer counts a watch before its request reaches the server: wait
  // for the server to have recorded it too.
  ASSERT_TRUE(Eventually(
      [&] { return inf.stats().watches.load() == 2 && !server_.Requests().empty(); }));
  reqs = server_.Requests();
  ASSERT_FALSE(reqs.empty());
  EXPECT_NE(reqs[0].target.find("resourceVersion=" + bookmark_rv + "&"), std::string::npos)
      << reqs[0].target;
  EXPECT_EQ(inf.stats().lists.load(), 1u);
}

TEST_F(InformerTest, RelistsOnExpiredAndDeliversTombstones) {
  ASSERT_TRUE(server_.Create(kPods, Pod("default", "keep")).ok());
  ASSERT_TRUE(server_.Create(kPods, Pod("default", "gone")).ok());
  options_.backoff_initial = 300ms;
  Informer inf(client_.get(), kPods, options_);
  Recorder rec;
  inf.AddEventHandler(rec.Handler());
  inf.Start();
  ASSERT_TRUE(inf.WaitForSync(5s));
  ASSERT_TRUE(Eventually([&] { return server_.WatchCount() == 1; }));

  // The informer loses its watch and cannot re-open it for a moment; meanwhile
  // a pod goes away, another appears, and history is compacted.
  server_.FailNext("GET", "/api/v1/pods", 503, "ServiceUnavailable", 1);
  server_.CloseWatches();
  ASSERT_TRUE(server_.Delete(kPods, "default", "gone").ok());
  ASSERT_TRUE(server_.Create(kPods, Pod("default", "new")).ok());
  server_.Compact();

  ASSERT_TRUE(Eventually([&] { return inf.stats().expired.load() == 1; }));
  ASSERT_TRUE(Eventually([&] { return inf.stats().lists.load() == 2; }));
  ASSERT_TRUE(Eventually([&] { return rec.Has("add default/new"); }));
  EXPECT_TRUE(rec.Has("tombstone default/gone"));
  EXPECT_TRUE(rec.Has("update default/keep"));  // still there after the relist
  EXPECT_FALSE(inf.store().Get("default", "gone"));
  EXPECT_EQ(inf.store().size(), 2u);
  // And it watches again from the relist's version.
  ASSERT_TRUE(Eventually([&] { return server_.WatchCount() == 1; }));
  ASSERT_TRUE(server_.Create(kPods, Pod("default", "after")).ok());
  ASSERT_TRUE(Eventually([&] { return rec.Has("add default/after"); }));
}

TEST_F(InformerTest, KeepsRetryingWhileTheServerFails) {
  server_.FailNext("GET", "/api/v1/pods", 500, "InternalError", 3);
  Informer inf(client_.get(), kPods, options_);
  inf.Start();
  ASSERT_TRUE(inf.WaitForSync(5s));
  EXPECT_GE(inf.stats().errors.load(), 3u);
}

TEST_F(InformerTest, LateHandlerGetsExistingObjectsAndResync) {
  ASSERT_TRUE(server_.Create(kPods, Pod("default", "a")).ok());
  ASSERT_TRUE(server_.Create(kPods, Pod("default", "b")).ok());
  Informer inf(client_.get(), kPods, options_);
  inf.Start();
  ASSERT_TRUE(inf.WaitForSync(5s));
  Recorder late;
  inf.AddEventHandler(late.Handler(), 1s);
  EXPECT_TRUE(late.Has("add default/a"));
  EXPECT_TRUE(late.Has("add default/b"));
  ASSERT_TRUE(Eventually([&] { return late.Has("resync default/a"); }));
  EXPECT_TRUE(late.Has("resync default/b"));
}

TEST_F(InformerTest, SelectorsAndNamespace) {
  Json other = Pod("default", "db");
  other["metadata"]["labels"]["app"] = "db";
  ASSERT_TRUE(server_.Create(kPods, other).ok());
  ASSERT_TRUE(server_.Create(kPods, Pod("default", "web")).ok());
  ASSERT_TRUE(server_.Create(kPods, Pod("kube-system", "web")).ok());
  options_.label_selector = "app=web";
  options_.ns = "default";
  Informer inf(client_.get(), kPods, options_);
  inf.Start();
  ASSERT_TRUE(inf.WaitForSync(5s));
  EXPECT_EQ(inf.store().ListKeys(), std::vector<std::string>{"default/web"});
  ASSERT_TRUE(Eventually([&] { return server_.WatchCount() == 1; }));
  ASSERT_TRUE(server_.Create(kPods, Pod("default", "web2")).ok());
  ASSERT_TRUE(server_.Create(kPods, Pod("other", "web3")).ok());
  ASSERT_TRUE(Eventually([&] { return inf.store().size() == 2; }));
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(inf.store().Get("other", "web3"));
}

TEST_F(InformerTest, FactorySharesOneWatchPerResource) {
  ASSERT_TRUE(server_.Create(kPods, Pod("default", "a")).ok());
  SharedInformerFactory factory(client_.get(), options_);
  Informer& one = factory.ForResource(kPods);
  Informer& two = factory.ForResource(kPods);
  EXPECT_EQ(&one, &two);
  Recorder r1, r2;
  one.AddEventHandler(r1.Handler());
  two.AddEventHandler(r2.Handler());
  factory.Start();
  ASSERT_TRUE(factory.WaitForCacheSync(5s));
  // An informer asked for after Start starts at once.
  Informer& nodes = factory.ForResource(kNodes);
  ASSERT_TRUE(nodes.WaitForSync(5s));
  ASSERT_TRUE(Eventually([&] { return server_.WatchCount() == 2; }));
  EXPECT_TRUE(r1.Has("add default/a"));
  EXPECT_TRUE(r2.Has("add default/a"));
  EXPECT_EQ(factory.Informers().size(), 2u);
  factory.Shutdown();
  EXPECT_FALSE(one.Running());
}

TEST_F(InformerTest, TransformRunsBeforeCaching) {
  Json p = Pod("default", "a");
  p["status"] = {{"phase", "Running"}, {"containerStatuses", Json::array({{{"name", "c"}}})}};
  ASSERT_TRUE(server_.Create(kPods, p).ok());
  options_.transform = [](Json& o) {
    InformerOptions::DropManagedFields(o);
    o["status"].erase("containerStatuses");
  };
  Informer inf(client_.get(), kPods, options_);
  inf.Start();
  ASSERT_TRUE(inf.WaitForSync(5s));
  auto got = inf.store().Get("default", "a");
  EXPECT_EQ(GetPath(*got, {"status", "phase"}), "Running");
  EXPECT_FALSE((*got)["status"].contains("containerStatuses"));
}

}  // namespace
}  // namespace common
