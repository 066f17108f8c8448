// The write-ahead log of kWal mode: one CRC-checked record per group commit,
// fdatasync'ed before the commit is acknowledged, and replay after a crash.
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstring>

#include "common/log.h"
#include "mvcc_internal.h"

namespace common::mvcc {

std::atomic<void (*)(const char*)> g_mvcc_crash_hook{nullptr};

namespace {

// Spare segments kept for reuse; more are removed when recycled.
constexpr size_t kMaxSpares = 2;

size_t Padded(size_t n) { return (n + Wal::kPage - 1) / Wal::kPage * Wal::kPage; }

void Put32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
void Put64(char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
uint32_t Get32(const unsigned char* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
uint64_t Get64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

Status WriteAll(int fd, const char* p, size_t n, off_t off, const std::string& path) {
  while (n > 0) {
    ssize_t w = ::pwrite(fd, p, n, off);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno(errno, "write", path);
    }
    p += w;
    n -= static_cast<size_t>(w);
    off += w;
  }
  return Status::Ok();
}

Status SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno(errno, "open", dir);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return Status::FromErrno(err, "sync", dir);
  return Status::Ok();
}

// "%016x.wal": the sequence number of the segment's first record.
bool ParseSegmentName(const char* name, uint64_t* first) {
  if (std::strlen(name) != 20 || std::strcmp(name + 16, ".wal") != 0) return false;
  uint64_t v = 0;
  for (int i = 0; i < 16; ++i) {
    char c = name[i];
    int d = c >= '0' && c <= '9' ? c - '0' : (c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1);
    if (d < 0) return false;
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  *first = v;
  return true;
}

bool IsSpareName(const char* name) { return std::strncmp(name, "spare.", 6) == 0; }

// The names in `dir`; ENOENT gives an empty list.
Result<std::vector<std::string>> ListDir(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    if (errno == ENOENT) return out;
    return Status::FromErrno(errno, "open", dir);
  }
  while (struct dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    out.emplace_back(e->d_name);
  }
  ::closedir(d);
  return out;
}

// A segment mapped read-only for replay.
class MappedSegment {
 public:
  MappedSegment(uint64_t first, std::string path) : first_(first), path_(std::move(path)) {}
  MappedSegment(MappedSegment&& o) noexcept
      : first_(o.first_), path_(std::move(o.path_)), data_(o.data_), size_(o.size_) {
    o.data_ = nullptr;
    o.size_ = 0;
  }
  MappedSegment(const MappedSegment&) = delete;
  MappedSegment& operator=(const MappedSegment&) = delete;
  MappedSegment& operator=(MappedSegment&&) = delete;
  ~MappedSegment() {
    if (data_ != nullptr) ::munmap(const_cast<unsigned char*>(data_), size_);
  }
  Status Map() {
    int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::FromErrno(errno, "open", path_);
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      int err = errno;
      ::close(fd);
      return Status::FromErrno(err, "stat", path_);
    }
    if (st.st_size > 0) {
      void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        int err = errno;
        ::close(fd);
        return Status::FromErrno(err, "map", path_);
      }
      data_ = static_cast<const unsigned char*>(p);
      size_ = static_cast<size_t>(st.st_size);
    }
    ::close(fd);
    return Status::Ok();
  }

  struct Record {
    bool valid = false;
    uint64_t seq = 0;
    std::string_view payload;
    size_t next = 0;  // offset of the following record
  };
  // The record at `off` if it is whole and was written under `log_id`.
  Record At(size_t off, uint64_t log_id) const {
    Record r;
    if (off > size_ || size_ - off < Wal::kHeader) return r;
    const unsigned char* p = data_ + off;
    uint32_t len = Get32(p + 4);
    uint64_t seq = Get64(p + 8);
    if (Get64(p + 16) != log_id || seq == 0) return r;
    if (len > size_ - off - Wal::kHeader) return r;
    if (Crc32c(p + 4, Wal::kHeader - 4 + len) != Get32(p)) return r;
    r.valid = true;
    r.seq = seq;
    r.payload = std::string_view(reinterpret_cast<const char*>(p + Wal::kHeader), len);
    r.next = off + Padded(Wal::kHeader + len);
    return r;
  }

