// kWal mode: what a crash or a power loss can leave in the write-ahead log,
// what Open makes of it, segment recycling, and maintenance with writes that
// are only in the log.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "common/mvcc.h"
#include "mvcc_internal.h"
#include "mvcc_test_util.h"

namespace common::mvcc {
namespace {

namespace fs = std::filesystem;
using testing::OpenOrDie;
using testing::PutReq;
using testing::RangeReq;
using testing::TempDir;

// A store whose writes stay in the WAL until it closes: no checkpoint runs.
MvccOptions LongWal(const std::string& dir, int64_t segment_bytes = 256 << 10) {
  MvccOptions o;
  o.dir = dir;
  o.fsync = false;  // the files' contents are the same; crashes are simulated
  o.sync_mode = SyncMode::kWal;
  o.checkpoint_interval = std::chrono::hours(1);
  o.checkpoint_batch_limit = int64_t{1} << 40;
  o.wal_segment_bytes = segment_bytes;
  return o;
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(data.data(), static_cast<std::streamsize>(data.size()));
}

// What a crash of the running store leaves: data.mdb as last committed (no
// checkpoint runs with LongWal) and the WAL.
void CopyDataDir(const std::string& from, const std::string& to) {
  fs::create_directories(to + "/wal");
  fs::copy_file(from + "/data.mdb", to + "/data.mdb");
  for (const auto& e : fs::directory_iterator(from + "/wal")) {
    fs::copy_file(e.path(), to + "/wal/" + e.path().filename().string());
  }
}

std::vector<std::string> SegmentNames(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir + "/wal")) {
    std::string n = e.path().filename().string();
    if (n.size() == 20 && n.substr(16) == ".wal") out.push_back(n);
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct RecordSpan {
  size_t offset = 0;
  size_t size = 0;  // padded to pages
  size_t used = 0;  // header and payload
};

// The records of a segment, following the lengths in their headers.
std::vector<RecordSpan> RecordsOf(const std::string& data) {
  std::vector<RecordSpan> out;
  for (size_t o = 0; o + Wal::kHeader <= data.size();) {
    const auto* p = reinterpret_cast<const unsigned char*>(data.data() + o);
    uint32_t len = p[4] | (p[5] << 8) | (p[6] << 16) | (static_cast<uint32_t>(p[7]) << 24);
    uint64_t seq = 0;
    for (int i = 15; i >= 8; --i) seq = (seq << 8) | p[i];
    if (seq == 0) break;
    size_t padded = (Wal::kHeader + len + Wal::kPage - 1) / Wal::kPage * Wal::kPage;
    out.push_back(RecordSpan{o, padded, Wal::kHeader + len});
    o += padded;
  }
  return out;
}

std::string ValueOf(int i) { return std::string(i % 3 == 2 ? 9000 : 100 + i, static_cast<char>('a' + i)); }

// Writes `n` keys k/00.. one put (one group commit, one record) each, and
// leaves a crash image of the running store in `image`.
void WriteAndCrash(const std::string& dir, const std::string& image, int n) {
  auto s = OpenOrDie(LongWal(dir));
  for (int i = 0; i < n; ++i) {
    char key[16];
    snprintf(key, sizeof(key), "k/%02d", i);
    auto p = s->Put(PutReq(key, ValueOf(i)));
    ASSERT_TRUE(p.ok());
    ASSERT_EQ(p->revision, i + 2);
  }
  CopyDataDir(dir, image);
}

// Opens a copy of `image` whose only segment holds `segment` and checks that
// exactly the first `records` puts are there.
void ExpectRecovered(const std::string& image, const std::string& segment_name,
                     const std::string& segment, int records, const std::string& what) {
  SCOPED_TRACE(what + ", " + std::to_string(records) + " whole records");
  TempDir copy;
  CopyDataDir(image, copy.path());
  WriteFile(copy.path() + "/wal/" + segment_name, segment);
  auto opened = MvccStore::Open(LongWal(copy.path()));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto& s = *opened;
  EXPECT_EQ(s->CurrentRevision(), records + 1);
  auto r = s->Range(RangeReq("k/", kv::PrefixEnd("k/")));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->count, records);
  for (int i = 0; i < records; ++i) {
    EXPECT_EQ(r->kvs[static_cast<size_t>(i)].value, ValueOf(i));
    EXPECT_EQ(r->kvs[static_cast<size_t>(i)].mod_revision, i + 2);
  }
}

TEST(MvccWal, TornTailIsDiscardedWhereverTheLastWriteStopped) {
  constexpr int kPuts = 12;
  TempDir dir, image;
  WriteAndCrash(dir.path(), image.path(), kPuts);
  auto names = SegmentNames(image.path());
  ASSERT_EQ(names.size(), 1u);
  const std::string full = ReadFile(image.path() + "/wal/" + names[0]);
  auto recs = RecordsOf(full);
  ASSERT_EQ(recs.size(), static_cast<size_t>(kPuts));

  auto zero = [](std::string s, size_t from, size_t to) {
    for (size_t i = from; i < std::min(to, s.size()); ++i) s[i] = '\0';
    return s;
  };
  // A power loss keeps any subset of the pages written since the last
  // fdatasync: record k was the last write, so it may be absent, partial
  // (any of its pages missing), or whole but unacknowledged.
  for (int k = 0; k <= kPuts; ++k) {
    size_t at = k < kPuts ? recs[static_cast<size_t>(k)].offset : recs.back().offset + recs.back().size;
    ExpectRecovered(image.path(), names[0], zero(full, at, full.size()), k, "cut at a record boundary");
    if (k == kPuts) break;
    const RecordSpan& r = recs[static_cast<size_t>(k)];
    std::string whole = zero(full, r.offset + r.size, full.size());
    ExpectRecovered(image.path(), names[0], whole, k + 1, "last record whole");
    ExpectRecovered(image.path(), names[0], zero(whole, r.offset + Wal::kHeader, r.offset + r.size), k,
                    "only the header of the last record");
    std::string last_byte = whole;
    last_byte[r.offset + r.used - 1] ^= 0x5a;
    ExpectRecovered(image.path(), names[0], last_byte, k, "the last byte of the last record wrong");
    if (r.size > Wal::kPage) {
      ExpectRecovered(image.path(), names[0], zero(whole, r.offset + Wal::kPage, r.offset + 2 * Wal::kPage),
                      k, "a middle page of the last record missing");
      ExpectRecovered(image.path(), names[0], zero(whole, r.offset, r.offset + Wal::kPage), k,
                      "the first page of the last record missing");
    }
    if (k > 0) {
      // Where the next record should start, an earlier record's bytes (a
      // recycled segment): an old sequence number ends the log.
      std::string stale = zero(full, r.offset, full.size());
      stale.replace(r.offset, recs[0].size, full.substr(recs[0].offset, recs[0].size));
      ExpectRecovered(image.path(), names[0], stale, k, "an older record where the next starts");
    }
  }
}

TEST(MvccWal, StoreContinuesAfterATornTail) {
  TempDir dir, image;
  WriteAndCrash(dir.path(), image.path(), 6);
  auto name = SegmentNames(image.path())[0];
  std::string seg = ReadFile(image.path() + "/wal/" + name);
  auto recs = RecordsOf(seg);
  seg[recs[5].offset + 30] ^= 0x40;  // the last record is torn
  WriteFile(image.path() + "/wal/" + name, seg);
  {
    auto s = OpenOrDie(LongWal(image.path()));
    EXPECT_EQ(s->CurrentRevision(), 6);
    EXPECT_EQ(s->Put(PutReq("k/05", "again"))->revision, 7);
    EXPECT_EQ(s->Put(PutReq("k/06", "more"))->revision, 8);
  }
  auto s = OpenOrDie(LongWal(image.path()));
  EXPECT_EQ(s->CurrentRevision(), 8);
  EXPECT_EQ(s->Range(RangeReq("k/05"))->kvs.at(0).value, "again");
  EXPECT_EQ(s->Range(RangeReq("k/", kv::PrefixEnd("k/")))->count, 7);
}

TEST(MvccWal, DamagedRecordBeforeTheTailIsAnError) {
  TempDir dir, image;
  WriteAndCrash(dir.path(), image.path(), 10);
  auto name = SegmentNames(image.path())[0];
  const std::string full = ReadFile(image.path() + "/wal/" + name);
  auto recs = RecordsOf(full);
  const RecordSpan r = recs[3];  // the 4th record of 10
  std::vector<std::pair<std::string, std::function<void(std::string&)>>> damage = {
      {"a flipped payload bit", [&](std::string& s) { s[r.offset + Wal::kHeader + 40] ^= 1; }},
      {"a flipped length bit", [&](std::string& s) { s[r.offset + 5] ^= 0x10; }},
      {"a lost page", [&](std::string& s) {
         for (size_t i = r.offset; i < r.offset + Wal::kPage; ++i) s[i] = '\0';
       }},
  };
  for (auto& [what, fn] : damage) {
    SCOPED_TRACE(what);
    TempDir copy;
    CopyDataDir(image.path(), copy.path());
    std::string seg = full;
    fn(seg);
    WriteFile(copy.path() + "/wal/" + name, seg);
    auto opened = MvccStore::Open(LongWal(copy.path()));
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), Code::kInternal);
    EXPECT_NE(opened.status().message().find("is corrupt: record 4 of"), std::string::npos)
        << opened.status().ToString();
    EXPECT_NE(opened.status().message().find(name), std::string::npos);
    EXPECT_NE(opened.status().message().find("record 5 follows"), std::string::npos);
  }
}

