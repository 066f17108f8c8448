#include "common/selector.h"

#include <algorithm>
#include <cctype>

#include "common/strings.h"

namespace common {

Labels LabelsFromJson(const Json& obj) {
  Labels out;
  if (!obj.is_object()) return out;
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (it.value().is_string()) out[it.key()] = it.value().get<std::string>();
  return out;
}

// ---------------------------------------------------------------------------
// Label key/value syntax (apimachinery validation.IsQualifiedName / IsValidLabelValue).

namespace {

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?
bool IsQualifiedNamePart(std::string_view s) {
  if (s.empty() || !IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  for (char c : s)
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

// RFC 1123 subdomain: lower-case labels of [a-z0-9-] separated by dots.
bool IsDns1123Subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (const std::string& label : Split(s, '.')) {
    if (label.empty() || label.size() > 63) return false;
    for (char c : label)
      if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-'))
        return false;
    if (label.front() == '-' || label.back() == '-') return false;
  }
  return true;
}

constexpr const char* kQualifiedNameFmt =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and "
    "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
    "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

}  // namespace

std::string ValidateLabelKey(std::string_view key) {
  std::string_view name = key;
  size_t slash = key.find('/');
  if (slash != std::string_view::npos) {
    std::string_view prefix = key.substr(0, slash);
    name = key.substr(slash + 1);
    if (prefix.empty()) return "prefix part must be non-empty";
    if (!IsDns1123Subdomain(prefix))
      return "prefix part a lowercase RFC 1123 subdomain must consist of lower case "
             "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
             "character (e.g. 'example.com', regex used for validation is "
             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    if (name.find('/') != std::string_view::npos)
      return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and "
             "must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  "
             "or '123-abc', regex used for validation is "
             "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix "
             "and '/' (e.g. 'example.com/MyName')";
  }
  if (name.empty()) return "name part must be non-empty";
  if (name.size() > 63) return "name part must be no more than 63 characters";
  if (!IsQualifiedNamePart(name)) return kQualifiedNameFmt;
  return "";
}

std::string ValidateLabelValue(std::string_view value) {
  if (value.empty()) return "";
  if (value.size() > 63) return "must be no more than 63 characters";
  if (!IsQualifiedNamePart(value))
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', "
           "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  "
           "or 'my_value',  or '12345', regex used for validation is "
           "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  return "";
}

// ---------------------------------------------------------------------------
// Requirements.

bool LabelRequirement::Matches(const Labels& labels) const {
  auto it = labels.find(key);
  bool has = it != labels.end();
  switch (op) {
    case Op::kEquals:
    case Op::kIn:
      return has && std::find(values.begin(), values.end(), it->second) != values.end();
    case Op::kNotEquals:
    case Op::kNotIn:
      return !has || std::find(values.begin(), values.end(), it->second) == values.end();
    case Op::kExists:
      return has;
    case Op::kDoesNotExist:
      return !has;
    case Op::kGreaterThan:
    case Op::kLessThan: {
      if (!has || values.size() != 1) return false;
      auto lv = ParseInt64(it->second);
      auto rv = ParseInt64(values[0]);
      if (!lv || !rv) return false;
      return op == Op::kGreaterThan ? *lv > *rv : *lv < *rv;
    }
  }
  return false;
}

std::string LabelRequirement::String() const {
  switch (op) {
    case Op::kEquals: return key + "=" + (values.empty() ? "" : values[0]);
    case Op::kNotEquals: return key + "!=" + (values.empty() ? "" : values[0]);
    case Op::kIn: return key + " in (" + Join(values, ",") + ")";
    case Op::kNotIn: return key + " notin (" + Join(values, ",") + ")";
    case Op::kExists: return key;
    case Op::kDoesNotExist: return "!" + key;
    case Op::kGreaterThan: return key + ">" + (values.empty() ? "" : values[0]);
    case Op::kLessThan: return key + "<" + (values.empty() ? "" : values[0]);
  }
  return key;
}

// ---------------------------------------------------------------------------
// The label selector lexer and parser (the grammar of apimachinery's labels.Parse).

namespace {

enum class Tok { kEnd, kIdent, kNot, kEq, kDoubleEq, kNotEq, kIn, kNotIn, kOpen, kClose, kComma, kGt, kLt, kError };

struct Lexer {
  std::string_view s;
  size_t pos = 0;

