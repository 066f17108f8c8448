#include "common/status.h"

#include <cstring>

namespace common {

Status::Status(Code code, std::string message) {
  if (code != Code::kOk) rep_ = std::make_shared<const Rep>(Rep{code, std::move(message)});
}

Status Status::FromErrno(int err, std::string_view what, std::string_view subject) {
  Code code = Code::kInternal;
  switch (err) {
    case ENOENT: code = Code::kNotFound; break;
    case EEXIST: code = Code::kAlreadyExists; break;
    case EACCES:
    case EPERM: code = Code::kForbidden; break;
    case EINVAL: code = Code::kBadRequest; break;
    case ENOSPC: code = Code::kRequestTooLarge; break;
    case ETIMEDOUT: code = Code::kTimeout; break;
    case ECONNREFUSED:
    case EAGAIN: code = Code::kUnavailable; break;
    default: break;
  }
  std::string msg = "cannot ";
  msg.append(what);
  msg += " '";
  msg.append(subject);
  msg += "': ";
  msg += std::strerror(err);
  return Status(code, std::move(msg));
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return rep_ ? rep_->message : kEmpty;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(ReasonName(code())) + ": " + rep_->message;
}

int HttpStatus(Code code) {
  switch (code) {
    case Code::kOk: return 200;
    case Code::kBadRequest: return 400;
    case Code::kUnauthorized: return 401;
    case Code::kForbidden: return 403;
    case Code::kNotFound: return 404;
    case Code::kMethodNotAllowed: return 405;
    case Code::kNotAcceptable: return 406;
    case Code::kAlreadyExists: return 409;
    case Code::kConflict: return 409;
    case Code::kExpired: return 410;
    case Code::kRequestTooLarge: return 413;
    case Code::kUnsupportedMedia: return 415;
    case Code::kInvalid: return 422;
    case Code::kTooManyRequests: return 429;
    case Code::kInternal: return 500;
    case Code::kUnavailable: return 503;
    case Code::kTimeout: return 504;
    case Code::kUnreachable: return 503;
  }
  return 500;
}

std::string_view ReasonName(Code code) {
  switch (code) {
    case Code::kOk: return "";
    case Code::kBadRequest: return "BadRequest";
    case Code::kUnauthorized: return "Unauthorized";
    case Code::kForbidden: return "Forbidden";
    case Code::kNotFound: return "NotFound";
    case Code::kMethodNotAllowed: return "MethodNotAllowed";
    case Code::kNotAcceptable: return "NotAcceptable";
    case Code::kAlreadyExists: return "AlreadyExists";
    case Code::kConflict: return "Conflict";
    case Code::kExpired: return "Expired";
    case Code::kRequestTooLarge: return "RequestEntityTooLarge";
    case Code::kUnsupportedMedia: return "UnsupportedMediaType";
    case Code::kInvalid: return "Invalid";
    case Code::kTooManyRequests: return "TooManyRequests";
    case Code::kInternal: return "InternalError";
    case Code::kUnavailable: return "ServiceUnavailable";
    case Code::kTimeout: return "Timeout";
    case Code::kUnreachable: return "ServiceUnavailable";
  }
  return "InternalError";
}

Code CodeFromHttpStatus(int s) {
  switch (s) {
    case 200: case 201: case 202: case 204: return Code::kOk;
    case 400: return Code::kBadRequest;
    case 401: return Code::kUnauthorized;
    case 403: return Code::kForbidden;
    case 404: return Code::kNotFound;
    case 405: return Code::kMethodNotAllowed;
    case 406: return Code::kNotAcceptable;
    case 409: return Code::kConflict;
    case 410: return Code::kExpired;
    case 413: return Code::kRequestTooLarge;
    case 415: return Code::kUnsupportedMedia;
    case 422: return Code::kInvalid;
    case 429: return Code::kTooManyRequests;
    case 503: return Code::kUnavailable;
    case 504: return Code::kTimeout;
    default: return s >= 500 ? Code::kInternal : Code::kBadRequest;
  }
}

}  // namespace common
