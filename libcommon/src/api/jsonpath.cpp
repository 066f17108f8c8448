// client-go's JSONPath, one expression (see jsonpath.h).
#include "jsonpath.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>

namespace common::api::jsonpath {
namespace {

using Nodes = std::vector<const Json*>;

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  // Applies the whole expression to `in`.
  Result<Nodes> Run(Nodes in) {
    Skip();
    if (Peek() == '$') ++i_;
    while (true) {
      Skip();
      if (i_ >= s_.size()) return in;
      char c = s_[i_];
      if (c == '.') {
        ++i_;
        if (Peek() == '.') {
          ++i_;
          ASSIGN_OR_RETURN(std::string name, Name());
          in = Descend(in, name);
          continue;
        }
        if (Peek() == '*') {
          ++i_;
          in = Children(in);
          continue;
        }
        if (i_ >= s_.size()) return in;  // a lone "." is the root
        ASSIGN_OR_RETURN(std::string name, Name());
        in = Field(in, name);
      } else if (c == '[') {
        ++i_;
        ASSIGN_OR_RETURN(in, Bracket(std::move(in)));
      } else {
        return Status::BadRequest("unrecognized character in action: " + std::string(1, c));
      }
    }
  }

 private:
  char Peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void Skip() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }

  Result<std::string> Name() {
    size_t start = i_;
    while (i_ < s_.size() && s_[i_] != '.' && s_[i_] != '[' && s_[i_] != ' ' && s_[i_] != ')' &&
           s_[i_] != '=' && s_[i_] != '!' && s_[i_] != '<' && s_[i_] != '>')
      ++i_;
    if (i_ == start) return Status::BadRequest("invalid field name at position " + std::to_string(start));
    return std::string(s_.substr(start, i_ - start));
  }

  static Nodes Field(const Nodes& in, const std::string& name) {
    Nodes out;
    for (const Json* n : in)
      if (n->is_object()) {
        auto it = n->find(name);
        if (it != n->end()) out.push_back(&*it);
      }
    return out;
  }

  static Nodes Children(const Nodes& in) {
    Nodes out;
    for (const Json* n : in)
      if (n->is_object() || n->is_array())
        for (const Json& c : *n) out.push_back(&c);
    return out;
  }

  static Nodes Descend(const Nodes& in, const std::string& name) {
    Nodes out;
    std::function<void(const Json&)> walk = [&](const Json& n) {
      if (n.is_object()) {
        if (name == "*") {
          for (const Json& c : n) out.push_back(&c);
        } else {
          auto it = n.find(name);
          if (it != n.end()) out.push_back(&*it);
        }
        for (const Json& c : n) walk(c);
      } else if (n.is_array()) {
        for (const Json& c : n) walk(c);
      }
    };
    for (const Json* n : in) walk(*n);
    return out;
  }

  Result<std::string> Quoted() {
    char q = s_[i_++];
    std::string out;
    while (i_ < s_.size() && s_[i_] != q) {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;
      out += s_[i_++];
    }
    if (i_ >= s_.size()) return Status::BadRequest("unterminated quoted string");
    ++i_;
    return out;
  }

