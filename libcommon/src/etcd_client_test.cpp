// EtcdClient against Debian's real etcd (skipped when /usr/bin/etcd is absent).
#include "common/etcd_client.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

namespace common {
namespace {

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

// One etcd for the whole suite: starting it costs about a second.
class RealEtcd : public ::testing::Environment {
 public:
  static inline std::string url;
  static inline pid_t pid = 0;
  static inline std::string dir;

  void SetUp() override {
    if (access("/usr/bin/etcd", X_OK) != 0) return;
    char tmpl[] = "/tmp/etcd-client-test.XXXXXX";
    dir = mkdtemp(tmpl);
    int cport = FreePort(), pport = FreePort();
    url = "http://127.0.0.1:" + std::to_string(cport);
    std::string peer = "http://127.0.0.1:" + std::to_string(pport);
    pid = fork();
    if (pid == 0) {
      int null = open("/dev/null", O_WRONLY);
      dup2(null, 1);
      dup2(null, 2);
      execl("/usr/bin/etcd", "etcd", "--data-dir", (dir + "/d").c_str(), "--listen-client-urls",
            url.c_str(), "--advertise-client-urls", url.c_str(), "--listen-peer-urls",
            peer.c_str(), "--initial-advertise-peer-urls", peer.c_str(), "--initial-cluster",
            ("default=" + peer).c_str(), nullptr);
      _exit(127);
    }
    HttpClient probe(HttpClientOptions{.server = url, .max_retries = 0});
    for (int i = 0; i < 200; ++i) {
      auto r = probe.Do("GET", "/health");
      if (r.ok() && r->status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    url.clear();
  }
  void TearDown() override {
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
    if (!dir.empty()) std::filesystem::remove_all(dir);
  }
};

const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new RealEtcd);

class EtcdClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (RealEtcd::url.empty()) GTEST_SKIP() << "no etcd at /usr/bin/etcd";
    // A dead endpoint first: every call must fail over to the live one.
    EtcdClientOptions o;
    o.endpoints = {"127.0.0.1:" + std::to_string(FreePort()), RealEtcd::url};
    o.dial_timeout = std::chrono::milliseconds(500);
    client_ = std::make_unique<EtcdClient>(o);
    // One etcd serves every test and every --gtest_repeat round: a prefix of
    // its own per run keeps a round from seeing the keys of the one before.
    static std::atomic<int> run{0};
    prefix_ = "/" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
              "/" + std::to_string(run++) + "/";
  }
  std::unique_ptr<EtcdClient> client_;
  std::string prefix_;
};

TEST_F(EtcdClientTest, PutGetDeleteWithFailover) {
  auto p = client_->Put({prefix_ + "a", "1"});
  ASSERT_TRUE(p.ok()) << p.status().message();
  ASSERT_TRUE(client_->Put({prefix_ + "b", "2"}).ok());
  etcd::Header h;
  auto r = client_->Range({prefix_, kv::PrefixEnd(prefix_)}, &h);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->kvs.size(), 2u);
  EXPECT_EQ(r->kvs[0].value, "1");
  EXPECT_EQ(r->count, 2);
  EXPECT_NE(h.member_id, 0u);
  EXPECT_EQ(r->revision, h.revision);

  kv::RangeRequest lim{prefix_, kv::PrefixEnd(prefix_)};
  lim.limit = 1;
  r = client_->Range(lim);
  EXPECT_TRUE(r->more);
  EXPECT_EQ(r->count, 2);

  kv::DeleteRangeRequest d{prefix_, kv::PrefixEnd(prefix_), true};
  auto del = client_->DeleteRange(d);
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(del->deleted, 2);
  EXPECT_EQ(del->prev_kvs.size(), 2u);
}

TEST_F(EtcdClientTest, ErrorsCarryEtcdCodes) {
  auto r = client_->Range({""});
  EXPECT_EQ(r.status().message(), kv::kErrEmptyKey);
  EXPECT_EQ(kv::GrpcCode(r.status()), 3);
  kv::RangeRequest future{prefix_ + "x"};
  future.revision = 1 << 30;
  r = client_->Range(future);
  EXPECT_EQ(r.status().message(), kv::kErrFutureRev);
  EXPECT_EQ(kv::GrpcCode(r.status()), 11);
  auto p = client_->Put({prefix_ + "x", "v", 12345});
  EXPECT_EQ(p.status().code(), Code::kNotFound);
  EXPECT_EQ(p.status().message(), kv::kErrLeaseNotFound);
}

TEST_F(EtcdClientTest, TxnCreateIfAbsent) {
  kv::TxnRequest t;
  kv::Compare c;
  c.key = prefix_ + "k";
  c.target = kv::Compare::Target::kMod;
  c.number = 0;
  t.compare.push_back(c);
  t.success.push_back({kv::PutRequest{prefix_ + "k", "v1"}});
  t.failure.push_back({kv::RangeRequest{prefix_ + "k"}});
  auto first = client_->Txn(t);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(first->succeeded);
  auto second = client_->Txn(t);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->succeeded);
  ASSERT_EQ(second->responses.size(), 1u);
  auto& rr = std::get<kv::RangeResponse>(second->responses[0].op);
  ASSERT_EQ(rr.kvs.size(), 1u);
  EXPECT_EQ(rr.kvs[0].value, "v1");
}

