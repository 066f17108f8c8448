#include "common/yaml.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <regex>

#include "common/strings.h"

namespace common {
namespace {

bool IsNullWord(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// YAML 1.1 booleans, as go-yaml v2 (and so sigs.k8s.io/yaml) resolves them.
std::optional<bool> BoolWord(const std::string& s) {
  static const char* kTrue[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE",
                                "on", "On", "ON"};
  static const char* kFalse[] = {"n", "N", "no", "No", "NO", "false", "False", "FALSE",
                                 "off", "Off", "OFF"};
  for (const char* w : kTrue)
    if (s == w) return true;
  for (const char* w : kFalse)
    if (s == w) return false;
  return std::nullopt;
}

std::optional<Json> NumberWord(const std::string& raw) {
  std::string s;
  for (char c : raw)
    if (c != '_') s += c;
  if (s.empty()) return std::nullopt;
  static const std::regex kInt("[-+]?(0|[1-9][0-9]*)");
  static const std::regex kOct("[-+]?0[0-7]+");
  static const std::regex kHex("[-+]?0x[0-9a-fA-F]+");
  static const std::regex kFloat(
      "[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
  if (std::regex_match(s, kInt)) {
    try {
      size_t idx = 0;
      long long v = std::stoll(s, &idx, 10);
      return Json(static_cast<int64_t>(v));
    } catch (...) {
      try {
        return Json(std::stod(s));
      } catch (...) {
        return std::nullopt;
      }
    }
  }
  if (std::regex_match(s, kHex) || std::regex_match(s, kOct)) {
    try {
      bool neg = s[0] == '-';
      std::string digits = (s[0] == '-' || s[0] == '+') ? s.substr(1) : s;
      long long v = std::stoll(digits, nullptr, digits.starts_with("0x") ? 16 : 8);
      return Json(static_cast<int64_t>(neg ? -v : v));
    } catch (...) {
      return std::nullopt;
    }
  }
  if (std::regex_match(s, kFloat)) {
    try {
      return Json(std::stod(s));
    } catch (...) {
      return std::nullopt;
    }
  }
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf" || s == "+.Inf" || s == "+.INF")
    return Json(std::numeric_limits<double>::infinity());
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF")
    return Json(-std::numeric_limits<double>::infinity());
  return std::nullopt;
}

Result<Json> Convert(const YAML::Node& node, int depth) {
  if (depth > 200) return Status::BadRequest("yaml: exceeded max depth of 200");
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return Json(nullptr);
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      const std::string& tag = node.Tag();
      if (tag == "!" || tag == "tag:yaml.org,2002:str" || tag == "!!str") return Json(s);
      if (tag == "?" || tag.empty()) {
        if (IsNullWord(s)) return Json(nullptr);
        if (auto b = BoolWord(s)) return Json(*b);
        if (auto n = NumberWord(s)) return *n;
        return Json(s);
      }
      if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float") {
        if (auto n = NumberWord(s)) return *n;
        return Status::BadRequest("yaml: cannot decode !!int `" + s + "`");
      }
      if (tag == "tag:yaml.org,2002:bool") {
        if (auto b = BoolWord(s)) return Json(*b);
        return Status::BadRequest("yaml: cannot decode !!bool `" + s + "`");
      }
      if (tag == "tag:yaml.org,2002:null") return Json(nullptr);
      return Json(s);
    }
    case YAML::NodeType::Sequence: {
      Json arr = Json::array();
      for (const auto& item : node) {
        auto v = Convert(item, depth + 1);
        if (!v.ok()) return v;
        arr.push_back(std::move(*v));
      }
      return arr;
    }
    case YAML::NodeType::Map: {
      Json obj = Json::object();
      for (const auto& kv : node) {
        std::string key;
        if (kv.first.IsScalar()) {
          key = kv.first.Scalar();
        } else if (kv.first.IsNull()) {
          key = "null";
        } else {
          return Status::BadRequest(
              "error converting YAML to JSON: yaml: invalid map key: complex keys are not "
              "supported");
        }
        auto v = Convert(kv.second, depth + 1);
        if (!v.ok()) return v;
        obj[key] = std::move(*v);
      }
      return obj;
    }
  }
  return Json(nullptr);
}

// ---- emitter ----

bool NeedsQuotes(const std::string& s) {
  if (s.empty()) return true;
  if (IsNullWord(s) || BoolWord(s) || NumberWord(s)) return true;
  if (s == "-" || s == "." || s == "<<" || s == "=") return true;
  unsigned char first = static_cast<unsigned char>(s.front());
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(static_cast<char>(first)) !=
          std::string_view::npos &&
      !(first == '-' && s.size() > 1 && s[1] != ' ' && s[1] != '-'))
    return true;
  if (std::isspace(first) || std::isspace(static_cast<unsigned char>(s.back()))) return true;
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return true;
  if (s.back() == ':') return true;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

std::string Quote(const std::string& s) {
  // JSON string syntax is valid YAML double-quoted syntax.
  return Json(s).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string Scalar(const Json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::isinf(d)) return d > 0 ? ".inf" : "-.inf";
    if (std::isnan(d)) return ".nan";
    return v.dump();
  }
  const std::string& s = v.get_ref<const std::string&>();
  return NeedsQuotes(s) ? Quote(s) : s;
}

