// Kubernetes Status errors with upstream's reasons, codes and message texts
// (apimachinery pkg/api/errors), and their HTTP responses.
#pragma once

#include <string>
#include <vector>

#include "common/api/validation.h"
#include "common/http_server.h"
#include "common/json.h"
#include "common/status.h"

namespace apiserve {

// A group and resource as apimachinery prints them: "pods", "deployments.apps".
struct GroupResource {
  std::string group;
  std::string resource;
  std::string String() const { return group.empty() ? resource : resource + "." + group; }
};

// One metav1.Status failure. Copyable value.
struct ApiError {
  int code = 500;
  std::string reason;   // "NotFound", ...
  std::string message;
  common::Json details;  // null or {name, group, kind, uid, causes, retryAfterSeconds}
  int retry_after_seconds = 0;  // > 0: also a Retry-After header

  common::Json ToJson() const;
  common::HttpResponse ToResponse() const;

  static ApiError NotFound(const GroupResource& gr, const std::string& name);
  static ApiError AlreadyExists(const GroupResource& gr, const std::string& name);
  // The optimistic-lock conflict of an update or delete.
  static ApiError Conflict(const GroupResource& gr, const std::string& name,
                           const std::string& why);
  static ApiError ConflictModified(const GroupResource& gr, const std::string& name);
  static ApiError Invalid(const std::string& group, const std::string& kind,
                          const std::string& name,
                          const std::vector<common::api::FieldError>& errors);
  static ApiError BadRequest(const std::string& message);
  static ApiError Forbidden(const GroupResource& gr, const std::string& name,
                            const std::string& why);
  static ApiError MethodNotAllowed();
  static ApiError ResourceNotFound();  // "the server could not find the requested resource"
  static ApiError Expired(const std::string& message);
  static ApiError TooLarge(size_t limit);
  static ApiError TooManyRequests(const std::string& message, int retry_after);
  static ApiError UnsupportedMediaType(const std::string& content_type);
  static ApiError NotAcceptable(const std::string& message);
  static ApiError Internal(const std::string& message);
  static ApiError Timeout(const std::string& message, int retry_after);
  static ApiError ServiceUnavailable(const std::string& message);
  // A storage/library Status mapped for an object of `gr` named `name`
  // (NotFound, AlreadyExists and Conflict get upstream's messages).
  static ApiError FromStatus(const common::Status& s, const GroupResource& gr,
                             const std::string& name);
};

// The Status a successful delete returns when the object is gone at once.
common::Json SuccessStatus(const GroupResource& gr, const std::string& name,
                           const std::string& uid);

}  // namespace apiserve
