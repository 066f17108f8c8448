#include "etcd_json_reader.h"

#include <charconv>
#include <cstdio>

#include "common/base64.h"

namespace common::etcd::internal {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

void AppendUtf8(std::string* out, uint32_t r) {
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3f)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3f)));
  }
}

// Decodes one UTF-8 rune at s[i]; returns its length, or 0 for an invalid
// sequence (Go then takes one byte as RuneError).
size_t DecodeRune(std::string_view s, size_t i, uint32_t* r) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  if (c < 0x80) {
    *r = c;
    return 1;
  }
  size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
  if (n == 0 || c > 0xf4 || i + n > s.size()) return 0;
  uint32_t v = c & (0x7f >> n);
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xc0) != 0x80) return 0;
    v = (v << 6) | (b(k) & 0x3f);
  }
  if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
      (v >= 0xd800 && v <= 0xdfff))
    return 0;
  *r = v;
  return n;
}

// Whether strconv.IsPrint would call rune r printable (exact for ASCII and
// Latin-1, close enough above).
bool IsPrint(uint32_t r) {
  if (r < 0x20 || r == 0x7f) return false;
  if (r >= 0x80 && r <= 0xa0) return false;
  if (r == 0xad || r == 0x2028 || r == 0x2029 || r == 0xfeff) return false;
  return true;
}

void AppendQuotedRune(std::string* out, uint32_t r, char quote) {
  char buf[16];
  if (r == static_cast<uint32_t>(quote) || r == '\\') {
    out->push_back('\\');
    out->push_back(static_cast<char>(r));
    return;
  }
  if (IsPrint(r)) {
    AppendUtf8(out, r);
    return;
  }
  switch (r) {
    case '\a': *out += "\\a"; return;
    case '\b': *out += "\\b"; return;
    case '\f': *out += "\\f"; return;
    case '\n': *out += "\\n"; return;
    case '\r': *out += "\\r"; return;
    case '\t': *out += "\\t"; return;
    case '\v': *out += "\\v"; return;
    default: break;
  }
  if (r < 0x20 || r == 0x7f) {
    std::snprintf(buf, sizeof buf, "\\x%02x", r);
  } else if (r < 0x10000) {
    std::snprintf(buf, sizeof buf, "\\u%04x", r);
  } else {
    std::snprintf(buf, sizeof buf, "\\U%08x", r);
  }
  *out += buf;
}

// Go's strconv.Quote.
std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    uint32_t r;
    size_t n = DecodeRune(s, i, &r);
    if (n == 0) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(s[i]));
      out += buf;
      ++i;
      continue;
    }
    AppendQuotedRune(&out, r, '"');
    i += n;
  }
  out += '"';
  return out;
}

// encoding/json's quoteChar: how a scanner error names the offending byte.
std::string QuoteChar(unsigned char c) {
  if (c == '\'') return "'\\''";
  if (c == '"') return "'\"'";
  std::string s = "'";
  AppendQuotedRune(&s, c, '\'');
  return s + "'";
}

Status SyntaxError(unsigned char c, std::string_view context) {
  return Status::BadRequest("invalid character " + QuoteChar(c) + " " + std::string(context));
}

// A byte-at-a-time JSON scanner with Go's states and messages.
class Scanner {
 public:
  enum class Step { kContinue, kEnd, kError };

