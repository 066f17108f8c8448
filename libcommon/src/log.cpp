#include "common/log.h"

#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace common::log {
namespace {
std::atomic<int> g_verbosity{0};
std::atomic<int> g_fd{2};
}  // namespace

void SetVerbosity(int v) { g_verbosity.store(v, std::memory_order_relaxed); }
int Verbosity() { return g_verbosity.load(std::memory_order_relaxed); }
void SetOutputFd(int fd) { g_fd.store(fd, std::memory_order_relaxed); }

std::string KV::Quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

void Write(Severity sev, const char* file, int line, std::string_view msg,
           std::initializer_list<KV> kvs) {
  static const char kLetters[] = {'I', 'W', 'E', 'F'};
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  struct tm tm;
  localtime_r(&tv.tv_sec, &tm);
  const char* base = file;
  for (const char* p = file; *p; ++p)
    if (*p == '/') base = p + 1;
  char head[128];
  int n = std::snprintf(head, sizeof head, "%c%02d%02d %02d:%02d:%02d.%06ld %7ld %s:%d] ",
                        kLetters[static_cast<int>(sev)], tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                        tm.tm_min, tm.tm_sec, static_cast<long>(tv.tv_usec),
                        static_cast<long>(syscall(SYS_gettid)), base, line);
  std::string out(head, n > 0 ? static_cast<size_t>(n) : 0);
  out += KV::Quote(msg);
  for (const KV& kv : kvs) {
    out += ' ';
    out.append(kv.key);
    out += '=';
    out += kv.value;
  }
  out += '\n';
  // One write(2) per line keeps lines whole when threads log concurrently.
  const int fd = g_fd.load(std::memory_order_relaxed);
  size_t off = 0;
  while (off < out.size()) {
    ssize_t w = ::write(fd, out.data() + off, out.size() - off);
    if (w <= 0) break;
    off += static_cast<size_t>(w);
  }
  if (sev == Severity::kFatal) std::abort();
}

}  // namespace common::log
