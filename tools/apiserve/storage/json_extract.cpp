#include "storage/json_extract.h"

namespace apiserve::storage {

namespace {

using common::Json;

class Scanner {
 public:
  explicit Scanner(std::string_view t) : t_(t) {}

  bool Object(const std::vector<const JsonPath*>& paths, size_t depth, Json* out) {
    SkipWs();
    if (!Eat('{')) return false;
    SkipWs();
    if (Eat('}')) return true;
    for (;;) {
      SkipWs();
      std::string key;
      if (!Key(&key)) return false;
      SkipWs();
      if (!Eat(':')) return false;
      SkipWs();
      std::vector<const JsonPath*> next;
      bool whole = false;
      for (const JsonPath* p : paths) {
        if ((*p)[depth] != key) continue;
        if (p->size() == depth + 1) whole = true;
        next.push_back(p);
      }
      if (whole) {
        size_t start = pos_;
        if (!SkipValue()) return false;
        auto v = common::ParseJson(t_.substr(start, pos_ - start));
        if (!v.ok()) return false;
        (*out)[key] = std::move(v).value();
      } else if (!next.empty() && Peek() == '{') {
        Json sub = Json::object();
        if (!Object(next, depth + 1, &sub)) return false;
        if (!sub.empty()) (*out)[key] = std::move(sub);
      } else if (!SkipValue()) {
        return false;
      }
      SkipWs();
      if (Eat(',')) continue;
      return Eat('}');
    }
  }

  // Scans one value; returns false at a repeated key, an escaped key or
  // malformed input.
  bool NoDuplicates() {
    SkipWs();
    char c = Peek();
    if (c == '[') {
      ++pos_;
      SkipWs();
      if (Eat(']')) return true;
      for (;;) {
        if (!NoDuplicates()) return false;
        SkipWs();
        if (Eat(',')) continue;
        return Eat(']');
      }
    }
    if (c != '{') return SkipValue();
    ++pos_;
    SkipWs();
    if (Eat('}')) return true;
    std::vector<std::string_view> keys;
    for (;;) {
      SkipWs();
      size_t start = pos_;
      bool escaped = false;
      if (!SkipString(&escaped) || escaped) return false;
      std::string_view k = t_.substr(start, pos_ - start);
      for (auto seen : keys)
        if (seen == k) return false;
      keys.push_back(k);
      SkipWs();
      if (!Eat(':') || !NoDuplicates()) return false;
      SkipWs();
      if (Eat(',')) continue;
      return Eat('}');
    }
  }

  bool AtEnd() {
    SkipWs();
    return pos_ == t_.size();
  }

 private:
  char Peek() const { return pos_ < t_.size() ? t_[pos_] : '\0'; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  void SkipWs() {
    while (pos_ < t_.size() &&
           (t_[pos_] == ' ' || t_[pos_] == '\n' || t_[pos_] == '\r' || t_[pos_] == '\t'))
      ++pos_;
  }
  // Past a string starting at pos_ ('"'); sets *escaped when it held escapes.
  bool SkipString(bool* escaped) {
    if (!Eat('"')) return false;
    while (pos_ < t_.size()) {
      char c = t_[pos_++];
      if (c == '"') return true;
      if (c == '\\') {
        if (escaped) *escaped = true;
        if (pos_ >= t_.size()) return false;
        ++pos_;
      }
    }
    return false;
  }
  bool Key(std::string* key) {
    size_t start = pos_;
    bool escaped = false;
    if (!SkipString(&escaped)) return false;
    if (!escaped) {
      key->assign(t_.substr(start + 1, pos_ - start - 2));
      return true;
    }
    auto v = common::ParseJson(t_.substr(start, pos_ - start));
    if (!v.ok() || !v->is_string()) return false;
    *key = v->get<std::string>();
    return true;
  }
  // Past one value of any kind. Nested containers are matched by counting
  // brackets outside strings; the values kept are parsed (and so checked) by
  // the JSON parser.
  bool SkipValue() {
    char c = Peek();
    if (c == '"') return SkipString(nullptr);
    if (c == '{' || c == '[') {
      int depth = 0;
      while (pos_ < t_.size()) {
        char d = t_[pos_];
        if (d == '"') {
          if (!SkipString(nullptr)) return false;
          continue;
        }
        ++pos_;
        if (d == '{' || d == '[') {
          ++depth;
        } else if (d == '}' || d == ']') {
          if (--depth == 0) return true;
        }
      }
      return false;
    }
    size_t start = pos_;
    while (pos_ < t_.size()) {
      char d = t_[pos_];
      if (d == ',' || d == '}' || d == ']' || d == ' ' || d == '\n' || d == '\r' || d == '\t') break;
      ++pos_;
    }
    return pos_ > start;
  }

  std::string_view t_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<Json> ExtractPaths(std::string_view text, const std::vector<JsonPath>& paths) {
  std::vector<const JsonPath*> ps;
  for (const auto& p : paths)
    if (!p.empty()) ps.push_back(&p);
  Scanner s(text);
  Json out = Json::object();
  if (!s.Object(ps, 0, &out) || !s.AtEnd()) return std::nullopt;
  return out;
}

bool MayHaveDuplicateKeys(std::string_view text) {
  Scanner s(text);
  return !(s.NoDuplicates() && s.AtEnd());
}

}  // namespace apiserve::storage
