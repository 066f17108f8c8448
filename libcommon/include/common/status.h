// Errors as values: a Status carries a code mirroring a Kubernetes Status reason.
#pragma once

#include <cerrno>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace common {

// Codes mirror the metav1.StatusReason values a Kubernetes server returns;
// HttpStatus() gives the one HTTP mapping every tool uses.
enum class Code {
  kOk = 0,
  kBadRequest,        // 400 BadRequest
  kUnauthorized,      // 401 Unauthorized
  kForbidden,         // 403 Forbidden
  kNotFound,          // 404 NotFound
  kMethodNotAllowed,  // 405 MethodNotAllowed
  kNotAcceptable,     // 406 NotAcceptable
  kAlreadyExists,     // 409 AlreadyExists
  kConflict,          // 409 Conflict
  kExpired,           // 410 Expired (Gone)
  kRequestTooLarge,   // 413 RequestEntityTooLarge
  kUnsupportedMedia,  // 415 UnsupportedMediaType
  kInvalid,           // 422 Invalid
  kTooManyRequests,   // 429 TooManyRequests
  kInternal,          // 500 InternalError
  kUnavailable,       // 503 ServiceUnavailable
  kTimeout,           // 504 Timeout
  kUnreachable,       // the peer could not be reached at all (client side; 503 if served)
};

// Returns the HTTP status code Kubernetes uses for `code` (200 for kOk).
int HttpStatus(Code code);
// Returns the metav1 StatusReason string ("NotFound", ...); "" for kOk.
std::string_view ReasonName(Code code);
// Returns the code whose HTTP status is `http_status` (best effort, for clients).
Code CodeFromHttpStatus(int http_status);

// Status is cheap when OK (one null pointer) and immutable once built.
// Thread-safe for concurrent reads.
class Status {
 public:
  Status() = default;
  Status(Code code, std::string message);

  static Status Ok() { return Status(); }
  static Status BadRequest(std::string m) { return Status(Code::kBadRequest, std::move(m)); }
  static Status NotFound(std::string m) { return Status(Code::kNotFound, std::move(m)); }
  static Status AlreadyExists(std::string m) { return Status(Code::kAlreadyExists, std::move(m)); }
  static Status Conflict(std::string m) { return Status(Code::kConflict, std::move(m)); }
  static Status Invalid(std::string m) { return Status(Code::kInvalid, std::move(m)); }
  static Status Forbidden(std::string m) { return Status(Code::kForbidden, std::move(m)); }
  static Status Expired(std::string m) { return Status(Code::kExpired, std::move(m)); }
  static Status Internal(std::string m) { return Status(Code::kInternal, std::move(m)); }
  static Status Unavailable(std::string m) { return Status(Code::kUnavailable, std::move(m)); }
  static Status Timeout(std::string m) { return Status(Code::kTimeout, std::move(m)); }
  static Status Unreachable(std::string m) { return Status(Code::kUnreachable, std::move(m)); }
  static Status TooManyRequests(std::string m) {
    return Status(Code::kTooManyRequests, std::move(m));
  }
  // Converts an errno value from a failed system call on `subject` (usually a
  // path) into "cannot <what> '<subject>': <strerror>".
  static Status FromErrno(int err, std::string_view what, std::string_view subject);

  bool ok() const { return rep_ == nullptr; }
  Code code() const { return rep_ ? rep_->code : Code::kOk; }
  // The message; "" when OK.
  const std::string& message() const;
  int http_status() const { return HttpStatus(code()); }
  // "NotFound: message" style text for logs.
  std::string ToString() const;

  bool IsNotFound() const { return code() == Code::kNotFound; }
  bool IsConflict() const { return code() == Code::kConflict; }
  bool IsAlreadyExists() const { return code() == Code::kAlreadyExists; }

 private:
  struct Rep {
    Code code;
    std::string message;
  };
  std::shared_ptr<const Rep> rep_;
};

// Result<T> holds either a value or a non-OK Status.
// REQUIRES: a Result built from a Status is built from a non-OK one.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}                   // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}             // NOLINT
  Result(Code code, std::string msg) : v_(Status(code, std::move(msg))) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  // The status: OK when a value is held.
  Status status() const { return ok() ? Status() : std::get<1>(v_); }
  // REQUIRES: ok().
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  // Returns the value or `fallback` when not OK.
  T value_or(T fallback) const& { return ok() ? std::get<0>(v_) : std::move(fallback); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace common

// Returns early from the enclosing function when `expr` (a Status) is not OK.
#define RETURN_IF_ERROR(expr)                 \
  do {                                        \
    ::common::Status _st = (expr);            \
    if (!_st.ok()) return _st;                \
  } while (0)

#define COMMON_CONCAT_INNER(a, b) a##b
#define COMMON_CONCAT(a, b) COMMON_CONCAT_INNER(a, b)
// ASSIGN_OR_RETURN(auto x, Foo()): binds the value or returns the Status.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(COMMON_CONCAT(_res_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(res, lhs, expr) \
  auto res = (expr);                          \
  if (!res.ok()) return res.status();         \
  lhs = std::move(res).value()
