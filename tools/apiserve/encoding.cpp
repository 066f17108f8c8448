#include "encoding.h"

#include <set>

#include "common/api/conversion.h"
#include "common/strings.h"
#include "common/yaml.h"
#include "protobuf.h"
#include "storage/json_extract.h"

namespace apiserve {

using common::Json;

namespace {

struct MediaRange {
  std::string type;  // "application/json"
  std::map<std::string, std::string> params;
};

std::vector<MediaRange> ParseAccept(std::string_view accept) {
  std::vector<MediaRange> out;
  for (const auto& part : common::Split(accept, ',')) {
    auto fields = common::Split(part, ';');
    MediaRange m;
    m.type = common::ToLower(common::TrimSpace(fields[0]));
    for (size_t i = 1; i < fields.size(); ++i) {
      auto eq = fields[i].find('=');
      if (eq == std::string::npos) continue;
      m.params[std::string(common::TrimSpace(fields[i].substr(0, eq)))] =
          std::string(common::TrimSpace(fields[i].substr(eq + 1)));
    }
    if (!m.type.empty()) out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

OutputFormat NegotiateOutput(const common::HttpRequest& req) {
  OutputFormat f;
  auto pretty = req.Query("pretty");
  f.pretty = pretty && (*pretty == "true" || *pretty == "1");
  for (const auto& m : ParseAccept(req.Header("Accept"))) {
    auto as = m.params.find("as");
    if (as != m.params.end()) {
      auto g = m.params.find("g");
      auto v = m.params.find("v");
      if (g == m.params.end() || g->second != "meta.k8s.io") continue;
      if (m.type != "application/json" && m.type != "application/yaml") continue;
      std::string ver = v == m.params.end() ? "v1" : v->second;
      if (ver != "v1" && ver != "v1beta1") continue;
      if (as->second == "Table") {
        f.kind = OutputFormat::Kind::kTable;
        f.table_version = ver;
        return f;
      }
      if (as->second == "PartialObjectMetadata" || as->second == "PartialObjectMetadataList") {
        f.kind = OutputFormat::Kind::kPartialMetadata;
        f.table_version = ver;
        return f;
      }
      continue;
    }
    if (m.type == "application/yaml") {
      f.kind = OutputFormat::Kind::kYaml;
      return f;
    }
    if (m.type == "application/json" || m.type == "*/*" || m.type == "application/*") return f;
    // application/vnd.kubernetes.protobuf: kubix speaks JSON only; clients
    // that list JSON or */* next fall through to it.
  }
  return f;
}

namespace {

// Go's hex.EncodeToString of the first bytes, as upstream summarizes bodies.
std::string Summarize(std::string_view body) {
  const size_t kMax = 30;
  if (body.empty()) return "<empty>";
  if (body[0] == '{') {
    if (body.size() > kMax) return std::string(body.substr(0, kMax)) + " ...";
    return std::string(body);
  }
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < std::min(body.size(), kMax); ++i) {
    out += hex[static_cast<unsigned char>(body[i]) >> 4];
    out += hex[static_cast<unsigned char>(body[i]) & 15];
  }
  if (body.size() > kMax) out += " ...";
  return out;
}

}  // namespace

common::Result<Json> DecodeBody(const common::HttpRequest& req, const ServedResource& res,
                                ApiError* error) {
  std::string ct = common::ToLower(common::TrimSpace(common::Split(req.Header("Content-Type"), ';')[0]));
  const std::string& kind = res.info.kind;
  Json obj;
  if (ct.empty() || ct == "application/json" || ct == "*/*") {
    auto parsed = common::ParseJson(req.body);
    if (!parsed.ok()) {
      *error = ApiError::BadRequest("the object provided is unrecognized (must be of type " +
                                    kind + "): couldn't get version/kind; json parse error: " +
                                    parsed.status().message() + " (" + Summarize(req.body) + ")");
      return common::Status::BadRequest(error->message);
    }
    obj = std::move(parsed).value();
  } else if (ct == "application/yaml" || ct == "application/x-yaml" || ct == "text/yaml") {
    auto parsed = common::ParseYaml(req.body);
    if (!parsed.ok()) {
      *error = ApiError::BadRequest("the object provided is unrecognized (must be of type " +
                                    kind + "): couldn't get version/kind; json parse error: " +
                                    parsed.status().message() + " (" + Summarize(req.body) + ")");
      return common::Status::BadRequest(error->message);
    }
    obj = std::move(parsed).value();
  } else if (ct == kProtobufContentType) {
    auto parsed = DecodeKubeProtobuf(req.body);
    if (!parsed.ok()) {
      *error = ApiError::BadRequest(parsed.status().message());
      return parsed.status();
    }
    obj = std::move(parsed).value();
  } else {
    *error = ApiError::UnsupportedMediaType(ct);
    error->message = "the body of the request was in an unknown format - accepted media types "
                     "include: application/json, application/yaml, "
                     "application/vnd.kubernetes.protobuf";
    return common::Status(common::Code::kUnsupportedMedia, error->message);
  }
  if (!obj.is_object()) {
    std::string what = obj.is_array() ? "array" : obj.is_string() ? "string" : obj.is_null() ? "null" : "value";
    *error = ApiError::BadRequest("the object provided is unrecognized (must be of type " + kind +
                                  "): couldn't get version/kind; json parse error: json: cannot "
                                  "unmarshal " + what + " into Go value of type struct { "
                                  "APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind "
                                  "string \"json:\\\"kind,omitempty\\\"\" } (" +
                                  Summarize(req.body) + ")");
    return common::Status::BadRequest(error->message);
  }
  // Missing apiVersion/kind default to the endpoint's, as the decoder does.
  std::string want_gv = res.info.gv().String();
  if (!obj.contains("apiVersion") || !obj["apiVersion"].is_string() ||
      obj["apiVersion"].get<std::string>().empty())
    obj["apiVersion"] = want_gv;
  if (!obj.contains("kind") || !obj["kind"].is_string() || obj["kind"].get<std::string>().empty())
    obj["kind"] = kind;
  std::string got_gv = obj["apiVersion"].get<std::string>();
  std::string got_kind = obj["kind"].get<std::string>();
  if (got_kind != kind) {
    auto gv = common::api::GroupVersion::Parse(got_gv);
    std::string ig = gv.group.empty() ? "core" : gv.group;
    std::string rg = res.info.group.empty() ? "core" : res.info.group;
    // The codec finds no conversion from the posted kind into the endpoint's.
    *error = ApiError::BadRequest(got_kind + " in version \"" + gv.version +
                                  "\" cannot be handled as a " + kind + ": converting (" +
                                  gv.version + "." + got_kind + ") to (" + rg + "." + kind +
                                  "): unknown conversion");
    return common::Status::BadRequest(error->message);
  }
  if (got_gv != want_gv) {
    // Another served version of the same kind is converted (HPA v1 <-> v2).
    auto gv = common::api::GroupVersion::Parse(got_gv);
    bool convertible = gv.group == res.info.group && !res.custom &&
                       common::api::FindResource(gv.group, gv.version, res.info.resource);
    if (convertible) {
      auto conv = common::api::Convert(obj, res.info.gv());
      if (conv.ok()) return conv;
    }
    *error = ApiError::BadRequest("the API version in the data (" + got_gv +
                                  ") does not match the expected API version (" + want_gv + ")");
    return common::Status::BadRequest(error->message);
  }
  return obj;
}

namespace {

class DupFinder : public nlohmann::json_sax<Json> {
 public:
  std::vector<std::string> dups;
  bool null() override { return Value(); }
  bool boolean(bool) override { return Value(); }
  bool number_integer(number_integer_t) override { return Value(); }
  bool number_unsigned(number_unsigned_t) override { return Value(); }
  bool number_float(number_float_t, const string_t&) override { return Value(); }
  bool string(string_t&) override { return Value(); }
  bool binary(binary_t&) override { return Value(); }
  bool start_object(std::size_t) override {
    stack_.push_back({true, {}, 0, Path()});
    return true;
  }
  bool key(string_t& k) override {
    auto& top = stack_.back();
    if (!top.keys.insert(k).second) {
      dups.push_back(top.path.empty() ? k : top.path + "." + k);
    }
    cur_key_ = k;
    return true;
  }
  bool end_object() override {
    stack_.pop_back();
    return Value();
  }
  bool start_array(std::size_t) override {
    stack_.push_back({false, {}, 0, Path()});
    return true;
  }
  bool end_array() override {
    stack_.pop_back();
    return Value();
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  struct Level {
    bool object;
    std::set<std::string> keys;
    size_t index;
    std::string path;
  };
  // The path of the value about to start.
  std::string Path() const {
    if (stack_.empty()) return "";
    const auto& top = stack_.back();
    if (top.object) return top.path.empty() ? cur_key_ : top.path + "." + cur_key_;
    return top.path + "[" + std::to_string(top.index) + "]";
  }
  bool Value() {
    if (!stack_.empty() && !stack_.back().object) stack_.back().index++;
    return true;
  }
  std::vector<Level> stack_;
  std::string cur_key_;
};

}  // namespace

common::Result<Json> DecodeAnyBody(const common::HttpRequest& req) {
  std::string ct = common::ToLower(common::TrimSpace(common::Split(req.Header("Content-Type"), ';')[0]));
  if (ct == kProtobufContentType) return DecodeKubeProtobuf(req.body);
  if (ct == "application/yaml" || ct == "application/x-yaml" || ct == "text/yaml")
    return common::ParseYaml(req.body);
  return common::ParseJson(req.body);
}

std::vector<std::string> DuplicateFields(std::string_view json) {
  // Nearly every body is free of duplicates: screen it cheaply first.
  if (!storage::MayHaveDuplicateKeys(json)) return {};
  DupFinder f;
  Json::sax_parse(json.begin(), json.end(), &f, nlohmann::detail::input_format_t::json, false);
  return f.dups;
}

common::Result<std::string> ToServedVersion(const ServedResource& res, const std::string& bytes) {
  if (res.info.storage_version == res.info.gv()) return bytes;
  auto parsed = common::ParseJson(bytes);
  if (!parsed.ok()) return parsed.status();
  auto conv = ToServedVersion(res, std::move(parsed).value());
  if (!conv.ok()) return conv.status();
  return common::DumpJson(*conv);
}

common::Result<Json> ToServedVersion(const ServedResource& res, Json obj) {
  if (res.info.storage_version == res.info.gv()) return obj;
  if (res.custom) {
    obj["apiVersion"] = res.info.gv().String();
    return obj;
  }
  return common::api::Convert(obj, res.info.gv());
}

common::Result<Json> ToStorageVersion(const ServedResource& res, Json obj) {
  if (res.info.storage_version == res.info.gv()) return obj;
  if (res.custom) {
    obj["apiVersion"] = res.info.storage_version.String();
    return obj;
  }
  return common::api::Convert(obj, res.info.storage_version);
}

}  // namespace apiserve
