#include "log_follower.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

namespace nodeagent {

struct LogFollower::Session {
  std::string path;
  uint64_t offset = 0;
  ino_t inode = 0;
  LogFormatter formatter;
  std::shared_ptr<common::HttpStream> stream;
  std::function<bool()> alive;
  std::string partial;  // bytes after the last newline read
  bool done = false;

  Session(std::string p, uint64_t off, LogFormatter f, std::shared_ptr<common::HttpStream> s,
          std::function<bool()> a)
      : path(std::move(p)), offset(off), formatter(std::move(f)), stream(std::move(s)),
        alive(std::move(a)) {
    struct stat st;
    if (stat(path.c_str(), &st) == 0) inode = st.st_ino;
  }

  // Sends whatever complete lines were appended; false once the session ends.
  bool Pump() {
    if (stream->closed()) return false;
    bool was_alive = alive();
    struct stat st;
    if (stat(path.c_str(), &st) == 0) {
      if (st.st_ino != inode || static_cast<uint64_t>(st.st_size) < offset) {
        // Rotated: the live file starts over.
        inode = st.st_ino;
        offset = 0;
        partial.clear();
      }
      if (static_cast<uint64_t>(st.st_size) > offset) {
        int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
          std::string data;
          char buf[65536];
          ssize_t n;
          while ((n = pread(fd, buf, sizeof buf, static_cast<off_t>(offset))) > 0) {
            data.append(buf, static_cast<size_t>(n));
            offset += static_cast<uint64_t>(n);
            if (data.size() > (1 << 20)) break;
          }
          close(fd);
          partial += data;
          std::string out;
          size_t pos = 0;
          for (;;) {
            auto nl = partial.find('\n', pos);
            if (nl == std::string::npos) break;
            if (!formatter.Add(std::string_view(partial).substr(pos, nl - pos), &out)) {
              pos = partial.size();
              done = true;
              break;
            }
            pos = nl + 1;
          }
          partial.erase(0, pos);
          if (!out.empty() && !stream->Write(std::move(out))) return false;
          if (done) return false;
        }
      }
    }
    // Checked before reading, so nothing written before the exit is lost.
    return was_alive;
  }
};

LogFollower::LogFollower() {
  thread_ = std::thread([this] { Loop(); });
  pthread_setname_np(thread_.native_handle(), "log-follower");
}

LogFollower::~LogFollower() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  thread_.join();
  for (auto& s : sessions_) s->stream->Close();
}

void LogFollower::Add(std::string path, uint64_t offset, LogFormatter formatter,
                      std::shared_ptr<common::HttpStream> stream, std::function<bool()> alive) {
  auto s = std::make_shared<Session>(std::move(path), offset, std::move(formatter), std::move(stream),
                                     std::move(alive));
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.push_back(std::move(s));
}

size_t LogFollower::sessions() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

void LogFollower::Loop() {
  for (;;) {
    std::vector<std::shared_ptr<Session>> now;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      now = sessions_;
    }
    std::vector<std::shared_ptr<Session>> ended;
    for (auto& s : now)
      if (!s->Pump()) ended.push_back(s);
    if (!ended.empty()) {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& e : ended) {
        e->stream->Close();
        std::erase(sessions_, e);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace nodeagent