  // Feeds byte c. kEnd: the top-level value ended *before* c (numbers) or
  // at c (everything else: see ended_at_byte()).
  Step Feed(unsigned char c) {
    switch (state_) {
      case State::kBeginValueOrEmpty:
        if (IsSpace(c)) return Step::kContinue;
        if (c == ']') return EndContainer();
        return BeginValue(c);
      case State::kBeginValue:
        if (IsSpace(c)) return Step::kContinue;
        return BeginValue(c);
      case State::kBeginStringOrEmpty:
        if (IsSpace(c)) return Step::kContinue;
        if (c == '}') {
          stack_.back() = 'v';
          return EndContainer();
        }
        [[fallthrough]];
      case State::kBeginString:
        if (IsSpace(c)) return Step::kContinue;
        if (c == '"') {
          state_ = State::kInString;
          return Step::kContinue;
        }
        return Fail(c, "looking for beginning of object key string");
      case State::kEndValue:
        return EndValue(c);
      case State::kInString:
        if (c == '"') {
          state_ = State::kEndValue;
          return MaybeTopEnd();
        }
        if (c == '\\') {
          state_ = State::kInStringEsc;
          return Step::kContinue;
        }
        if (c < 0x20) return Fail(c, "in string literal");
        return Step::kContinue;
      case State::kInStringEsc:
        switch (c) {
          case 'b': case 'f': case 'n': case 'r': case 't': case '\\': case '/': case '"':
            state_ = State::kInString;
            return Step::kContinue;
          case 'u':
            state_ = State::kInStringEscU;
            hex_left_ = 4;
            return Step::kContinue;
          default:
            return Fail(c, "in string escape code");
        }
      case State::kInStringEscU:
        if (!std::isxdigit(c)) return Fail(c, "in \\u hexadecimal character escape");
        if (--hex_left_ == 0) state_ = State::kInString;
        return Step::kContinue;
      case State::kNeg:
        if (c == '0') {
          state_ = State::kZero;
          return Step::kContinue;
        }
        if (c >= '1' && c <= '9') {
          state_ = State::kOne;
          return Step::kContinue;
        }
        return Fail(c, "in numeric literal");
      case State::kOne:
        if (c >= '0' && c <= '9') return Step::kContinue;
        [[fallthrough]];
      case State::kZero:
        if (c == '.') {
          state_ = State::kDot;
          return Step::kContinue;
        }
        if (c == 'e' || c == 'E') {
          state_ = State::kE;
          return Step::kContinue;
        }
        return EndNumber(c);
      case State::kDot:
        if (c >= '0' && c <= '9') {
          state_ = State::kDot0;
          return Step::kContinue;
        }
        return Fail(c, "after decimal point in numeric literal");
      case State::kDot0:
        if (c >= '0' && c <= '9') return Step::kContinue;
        if (c == 'e' || c == 'E') {
          state_ = State::kE;
          return Step::kContinue;
        }
        return EndNumber(c);
      case State::kE:
        if (c == '+' || c == '-') {
          state_ = State::kESign;
          return Step::kContinue;
        }
        [[fallthrough]];
      case State::kESign:
        if (c >= '0' && c <= '9') {
          state_ = State::kE0;
          return Step::kContinue;
        }
        return Fail(c, "in exponent of numeric literal");
      case State::kE0:
        if (c >= '0' && c <= '9') return Step::kContinue;
        return EndNumber(c);
      case State::kLiteral:
        if (c != static_cast<unsigned char>(literal_[lit_pos_])) {
          std::string ctx = "in literal " + std::string(literal_) + " (expecting " +
                            QuoteChar(static_cast<unsigned char>(literal_[lit_pos_])) + ")";
          return Fail(c, ctx);
        }
        if (++lit_pos_ == literal_.size()) {
          state_ = State::kEndValue;
          return MaybeTopEnd();
        }
        return Step::kContinue;
      case State::kDone:
        return Step::kEnd;
      case State::kError:
        return Step::kError;
    }
    return Step::kError;
  }

  // True when a kEnd result included the byte just fed (it closed the value);
  // false when the byte came after the value (a number's terminator).
  bool ended_at_byte() const { return ended_at_byte_; }
  bool in_value() const { return started_; }
  const Status& error() const { return error_; }

 private:
  enum class State {
    kBeginValueOrEmpty, kBeginValue, kBeginStringOrEmpty, kBeginString, kEndValue,
    kInString, kInStringEsc, kInStringEscU, kNeg, kZero, kOne, kDot, kDot0, kE, kESign,
    kE0, kLiteral, kDone, kError,
  };

  Step Fail(unsigned char c, std::string_view context) {
    state_ = State::kError;
    error_ = SyntaxError(c, context);
    return Step::kError;
  }

