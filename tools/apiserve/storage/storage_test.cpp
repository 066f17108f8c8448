#include <gtest/gtest.h>

#include <thread>

#include "storage/codec.h"
#include "storage/keys.h"
#include "storage/mem_kv_test.h"
#include "storage/store.h"
#include "storage/watch_cache.h"

namespace apiserve::storage {
namespace {

using common::Json;

TEST(Codec, SplicesResourceVersionAfterMetadata) {
  std::string stored = R"({"kind":"Pod","apiVersion":"v1","metadata":{"name":"a"},"spec":{}})";
  EXPECT_EQ(WithResourceVersion(stored, 42),
            R"({"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"42","name":"a"},"spec":{}})");
}

TEST(Codec, EmptyMetadataAndEscapedKeys) {
  EXPECT_EQ(WithResourceVersion(R"({"kind":"X","metadata":{}})", 7),
            R"({"kind":"X","metadata":{"resourceVersion":"7"}})");
  // A key that merely ends in "metadata" is skipped correctly.
  std::string tricky = R"({"a\"metadata":{"x":1},"metadata":{"name":"n"}})";
  auto out = WithResourceVersion(tricky, 3);
  auto j = common::ParseJson(out);
  ASSERT_TRUE(j.ok()) << out;
  EXPECT_EQ((*j)["metadata"]["resourceVersion"], "3");
  EXPECT_FALSE((*j)["a\"metadata"].contains("resourceVersion"));
}

TEST(Codec, FallsBackWhenMetadataIsLate) {
  std::string stored = R"({"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"metadata":{"name":"x"}})";
  auto j = common::ParseJson(WithResourceVersion(stored, 9));
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["metadata"]["resourceVersion"], "9");
  EXPECT_EQ(WithResourceVersion("[1]", 3), "");
}

TEST(Codec, StorageEncodingDropsResourceVersion) {
  Json o = {{"kind", "Pod"}, {"metadata", {{"name", "a"}, {"resourceVersion", "5"}, {"selfLink", "/x"}}}};
  EXPECT_EQ(EncodeForStorage(o), R"({"kind":"Pod","metadata":{"name":"a"}})");
  EXPECT_EQ(ReplaceResourceVersion(WithResourceVersion(EncodeForStorage(o), 5), 5, 6),
            R"({"kind":"Pod","metadata":{"resourceVersion":"6","name":"a"}})");
}

TEST(Keys, ContinueTokenRoundTrip) {
  std::string prefix = "/registry/pods/default/";
  std::string tok = EncodeContinue(prefix + "web-1", prefix, 123);
  auto t = DecodeContinue(tok, prefix);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->rv, 123);
  EXPECT_EQ(t->start_key, prefix + std::string("web-1\0", 6));
  EXPECT_FALSE(DecodeContinue("!!!", prefix).ok());
  EXPECT_NE(DecodeContinue("e30", prefix).status().message().find("continue key is not valid"),
            std::string::npos);
}

TEST(Keys, Layout) {
  EXPECT_EQ(ObjectKey("/registry", "pods", "ns1", "a"), "/registry/pods/ns1/a");
  EXPECT_EQ(ObjectKey("/registry", "minions", "", "n1"), "/registry/minions/n1");
  EXPECT_EQ(ListPrefix("/registry", "pods", ""), "/registry/pods/");
}

TEST(Store, CreateConflictsAndOptimisticUpdates) {
  testing::MemKV kv;
  Store s(&kv);
  auto r1 = s.Create({{"/r/a", "1"}});
  ASSERT_TRUE(r1.ok());
  EXPECT_TRUE(s.Create({{"/r/a", "2"}}).status().IsAlreadyExists());
  auto r2 = s.Update("/r/a", "2", *r1);
  ASSERT_TRUE(r2.ok());
  std::optional<common::Result<RawObject>> cur;
  auto stale = s.Update("/r/a", "3", *r1, {}, &cur);
  EXPECT_TRUE(stale.status().IsConflict());
  ASSERT_TRUE(cur && cur->ok());
  EXPECT_EQ((*cur)->value, "2");
  EXPECT_TRUE(s.Delete("/r/a", *r1).status().IsConflict());
  EXPECT_TRUE(s.Delete("/r/a", *r2).ok());
  EXPECT_TRUE(s.Get("/r/a").status().IsNotFound());
}

TEST(Store, GuaranteedUpdateLosesNoIncrement) {
  testing::MemKV kv;
  Store s(&kv);
  ASSERT_TRUE(s.Create({{"/r/n", "0"}}).ok());
  std::vector<std::thread> ts;
  for (int t = 0; t < 8; ++t)
    ts.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto r = s.GuaranteedUpdate("/r/n", false, [](const std::optional<RawObject>& cur)
                                                       -> common::Result<std::string> {
          return std::to_string(std::stoi(cur->value) + 1);
        });
        ASSERT_TRUE(r.ok());
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(s.Get("/r/n")->value, "200");
}

