// SIGKILL under concurrent write load: every acknowledged write is there after
// reopening, and revisions are dense (no gaps, no duplicates). In kWal mode
// also with acknowledged writes only in the WAL, with checkpoints running all
// the time, and with the process dying inside a checkpoint.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "common/mvcc.h"
#include "mvcc_internal.h"
#include "mvcc_test_util.h"

namespace common::mvcc {
namespace {

using testing::OpenOrDie;
using testing::PutReq;
using testing::RangeReq;
using testing::TempDir;

// The crash point the child dies at (its countdown-th time there), if any.
const char* g_crash_point = nullptr;
std::atomic<int> g_crash_countdown{0};

void CrashHook(const char* point) {
  if (g_crash_point != nullptr && std::strcmp(point, g_crash_point) == 0 &&
      --g_crash_countdown == 0) {
    raise(SIGKILL);
  }
}

// The child: N writer threads put unique keys forever and report each
// acknowledged (key, revision) on `fd` as one fixed-size line (< PIPE_BUF, so
// concurrent writes never interleave).
[[noreturn]] void RunChild(const MvccOptions& o, int fd, int threads) {
  if (g_crash_point != nullptr) g_mvcc_crash_hook = CrashHook;
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

// Runs the child with `o` until it is killed, then reopens the data dir with
// `reopen` (o's mode when unset) and checks every acknowledged write.
void CrashAndCheck(MvccOptions o, int threads, std::optional<SyncMode> reopen = std::nullopt) {
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
  if (reopen) o.sync_mode = *reopen;
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
  // Outside kWal the replayed log is gone.
  if (o.sync_mode != SyncMode::kWal) {
    EXPECT_FALSE(std::filesystem::exists(dir.path() + "/wal"));
  }
}

MvccOptions WalOptions(std::chrono::milliseconds interval) {
  MvccOptions o;
  o.fsync = true;
  o.sync_mode = SyncMode::kWal;
  o.checkpoint_interval = interval;
  o.checkpoint_batch_limit = int64_t{1} << 40;
  o.wal_segment_bytes = 1 << 20;  // several segments per run
  return o;
}

TEST(MvccCrash, SigkillWithAcknowledgedWritesOnlyInTheWal) {
  // No checkpoint ever runs: everything acknowledged is in the WAL alone.
  CrashAndCheck(WalOptions(std::chrono::hours(1)), 8);
}

TEST(MvccCrash, SigkillWalThenReopenInFullMode) {
  CrashAndCheck(WalOptions(std::chrono::hours(1)), 4, SyncMode::kFull);
}

TEST(MvccCrash, SigkillWhileCheckpointingAllTheTime) {
  // Checkpoints back to back: kills land inside them and between a commit
  // to LMDB and the recycling of the segments it covered.
  CrashAndCheck(WalOptions(std::chrono::milliseconds(0)), 8);
}

TEST(MvccCrash, DeathInsideACheckpointBeforeItsCommit) {
  g_crash_point = "checkpoint-applied";
  g_crash_countdown = 5;
  CrashAndCheck(WalOptions(std::chrono::milliseconds(20)), 4);
  g_crash_point = nullptr;
}

TEST(MvccCrash, DeathAfterACheckpointBeforeRecycling) {
  g_crash_point = "checkpoint-committed";
  g_crash_countdown = 5;
  CrashAndCheck(WalOptions(std::chrono::milliseconds(20)), 4);
  g_crash_point = nullptr;
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
  o.sync_mode = SyncMode::kFull;
  CrashAndCheck(o, 4);
}

}  // namespace
}  // namespace common::mvcc