  Step BeginValue(unsigned char c) {
    started_ = true;
    switch (c) {
      case '{':
        if (stack_.size() >= 10000) {
          state_ = State::kError;
          error_ = Status::BadRequest("exceeded max depth");
          return Step::kError;
        }
        stack_.push_back('k');
        state_ = State::kBeginStringOrEmpty;
        return Step::kContinue;
      case '[':
        if (stack_.size() >= 10000) {
          state_ = State::kError;
          error_ = Status::BadRequest("exceeded max depth");
          return Step::kError;
        }
        stack_.push_back('a');
        state_ = State::kBeginValueOrEmpty;
        return Step::kContinue;
      case '"':
        state_ = State::kInString;
        return Step::kContinue;
      case '-':
        state_ = State::kNeg;
        return Step::kContinue;
      case '0':
        state_ = State::kZero;
        return Step::kContinue;
      case 't':
        literal_ = "true";
        break;
      case 'f':
        literal_ = "false";
        break;
      case 'n':
        literal_ = "null";
        break;
      default:
        if (c >= '1' && c <= '9') {
          state_ = State::kOne;
          return Step::kContinue;
        }
        return Fail(c, "looking for beginning of value");
    }
    lit_pos_ = 1;
    state_ = State::kLiteral;
    return Step::kContinue;
  }

  // After a complete value: the next byte decides.
  Step EndValue(unsigned char c) {
    if (stack_.empty()) {
      state_ = State::kDone;
      ended_at_byte_ = false;
      return Step::kEnd;
    }
    if (IsSpace(c)) return Step::kContinue;
    char& top = stack_.back();
    if (top == 'k') {  // just read an object key
      if (c == ':') {
        top = 'v';
        state_ = State::kBeginValue;
        return Step::kContinue;
      }
      return Fail(c, "after object key");
    }
    if (top == 'v') {
      if (c == ',') {
        top = 'k';
        state_ = State::kBeginString;
        return Step::kContinue;
      }
      if (c == '}') return EndContainer();
      return Fail(c, "after object key:value pair");
    }
    if (c == ',') {
      state_ = State::kBeginValue;
      return Step::kContinue;
    }
    if (c == ']') return EndContainer();
    return Fail(c, "after array element");
  }

  Step EndContainer() {
    stack_.pop_back();
    state_ = State::kEndValue;
    return MaybeTopEnd();
  }

  Step MaybeTopEnd() {
    if (!stack_.empty()) return Step::kContinue;
    state_ = State::kDone;
    ended_at_byte_ = true;
    return Step::kEnd;
  }

  Step EndNumber(unsigned char c) {
    state_ = State::kEndValue;
    return EndValue(c);
  }

  State state_ = State::kBeginValue;
  std::string stack_;  // 'k' expecting a key's colon, 'v' in an object value, 'a' array
  std::string_view literal_;
  size_t lit_pos_ = 0;
  int hex_left_ = 0;
  bool started_ = false;
  bool ended_at_byte_ = false;
  Status error_;
};

// Skips one already-validated value starting at s[i]; returns the index after it.
size_t SkipValue(std::string_view s, size_t i) {
  char c = s[i];
  if (c == '"') {
    for (++i; i < s.size(); ++i) {
      if (s[i] == '\\') {
        ++i;
      } else if (s[i] == '"') {
        return i + 1;
      }
    }
    return s.size();
  }
  if (c == '{' || c == '[') {
    int depth = 0;
    for (; i < s.size(); ++i) {
      char d = s[i];
      if (d == '"') {
        i = SkipValue(s, i) - 1;
      } else if (d == '{' || d == '[') {
        ++depth;
      } else if (d == '}' || d == ']') {
        if (--depth == 0) return i + 1;
      }
    }
    return s.size();
  }
  while (i < s.size() && !IsSpace(s[i]) && s[i] != ',' && s[i] != '}' && s[i] != ']' &&
         s[i] != ':')
    ++i;
  return i;
}

size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size() && IsSpace(s[i])) ++i;
  return i;
}

Status TypeError(std::string_view what, std::string_view go_type) {
  return Status::BadRequest("json: cannot unmarshal " + std::string(what) +
                            " into Go value of type " + std::string(go_type));
}