TEST(Store, CreateWithAllocationKeysIsAtomic) {
  testing::MemKV kv;
  Store s(&kv);
  ASSERT_TRUE(s.Create({{"/r/ip/10.0.0.5", "x"}}).ok());
  auto r = s.Create({{"/r/svc/a", "{}"}, {"/r/ip/10.0.0.5", "y"}});
  EXPECT_TRUE(r.status().IsAlreadyExists());
  EXPECT_EQ(r.status().message(), "/r/ip/10.0.0.5");
  EXPECT_TRUE(s.Get("/r/svc/a").status().IsNotFound());
}

std::string Obj(const std::string& name, const std::string& app) {
  return R"({"kind":"Pod","apiVersion":"v1","metadata":{"name":")" + name +
         R"(","namespace":"d","labels":{"app":")" + app + R"("}}})";
}

WatchCacheOptions Opts() {
  WatchCacheOptions o;
  o.prefix = "/registry/pods/";
  o.capacity = 4;
  o.index = [](const Json& obj, CachedObject& c) {
    c.labels = common::LabelsFromJson(common::GetPath(obj, {"metadata", "labels"}));
  };
  return o;
}

bool WaitFor(const std::function<bool()>& f) {
  for (int i = 0; i < 300; ++i) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST(WatchCache, ListsAndFollowsTheStore) {
  testing::MemKV kv;
  Store s(&kv);
  ASSERT_TRUE(s.Create({{"/registry/pods/d/a", Obj("a", "web")}}).ok());
  WatchCache c(&s, Opts());
  ASSERT_TRUE(c.Start().ok());
  EXPECT_EQ(c.Size(), 1u);
  auto rev = s.Create({{"/registry/pods/d/b", Obj("b", "db")}});
  ASSERT_TRUE(rev.ok());
  ASSERT_TRUE(c.WaitUntilFresh(*rev, std::chrono::seconds(3)).ok());
  Filter f;
  f.key_prefix = "/registry/pods/d/";
  f.labels = *common::LabelSelector::Parse("app=web");
  int64_t rv = 0;
  auto items = c.List(f, &rv);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]->name, "a");
  EXPECT_GE(rv, *rev);
  EXPECT_NE(items[0]->bytes.find("\"resourceVersion\""), std::string::npos);
}

TEST(WatchCache, WatchFromRevisionAndSelectorTransitions) {
  testing::MemKV kv;
  Store s(&kv);
  WatchCache c(&s, Opts());
  ASSERT_TRUE(c.Start().ok());
  int64_t start = c.ResourceVersion();
  std::mutex mu;
  std::vector<std::string> seen;
  Filter f;
  f.key_prefix = "/registry/pods/";
  f.labels = *common::LabelSelector::Parse("app=web");
  auto w = c.Watch(start, f, [&](const Delivery& d) {
    std::lock_guard<std::mutex> l(mu);
    seen.push_back(std::string(d.type == CacheEvent::Type::kAdded      ? "ADDED"
                               : d.type == CacheEvent::Type::kModified ? "MODIFIED"
                                                                       : "DELETED") +
                   " " + d.obj->name);
    return true;
  });
  ASSERT_TRUE(w.ok());
  auto r1 = s.Create({{"/registry/pods/d/a", Obj("a", "web")}});
  auto r2 = s.Update("/registry/pods/d/a", Obj("a", "db"), *r1);  // leaves the selector
  ASSERT_TRUE(r2.ok());
  ASSERT_TRUE(WaitFor([&] {
    std::lock_guard<std::mutex> l(mu);
    return seen.size() >= 2;
  }));
  std::lock_guard<std::mutex> l(mu);
  EXPECT_EQ(seen[0], "ADDED a");
  EXPECT_EQ(seen[1], "DELETED a");
}

TEST(WatchCache, TooOldRevisionIsExpired) {
  testing::MemKV kv;
  Store s(&kv);
  WatchCache c(&s, Opts());
  ASSERT_TRUE(c.Start().ok());
  int64_t first = c.ResourceVersion();
  int64_t last = 0;
  for (int i = 0; i < 10; ++i) last = *s.Create({{"/registry/pods/d/p" + std::to_string(i), Obj("p", "x")}});
  ASSERT_TRUE(c.WaitUntilFresh(last, std::chrono::seconds(3)).ok());
  auto w = c.Watch(first, Filter{"/registry/pods/"}, [](const Delivery&) { return true; });
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), common::Code::kExpired);
  EXPECT_NE(w.status().message().find("too old resource version"), std::string::npos);
  // The synthetic start ("0") always works.
  std::atomic<int> added{0};
  auto w0 = c.Watch(0, Filter{"/registry/pods/"}, [&](const Delivery&) {
    added++;
    return true;
  });
  ASSERT_TRUE(w0.ok());
  EXPECT_EQ(added.load(), 10);
}

}  // namespace
}  // namespace apiserve::storage