  std::optional<int64_t> Int() {
    size_t start = i_;
    if (Peek() == '-') ++i_;
    while (i_ < s_.size() && isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    if (i_ == start || (i_ == start + 1 && s_[start] == '-')) {
      i_ = start;
      return std::nullopt;
    }
    return std::stoll(std::string(s_.substr(start, i_ - start)));
  }

  Result<Nodes> Bracket(Nodes in) {
    Skip();
    Nodes out;
    if (Peek() == '*') {
      ++i_;
      RETURN_IF_ERROR(Close());
      return Children(in);
    }
    if (Peek() == '\'' || Peek() == '"') {
      std::vector<std::string> names;
      while (true) {
        ASSIGN_OR_RETURN(std::string n, Quoted());
        names.push_back(n);
        Skip();
        if (Peek() != ',') break;
        ++i_;
        Skip();
      }
      RETURN_IF_ERROR(Close());
      for (const Json* node : in)
        for (const std::string& n : names)
          for (const Json* v : Field({node}, n)) out.push_back(v);
      return out;
    }
    if (Peek() == '?') {
      ++i_;
      if (Peek() != '(') return Status::BadRequest("unclosed filter: missing (");
      ++i_;
      ASSIGN_OR_RETURN(out, Filter(in));
      Skip();
      if (Peek() != ')') return Status::BadRequest("unclosed filter: missing )");
      ++i_;
      RETURN_IF_ERROR(Close());
      return out;
    }
    // [n], [start:end], [start:end:step]
    std::optional<int64_t> parts[3];
    int colons = 0;
    parts[0] = Int();
    while (Peek() == ':' && colons < 2) {
      ++i_;
      ++colons;
      parts[colons] = Int();
    }
    RETURN_IF_ERROR(Close());
    for (const Json* n : in) {
      if (!n->is_array()) continue;
      int64_t len = static_cast<int64_t>(n->size());
      if (colons == 0) {
        if (!parts[0]) return Status::BadRequest("invalid array index");
        int64_t idx = *parts[0] < 0 ? len + *parts[0] : *parts[0];
        if (idx >= 0 && idx < len) out.push_back(&(*n)[static_cast<size_t>(idx)]);
        continue;
      }
      auto clamp = [&](std::optional<int64_t> v, int64_t dflt) {
        int64_t x = v ? (*v < 0 ? len + *v : *v) : dflt;
        return std::clamp<int64_t>(x, 0, len);
      };
      int64_t start = clamp(parts[0], 0), end = clamp(parts[1], len);
      int64_t step = parts[2] && *parts[2] > 0 ? *parts[2] : 1;
      for (int64_t k = start; k < end; k += step) out.push_back(&(*n)[static_cast<size_t>(k)]);
    }
    return out;
  }

  Status Close() {
    Skip();
    if (Peek() != ']') return Status::BadRequest("unterminated array");
    ++i_;
    return Status::Ok();
  }

  // A relative path after '@' inside a filter: .a.b[0]
  Result<Nodes> RelativePath(const Json* from) {
    Nodes cur = {from};
    while (Peek() == '.' || Peek() == '[') {
      if (Peek() == '.') {
        ++i_;
        ASSIGN_OR_RETURN(std::string n, Name());
        cur = Field(cur, n);
      } else {
        ++i_;
        ASSIGN_OR_RETURN(cur, Bracket(std::move(cur)));
      }
    }
    return cur;
  }

  Result<Json> Literal() {
    Skip();
    if (Peek() == '\'' || Peek() == '"') {
      ASSIGN_OR_RETURN(std::string s, Quoted());
      return Json(s);
    }
    size_t start = i_;
    while (i_ < s_.size() && s_[i_] != ')' && s_[i_] != ' ') ++i_;
    std::string tok(s_.substr(start, i_ - start));
    if (tok == "true") return Json(true);
    if (tok == "false") return Json(false);
    if (tok == "nil" || tok == "null") return Json(nullptr);
    char* end = nullptr;
    double d = std::strtod(tok.c_str(), &end);
    if (tok.empty() || *end != '\0') return Status::BadRequest("unrecognized filter literal: " + tok);
    if (tok.find_first_of(".eE") == std::string::npos) return Json(static_cast<int64_t>(d));
    return Json(d);
  }

  static bool Compare(const Json& a, const std::string& op, const Json& b) {
    if (a.is_number() && b.is_number()) {
      double x = a.get<double>(), y = b.get<double>();
      if (op == "==") return x == y;
      if (op == "!=") return x != y;
      if (op == "<") return x < y;
      if (op == ">") return x > y;
      if (op == "<=") return x <= y;
      if (op == ">=") return x >= y;
      return false;
    }
    if (a.is_string() && b.is_string()) {
      const std::string& x = a.get_ref<const std::string&>();
      const std::string& y = b.get_ref<const std::string&>();
      if (op == "==") return x == y;
      if (op == "!=") return x != y;
      if (op == "<") return x < y;
      if (op == ">") return x > y;
      if (op == "<=") return x <= y;
      if (op == ">=") return x >= y;
      return false;
    }
    if (op == "==") return a == b;
    if (op == "!=") return a != b;
    return false;
  }

  Result<Nodes> Filter(const Nodes& in) {
    size_t start = i_;
    Nodes out;
    for (const Json* n : in) {
      if (!n->is_array()) continue;
      for (const Json& elem : *n) {
        i_ = start;
        Skip();
        if (Peek() != '@') return Status::BadRequest("filter must start with @");
        ++i_;
        ASSIGN_OR_RETURN(Nodes lhs, RelativePath(&elem));
        Skip();
        std::string op;
        while (i_ < s_.size() && std::string("=!<>").find(s_[i_]) != std::string::npos) op += s_[i_++];
        bool keep;
        if (op.empty()) {
          keep = !lhs.empty();
        } else {
          ASSIGN_OR_RETURN(Json rhs, Literal());
          keep = !lhs.empty() && Compare(*lhs.front(), op, rhs);
        }
        if (keep) out.push_back(&elem);
      }
    }
    if (in.empty() || std::none_of(in.begin(), in.end(), [](const Json* n) { return n->is_array(); })) {
      // Still parse the filter so that syntax errors surface.
      static const Json kEmpty = Json::array({Json::object()});
      i_ = start;
      Skip();
      if (Peek() != '@') return Status::BadRequest("filter must start with @");
      ++i_;
      Nodes unused;
      ASSIGN_OR_RETURN(unused, RelativePath(&kEmpty[0]));
      Skip();
      std::string op;
      while (i_ < s_.size() && std::string("=!<>").find(s_[i_]) != std::string::npos) op += s_[i_++];
      if (!op.empty()) {
        ASSIGN_OR_RETURN(Json unused_literal, Literal());
        (void)unused_literal;
      }
    }
    return out;
  }

  std::string_view s_;
  size_t i_ = 0;
};

std::string_view Strip(std::string_view expr) {
  while (!expr.empty() && expr.front() == ' ') expr.remove_prefix(1);
  while (!expr.empty() && expr.back() == ' ') expr.remove_suffix(1);
  if (expr.size() >= 2 && expr.front() == '{' && expr.back() == '}')
    expr = expr.substr(1, expr.size() - 2);
  return expr;
}

void SortedDump(const Json& v, std::string& out) {
  if (v.is_object()) {
    std::vector<std::string> keys;
    for (auto it = v.begin(); it != v.end(); ++it) keys.push_back(it.key());
    std::sort(keys.begin(), keys.end());
    out += '{';
    for (size_t i = 0; i < keys.size(); ++i) {
      if (i) out += ',';
      out += Json(keys[i]).dump();
      out += ':';
      SortedDump(v[keys[i]], out);
    }
    out += '}';
  } else if (v.is_array()) {
    out += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) out += ',';
      SortedDump(v[i], out);
    }
    out += ']';
  } else {
    out += DumpJson(v);
  }
}

}  // namespace