// json.Unmarshal of a validated literal into an integer of `bits` bits.
Status UnmarshalInteger(const Raw& v, bool is_unsigned, int bits, std::string_view go_type,
                        int64_t* out_signed, uint64_t* out_unsigned) {
  char c = v.first();
  if (v.is_null()) return Status::Ok();
  if (c != '-' && !(c >= '0' && c <= '9')) return TypeError(v.KindName(), go_type);
  const std::string_view t = v.text;
  auto bad = [&] { return TypeError("number " + std::string(t), go_type); };
  // strconv.ParseInt/ParseUint base 10: digits with an optional sign only.
  size_t digits_from = (t[0] == '-') ? 1 : 0;
  for (size_t i = digits_from; i < t.size(); ++i)
    if (t[i] < '0' || t[i] > '9') return bad();
  if (is_unsigned) {
    if (t[0] == '-') return bad();
    uint64_t u = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), u);
    if (ec != std::errc() || p != t.data() + t.size()) return bad();
    if (bits < 64 && u >> bits) return bad();
    *out_unsigned = u;
    return Status::Ok();
  }
  int64_t s = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), s);
  if (ec != std::errc() || p != t.data() + t.size()) return bad();
  if (bits < 64) {
    int64_t lim = int64_t{1} << (bits - 1);
    if (s >= lim || s < -lim) return bad();
  }
  *out_signed = s;
  return Status::Ok();
}

// jsonpb's number path: a quoted number has its quotes stripped (not
// unescaped) and is parsed again as JSON.
Status ReadNumber(const Raw* raw, bool is_unsigned, int bits, std::string_view go_type,
                  int64_t* s, uint64_t* u) {
  if (raw == nullptr || raw->is_null()) return Status::Ok();
  Raw v = *raw;
  if (v.first() == '"') {
    Raw inner;
    RETURN_IF_ERROR(CheckValid(v.text.substr(1, v.text.size() - 2), &inner));
    v = inner;
  }
  return UnmarshalInteger(v, is_unsigned, bits, go_type, s, u);
}

}  // namespace

std::string_view Raw::KindName() const {
  switch (first()) {
    case '{': return "object";
    case '[': return "array";
    case '"': return "string";
    case 't': case 'f': return "bool";
    case 'n': return "null";
    default: return "number";
  }
}

namespace {

// Scans one value. At the end of input, `eof_error` (when given) receives the
// error Go's scanner records when it feeds the final space (checkValid
// reports that one rather than "unexpected end of JSON input").
Status ScanOne(std::string_view in, size_t* pos, Raw* out, Status* eof_error) {
  Scanner sc;
  size_t start = SkipSpace(in, *pos);
  for (size_t i = start; i < in.size(); ++i) {
    auto step = sc.Feed(static_cast<unsigned char>(in[i]));
    if (step == Scanner::Step::kError) return sc.error();
    if (step == Scanner::Step::kEnd) {
      size_t end = sc.ended_at_byte() ? i + 1 : i;
      *out = Raw{in.substr(start, end - start)};
      *pos = end;
      return Status::Ok();
    }
  }
  // End of input: a number is complete at EOF (Go feeds a space).
  if (sc.in_value()) {
    auto step = sc.Feed(' ');
    if (step == Scanner::Step::kEnd) {
      *out = Raw{in.substr(start)};
      *pos = in.size();
      return Status::Ok();
    }
    if (step == Scanner::Step::kError && eof_error) *eof_error = sc.error();
  }
  *pos = in.size();
  if (start < in.size()) return Status::BadRequest("unexpected EOF");
  return Status::NotFound("EOF");
}

}  // namespace

Status DecodeNext(std::string_view in, size_t* pos, Raw* out) {
  return ScanOne(in, pos, out, nullptr);
}

