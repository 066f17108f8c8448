// Internal to etcd_json*.cpp: appends jsonpb-shaped JSON to a string, with
// Go's string escaping (json.Marshal: HTML-safe, U+2028/9 escaped, invalid
// UTF-8 replaced) and the gateway's zero-value omission.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/base64.h"

namespace common::etcd::internal {

class Writer {
 public:
  explicit Writer(size_t reserve = 256) { out_.reserve(reserve); }

  Writer& Open() {
    Sep();
    out_ += '{';
    return *this;
  }
  Writer& Close() {
    out_ += '}';
    return *this;
  }
  Writer& OpenArray() {
    Sep();
    out_ += '[';
    return *this;
  }
  Writer& CloseArray() {
    out_ += ']';
    return *this;
  }
  // Starts member `name`; the value follows (Open, OpenArray, Raw...).
  Writer& Key(std::string_view name) {
    Sep();
    out_ += '"';
    out_ += name;
    out_ += "\":";
    after_key_ = true;
    return *this;
  }
  // int64/uint64 fields: quoted, omitted when zero.
  Writer& Int(std::string_view name, int64_t v) {
    if (v != 0) Key(name).QuotedNumber(v);
    return *this;
  }
  Writer& Uint(std::string_view name, uint64_t v) {
    if (v != 0) Key(name).QuotedNumber(v);
    return *this;
  }
  // int32/uint32 fields: bare numbers, omitted when zero.
  Writer& Int32(std::string_view name, int64_t v) {
    if (v != 0) {
      Key(name);
      AppendNumber(v);
    }
    return *this;
  }
  Writer& Bool(std::string_view name, bool v) {
    if (v) Key(name).Raw("true");
    return *this;
  }
  Writer& Bytes(std::string_view name, std::string_view v) {
    if (!v.empty()) Key(name).BytesValue(v);
    return *this;
  }
  Writer& String(std::string_view name, std::string_view v) {
    if (!v.empty()) Key(name).StringValue(v);
    return *this;
  }
  // Values (inside arrays or after Key).
  Writer& BytesValue(std::string_view v) {
    Sep();
    out_ += '"';
    out_ += Base64Encode(v);
    out_ += '"';
    return *this;
  }
  Writer& StringValue(std::string_view v) {
    Sep();
    AppendGoString(&out_, v);
    return *this;
  }
  template <typename T>
  Writer& QuotedNumber(T v) {
    Sep();
    out_ += '"';
    AppendNumber(v);
    out_ += '"';
    return *this;
  }
  template <typename T>
  Writer& Number(T v) {
    Sep();
    AppendNumber(v);
    return *this;
  }
  Writer& Raw(std::string_view json) {
    Sep();
    out_ += json;
    return *this;
  }

  std::string& str() { return out_; }
  std::string Take() { return std::move(out_); }

  // json.Marshal's string encoding.
  static void AppendGoString(std::string* out, std::string_view s);

 private:
  // A comma before a member or element unless it is the first one.
  void Sep() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!out_.empty()) {
      char b = out_.back();
      if (b != '{' && b != '[' && b != ':') out_ += ',';
    }
  }
  template <typename T>
  void AppendNumber(T v) {
    char buf[24];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, p);
  }

  std::string out_;
  bool after_key_ = false;
};

}  // namespace common::etcd::internal