TEST_F(EtcdClientTest, LeasesGrantKeepAliveTimeToLiveRevoke) {
  auto g = client_->LeaseGrant(60);
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ(g->ttl, 60);
  ASSERT_TRUE(client_->Put({prefix_ + "l", "v", g->id}).ok());
  auto ka = client_->LeaseKeepAlive(g->id);
  ASSERT_TRUE(ka.ok()) << ka.status().message();
  EXPECT_EQ(*ka, 60);
  auto ttl = client_->LeaseTimeToLive(g->id, true);
  ASSERT_TRUE(ttl.ok());
  EXPECT_EQ(ttl->granted_ttl, 60);
  ASSERT_EQ(ttl->keys.size(), 1u);
  EXPECT_EQ(ttl->keys[0], prefix_ + "l");
  auto list = client_->LeaseList();
  ASSERT_TRUE(list.ok());
  EXPECT_NE(std::find(list->begin(), list->end(), g->id), list->end());
  ASSERT_TRUE(client_->LeaseRevoke(g->id).ok());
  EXPECT_TRUE(client_->Range({prefix_ + "l"})->kvs.empty());
  EXPECT_EQ(client_->LeaseTimeToLive(g->id, false)->ttl, -1);
  EXPECT_EQ(*client_->LeaseKeepAlive(g->id), 0);
  EXPECT_EQ(client_->LeaseRevoke(g->id).code(), Code::kNotFound);
}

TEST_F(EtcdClientTest, WatchReplaysHistoryThenFollows) {
  auto p1 = client_->Put({prefix_ + "a", "1"});
  ASSERT_TRUE(p1.ok());
  std::mutex mu;
  std::condition_variable cv;
  std::vector<kv::Event> events;
  kv::WatchRequest w{prefix_, kv::PrefixEnd(prefix_), p1->revision};
  w.prev_kv = true;
  auto watcher = client_->Watch(w, [&](kv::WatchResponse r) {
    std::lock_guard<std::mutex> lock(mu);
    for (auto& e : r.events) events.push_back(e);
    cv.notify_all();
  });
  ASSERT_TRUE(watcher.ok());
  ASSERT_TRUE(client_->Put({prefix_ + "a", "2"}).ok());
  ASSERT_TRUE(client_->DeleteRange({prefix_ + "a"}).ok());
  std::unique_lock<std::mutex> lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return events.size() >= 3; }));
  EXPECT_EQ(events[0].kv.value, "1");
  EXPECT_EQ(events[1].kv.value, "2");
  ASSERT_TRUE(events[1].prev_kv.has_value());
  EXPECT_EQ(events[1].prev_kv->value, "1");
  EXPECT_EQ(events[2].type, kv::Event::Type::kDelete);
  lock.unlock();
  (*watcher)->Cancel();
}

TEST_F(EtcdClientTest, WatchFromCompactedRevisionIsCanceled) {
  auto p1 = client_->Put({prefix_ + "a", "1"});
  auto p2 = client_->Put({prefix_ + "a", "2"});
  ASSERT_TRUE(client_->Compact(p2->revision).ok());
  std::mutex mu;
  std::condition_variable cv;
  std::optional<kv::WatchResponse> got;
  auto watcher = client_->Watch({prefix_ + "a", "", p1->revision}, [&](kv::WatchResponse r) {
    std::lock_guard<std::mutex> lock(mu);
    got = r;
    cv.notify_all();
  });
  ASSERT_TRUE(watcher.ok());
  std::unique_lock<std::mutex> lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return got.has_value(); }));
  EXPECT_TRUE(got->canceled);
  EXPECT_GE(got->compact_revision, p2->revision);
}

TEST_F(EtcdClientTest, MaintenanceStatusHashAlarmsSnapshot) {
  etcd::Header h;
  auto st = client_->MemberStatus(-1, &h);
  ASSERT_TRUE(st.ok()) << st.status().message();
  EXPECT_EQ(st->version, "3.4.23");
  EXPECT_GT(st->db_size, 0);
  EXPECT_EQ(*client_->ServerVersion(1), "3.4.23");
  EXPECT_TRUE(client_->AlarmList()->empty());
  EXPECT_TRUE(client_->Hash(1, nullptr).ok());
  EXPECT_TRUE(client_->Defragment(1).ok());
  std::string db;
  Status s = client_->Snapshot([&](std::string_view d) {
    db.append(d);
    return true;
  });
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(db.size() % 4096, 0u);  // the bbolt file, trailer checked and dropped
  EXPECT_TRUE(client_->Defragment(0).code() == Code::kUnreachable);
}

}  // namespace
}  // namespace common