  static bool Special(char c) {
    return c == '!' || c == '=' || c == ',' || c == '(' || c == ')' || c == '<' || c == '>';
  }

  std::pair<Tok, std::string> Next() {
    while (pos < s.size() && std::isspace(static_cast<unsigned char>(s[pos]))) ++pos;
    if (pos >= s.size()) return {Tok::kEnd, ""};
    char c = s[pos];
    if (Special(c)) {
      std::string two(s.substr(pos, 2));
      if (two == "!=") { pos += 2; return {Tok::kNotEq, "!="}; }
      if (two == "==") { pos += 2; return {Tok::kDoubleEq, "=="}; }
      ++pos;
      switch (c) {
        case '!': return {Tok::kNot, "!"};
        case '=': return {Tok::kEq, "="};
        case ',': return {Tok::kComma, ","};
        case '(': return {Tok::kOpen, "("};
        case ')': return {Tok::kClose, ")"};
        case '<': return {Tok::kLt, "<"};
        case '>': return {Tok::kGt, ">"};
      }
    }
    size_t start = pos;
    while (pos < s.size() && !Special(s[pos]) && !std::isspace(static_cast<unsigned char>(s[pos])))
      ++pos;
    std::string word(s.substr(start, pos - start));
    if (word == "in") return {Tok::kIn, word};
    if (word == "notin") return {Tok::kNotIn, word};
    return {Tok::kIdent, word};
  }
};

struct Parser {
  std::vector<std::pair<Tok, std::string>> toks;
  size_t i = 0;

  // In "values" context the keywords are plain identifiers.
  std::pair<Tok, std::string> Look(bool values) const {
    auto t = toks[i];
    if (values && (t.first == Tok::kIn || t.first == Tok::kNotIn)) t.first = Tok::kIdent;
    return t;
  }
  std::pair<Tok, std::string> Consume(bool values) {
    auto t = Look(values);
    if (i + 1 < toks.size()) ++i;
    return t;
  }

