#include "common/packed_json.h"

#include <cstdint>
#include <cstring>

namespace common {
namespace {

// Reads one MessagePack value at a time from a byte range. Fails (returns
// false) on truncated input or a form it does not know.
class Unpacker {
 public:
  explicit Unpacker(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}

  bool Value(Json& out, int depth = 0) {
    if (depth > kMaxDepth || p_ >= end_) return false;
    const uint8_t b = static_cast<uint8_t>(*p_++);
    if (b <= 0x7f) return Set(out, static_cast<uint64_t>(b));
    if (b >= 0xe0) return Set(out, static_cast<int64_t>(static_cast<int8_t>(b)));
    if ((b & 0xf0) == 0x80) return Object(out, b & 0x0f, depth);
    if ((b & 0xf0) == 0x90) return Array(out, b & 0x0f, depth);
    if ((b & 0xe0) == 0xa0) return String(out, b & 0x1f);
    uint64_t n = 0;
    switch (b) {
      case 0xc0: out = nullptr; return true;
      case 0xc2: out = false; return true;
      case 0xc3: out = true; return true;
      case 0xca: {
        uint32_t bits;
        if (!Big(4, &n)) return false;
        bits = static_cast<uint32_t>(n);
        float f;
        std::memcpy(&f, &bits, 4);
        out = static_cast<double>(f);
        return true;
      }
      case 0xcb: {
        if (!Big(8, &n)) return false;
        double d;
        std::memcpy(&d, &n, 8);
        out = d;
        return true;
      }
      case 0xcc: return Big(1, &n) && Set(out, n);
      case 0xcd: return Big(2, &n) && Set(out, n);
      case 0xce: return Big(4, &n) && Set(out, n);
      case 0xcf: return Big(8, &n) && Set(out, n);
      case 0xd0: return Big(1, &n) && Set(out, static_cast<int64_t>(static_cast<int8_t>(n)));
      case 0xd1: return Big(2, &n) && Set(out, static_cast<int64_t>(static_cast<int16_t>(n)));
      case 0xd2: return Big(4, &n) && Set(out, static_cast<int64_t>(static_cast<int32_t>(n)));
      case 0xd3: return Big(8, &n) && Set(out, static_cast<int64_t>(n));
      case 0xd9: return Big(1, &n) && String(out, n);
      case 0xda: return Big(2, &n) && String(out, n);
      case 0xdb: return Big(4, &n) && String(out, n);
      case 0xdc: return Big(2, &n) && Array(out, n, depth);
      case 0xdd: return Big(4, &n) && Array(out, n, depth);
      case 0xde: return Big(2, &n) && Object(out, n, depth);
      case 0xdf: return Big(4, &n) && Object(out, n, depth);
      default: return false;  // bin, ext, reserved
    }
  }
  bool AtEnd() const { return p_ == end_; }

 private:
  // Far deeper than any Kubernetes object; bounds the recursion.
  static constexpr int kMaxDepth = 512;

  static bool Set(Json& out, uint64_t v) {
    out = v;
    return true;
  }
  static bool Set(Json& out, int64_t v) {
    out = v;
    return true;
  }
  // A big-endian unsigned integer of `bytes` bytes.
  bool Big(int bytes, uint64_t* n) {
    if (end_ - p_ < bytes) return false;
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<uint8_t>(p_[i]);
    p_ += bytes;
    *n = v;
    return true;
  }
  bool Str(uint64_t n, std::string* s) {
    if (static_cast<uint64_t>(end_ - p_) < n) return false;
    s->assign(p_, n);
    p_ += n;
    return true;
  }
  bool String(Json& out, uint64_t n) {
    out = Json::string_t();
    return Str(n, out.get_ptr<Json::string_t*>());
  }
  bool Array(Json& out, uint64_t n, int depth) {
    // Each element takes at least a byte: a count beyond what is left is a lie.
    if (static_cast<uint64_t>(end_ - p_) < n) return false;
    out = Json::array();
    auto& a = *out.get_ptr<Json::array_t*>();
    a.resize(n);
    for (auto& v : a)
      if (!Value(v, depth + 1)) return false;
    return true;
  }
  bool Object(Json& out, uint64_t n, int depth) {
    if (static_cast<uint64_t>(end_ - p_) < 2 * n) return false;
    out = Json::object();
    auto& o = *out.get_ptr<Json::object_t*>();
    // ordered_map is a vector of pairs: appending directly skips the
    // linear duplicate search of its emplace.
    using Members = Json::object_t::Container;
    Members& members = o;
    members.reserve(n);
    std::string key;
    for (uint64_t i = 0; i < n; ++i) {
      if (p_ >= end_) return false;
      const uint8_t b = static_cast<uint8_t>(*p_++);
      uint64_t len = 0;
      if ((b & 0xe0) == 0xa0) len = b & 0x1f;
      else if (b == 0xd9) { if (!Big(1, &len)) return false; }
      else if (b == 0xda) { if (!Big(2, &len)) return false; }
      else if (b == 0xdb) { if (!Big(4, &len)) return false; }
      else return false;  // a key that is not a string
      if (!Str(len, &key)) return false;
      members.emplace_back(std::move(key), nullptr);
      if (!Value(members.back().second, depth + 1)) return false;
    }
    return true;
  }

  const char* p_;
  const char* end_;
};

}  // namespace

std::string PackJson(const Json& value) {
  std::string out;
  Json::to_msgpack(value, out);
  return out;
}

Json UnpackJson(std::string_view packed) {
  Json out;
  Unpacker in(packed);
  if (in.Value(out) && in.AtEnd()) return out;
  return Json::from_msgpack(packed, /*strict=*/true, /*allow_exceptions=*/false);
}

}  // namespace common