  uint64_t first() const { return first_; }
  const std::string& path() const { return path_; }
  size_t size() const { return size_; }

 private:
  uint64_t first_;
  std::string path_;
  const unsigned char* data_ = nullptr;
  size_t size_ = 0;
};

std::string Hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof(b), "%016" PRIx64, v);
  return b;
}

}  // namespace

// ---------------------------------------------------------------- replay

Status Wal::Replay(const std::string& dir, uint64_t log_id, uint64_t applied,
                   const std::function<Status(uint64_t, std::string_view)>& fn) {
  ASSIGN_OR_RETURN(auto names, ListDir(dir));
  std::vector<std::pair<uint64_t, std::string>> found_names;
  for (const auto& n : names) {
    uint64_t first = 0;
    if (ParseSegmentName(n.c_str(), &first)) found_names.emplace_back(first, dir + "/" + n);
  }
  if (found_names.empty() || log_id == 0) return Status::Ok();
  std::sort(found_names.begin(), found_names.end());
  std::vector<MappedSegment> segs;
  segs.reserve(found_names.size());
  for (auto& [first, path] : found_names) {
    segs.emplace_back(first, std::move(path));
    RETURN_IF_ERROR(segs.back().Map());
  }

  // Find record applied+1: in the last segment named at or before it,
  // following the chain from its start, or (a damaged record of those already
  // applied breaks the chain) by looking at every page.
  const uint64_t expected = applied + 1;
  int si = -1;
  for (int i = static_cast<int>(segs.size()) - 1; i >= 0; --i) {
    if (segs[static_cast<size_t>(i)].first() <= expected) {
      si = i;
      break;
    }
  }
  bool found = false;
  size_t off = 0;
  if (si >= 0) {
    const auto& s = segs[static_cast<size_t>(si)];
    uint64_t seq = s.first();
    for (size_t o = 0;;) {
      auto r = s.At(o, log_id);
      if (!r.valid || r.seq != seq) break;
      if (seq == expected) {
        found = true;
        off = o;
        break;
      }
      o = r.next;
      ++seq;
    }
    for (size_t o = 0; !found && o < s.size(); o += kPage) {
      auto r = s.At(o, log_id);
      if (r.valid && r.seq == expected) {
        found = true;
        off = o;
      }
    }
  }

  // Apply the chain from there, across segments that continue it. scan[i]:
  // where segment i may hold records the chain did not reach.
  uint64_t next = expected;
  size_t end_seg = 0, end_off = 0;
  std::vector<size_t> scan(segs.size(), 0);
  if (found) {
    for (int i = 0; i < si; ++i) scan[static_cast<size_t>(i)] = SIZE_MAX;  // older
    size_t i = static_cast<size_t>(si);
    size_t o = off;
    for (;;) {
      auto r = segs[i].At(o, log_id);
      if (r.valid && r.seq == next) {
        RETURN_IF_ERROR(fn(next, r.payload));
        ++next;
        o = r.next;
        continue;
      }
      scan[i] = o;
      if (i + 1 < segs.size() && segs[i + 1].first() == next) {
        ++i;
        o = 0;
        continue;
      }
      end_seg = i;
      end_off = o;
      break;
    }
  }

  // The end of the log is where the last write stopped: a record that was
  // never (wholly) written, so never acknowledged. A valid record after it
  // means the damaged one had been acknowledged: refuse to guess.
  for (size_t i = 0; i < segs.size(); ++i) {
    for (size_t o = scan[i]; o < segs[i].size(); o += kPage) {
      auto r = segs[i].At(o, log_id);
      if (!r.valid || r.seq < next) continue;
      std::string where = found ? "record " + std::to_string(next) + " of '" +
                                      segs[end_seg].path() + "' (offset " +
                                      std::to_string(end_off) + ") is damaged or missing"
                                : "record " + std::to_string(expected) + " is missing";
      return Status::Internal("mvcc: the write-ahead log in '" + dir + "' is corrupt: " + where +
                              " but record " + std::to_string(r.seq) + " follows in '" +
                              segs[i].path() + "' (offset " + std::to_string(o) +
                              "); refusing to open (restore from a snapshot)");
    }
  }
  return Status::Ok();
}

// ---------------------------------------------------------------- writing