TEST(MvccWal, BytesFromAnEarlierLifeAreNeverRecords) {
  TempDir dir, image;
  {
    auto s = OpenOrDie(LongWal(dir.path()));
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(s->Put(PutReq("old/" + std::to_string(i), "v")).ok());
  }
  // Closed: checkpointed, and its segment kept as a spare, old records and
  // all. The next life writes over the start of it.
  {
    auto s = OpenOrDie(LongWal(dir.path()));
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(s->Put(PutReq("new/" + std::to_string(i), "v")).ok());
    CopyDataDir(dir.path(), image.path());
  }
  auto s = OpenOrDie(LongWal(image.path()));
  EXPECT_EQ(s->CurrentRevision(), 24);
  EXPECT_EQ(s->Range(RangeReq("old/", kv::PrefixEnd("old/")))->count, 20);
  EXPECT_EQ(s->Range(RangeReq("new/", kv::PrefixEnd("new/")))->count, 3);
}

TEST(MvccWal, SegmentsAreRecycledOnceCheckpointed) {
  TempDir dir;
  auto o = LongWal(dir.path(), 16 << 10);  // four one-page records
  o.checkpoint_interval = std::chrono::milliseconds(1);
  {
    auto s = OpenOrDie(o);
    for (int i = 0; i < 300; ++i) ASSERT_TRUE(s->Put(PutReq("k/" + std::to_string(i), "v")).ok());
    // 75 segments' worth went through: once checkpointed, only the one being
    // written stays, plus at most two spares.
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (SegmentNames(dir.path()).size() > 1 && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(SegmentNames(dir.path()).size(), 1u);
    size_t files = 0;
    for (const auto& e : fs::directory_iterator(dir.path() + "/wal")) files += e.is_regular_file();
    EXPECT_LE(files, 3u);
  }
  // A clean close leaves nothing to replay.
  EXPECT_TRUE(SegmentNames(dir.path()).empty());
  auto s = OpenOrDie(o);
  EXPECT_EQ(s->Range(RangeReq("k/", kv::PrefixEnd("k/")))->count, 300);
}

TEST(MvccWal, ReplaySpansManySegments) {
  TempDir dir, image;
  auto o = LongWal(dir.path(), 16 << 10);
  {
    auto s = OpenOrDie(o);
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(s->Put(PutReq("k/" + std::to_string(i), ValueOf(i % 7))).ok());
    EXPECT_GE(SegmentNames(dir.path()).size(), 50u);
    CopyDataDir(dir.path(), image.path());
  }
  o.dir = image.path();
  auto s = OpenOrDie(o);
  EXPECT_EQ(s->CurrentRevision(), 201);
  auto r = s->Range(RangeReq("k/", kv::PrefixEnd("k/")));
  EXPECT_EQ(r->count, 200);
  for (const auto& kv : r->kvs) EXPECT_EQ(kv.value, ValueOf(std::stoi(kv.key.substr(2)) % 7));
}

TEST(MvccWal, MaintenanceWithWritesOnlyInTheWal) {
  TempDir dir, restored;
  std::string snap = dir.path() + "/snap.db";
  auto o = LongWal(dir.path() + "/data");
  auto s = OpenOrDie(o);
  int64_t start_size = s->GetStatus()->db_size;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 200; ++i) {
      ASSERT_TRUE(s->Put(PutReq("k/" + std::to_string(i), std::string(500, static_cast<char>('a' + round)))).ok());
    }
  }
  auto lease = s->LeaseGrant(100);
  ASSERT_TRUE(lease.ok());
  ASSERT_TRUE(s->Put(PutReq("leased", "x", lease->id)).ok());
  kv::DeleteRangeRequest d;
  d.key = "k/1";
  d.range_end = "k/2";  // k/1, k/10..k/19, k/100..k/199
  ASSERT_EQ(s->DeleteRange(d)->deleted, 111);
  const int64_t rev = s->CurrentRevision();
  // Status counts what is waiting for a checkpoint.
  EXPECT_GT(s->GetStatus()->db_size, start_size + 200 * 3 * 500);

  ASSERT_TRUE(s->SnapshotTo(snap).ok());
  fs::copy_file(snap, restored.path() + "/data.mdb");
  {
    auto r = OpenOrDie(LongWal(restored.path()));
    EXPECT_EQ(r->CurrentRevision(), rev);
    EXPECT_EQ(r->Range(RangeReq("k/", kv::PrefixEnd("k/")))->count, 89);
    EXPECT_EQ(r->Range(RangeReq("k/5"))->kvs.at(0).value, std::string(500, 'c'));
    EXPECT_EQ(r->Range(RangeReq("k/5", "", 201))->kvs.at(0).value, std::string(500, 'a'));
    EXPECT_EQ(r->LeaseTimeToLive(lease->id, true)->keys, (std::vector<std::string>{"leased"}));
  }

  // More writes only in the WAL, then compaction and defragmentation.
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(s->Put(PutReq("w/" + std::to_string(i), "v")).ok());
  ASSERT_TRUE(s->Compact(s->CurrentRevision(), true).ok());
  auto st = s->GetStatus();
  EXPECT_LT(st->db_size_in_use, st->db_size);
  ASSERT_TRUE(s->Defragment().ok());
  for (int i = 50; i < 60; ++i) ASSERT_TRUE(s->Put(PutReq("w/" + std::to_string(i), "v")).ok());
  const int64_t final_rev = s->CurrentRevision();
  s.reset();
  s = OpenOrDie(o);
  EXPECT_EQ(s->CurrentRevision(), final_rev);
  EXPECT_EQ(s->CompactRevision(), final_rev - 10);
  EXPECT_EQ(s->Range(RangeReq("w/", kv::PrefixEnd("w/")))->count, 60);
  EXPECT_EQ(s->Range(RangeReq("k/", kv::PrefixEnd("k/")))->count, 89);
  EXPECT_EQ(s->Range(RangeReq("k/5", "", 201)).status().message(), kv::kErrCompacted);
}

