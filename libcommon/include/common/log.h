// klog-style logging: `I1122 10:40:18.969066   32615 file.cc:129] "msg" key="v"`.
#pragma once

#include <concepts>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>

namespace common::log {

enum class Severity { kInfo, kWarning, kError, kFatal };

// Sets the verbosity threshold (`-v`/`--v`); VLOG(n) lines print when n <= it.
// Thread-safe.
void SetVerbosity(int v);
int Verbosity();
inline bool V(int level) { return level <= Verbosity(); }

// Sends log lines to `fd` instead of stderr (the daemon's --log-file). Thread-safe.
void SetOutputFd(int fd);

// A key/value pair of a structured log line. Strings are quoted Go-style,
// numbers and booleans are not, as klog's structured output does.
struct KV {
  KV(std::string_view k, std::string_view v) : key(k), value(Quote(v)) {}
  KV(std::string_view k, const std::string& v) : key(k), value(Quote(v)) {}
  KV(std::string_view k, const char* v) : key(k), value(Quote(v)) {}
  KV(std::string_view k, bool v) : key(k), value(v ? "true" : "false") {}
  template <typename T>
    requires std::is_arithmetic_v<T>
  KV(std::string_view k, T v) : key(k), value(std::to_string(v)) {}

  // Returns `s` as a double-quoted string with Go %q escaping.
  static std::string Quote(std::string_view s);

  std::string_view key;
  std::string value;
};

// Writes one line; a kFatal line aborts the process after writing.
void Write(Severity sev, const char* file, int line, std::string_view msg,
           std::initializer_list<KV> kvs = {});

}  // namespace common::log

#define LOG_INFO(msg, ...) \
  ::common::log::Write(::common::log::Severity::kInfo, __FILE__, __LINE__, msg, {__VA_ARGS__})
#define LOG_WARNING(msg, ...) \
  ::common::log::Write(::common::log::Severity::kWarning, __FILE__, __LINE__, msg, {__VA_ARGS__})
#define LOG_ERROR(msg, ...) \
  ::common::log::Write(::common::log::Severity::kError, __FILE__, __LINE__, msg, {__VA_ARGS__})
#define LOG_FATAL(msg, ...) \
  ::common::log::Write(::common::log::Severity::kFatal, __FILE__, __LINE__, msg, {__VA_ARGS__})
// VLOG(2, "msg", {"k", v}): an info line printed only at verbosity >= 2.
#define VLOG(level, msg, ...)                                                                    \
  do {                                                                                           \
    if (::common::log::V(level))                                                                 \
      ::common::log::Write(::common::log::Severity::kInfo, __FILE__, __LINE__, msg, {__VA_ARGS__}); \
  } while (0)