Wal::Wal(const Options& o, uint64_t log_id, uint64_t next_seq)
    : o_(o), log_id_(log_id), next_seq_(next_seq) {}

Wal::~Wal() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<Wal>> Wal::Open(const Options& o, uint64_t log_id, uint64_t next_seq) {
  if (o.segment_bytes < static_cast<int64_t>(2 * kPage)) {
    return Status::Invalid("mvcc: wal_segment_bytes must be at least 8 KiB");
  }
  if (::mkdir(o.dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::FromErrno(errno, "create", o.dir);
  }
  std::unique_ptr<Wal> w(new Wal(o, log_id, next_seq));
  ASSIGN_OR_RETURN(auto names, ListDir(o.dir));
  std::sort(names.begin(), names.end());
  // Every segment here has been replayed: keep a few as spares (their old
  // records were written under another log id and never read again).
  for (const auto& n : names) {
    std::string path = o.dir + "/" + n;
    uint64_t first = 0;
    bool segment = ParseSegmentName(n.c_str(), &first);
    struct stat st;
    bool right_size = ::stat(path.c_str(), &st) == 0 && st.st_size == o.segment_bytes;
    if ((segment || IsSpareName(n.c_str())) && right_size && w->spares_.size() < kMaxSpares) {
      std::string spare = o.dir + "/spare." + std::to_string(w->spare_counter_++);
      if (path == spare || ::rename(path.c_str(), spare.c_str()) == 0) {
        w->spares_.push_back(spare);
        continue;
      }
    }
    ::unlink(path.c_str());
  }
  if (o.fsync) RETURN_IF_ERROR(SyncDir(o.dir));
  return w;
}

Status Wal::Remove(const std::string& dir) {
  ASSIGN_OR_RETURN(auto names, ListDir(dir));
  for (const auto& n : names) ::unlink((dir + "/" + n).c_str());
  if (::rmdir(dir.c_str()) != 0 && errno != ENOENT) return Status::FromErrno(errno, "remove", dir);
  return Status::Ok();
}

std::string Wal::SegmentPath(uint64_t first) const { return o_.dir + "/" + Hex(first) + ".wal"; }

Result<std::string> Wal::NewSegmentFile(int64_t size) {
  std::string path;
  {
    std::lock_guard<std::mutex> lk(mu_);
    path = o_.dir + "/spare." + std::to_string(spare_counter_++);
  }
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::FromErrno(errno, "create", path);
  Status s = Status::Ok();
  if (o_.fsync) {
    // Allocated up front so an fdatasync after a record need not change the
    // file's size or block map (fallocate; plain zeros where unsupported).
    int rc = ::posix_fallocate(fd, 0, size);
    if (rc != 0) s = Status::FromErrno(rc, "allocate", path);
    if (s.ok() && ::fsync(fd) != 0) s = Status::FromErrno(errno, "sync", path);
  } else if (::ftruncate(fd, size) != 0) {
    s = Status::FromErrno(errno, "allocate", path);
  }
  ::close(fd);
  if (!s.ok()) {
    ::unlink(path.c_str());
    return s;
  }
  return path;
}

Status Wal::SwitchSegment(size_t need) {
  int64_t size = std::max<int64_t>(o_.segment_bytes, static_cast<int64_t>(need));
  std::string spare;
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (size == o_.segment_bytes && !spares_.empty()) {
      spare = spares_.back();
      spares_.pop_back();
    }
  }
  if (spare.empty()) {
    ASSIGN_OR_RETURN(spare, NewSegmentFile(size));
  }
  std::string path = SegmentPath(next_seq_);
  if (::rename(spare.c_str(), path.c_str()) != 0) {
    Status s = Status::FromErrno(errno, "rename", spare);
    ::unlink(spare.c_str());
    return s;
  }
  // The name must be durable before a record in it is acknowledged: replay
  // finds records by segment name.
  if (o_.fsync) RETURN_IF_ERROR(SyncDir(o_.dir));
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno(errno, "open", path);
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
  off_ = 0;
  size_ = size;
  written_ = 0;
  path_ = path;
  std::lock_guard<std::mutex> lk(mu_);
  segments_.push_back(Segment{next_seq_, path, size});
  return Status::Ok();
}