bool IsMultiline(const Json& v) {
  if (!v.is_string()) return false;
  const std::string& s = v.get_ref<const std::string&>();
  if (s.find('\n') == std::string::npos) return false;
  // Literal blocks cannot carry trailing spaces on lines or control bytes.
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\n') || c == 0x7f) return false;
  return s.find(" \n") == std::string::npos && s.front() != ' ';
}

void EmitBlockString(const std::string& s, const std::string& indent, std::string& out) {
  // go-yaml v2 picks "|" when the text ends in exactly one newline, "|-" when
  // it ends in none, "|+" when it ends in more.
  size_t trailing = 0;
  while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n') ++trailing;
  out += trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+";
  out += '\n';
  std::string body = s.substr(0, s.size() - trailing);
  for (const std::string& line : Split(body, '\n')) {
    if (!line.empty()) out += indent + line;
    out += '\n';
  }
  for (size_t i = 1; i < trailing; ++i) out += '\n';
}

void Emit(const Json& v, const std::string& indent, std::string& out);

std::vector<std::string> SortedKeys(const Json& obj) {
  std::vector<std::string> keys;
  for (auto it = obj.begin(); it != obj.end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  return keys;
}

// Emits the value of a "key:" already written (without newline).
void EmitValueAfterKey(const Json& v, const std::string& indent, std::string& out) {
  if (v.is_object() && !v.empty()) {
    out += '\n';
    Emit(v, indent + "  ", out);
  } else if (v.is_array() && !v.empty()) {
    out += '\n';
    Emit(v, indent, out);
  } else if (v.is_object()) {
    out += " {}\n";
  } else if (v.is_array()) {
    out += " []\n";
  } else if (IsMultiline(v)) {
    out += ' ';
    EmitBlockString(v.get_ref<const std::string&>(), indent + "  ", out);
  } else {
    out += ' ' + Scalar(v) + '\n';
  }
}

void Emit(const Json& v, const std::string& indent, std::string& out) {
  if (v.is_object()) {
    for (const std::string& k : SortedKeys(v)) {
      out += indent + (NeedsQuotes(k) ? Quote(k) : k) + ":";
      EmitValueAfterKey(v[k], indent, out);
    }
  } else if (v.is_array()) {
    for (const Json& item : v) {
      if (item.is_object() && !item.empty()) {
        // "- " then the first key on the same line, the rest indented under it.
        std::string sub;
        Emit(item, indent + "  ", sub);
        out += indent + "- " + sub.substr(indent.size() + 2);
      } else if (item.is_array() && !item.empty()) {
        std::string sub;
        Emit(item, indent + "  ", sub);
        out += indent + "- " + sub.substr(indent.size() + 2);
      } else if (item.is_object()) {
        out += indent + "- {}\n";
      } else if (item.is_array()) {
        out += indent + "- []\n";
      } else if (IsMultiline(item)) {
        out += indent + "- ";
        EmitBlockString(item.get_ref<const std::string&>(), indent + "  ", out);
      } else {
        out += indent + "- " + Scalar(item) + "\n";
      }
    }
  } else if (IsMultiline(v)) {
    EmitBlockString(v.get_ref<const std::string&>(), indent + "  ", out);
  } else {
    out += indent + Scalar(v) + "\n";
  }
}

}  // namespace

Result<std::vector<Json>> ParseYamlDocuments(std::string_view text) {
  std::vector<Json> docs;
  try {
    std::vector<YAML::Node> nodes = YAML::LoadAll(std::string(text));
    for (const auto& n : nodes) {
      if (!n.IsDefined() || n.IsNull()) continue;
      auto j = Convert(n, 0);
      if (!j.ok()) return j.status();
      docs.push_back(std::move(*j));
    }
  } catch (const YAML::Exception& e) {
    std::string msg = e.msg;
    return Status::BadRequest("error converting YAML to JSON: yaml: line " +
                              std::to_string(e.mark.line + 1) + ": " + msg);
  }
  return docs;
}

Result<Json> ParseYaml(std::string_view text) {
  auto docs = ParseYamlDocuments(text);
  if (!docs.ok()) return docs.status();
  if (docs->empty()) return Json(nullptr);
  return std::move((*docs)[0]);
}

std::string ToYaml(const Json& value) {
  std::string out;
  if (value.is_object() && value.empty()) return "{}\n";
  if (value.is_array() && value.empty()) return "[]\n";
  Emit(value, "", out);
  return out;
}

}  // namespace common
