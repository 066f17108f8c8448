// SIGKILL under concurrent write load: every acknowledged write is there after
// reopening, and revisions are dense (no gaps, no duplicates).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <sstream>
#include <thread>

#include "common/mvcc.h"
#include "mvcc_test_util.h"

namespace common::mvcc {
namespace {

using testing::OpenOrDie;
using testing::PutReq;
using testing::RangeReq;
using testing::TempDir;

// The child: N writer threads put unique keys forever and report each
// acknowledged (key, revision) on `fd` as one fixed-size line (< PIPE_BUF, so
// concurrent writes never interleave).
[[noreturn]] void RunChild(const MvccOptions& o, int fd, int threads) {
  auto opened = MvccStore::Open(o);
  if (!opened.ok()) _exit(3);
  auto store = std::move(opened).value();
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0;; ++i) {
        char key[32];
        snprintf(key, sizeof(key), "w/%02d/%08d", t, i);
        auto p = store->Put(PutReq(key, key));
        if (!p.ok()) _exit(4);
        char line[64];
        int n = snprintf(line, sizeof(line), "%s %012lld\n", key, static_cast<long long>(p->revision));
        if (write(fd, line, static_cast<size_t>(n)) != n) _exit(5);
      }
    });
  }
  for (auto& t : ts) t.join();
  _exit(0);
}

void CrashAndCheck(MvccOptions o, int threads) {
  TempDir dir;
  o.dir = dir.path();
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    RunChild(o, fds[1], threads);
  }
  close(fds[1]);
  std::string acks;
  char buf[65536];
  auto start = std::chrono::steady_clock::now();
  bool killed = false;
  for (;;) {
    ssize_t n = read(fds[0], buf, sizeof(buf));
    if (n <= 0) break;
    acks.append(buf, static_cast<size_t>(n));
    // Kill mid-load: after enough acknowledged writes, or after a while on a
    // slow disk.
    if (!killed && (acks.size() > 3000 * 25 ||
                    std::chrono::steady_clock::now() - start > std::chrono::seconds(3))) {
      kill(pid, SIGKILL);
      killed = true;
    }
  }
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child exited " << status;

  std::map<std::string, int64_t> acked;
  std::istringstream in(acks);
  std::string key;
  long long rev;
  while (in >> key >> rev) acked[key] = rev;
  ASSERT_GT(acked.size(), 10u);

  o.fsync = false;
  auto s = OpenOrDie(o);
  ASSERT_NE(s, nullptr);
  auto all = s->Range(RangeReq("w/", kv::PrefixEnd("w/")));
  ASSERT_TRUE(all.ok());
  std::map<std::string, int64_t> present;
  std::vector<int64_t> revs;
  for (const auto& kv : all->kvs) {
    present[kv.key] = kv.mod_revision;
    revs.push_back(kv.mod_revision);
    EXPECT_EQ(kv.value, kv.key);
  }
  for (const auto& [k, r] : acked) {
    auto it = present.find(k);
    ASSERT_NE(it, present.end()) << "acknowledged write lost: " << k;
    EXPECT_EQ(it->second, r) << k;
  }
  // Every put was its own revision: the present revisions must be 2..N+1 (a
  // fresh store is at revision 1).
  std::sort(revs.begin(), revs.end());
  for (size_t i = 0; i < revs.size(); ++i) ASSERT_EQ(revs[i], static_cast<int64_t>(i + 2));
  EXPECT_EQ(s->CurrentRevision(), static_cast<int64_t>(revs.size()) + 1);
  EXPECT_GE(revs.size(), acked.size());
  // And the store goes on from there.
  EXPECT_EQ(s->Put(PutReq("after", "x"))->revision, static_cast<int64_t>(revs.size()) + 2);
}

TEST(MvccCrash, SigkillLosesNoAcknowledgedWriteFullSync) {
  MvccOptions o;
  o.fsync = true;
  o.sync_mode = SyncMode::kFull;
  CrashAndCheck(o, 8);
}

TEST(MvccCrash, SigkillLosesNoAcknowledgedWriteSingleFlush) {
  MvccOptions o;
  o.fsync = true;
  o.sync_mode = SyncMode::kSingleFlush;
  CrashAndCheck(o, 8);
}

TEST(MvccCrash, SigkillLosesNoAcknowledgedWriteWithoutFsync) {
  // Without fsync an acknowledged write is still in the page cache, which a
  // process kill does not lose.
  MvccOptions o;
  o.fsync = false;
  CrashAndCheck(o, 4);
}

}  // namespace
}  // namespace common::mvcc