TEST(MvccWal, ReadsNeverMissARecordWhileCheckpointsMoveIt) {
  TempDir dir;
  auto o = LongWal(dir.path());
  o.checkpoint_interval = std::chrono::milliseconds(0);  // back to back
  auto s = OpenOrDie(o);
  std::atomic<int> written{0};
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 1; !stop; ++i) {
      ASSERT_TRUE(s->Put(PutReq("k", std::to_string(i))).ok());
      ASSERT_TRUE(s->Put(PutReq("k/" + std::to_string(i % 500), std::to_string(i))).ok());
      written = i;
    }
  });
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      int last = 0;
      while (!stop) {
        int before = written;
        auto r = s->Range(RangeReq("k"));
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        if (r->kvs.empty()) continue;
        int v = std::stoi(r->kvs[0].value);
        ASSERT_GE(v, before);
        ASSERT_GE(v, last);
        last = v;
        auto all = s->Range(RangeReq("k/", kv::PrefixEnd("k/")));
        ASSERT_TRUE(all.ok()) << all.status().ToString();
        // A historical read goes wherever the record is now.
        auto old = s->Range(RangeReq("k", "", r->kvs[0].mod_revision));
        ASSERT_TRUE(old.ok()) << old.status().ToString();
        ASSERT_EQ(old->kvs.at(0).value, r->kvs[0].value);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  stop = true;
  writer.join();
  for (auto& t : readers) t.join();
  EXPECT_GT(written.load(), 100);
}