Result<std::vector<const Json*>> Find(const Json& root, std::string_view expr) {
  return Parser(Strip(expr)).Run({&root});
}

Status Check(std::string_view expr) {
  static const Json kEmpty = Json::object();
  auto r = Find(kEmpty, expr);
  return r.ok() ? Status::Ok() : r.status();
}

std::string GoFloat(double f) {
  if (std::isnan(f)) return "NaN";
  if (std::isinf(f)) return f > 0 ? "+Inf" : "-Inf";
  char buf[40];
  for (int prec = 1; prec <= 17; ++prec) {
    snprintf(buf, sizeof buf, "%.*e", prec - 1, f);
    if (std::strtod(buf, nullptr) == f) break;
  }
  // buf is d.ddde±XX, the shortest form that reads back as f.
  std::string s = buf;
  size_t e = s.find('e');
  int exp = std::stoi(s.substr(e + 1));
  std::string mant = s.substr(0, e);
  bool neg = mant[0] == '-';
  if (neg) mant = mant.substr(1);
  std::string digits;
  for (char c : mant)
    if (c != '.') digits += c;
  std::string out;
  // fmt's %v: shortest digits, exponent form outside [1e-4, 1e6).
  if (exp < -4 || exp >= 6) {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char eb[16];
    snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    out += eb;
  } else if (exp < 0) {
    out = "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
  } else if (static_cast<size_t>(exp) + 1 >= digits.size()) {
    out = digits + std::string(static_cast<size_t>(exp) + 1 - digits.size(), '0');
  } else {
    out = digits.substr(0, static_cast<size_t>(exp) + 1) + "." +
          digits.substr(static_cast<size_t>(exp) + 1);
  }
  return neg ? "-" + out : out;
}

std::string Text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return v.dump();
  if (v.is_number_float()) return GoFloat(v.get<double>());
  if (v.is_null()) return "<nil>";
  std::string out;
  SortedDump(v, out);
  return out;
}

}  // namespace common::api::jsonpath
