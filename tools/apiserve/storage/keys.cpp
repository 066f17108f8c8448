#include "storage/keys.h"

#include "common/base64.h"
#include "common/json.h"

namespace apiserve::storage {

std::string ObjectKey(const std::string& prefix, const std::string& segment,
                      const std::string& ns, const std::string& name) {
  std::string k = prefix;
  k += '/';
  k += segment;
  k += '/';
  if (!ns.empty()) {
    k += ns;
    k += '/';
  }
  k += name;
  return k;
}

std::string ListPrefix(const std::string& prefix, const std::string& segment,
                       const std::string& ns) {
  std::string k = prefix + "/" + segment + "/";
  if (!ns.empty()) k += ns + "/";
  return k;
}

const char* const kContinueExpiredMessage =
    "The provided continue parameter is too old to display a consistent list result. You can "
    "start a new list without the continue parameter, or use the continue token in this "
    "response to retrieve the remainder of the results. Continuing with the provided token "
    "results in an inconsistent list - objects that were created, modified, or deleted "
    "between the time the first chunk was returned and now may show up in the list.";

std::string EncodeContinue(const std::string& last_key, const std::string& list_prefix,
                           int64_t rv) {
  // apiserver storage/continue.go: the start key is relative to the list
  // prefix and begins just after the last key returned.
  std::string rel = last_key.substr(std::min(last_key.size(), list_prefix.size()));
  rel.push_back('\0');
  common::Json j = common::Json::object();
  j["v"] = "meta.k8s.io/v1";
  j["rv"] = rv;
  j["start"] = rel;
  return common::Base64UrlEncode(common::DumpJson(j));
}

common::Result<ContinueToken> DecodeContinue(const std::string& token,
                                             const std::string& list_prefix) {
  auto bad = [](const std::string& why) {
    return common::Status::BadRequest("continue key is not valid: " + why);
  };
  auto raw = common::Base64UrlDecode(token);
  if (!raw) return bad("illegal base64 data");
  auto j = common::ParseJson(*raw);
  if (!j.ok() || !j->is_object()) return bad("invalid character in continue token");
  if (common::GetString(*j, "v") != "meta.k8s.io/v1")
    return bad("server does not recognize this encoded key");
  ContinueToken t;
  t.rv = common::GetInt(*j, "rv", 0);
  if (t.rv == 0) return bad("incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  std::string start = common::GetString(*j, "start");
  if (start.empty()) return bad("encoded start key empty (version meta.k8s.io/v1)");
  // Reject keys that would escape the prefix ("../").
  if (start.find("..") != std::string::npos || start[0] == '/')
    return bad("continue key is not valid");
  t.start_key = list_prefix + start;
  return t;
}

}  // namespace apiserve::storage