  Status ParseRequirement(LabelRequirement* r) {
    auto [tok, lit] = Consume(true);
    bool not_exists = false;
    if (tok == Tok::kNot) {
      not_exists = true;
      std::tie(tok, lit) = Consume(true);
    }
    if (tok != Tok::kIdent) return Status::BadRequest("found '" + lit + "', expected: identifier");
    std::string err = ValidateLabelKey(lit);
    if (!err.empty())
      return Status::BadRequest("key: Invalid value: \"" + lit + "\": " + err);
    r->key = lit;
    auto [next, nlit] = Look(true);
    if (next == Tok::kEnd || next == Tok::kComma) {
      r->op = not_exists ? LabelRequirement::Op::kDoesNotExist : LabelRequirement::Op::kExists;
      return Status::Ok();
    }
    if (not_exists)
      return Status::BadRequest("found '" + nlit + "', expected: ',' or 'end of string'");
    auto [op, oplit] = Consume(false);
    switch (op) {
      case Tok::kIn: r->op = LabelRequirement::Op::kIn; break;
      case Tok::kNotIn: r->op = LabelRequirement::Op::kNotIn; break;
      case Tok::kEq:
      case Tok::kDoubleEq: r->op = LabelRequirement::Op::kEquals; break;
      case Tok::kNotEq: r->op = LabelRequirement::Op::kNotEquals; break;
      case Tok::kGt: r->op = LabelRequirement::Op::kGreaterThan; break;
      case Tok::kLt: r->op = LabelRequirement::Op::kLessThan; break;
      default:
        return Status::BadRequest("found '" + oplit +
                                  "', expected: in, notin, =, ==, !=, gt, lt");
    }
    if (op == Tok::kIn || op == Tok::kNotIn) {
      auto [open, olit] = Consume(true);
      if (open != Tok::kOpen) return Status::BadRequest("found '" + olit + "', expected: '('");
      // Identifiers separated by commas; empty entries stand for "".
      bool expect_value = true;
      for (;;) {
        auto [t, l] = Consume(true);
        if (t == Tok::kIdent) {
          if (!expect_value)
            return Status::BadRequest("found '" + l + "', expected: ',' or ')'");
          r->values.push_back(l);
          expect_value = false;
        } else if (t == Tok::kComma) {
          if (expect_value) r->values.push_back("");
          expect_value = true;
        } else if (t == Tok::kClose) {
          if (expect_value) r->values.push_back("");
          break;
        } else {
          return Status::BadRequest("found '" + l + "', expected: ',', ')' or identifier");
        }
      }
    } else {
      auto [t, l] = Look(true);
      if (t == Tok::kEnd || t == Tok::kComma) {
        r->values.push_back("");
      } else {
        Consume(true);
        if (t != Tok::kIdent) return Status::BadRequest("found '" + l + "', expected: identifier");
        r->values.push_back(l);
      }
    }
    if (r->op == LabelRequirement::Op::kGreaterThan || r->op == LabelRequirement::Op::kLessThan) {
      if (!ParseInt64(r->values[0]))
        return Status::BadRequest("values[0]: Invalid value: \"" + r->values[0] +
                                  "\": for 'Gt', 'Lt' operators, the value must be an integer");
    } else {
      for (const std::string& v : r->values) {
        std::string verr = ValidateLabelValue(v);
        if (!verr.empty())
          return Status::BadRequest("values[0][" + r->key + "]: Invalid value: \"" + v +
                                    "\": " + verr);
      }
    }
    std::sort(r->values.begin(), r->values.end());
    r->values.erase(std::unique(r->values.begin(), r->values.end()), r->values.end());
    return Status::Ok();
  }
};

}  // namespace

LabelSelector LabelSelector::Nothing() {
  LabelSelector s;
  s.nothing_ = true;
  return s;
}

Result<LabelSelector> LabelSelector::Parse(std::string_view text) {
  Lexer lex{text};
  Parser p;
  for (;;) {
    auto t = lex.Next();
    p.toks.push_back(t);
    if (t.first == Tok::kEnd) break;
  }
  LabelSelector sel;
  for (;;) {
    auto [tok, lit] = p.Look(true);
    if (tok == Tok::kEnd) break;
    if (tok != Tok::kIdent && tok != Tok::kNot)
      return Status::BadRequest("unable to parse requirement: found '" + lit +
                                "', expected: !, identifier, or 'end of string'");
    LabelRequirement r;
    Status st = p.ParseRequirement(&r);
    if (!st.ok()) return Status::BadRequest("unable to parse requirement: " + st.message());
    sel.reqs_.push_back(std::move(r));
    auto [t, l] = p.Consume(true);
    if (t == Tok::kEnd) break;
    if (t != Tok::kComma)
      return Status::BadRequest("unable to parse requirement: found '" + l +
                                "', expected: ',' or 'end of string'");
    auto [t2, l2] = p.Look(true);
    if (t2 != Tok::kIdent && t2 != Tok::kNot)
      return Status::BadRequest("unable to parse requirement: found '" + l2 +
                                "', expected: identifier after ','");
  }
  std::stable_sort(sel.reqs_.begin(), sel.reqs_.end(),
                   [](const LabelRequirement& a, const LabelRequirement& b) { return a.key < b.key; });
  return sel;
}

Result<LabelSelector> LabelSelector::FromJson(const Json& selector) {
  LabelSelector sel;
  if (selector.is_null()) return sel;
  if (!selector.is_object()) return Status::BadRequest("label selector must be an object");
  const Json& ml = Get(selector, "matchLabels");
  if (ml.is_object()) {
    for (auto it = ml.begin(); it != ml.end(); ++it) {
      if (!it.value().is_string())
        return Status::BadRequest("matchLabels values must be strings");
      std::string err = ValidateLabelKey(it.key());
      if (!err.empty())
        return Status::BadRequest("matchLabels: Invalid value: \"" + it.key() + "\": " + err);
      sel.reqs_.push_back({it.key(), LabelRequirement::Op::kEquals, {it.value().get<std::string>()}});
    }
  }
  const Json& me = Get(selector, "matchExpressions");
  if (me.is_array()) {
    for (const Json& e : me) {
      LabelRequirement r;
      r.key = GetString(e, "key");
      std::string op = GetString(e, "operator");
      const Json& vals = Get(e, "values");
      if (vals.is_array())
        for (const Json& v : vals)
          if (v.is_string()) r.values.push_back(v.get<std::string>());
      if (op == "In") r.op = LabelRequirement::Op::kIn;
      else if (op == "NotIn") r.op = LabelRequirement::Op::kNotIn;
      else if (op == "Exists") r.op = LabelRequirement::Op::kExists;
      else if (op == "DoesNotExist") r.op = LabelRequirement::Op::kDoesNotExist;
      else return Status::BadRequest("\"" + op + "\" is not a valid label selector operator");
      if ((r.op == LabelRequirement::Op::kIn || r.op == LabelRequirement::Op::kNotIn) &&
          r.values.empty())
        return Status::BadRequest("values: Invalid value: []string(nil): for 'in', 'notin' "
                                  "operators, values set can't be empty");
      if ((r.op == LabelRequirement::Op::kExists || r.op == LabelRequirement::Op::kDoesNotExist) &&
          !r.values.empty())
        return Status::BadRequest("values: Invalid value: \"" + r.values[0] +
                                  "\": values set must be empty for exists and does not exist");
      std::sort(r.values.begin(), r.values.end());
      sel.reqs_.push_back(std::move(r));
    }
  }
  std::stable_sort(sel.reqs_.begin(), sel.reqs_.end(),
                   [](const LabelRequirement& a, const LabelRequirement& b) { return a.key < b.key; });
  return sel;
}

LabelSelector LabelSelector::FromMap(const Labels& labels) {
  LabelSelector sel;
  for (const auto& [k, v] : labels) sel.reqs_.push_back({k, LabelRequirement::Op::kEquals, {v}});
  return sel;
}

bool LabelSelector::Matches(const Labels& labels) const {
  if (nothing_) return false;
  for (const auto& r : reqs_)
    if (!r.Matches(labels)) return false;
  return true;
}

std::string LabelSelector::String() const {
  std::vector<std::string> parts;
  for (const auto& r : reqs_) parts.push_back(r.String());
  return Join(parts, ",");
}

// ---------------------------------------------------------------------------
// Field selectors (apimachinery fields.ParseSelector).

Result<FieldSelector> FieldSelector::Parse(std::string_view text) {
  FieldSelector sel;
  if (TrimSpace(text).empty()) return sel;
  // Split on unescaped commas.
  std::vector<std::string> terms;
  std::string cur;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      cur += c;
      cur += text[++i];
    } else if (c == ',') {
      terms.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  terms.push_back(cur);
  for (const std::string& term : terms) {
    if (term.empty()) continue;
    FieldRequirement r;
    size_t pos;
    size_t oplen;
    if ((pos = term.find("!=")) != std::string::npos) {
      r.negate = true;
      oplen = 2;
    } else if ((pos = term.find("==")) != std::string::npos) {
      oplen = 2;
    } else if ((pos = term.find('=')) != std::string::npos) {
      oplen = 1;
    } else {
      return Status::BadRequest("invalid selector: '" + std::string(text) +
                                "'; can't understand '" + term + "'");
    }
    r.field = std::string(TrimSpace(term.substr(0, pos)));
    std::string raw = term.substr(pos + oplen);
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size()) {
        char n = raw[i + 1];
        if (n != ',' && n != '=' && n != '\\')
          return Status::BadRequest("invalid field selector: invalid escape sequence: \\" +
                                    std::string(1, n));
        r.value += n;
        ++i;
      } else {
        r.value += raw[i];
      }
    }
    sel.reqs_.push_back(std::move(r));
  }
  return sel;
}

bool FieldSelector::Matches(
    const std::function<std::optional<std::string>(std::string_view)>& get) const {
  for (const auto& r : reqs_) {
    auto v = get(r.field);
    if (!v) return false;
    if ((*v == r.value) == r.negate) return false;
  }
  return true;
}

std::optional<std::string> FieldSelector::RequiredValue(std::string_view field) const {
  for (const auto& r : reqs_)
    if (r.field == field && !r.negate) return r.value;
  return std::nullopt;
}

std::string FieldSelector::String() const {
  std::vector<std::string> parts;
  for (const auto& r : reqs_) parts.push_back(r.field + (r.negate ? "!=" : "=") + r.value);
  return Join(parts, ",");
}

}  // namespace common
