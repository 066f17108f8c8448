// Internal to etcd_json*.cpp: reads JSON the way etcd's gateway does (Go's
// encoding/json scanner and json.Decoder, then golang/protobuf jsonpb), so
// that every accepted input and every error message match etcd's.
//
// This is not a general JSON library (common/json.h is): it validates one
// value, then hands out views of its members for a message decoder to pick
// fields from in proto order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace common::etcd::internal {

// A validated JSON value: a view into the input.
struct Raw {
  std::string_view text;
  bool is_null() const { return text == "null"; }
  char first() const { return text.empty() ? '\0' : text[0]; }
  // Go's name for the kind in "cannot unmarshal <kind>": object, array,
  // string, number, bool.
  std::string_view KindName() const;
};

// Scans one JSON value starting at `pos` (leading whitespace skipped) as
// json.Decoder.Decode does: trailing bytes are not looked at. On success sets
// `out` and moves `pos` past the value. Returns:
//   OK; or NotFound("EOF") when only whitespace remained; or BadRequest with
//   Go's text ("unexpected EOF" for a truncated value).
Status DecodeNext(std::string_view in, size_t* pos, Raw* out);

// Validates `in` as json.Unmarshal's checkValid does (the whole input is one
// value plus whitespace): errors "unexpected end of JSON input" and
// "invalid character 'x' after top-level value".
Status CheckValid(std::string_view in, Raw* out);

// Go's string unquoting of a validated string literal: escapes decoded,
// invalid UTF-8 and lone surrogates become U+FFFD.
std::string Unquote(std::string_view literal);

// A message's members, looked up by proto name with jsonpb's rules: the
// camelCase spelling is accepted too (and wins when both appear); a repeated
// key keeps its last value; a null value is the same as an absent one.
class Fields {
 public:
  // REQUIRES: `obj` is a validated object.
  explicit Fields(const Raw& obj);
  // The member called `orig` (or `camel`, if given), or nullptr.
  const Raw* Find(std::string_view orig, std::string_view camel = {}) const;

 private:
  struct Member {
    std::string key;
    Raw value;
  };
  std::vector<Member> members_;
};

// Field readers with jsonpb's behaviour and Go's error messages. A null or
// absent value (raw == nullptr) leaves `out` unchanged and returns OK.
// `go_type` names the Go type in type errors ("int64", "uint64").
Status ReadMessage(const Raw* raw, Raw* obj);  // must be an object
Status ReadRepeated(const Raw* raw, std::vector<Raw>* out);
Status ReadBytes(const Raw* raw, std::string* out);
Status ReadInt64(const Raw* raw, int64_t* out);
Status ReadUint64(const Raw* raw, uint64_t* out);
Status ReadBool(const Raw* raw, bool* out);
// An enum: a quoted name from `names` (its index is the value) or a number
// (any int32). `go_type` is the enum's Go name for errors.
Status ReadEnum(const Raw* raw, const std::vector<std::string_view>& names,
                std::string_view go_type, int* out);
// A plain string (client side).
Status ReadString(const Raw* raw, std::string* out);

// Client-side leniency: an integer given as a number or a string of digits.
int64_t LenientInt(const Raw* raw);
uint64_t LenientUint(const Raw* raw);
bool LenientBool(const Raw* raw);

}  // namespace common::etcd::internal
