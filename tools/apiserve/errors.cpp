#include "errors.h"

namespace apiserve {

using common::Json;

Json ApiError::ToJson() const {
  Json j = Json::object();
  j["kind"] = "Status";
  j["apiVersion"] = "v1";
  j["metadata"] = Json::object();
  j["status"] = "Failure";
  j["message"] = message;
  if (!reason.empty()) j["reason"] = reason;
  if (!details.is_null()) j["details"] = details;
  j["code"] = code;
  return j;
}

common::HttpResponse ApiError::ToResponse() const {
  auto r = common::HttpResponse::Json(code, common::DumpJson(ToJson()));
  if (retry_after_seconds > 0) r.SetHeader("Retry-After", std::to_string(retry_after_seconds));
  return r;
}

namespace {
Json Details(const GroupResource& gr, const std::string& name) {
  Json d = Json::object();
  if (!name.empty()) d["name"] = name;
  if (!gr.group.empty()) d["group"] = gr.group;
  d["kind"] = gr.resource;
  return d;
}
ApiError Make(int code, std::string reason, std::string message, Json details = nullptr) {
  ApiError e;
  e.code = code;
  e.reason = std::move(reason);
  e.message = std::move(message);
  e.details = std::move(details);
  return e;
}
}  // namespace

ApiError ApiError::NotFound(const GroupResource& gr, const std::string& name) {
  return Make(404, "NotFound", gr.String() + " \"" + name + "\" not found", Details(gr, name));
}

ApiError ApiError::AlreadyExists(const GroupResource& gr, const std::string& name) {
  return Make(409, "AlreadyExists", gr.String() + " \"" + name + "\" already exists",
              Details(gr, name));
}

ApiError ApiError::Conflict(const GroupResource& gr, const std::string& name,
                            const std::string& why) {
  return Make(409, "Conflict", "Operation cannot be fulfilled on " + gr.String() + " \"" + name +
                                   "\": " + why,
              Details(gr, name));
}

ApiError ApiError::ConflictModified(const GroupResource& gr, const std::string& name) {
  // apiserver registry/generic/registry/store.go OptimisticLockErrorMsg.
  return Conflict(gr, name,
                  "the object has been modified; please apply your changes to the latest "
                  "version and try again");
}

ApiError ApiError::Invalid(const std::string& group, const std::string& kind,
                           const std::string& name,
                           const std::vector<common::api::FieldError>& errors) {
  Json d = Json::object();
  d["name"] = name;
  if (!group.empty()) d["group"] = group;
  d["kind"] = kind;
  Json causes = Json::array();
  for (const auto& fe : errors) {
    Json c = Json::object();
    c["reason"] = fe.type;
    // StatusCause.message is the error without its field prefix.
    std::string full = fe.ToString();
    std::string prefix = fe.field + ": ";
    c["message"] = full.rfind(prefix, 0) == 0 ? full.substr(prefix.size()) : full;
    c["field"] = fe.field;
    causes.push_back(std::move(c));
  }
  d["causes"] = std::move(causes);
  // The message names the qualified kind ("Deployment.apps"), details the bare one.
  std::string qualified = group.empty() ? kind : kind + "." + group;
  return Make(422, "Invalid", common::api::InvalidMessage(qualified, name, errors), std::move(d));
}

ApiError ApiError::BadRequest(const std::string& message) {
  return Make(400, "BadRequest", message);
}

ApiError ApiError::Forbidden(const GroupResource& gr, const std::string& name,
                             const std::string& why) {
  std::string subject = name.empty() ? gr.String() : gr.String() + " \"" + name + "\"";
  return Make(403, "Forbidden", subject + " is forbidden: " + why, Details(gr, name));
}

ApiError ApiError::MethodNotAllowed() {
  return Make(405, "MethodNotAllowed",
              "the server does not allow this method on the requested resource", Json::object());
}

ApiError ApiError::ResourceNotFound() {
  return Make(404, "NotFound", "the server could not find the requested resource",
              Json::object());
}

ApiError ApiError::Expired(const std::string& message) {
  return Make(410, "Expired", message);
}

ApiError ApiError::TooLarge(size_t limit) {
  return Make(413, "RequestEntityTooLarge",
              "Request entity too large: limit is " + std::to_string(limit));
}

ApiError ApiError::TooManyRequests(const std::string& message, int retry_after) {
  Json d = Json::object();
  d["retryAfterSeconds"] = retry_after;
  ApiError e = Make(429, "TooManyRequests", message, std::move(d));
  e.retry_after_seconds = retry_after;
  return e;
}

ApiError ApiError::UnsupportedMediaType(const std::string& content_type) {
  return Make(415, "UnsupportedMediaType",
              "the body of the request was in an unknown format - accepted media types "
              "include: application/json, application/yaml" +
                  std::string(content_type.empty() ? "" : ""));
}

ApiError ApiError::NotAcceptable(const std::string& message) {
  return Make(406, "NotAcceptable", message);
}

ApiError ApiError::Internal(const std::string& message) {
  Json d = Json::object();
  d["causes"] = Json::array({Json{{"message", message}}});
  return Make(500, "InternalError", "Internal error occurred: " + message, std::move(d));
}

ApiError ApiError::Timeout(const std::string& message, int retry_after) {
  Json d = Json::object();
  d["retryAfterSeconds"] = retry_after;
  ApiError e = Make(504, "Timeout", message, std::move(d));
  e.retry_after_seconds = retry_after;
  return e;
}

ApiError ApiError::ServiceUnavailable(const std::string& message) {
  return Make(503, "ServiceUnavailable", message);
}

ApiError ApiError::FromStatus(const common::Status& s, const GroupResource& gr,
                              const std::string& name) {
  using common::Code;
  switch (s.code()) {
    case Code::kNotFound:
      return NotFound(gr, name);
    case Code::kAlreadyExists:
      return AlreadyExists(gr, name);
    case Code::kConflict:
      return s.message().empty() ? ConflictModified(gr, name) : Conflict(gr, name, s.message());
    case Code::kBadRequest:
      return BadRequest(s.message());
    case Code::kExpired:
      return Expired(s.message());
    case Code::kForbidden:
      return Make(403, "Forbidden", s.message(), Details(gr, name));
    case Code::kInvalid:
      return Make(422, "Invalid", s.message(), Details(gr, name));
    case Code::kTooManyRequests:
      return TooManyRequests(s.message(), 1);
    case Code::kTimeout:
      return Timeout(s.message(), 1);
    case Code::kUnavailable:
    case Code::kUnreachable:
      return ServiceUnavailable(s.message());
    case Code::kRequestTooLarge:
      return Make(413, "RequestEntityTooLarge", s.message());
    case Code::kMethodNotAllowed:
      return MethodNotAllowed();
    default:
      return Internal(s.message());
  }
}

Json SuccessStatus(const GroupResource& gr, const std::string& name, const std::string& uid) {
  Json j = Json::object();
  j["kind"] = "Status";
  j["apiVersion"] = "v1";
  j["metadata"] = Json::object();
  j["status"] = "Success";
  Json d = Json::object();
  d["name"] = name;
  if (!gr.group.empty()) d["group"] = gr.group;
  d["kind"] = gr.resource;
  if (!uid.empty()) d["uid"] = uid;
  j["details"] = std::move(d);
  return j;
}

}  // namespace apiserve
