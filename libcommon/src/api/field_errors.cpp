#include "field_errors.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "common/strings.h"

namespace common::api {
namespace {

constexpr std::string_view kTypeRequired = "FieldValueRequired";
constexpr std::string_view kTypeInvalid = "FieldValueInvalid";

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }


std::string RegexError(std::string_view msg, std::string_view fmt,
                       std::initializer_list<std::string_view> examples) {
  std::string out(msg);
  if (examples.size() > 0) {
    out += " (e.g. ";
    bool first = true;
    for (std::string_view e : examples) {
      if (!first) out += " or ";
      first = false;
      out += "'" + std::string(e) + "', ";
    }
    out += "regex used for validation is '" + std::string(fmt) + "')";
  } else {
    out += " (regex used for validation is '" + std::string(fmt) + "')";
  }
  return out;
}

std::string MaxLen(size_t n) { return "must be no more than " + std::to_string(n) + " characters"; }

bool MatchDns1123Label(std::string_view s) {
  if (s.empty() || !IsLowerAlnum(s.front()) || !IsLowerAlnum(s.back())) return false;
  for (char c : s)
    if (!IsLowerAlnum(c) && c != '-') return false;
  return true;
}

bool MatchDns1123Subdomain(std::string_view s) {
  if (s.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view label = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (!MatchDns1123Label(label)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool MatchQualifiedNamePart(std::string_view s) {
  if (s.empty() || !IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  for (char c : s)
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

constexpr std::string_view kQualifiedNameMsg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character";
constexpr std::string_view kQualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";

}  // namespace

// Go's strconv.Quote for the ASCII cases that appear in field errors.
std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
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
  return out + "\"";
}

std::string FieldError::ToString() const {
  static const std::map<std::string, std::string> kNames = {
      {"FieldValueRequired", "Required value"},     {"FieldValueInvalid", "Invalid value"},
      {"FieldValueNotSupported", "Unsupported value"}, {"FieldValueDuplicate", "Duplicate value"},
      {"FieldValueTooLong", "Too long"},             {"FieldValueTooMany", "Too many"},
      {"FieldValueForbidden", "Forbidden"},          {"FieldValueTypeInvalid", "Invalid value"},
      {"InternalError", "Internal error"},           {"FieldValueNotFound", "Not found"},
  };
  auto it = kNames.find(type);
  std::string body = it == kNames.end() ? type : it->second;
  bool omit_value = type == "FieldValueRequired" || type == "FieldValueForbidden" ||
                    type == "FieldValueTooLong" || type == "InternalError";
  if (!omit_value) {
    const Json& v = bad_value;
    if (!bad_value_repr.empty()) body += ": " + bad_value_repr;
    else if (v.is_null()) body += ": null";
    else if (v.is_string()) body += ": " + GoQuote(v.get<std::string>());
    else if (v.is_number() || v.is_boolean()) body += ": " + v.dump();
    else body += ": " + DumpJson(v);
  }
  if (!detail.empty()) body += ": " + detail;
  return field + ": " + body;
}

FieldError Required(const Path& p, std::string detail) {
  return {std::string(kTypeRequired), p.str(), std::move(detail), ""};
}
FieldError Invalid(const Path& p, const Json& value, std::string detail) {
  return {std::string(kTypeInvalid), p.str(), std::move(detail), value};
}
FieldError NotSupported(const Path& p, const Json& value, const std::vector<std::string>& valid) {
  std::string detail;
  if (!valid.empty()) {
    detail = "supported values: ";
    for (size_t i = 0; i < valid.size(); ++i) detail += (i ? ", " : "") + GoQuote(valid[i]);
  }
  return {"FieldValueNotSupported", p.str(), detail, value};
}
FieldError Duplicate(const Path& p, const Json& value) {
  return {"FieldValueDuplicate", p.str(), "", value};
}
FieldError Forbidden(const Path& p, std::string detail) {
  return {"FieldValueForbidden", p.str(), std::move(detail), ""};
}
FieldError TooLong(const Path& p, const Json& value, int64_t max_bytes) {
  return {"FieldValueTooLong", p.str(),
          "may not be more than " + std::to_string(max_bytes) + (max_bytes == 1 ? " byte" : " bytes"),
          value};
}
FieldError TooMany(const Path& p, int64_t actual, int64_t max) {
  return {"FieldValueTooMany", p.str(), "must have at most " + std::to_string(max) + " items",
          Json(actual)};
}
FieldError TypeInvalid(const Path& p, const Json& value, std::string detail) {
  return {"FieldValueTypeInvalid", p.str(), std::move(detail), value};
}

std::string GoStringMap(const Json& m) {
  if (!m.is_object()) return "map[string]string(nil)";
  std::vector<std::pair<std::string, std::string>> kv;
  for (auto it = m.begin(); it != m.end(); ++it)
    kv.emplace_back(it.key(), it.value().is_string() ? it.value().get<std::string>() : it.value().dump());
  std::sort(kv.begin(), kv.end());
  std::string out = "map[string]string{";
  for (size_t i = 0; i < kv.size(); ++i)
    out += (i ? ", " : "") + GoQuote(kv[i].first) + ":" + GoQuote(kv[i].second);
  return out + "}";
}

std::string GoLabelSelector(const Json& sel) {
  std::string out = "v1.LabelSelector{MatchLabels:" + GoStringMap(Get(sel, "matchLabels")) +
                    ", MatchExpressions:";
  const Json& exprs = Get(sel, "matchExpressions");
  if (!exprs.is_array()) return out + "[]v1.LabelSelectorRequirement(nil)}";
  out += "[]v1.LabelSelectorRequirement{";
  for (size_t i = 0; i < exprs.size(); ++i) {
    out += std::string(i ? ", " : "") + "v1.LabelSelectorRequirement{Key:" +
           GoQuote(GetString(exprs[i], "key")) + ", Operator:" + GoQuote(GetString(exprs[i], "operator")) +
           ", Values:";
    const Json& vals = Get(exprs[i], "values");
    if (!vals.is_array()) {
      out += "[]string(nil)}";
      continue;
    }
    out += "[]string{";
    for (size_t j = 0; j < vals.size(); ++j)
      out += (j ? ", " : "") + GoQuote(vals[j].is_string() ? vals[j].get<std::string>() : "");
    out += "}}";
  }
  return out + "}}";
}

FieldError InvalidRepr(const Path& p, std::string repr, std::string detail) {
  FieldError e{"FieldValueInvalid", p.str(), std::move(detail), nullptr};
  e.bad_value_repr = std::move(repr);
  return e;
}

FieldError NotFound(const Path& p, const Json& value) {
  return {"FieldValueNotFound", p.str(), "", value};
}

ErrorList ValidateImmutable(const Json& new_value, const Json& old_value, const Path& p) {
  if (new_value == old_value) return {};
  return {Invalid(p, new_value, "field is immutable")};
}

std::vector<std::string> IsDNS1123Subdomain(std::string_view v) {
  std::vector<std::string> errs;
  if (v.size() > 253) errs.push_back(MaxLen(253));
  if (!MatchDns1123Subdomain(v))
    errs.push_back(RegexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
        "or '.', and must start and end with an alphanumeric character",
        "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", {"example.com"}));
  return errs;
}

std::vector<std::string> IsDNS1123Label(std::string_view v) {
  std::vector<std::string> errs;
  if (v.size() > 63) errs.push_back(MaxLen(63));
  if (!MatchDns1123Label(v)) {
    if (MatchDns1123Subdomain(v))
      errs.push_back("must not contain dots");
    else
      errs.push_back(RegexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
          "and must start and end with an alphanumeric character",
          "[a-z0-9]([-a-z0-9]*[a-z0-9])?", {"my-name", "123-abc"}));
  }
  return errs;
}

std::vector<std::string> IsDNS1035Label(std::string_view v) {
  std::vector<std::string> errs;
  if (v.size() > 63) errs.push_back(MaxLen(63));
  bool ok = !v.empty() && v.front() >= 'a' && v.front() <= 'z' && IsLowerAlnum(v.back());
  for (char c : v)
    if (!IsLowerAlnum(c) && c != '-') ok = false;
  if (!ok)
    errs.push_back(RegexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
        "alphabetic character, and end with an alphanumeric character",
        "[a-z]([-a-z0-9]*[a-z0-9])?", {"my-name", "abc-123"}));
  return errs;
}

std::vector<std::string> IsQualifiedName(std::string_view v) {
  std::vector<std::string> errs;
  std::vector<std::string> parts = Split(v, '/');
  std::string name;
  if (parts.size() == 1) {
    name = parts[0];
  } else if (parts.size() == 2) {
    const std::string& prefix = parts[0];
    name = parts[1];
    if (prefix.empty()) {
      errs.push_back("prefix part must be non-empty");
    } else {
      for (const std::string& m : IsDNS1123Subdomain(prefix)) errs.push_back("prefix part " + m);
    }
  } else {
    errs.push_back("a qualified name " +
                   RegexError(kQualifiedNameMsg, kQualifiedNameFmt, {"MyName", "my.name", "123-abc"}) +
                   " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
    return errs;
  }
  if (name.empty())
    errs.push_back("name part must be non-empty");
  else if (name.size() > 63)
    errs.push_back("name part " + MaxLen(63));
  if (!MatchQualifiedNamePart(name))
    errs.push_back("name part " +
                   RegexError(kQualifiedNameMsg, kQualifiedNameFmt, {"MyName", "my.name", "123-abc"}));
  return errs;
}

std::vector<std::string> IsValidLabelValue(std::string_view v) {
  std::vector<std::string> errs;
  if (v.size() > 63) errs.push_back(MaxLen(63));
  if (!v.empty() && !MatchQualifiedNamePart(v))
    errs.push_back(RegexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
        "'.', and must start and end with an alphanumeric character",
        "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?", {"MyValue", "my_value", "12345"}));
  return errs;
}

std::vector<std::string> IsValidPortName(std::string_view v) {
  std::vector<std::string> errs;
  if (v.size() > 15) errs.push_back(MaxLen(15));
  bool chars_ok = true, has_letter = false;
  for (char c : v) {
    if (!IsLowerAlnum(c) && c != '-') chars_ok = false;
    if (c >= 'a' && c <= 'z') has_letter = true;
  }
  if (!chars_ok) errs.push_back("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (v.find("--") != std::string_view::npos) errs.push_back("must not contain consecutive hyphens");
  if (!v.empty() && (v.front() == '-' || v.back() == '-'))
    errs.push_back("must not begin or end with a hyphen");
  if (!has_letter) errs.push_back("must contain at least one letter (a-z)");
  return errs;
}

std::vector<std::string> IsValidPortNum(int64_t port) {
  if (port >= 1 && port <= 65535) return {};
  return {"must be between 1 and 65535, inclusive"};
}

std::vector<std::string> IsEnvVarName(std::string_view v) {
  bool ok = !v.empty() && !std::isdigit(static_cast<unsigned char>(v.front()));
  for (char c : v)
    if (!IsAlnum(c) && c != '-' && c != '.' && c != '_') ok = false;
  std::vector<std::string> errs;
  if (!ok)
    errs.push_back(RegexError(
        "a valid environment variable name must consist of alphabetic characters, digits, '_', "
        "'-', or '.', and must not start with a digit",
        "[-._a-zA-Z][-._a-zA-Z0-9]*", {"my.env-name", "MY_ENV.NAME", "MyEnvName1"}));
  return errs;
}

std::vector<std::string> IsConfigMapKey(std::string_view v) {
  std::vector<std::string> errs;
  if (v.size() > 253) errs.push_back(MaxLen(253));
  bool ok = !v.empty();
  for (char c : v)
    if (!IsAlnum(c) && c != '-' && c != '.' && c != '_') ok = false;
  if (!ok)
    errs.push_back(RegexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        "[-._a-zA-Z0-9]+", {"key.name", "KEY_NAME", "key-name"}));
  if (v == ".") errs.push_back("must not be '.'");
  else if (v == "..") errs.push_back("must not be '..'");
  else if (v.substr(0, 2) == "..") errs.push_back("must not start with '..'");
  return errs;
}

std::vector<std::string> IsValidIP(std::string_view v) {
  // IPv4 dotted quad (no leading zeros, as Go's netip) or an IPv6 literal.
  auto v4 = [](std::string_view s) {
    std::vector<std::string> parts = Split(s, '.');
    if (parts.size() != 4) return false;
    for (const std::string& p : parts) {
      if (p.empty() || p.size() > 3 || (p.size() > 1 && p[0] == '0')) return false;
      for (char c : p)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
      if (std::stoi(p) > 255) return false;
    }
    return true;
  };
  auto v6 = [&](std::string_view s) {
    if (s.find(':') == std::string_view::npos) return false;
    size_t dbl = s.find("::");
    if (dbl != std::string_view::npos && s.find("::", dbl + 1) != std::string_view::npos) return false;
    int groups = 0;
    std::vector<std::string> parts = Split(s, ':');
    for (size_t i = 0; i < parts.size(); ++i) {
      const std::string& p = parts[i];
      if (p.empty()) continue;
      if (i == parts.size() - 1 && p.find('.') != std::string::npos) {
        if (!v4(p)) return false;
        groups += 2;
        continue;
      }
      if (p.size() > 4) return false;
      for (char c : p)
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
      ++groups;
    }
    return dbl == std::string_view::npos ? groups == 8 : groups < 8;
  };
  if (v4(v) || v6(v)) return {};
  return {"must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"};
}

std::vector<std::string> IsValidPathSegmentName(std::string_view v) {
  if (v == ".") return {"may not be '.'"};
  if (v == "..") return {"may not be '..'"};
  std::vector<std::string> errs;
  if (v.find('/') != std::string_view::npos) errs.push_back("may not contain '/'");
  if (v.find('%') != std::string_view::npos) errs.push_back("may not contain '%'");
  return errs;
}

std::vector<std::string> IsDomainPrefixedPath(std::string_view v) {
  size_t slash = v.find('/');
  if (slash == std::string_view::npos || slash == 0)
    return {"must be a domain-prefixed path (such as \"acme.io/foo\")"};
  std::vector<std::string> errs;
  for (const std::string& m : IsDNS1123Subdomain(v.substr(0, slash))) errs.push_back(m);
  return errs;
}

ErrorList InvalidEach(const Path& p, const Json& value, const std::vector<std::string>& msgs) {
  ErrorList out;
  for (const std::string& m : msgs) out.push_back(Invalid(p, value, m));
  return out;
}

ErrorList ValidateNonnegative(const Path& p, int64_t v) {
  if (v >= 0) return {};
  return {Invalid(p, v, "must be greater than or equal to 0")};
}

ErrorList ValidatePositive(const Path& p, int64_t v) {
  if (v > 0) return {};
  return {Invalid(p, v, "must be greater than zero")};
}

ErrorList ValidateLabels(const Json& labels, const Path& p) {
  ErrorList out;
  if (!labels.is_object()) return out;
  for (auto it = labels.begin(); it != labels.end(); ++it) {
    Append(out, InvalidEach(p, it.key(), IsQualifiedName(it.key())));
    if (!it.value().is_string()) continue;
    Append(out, InvalidEach(p, it.value(), IsValidLabelValue(it.value().get<std::string>())));
  }
  return out;
}

ErrorList ValidateAnnotations(const Json& annotations, const Path& p) {
  ErrorList out;
  if (!annotations.is_object()) return out;
  size_t total = 0;
  for (auto it = annotations.begin(); it != annotations.end(); ++it) {
    Append(out, InvalidEach(p, it.key(), IsQualifiedName(ToLower(it.key()))));
    total += it.key().size();
    if (it.value().is_string()) total += it.value().get<std::string>().size();
  }
  if (total > 256 * 1024) out.push_back(TooLong(p, "", 256 * 1024));
  return out;
}

ErrorList ValidateLabelSelector(const Json& selector, const Path& p) {
  ErrorList out;
  if (!selector.is_object()) return out;
  const Json& exprs = Arr(selector, "matchExpressions");
  for (size_t i = 0; i < exprs.size(); ++i) {
    const Json& e = exprs[i];
    Path ep = p.Child("matchExpressions").Index(i);
    std::string op = GetString(e, "operator");
    size_t nvalues = Arr(e, "values").size();
    if (op == "In" || op == "NotIn") {
      if (nvalues == 0)
        out.push_back(Required(ep.Child("values"),
                               "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op == "Exists" || op == "DoesNotExist") {
      if (nvalues > 0)
        out.push_back(Forbidden(ep.Child("values"),
                                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      out.push_back(Invalid(ep.Child("operator"), op, "not a valid selector operator"));
    }
    std::string key = GetString(e, "key");
    Append(out, InvalidEach(ep.Child("key"), key, IsQualifiedName(key)));
  }
  Append(out, ValidateLabels(Get(selector, "matchLabels"), p.Child("matchLabels")));
  return out;
}

}  // namespace common::api
