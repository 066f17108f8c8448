// MvccStore maintenance: status, snapshot, defragmentation, and keeping the
// database file's clean pages out of RSS.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstring>

#include "common/log.h"
#include "mvcc_internal.h"

namespace common::mvcc {

// Finds the mapping of `path` in /proc/self/maps.
void FindMapping(const std::string& path, void** addr, size_t* len) {
  *addr = nullptr;
  *len = 0;
  char real[PATH_MAX];
  if (::realpath(path.c_str(), real) == nullptr) return;
  FILE* f = ::fopen("/proc/self/maps", "re");
  if (f == nullptr) return;
  char line[PATH_MAX + 256];
  size_t want = std::strlen(real);
  while (::fgets(line, sizeof(line), f) != nullptr) {
    size_t n = std::strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == ' ')) line[--n] = '\0';
    if (n < want || std::strcmp(line + n - want, real) != 0) continue;
    unsigned long lo = 0, hi = 0;
    if (std::sscanf(line, "%lx-%lx", &lo, &hi) == 2 && hi > lo) {
      *addr = reinterpret_cast<void*>(lo);
      *len = hi - lo;
      break;
    }
  }
  ::fclose(f);
}

// ---------------------------------------------------------------- status

int64_t Engine::DbBytes() {
  MDB_envinfo info;
  MDB_stat st;
  if (env_ == nullptr || mdb_env_info(env_, &info) != 0 || mdb_env_stat(env_, &st) != 0) return 0;
  return static_cast<int64_t>((info.me_last_pgno + 1) * st.ms_psize);
}

Result<kv::StatusResponse> Engine::GetStatus() {
  kv::StatusResponse s;
  std::shared_lock<RwLock> env(env_mu_);
  if (env_ == nullptr) return Status::Unavailable("mvcc: the store is closed");
  s.revision = CurrentRevision();
  s.compact_revision = CompactRevision();
  s.db_size = DbBytes();
  // Pages on LMDB's free list are allocated but not in use (as bbolt's
  // freelist for etcd's dbSizeInUse).
  int64_t free_pages = 0;
  MDB_stat st;
  mdb_env_stat(env_, &st);
  auto txn = BeginRead();
  if (txn.ok()) {
    MDB_cursor* cur = nullptr;
    if (mdb_cursor_open(*txn, 0, &cur) == 0) {
      MDB_val k, v;
      for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
           rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (v.mv_size >= sizeof(size_t)) free_pages += static_cast<int64_t>(*static_cast<size_t*>(v.mv_data));
      }
      mdb_cursor_close(cur);
    }
    EndRead(*txn);
  }
  s.db_size_in_use = std::max<int64_t>(0, s.db_size - free_pages * st.ms_psize);
  // Acknowledged writes still waiting for a checkpoint count as they will
  // once they are in the file (the quota counts them the same way).
  int64_t pending = pending_bytes_.load(std::memory_order_relaxed);
  s.db_size += pending;
  s.db_size_in_use += pending;
  s.version = kEtcdVersion;
  if (nospace_) s.alarms.push_back("NOSPACE");
  m_.db_size.Set(static_cast<double>(s.db_size));
  m_.db_size_in_use.Set(static_cast<double>(s.db_size_in_use));
  return s;
}

// ---------------------------------------------------------------- maintenance

void Engine::ReleaseMappedPages() {
  // Every page the index rebuild scanned, and every page a commit copied,
  // stays mapped and counts in RSS although it is clean page cache. The
  // mapping is MAP_SHARED and read-only (no MDB_WRITEMAP), so MADV_DONTNEED
  // only drops page-table entries: readers fault them back in transparently.
  std::shared_lock<RwLock> env(env_mu_);
  if (env_ == nullptr || map_addr_ == nullptr) return;
  size_t len = std::min(static_cast<size_t>(DbBytes()), map_len_);
  if (len > 0) ::madvise(map_addr_, len, MADV_DONTNEED);
}



Status Engine::SnapshotTo(const std::string& path) {
  // The copy is of LMDB: first every write acknowledged so far goes there.
  RETURN_IF_ERROR(Checkpoint());
  std::shared_lock<RwLock> env(env_mu_);
  if (env_ == nullptr) return Status::Unavailable("mvcc: the store is closed");
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::FromErrno(errno, "create", path);
  int rc = mdb_env_copyfd2(env_, fd, MDB_CP_COMPACT);
  if (rc != 0) {
    ::close(fd);
    ::unlink(path.c_str());
    return LmdbError(rc, "write snapshot", path);
  }
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    return Status::FromErrno(err, "sync", path);
  }
  ::close(fd);
  return Status::Ok();
}

namespace {

Status SyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno(errno, "open", path);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return Status::FromErrno(err, "sync", path);
  return Status::Ok();
}

}  // namespace

Status Engine::Defragment() {
  auto start = Clock::now();
  // Pending removals of a compaction are only worth something in the file.
  RETURN_IF_ERROR(Checkpoint());
  // Exclusive: the committer, readers and watch catch-up pause here.
  std::unique_lock<RwLock> env(env_mu_);
  if (env_ == nullptr) return Status::Unavailable("mvcc: the store is closed");
  std::string tmp = opts_.dir + "/defrag.tmp";
  ::unlink((tmp + "/data.mdb").c_str());
  if (::mkdir(tmp.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::FromErrno(errno, "create", tmp);
  }
  int rc = mdb_env_copy2(env_, tmp.c_str(), MDB_CP_COMPACT);
  if (rc != 0) {
    ::unlink((tmp + "/data.mdb").c_str());
    ::rmdir(tmp.c_str());
    return LmdbError(rc, "copy database to", tmp);
  }
  RETURN_IF_ERROR(SyncPath(tmp + "/data.mdb", O_RDONLY));
  CloseEnv();
  // rename() is atomic: a crash leaves the old or the new file, both whole.
  Status moved = Status::Ok();
  if (::rename((tmp + "/data.mdb").c_str(), data_path_.c_str()) != 0) {
    moved = Status::FromErrno(errno, "rename", tmp + "/data.mdb");
  } else {
    (void)SyncPath(opts_.dir, O_RDONLY | O_DIRECTORY);
  }
  ::unlink((tmp + "/lock.mdb").c_str());
  ::rmdir(tmp.c_str());
  Status reopened = OpenEnv();
  if (!reopened.ok()) {
    LOG_ERROR("mvcc: cannot reopen the database after defragmentation",
              {"error", reopened.ToString()});
    return reopened;
  }
  m_.db_size.Set(static_cast<double>(DbBytes()));
  LOG_INFO("mvcc: defragmented", {"path", data_path_},
           {"took", std::chrono::duration<double>(Clock::now() - start).count()});
  return moved;
}

}  // namespace common::mvcc