Status Wal::Append(std::string_view payload) {
  // After a failed write or flush the log's state on disk is unknown (a
  // failed fdatasync may have dropped dirty pages): refuse further records
  // until a restart replays what is really there.
  if (!broken_.ok()) return broken_;
  size_t need = Padded(kHeader + payload.size());
  if (fd_ < 0 || off_ + static_cast<int64_t>(need) > size_) RETURN_IF_ERROR(SwitchSegment(need));
  Status s = AppendRecord(payload, need);
  if (!s.ok()) {
    broken_ = Status::Unavailable("mvcc: the write-ahead log failed earlier (" + s.ToString() +
                                  "); restart to recover");
  }
  return s;
}

Status Wal::AppendRecord(std::string_view payload, size_t need) {
  // Whole pages: the kernel then never reads a partial page back before
  // writing it, and a later record never rewrites an acknowledged page.
  buf_.assign(need, '\0');
  Put32(buf_.data() + 4, static_cast<uint32_t>(payload.size()));
  Put64(buf_.data() + 8, next_seq_);
  Put64(buf_.data() + 16, log_id_);
  std::memcpy(buf_.data() + kHeader, payload.data(), payload.size());
  Put32(buf_.data(), Crc32c(buf_.data() + 4, kHeader - 4 + payload.size()));
  // A preallocated (fallocate'd) block is "unwritten" until written: the
  // first write to it changes the file's extent map, and an fdatasync then
  // also writes the inode synchronously (measured: ~1.6x the flush of
  // written blocks on ext4). Zeros written ahead, with the record, up to a
  // kWriteAhead boundary make that once per 64 pages instead of every page.
  size_t len = need;
  if (o_.fsync && off_ + static_cast<int64_t>(need) > written_) {
    int64_t end = (off_ + static_cast<int64_t>(need) + static_cast<int64_t>(kWriteAhead) - 1) /
                  static_cast<int64_t>(kWriteAhead) * static_cast<int64_t>(kWriteAhead);
    end = std::min(end, size_);
    len = static_cast<size_t>(end - off_);
    buf_.resize(len, '\0');
  }
  RETURN_IF_ERROR(WriteAll(fd_, buf_.data(), len, off_, path_));
  written_ = std::max(written_, off_ + static_cast<int64_t>(len));
  if (o_.fsync) {
    auto t0 = std::chrono::steady_clock::now();
    if (::fdatasync(fd_) != 0) return Status::FromErrno(errno, "sync", path_);
    last_sync_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  off_ += static_cast<int64_t>(need);
  ++next_seq_;
  return Status::Ok();
}

// ---------------------------------------------------------------- recycling

void Wal::Release(uint64_t applied, bool all) {
  std::vector<Segment> done;
  {
    std::lock_guard<std::mutex> lk(mu_);
    while (segments_.size() > (all ? 0u : 1u)) {
      uint64_t last = segments_.size() > 1 ? segments_[1].first - 1 : next_seq_ - 1;
      if (last > applied) break;
      done.push_back(segments_.front());
      segments_.pop_front();
    }
  }
  if (all && fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  for (const auto& s : done) {
    bool keep = false;
    std::string spare;
    if (s.size == o_.segment_bytes) {
      std::lock_guard<std::mutex> lk(mu_);
      if (spares_.size() < kMaxSpares) {
        keep = true;
        spare = o_.dir + "/spare." + std::to_string(spare_counter_++);
      }
    }
    // No directory sync needed: a rename lost in a crash brings back a
    // segment whose records are all in LMDB, which replay skips.
    if (keep && ::rename(s.path.c_str(), spare.c_str()) == 0) {
      std::lock_guard<std::mutex> lk(mu_);
      spares_.push_back(spare);
    } else {
      ::unlink(s.path.c_str());
    }
  }
}

void Wal::PrepareSpare() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (!spares_.empty()) return;
  }
  auto path = NewSegmentFile(o_.segment_bytes);
  if (!path.ok()) {
    VLOG(1, "mvcc: cannot prepare a spare WAL segment", {"error", path.status().ToString()});
    return;
  }
  std::lock_guard<std::mutex> lk(mu_);
  spares_.push_back(*path);
}

}  // namespace common::mvcc
