// Kubernetes resource quantities ("100m", "1.5Gi", "2e3"): parsing, exact
// arithmetic at nano precision, and upstream's canonical string form.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"

namespace common {

// A value with nano (1e-9) precision, exact within +-1.7e29, remembering the
// suffix family it was written in so String() prints it the way upstream
// does ("1000" -> "1k", "1536Mi" stays, "0.5" -> "500m"). Copyable value type.
class Quantity {
 public:
  enum class Format { kDecimalSI, kBinarySI, kDecimalExponent };

  Quantity() = default;
  // Parses upstream's syntax. Errors carry upstream's messages, e.g.
  // "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'".
  static Result<Quantity> Parse(std::string_view text);
  // Parses a JSON string or number (quantities may be written as numbers).
  static Result<Quantity> FromJson(const Json& value);
  static Quantity FromInt(int64_t value, Format format = Format::kDecimalSI);
  static Quantity FromMilli(int64_t milli, Format format = Format::kDecimalSI);

  // The value rounded up to an integer (upstream's Value()).
  int64_t Value() const;
  // The value in thousandths, rounded up (upstream's MilliValue()).
  int64_t MilliValue() const;
  // The value in billionths (exact).
  __int128 NanoValue() const { return nanos_; }
  double AsDouble() const;
  bool IsZero() const { return nanos_ == 0; }
  int Sign() const { return nanos_ > 0 ? 1 : nanos_ < 0 ? -1 : 0; }
  Format format() const { return format_; }

  // Canonical form: "100m", "1536Mi", "1k", "1e3", "0".
  std::string String() const;

  Quantity& operator+=(const Quantity& o) {
    nanos_ += o.nanos_;
    return *this;
  }
  Quantity& operator-=(const Quantity& o) {
    nanos_ -= o.nanos_;
    return *this;
  }
  friend Quantity operator+(Quantity a, const Quantity& b) { return a += b; }
  friend Quantity operator-(Quantity a, const Quantity& b) { return a -= b; }
  friend bool operator==(const Quantity& a, const Quantity& b) { return a.nanos_ == b.nanos_; }
  friend std::strong_ordering operator<=>(const Quantity& a, const Quantity& b) {
    return a.nanos_ <=> b.nanos_;
  }

 private:
  __int128 nanos_ = 0;
  Format format_ = Format::kDecimalSI;
};

}  // namespace common