// FIEMAP's view of byte `off` of `path`: 1 written, 0 allocated but
// unwritten (fallocate'd), -1 unknown (no FIEMAP, or a hole).
int WrittenAt(const std::string& path, uint64_t off) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  alignas(struct fiemap) char buf[sizeof(struct fiemap) + sizeof(struct fiemap_extent)] = {};
  auto* map = reinterpret_cast<struct fiemap*>(buf);
  map->fm_start = off;
  map->fm_length = 1;
  map->fm_flags = FIEMAP_FLAG_SYNC;
  map->fm_extent_count = 1;
  int rc = ::ioctl(fd, FS_IOC_FIEMAP, map);
  ::close(fd);
  if (rc != 0 || map->fm_mapped_extents != 1) return -1;
  return (map->fm_extents[0].fe_flags & FIEMAP_EXTENT_UNWRITTEN) ? 0 : 1;
}

TEST(MvccWal, RecordsWriteAheadIntoPreallocatedSpace) {
  // An fdatasync after writing a fallocate'd block also writes the inode
  // (the extent changes from unwritten to written): records carry zeros up
  // to a kWriteAhead boundary, so that happens once per kWriteAhead bytes.
  TempDir dir;
  Wal::Options o;
  o.dir = dir.path() + "/wal";
  o.segment_bytes = 4 * Wal::kWriteAhead;
  o.fsync = true;
  auto w = Wal::Open(o, 7, 1);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE((*w)->Append("first").ok());
  auto names = SegmentNames(dir.path());
  ASSERT_EQ(names.size(), 1u);
  std::string seg = o.dir + "/" + names[0];
  if (WrittenAt(seg, 3 * Wal::kWriteAhead) != 0) {
    GTEST_SKIP() << "this file system reports no unwritten preallocated extents";
  }
  EXPECT_EQ(WrittenAt(seg, 0), 1);
  EXPECT_EQ(WrittenAt(seg, Wal::kWriteAhead - 1), 1);
  EXPECT_EQ(WrittenAt(seg, Wal::kWriteAhead), 0);
  // Records inside the written part write only themselves; the one that
  // crosses its end writes ahead to the next boundary.
  std::string big(Wal::kWriteAhead - 3 * Wal::kPage, 'b');
  ASSERT_TRUE((*w)->Append(big).ok());
  EXPECT_EQ(WrittenAt(seg, Wal::kWriteAhead), 0);
  ASSERT_TRUE((*w)->Append(std::string(2 * Wal::kPage, 'c')).ok());
  EXPECT_EQ(WrittenAt(seg, 2 * Wal::kWriteAhead - 1), 1);
  EXPECT_EQ(WrittenAt(seg, 2 * Wal::kWriteAhead), 0);
  w->reset();
  // The zeros read as the end of the log.
  std::vector<std::string> got;
  ASSERT_TRUE(Wal::Replay(o.dir, 7, 0, [&](uint64_t, std::string_view p) {
                got.emplace_back(p);
                return Status::Ok();
              }).ok());
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], "first");
  EXPECT_EQ(got[1], big);
}

}  // namespace
}  // namespace common::mvcc