Status CheckValid(std::string_view in, Raw* out) {
  size_t pos = 0;
  Status eof_error;
  Status st = ScanOne(in, &pos, out, &eof_error);
  if (!st.ok()) {
    if (!eof_error.ok()) return eof_error;
    if (st.message() == "unexpected EOF" || st.code() == Code::kNotFound)
      return Status::BadRequest("unexpected end of JSON input");
    return st;
  }
  pos = SkipSpace(in, pos);
  if (pos < in.size()) {
    // A value directly followed by garbage: Go reports the first byte after it
    // (for numbers the terminator itself, e.g. '1' in "01", 'x' in "0x10").
    return SyntaxError(static_cast<unsigned char>(in[pos]), "after top-level value");
  }
  return Status::Ok();
}

std::string Unquote(std::string_view lit) {
  std::string_view s = lit.substr(1, lit.size() - 2);
  std::string out;
  out.reserve(s.size());
  auto hex4 = [&](size_t i) -> int32_t {
    if (i + 4 > s.size()) return -1;
    int32_t v = 0;
    for (size_t k = 0; k < 4; ++k) {
      char c = s[i + k];
      int d = (c >= '0' && c <= '9') ? c - '0'
              : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                       : -1;
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    return v;
  };
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      char e = s[i + 1];
      i += 2;
      switch (e) {
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          int32_t r = hex4(i);
          i += 4;
          if (r >= 0xd800 && r < 0xdc00) {
            // A surrogate pair, if the next escape completes it.
            if (i + 6 <= s.size() && s[i] == '\\' && s[i + 1] == 'u') {
              int32_t r2 = hex4(i + 2);
              if (r2 >= 0xdc00 && r2 < 0xe000) {
                AppendUtf8(&out, 0x10000 + ((r - 0xd800) << 10) + (r2 - 0xdc00));
                i += 6;
                break;
              }
            }
            AppendUtf8(&out, 0xfffd);
          } else if (r >= 0xdc00 && r < 0xe000) {
            AppendUtf8(&out, 0xfffd);
          } else {
            AppendUtf8(&out, static_cast<uint32_t>(r));
          }
          break;
        }
        default: out += e; break;  // \" \\ \/
      }
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x80) {
      out += c;
      ++i;
      continue;
    }
    uint32_t r;
    size_t n = DecodeRune(s, i, &r);
    if (n == 0) {
      AppendUtf8(&out, 0xfffd);
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

Fields::Fields(const Raw& obj) {
  std::string_view s = obj.text;
  size_t i = 1;
  for (;;) {
    i = SkipSpace(s, i);
    if (i >= s.size() || s[i] == '}') break;
    if (s[i] == ',') {
      ++i;
      continue;
    }
    size_t kend = SkipValue(s, i);
    std::string_view klit = s.substr(i, kend - i);
    std::string key = klit.find('\\') == std::string_view::npos
                          ? std::string(klit.substr(1, klit.size() - 2))
                          : Unquote(klit);
    i = SkipSpace(s, kend);
    ++i;  // ':'
    i = SkipSpace(s, i);
    size_t vend = SkipValue(s, i);
    Raw value{s.substr(i, vend - i)};
    i = vend;
    // A repeated key keeps its last value (Go maps).
    bool replaced = false;
    for (auto& m : members_) {
      if (m.key == key) {
        m.value = value;
        replaced = true;
      }
    }
    if (!replaced) members_.push_back({std::move(key), value});
  }
}

const Raw* Fields::Find(std::string_view orig, std::string_view camel) const {
  const Raw* found = nullptr;
  const Raw* found_camel = nullptr;
  for (const auto& m : members_) {
    if (m.key == orig) found = &m.value;
    if (!camel.empty() && m.key == camel) found_camel = &m.value;
  }
  if (found_camel) found = found_camel;
  if (found && found->is_null()) return nullptr;
  return found;
}

Status ReadMessage(const Raw* raw, Raw* obj) {
  if (raw == nullptr || raw->is_null()) {
    *obj = Raw{"{}"};
    return Status::Ok();
  }
  if (raw->first() != '{') return TypeError(raw->KindName(), "map[string]json.RawMessage");
  *obj = *raw;
  return Status::Ok();
}

Status ReadRepeated(const Raw* raw, std::vector<Raw>* out) {
  if (raw == nullptr || raw->is_null()) return Status::Ok();
  if (raw->first() != '[') return TypeError(raw->KindName(), "[]json.RawMessage");
  std::string_view s = raw->text;
  size_t i = 1;
  for (;;) {
    i = SkipSpace(s, i);
    if (i >= s.size() || s[i] == ']') break;
    if (s[i] == ',') {
      ++i;
      continue;
    }
    size_t end = SkipValue(s, i);
    out->push_back(Raw{s.substr(i, end - i)});
    i = end;
  }
  return Status::Ok();
}

Status ReadBytes(const Raw* raw, std::string* out) {
  if (raw == nullptr || raw->is_null()) return Status::Ok();
  char c = raw->first();
  if (c == '"') {
    std::string_view inner = raw->text.substr(1, raw->text.size() - 2);
    std::string unq;
    if (inner.find('\\') != std::string_view::npos ||
        inner.find_first_of("\x80\x81") != std::string_view::npos)
      unq = Unquote(raw->text);
    std::string_view src = unq.empty() ? inner : std::string_view(unq);
    size_t bad = 0;
    auto dec = Base64Decode(src, &bad);
    if (!dec) return Status::BadRequest("illegal base64 data at input byte " + std::to_string(bad));
    *out = std::move(*dec);
    return Status::Ok();
  }
  if (c == '[') {
    // Go decodes a JSON array into []byte element by element.
    std::vector<Raw> elems;
    RETURN_IF_ERROR(ReadRepeated(raw, &elems));
    std::string bytes;
    for (const Raw& e : elems) {
      int64_t s = 0;
      uint64_t u = 0;
      RETURN_IF_ERROR(UnmarshalInteger(e, true, 8, "uint8", &s, &u));
      bytes.push_back(static_cast<char>(u));
    }
    *out = std::move(bytes);
    return Status::Ok();
  }
  return TypeError(raw->KindName(), "[]uint8");
}

Status ReadInt64(const Raw* raw, int64_t* out) {
  uint64_t unused = 0;
  return ReadNumber(raw, false, 64, "int64", out, &unused);
}

Status ReadUint64(const Raw* raw, uint64_t* out) {
  int64_t unused = 0;
  return ReadNumber(raw, true, 64, "uint64", &unused, out);
}

Status ReadBool(const Raw* raw, bool* out) {
  if (raw == nullptr || raw->is_null()) return Status::Ok();
  if (raw->text == "true") {
    *out = true;
  } else if (raw->text == "false") {
    *out = false;
  } else {
    return TypeError(raw->KindName(), "bool");
  }
  return Status::Ok();
}

Status ReadEnum(const Raw* raw, const std::vector<std::string_view>& names,
                std::string_view go_type, int* out) {
  if (raw == nullptr || raw->is_null()) return Status::Ok();
  if (raw->first() == '"') {
    // jsonpb looks the name up without unquoting it.
    std::string_view name = raw->text.substr(1, raw->text.size() - 2);
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) {
        *out = static_cast<int>(i);
        return Status::Ok();
      }
    }
    return Status::BadRequest("unknown value " + GoQuote(name) + " for enum " +
                              std::string(go_type));
  }
  int64_t v = 0;
  uint64_t unused = 0;
  RETURN_IF_ERROR(UnmarshalInteger(*raw, false, 32, go_type, &v, &unused));
  *out = static_cast<int>(v);
  return Status::Ok();
}

Status ReadString(const Raw* raw, std::string* out) {
  if (raw == nullptr || raw->is_null()) return Status::Ok();
  if (raw->first() != '"') return TypeError(raw->KindName(), "string");
  *out = Unquote(raw->text);
  return Status::Ok();
}

int64_t LenientInt(const Raw* raw) {
  if (raw == nullptr) return 0;
  std::string_view t = raw->text;
  if (!t.empty() && t[0] == '"') t = t.substr(1, t.size() - 2);
  int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

uint64_t LenientUint(const Raw* raw) {
  if (raw == nullptr) return 0;
  std::string_view t = raw->text;
  if (!t.empty() && t[0] == '"') t = t.substr(1, t.size() - 2);
  uint64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

bool LenientBool(const Raw* raw) { return raw != nullptr && raw->text == "true"; }

}  // namespace common::etcd::internal
