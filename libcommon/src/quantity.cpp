#include "common/quantity.h"

#include <cmath>

namespace common {
namespace {

constexpr const char* kErrFormat =
    "quantities must match the regular expression "
    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
constexpr const char* kErrNumeric = "unable to parse quantity's numeric part";
constexpr const char* kErrSuffix = "unable to parse quantity's suffix";

constexpr __int128 kNano = 1000000000;

__int128 Pow10(int n) {
  __int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

// Largest magnitude we accept, leaving headroom for sums: about 1e29 units.
constexpr double kMaxUnits = 1e29;

std::string Int128ToString(__int128 v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  unsigned __int128 u = neg ? static_cast<unsigned __int128>(-v) : static_cast<unsigned __int128>(v);
  std::string s;
  while (u > 0) {
    s += static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  }
  if (neg) s += '-';
  return std::string(s.rbegin(), s.rend());
}

// Divides rounding toward +infinity.
__int128 CeilDiv(__int128 a, __int128 b) {
  __int128 q = a / b;
  if ((a % b != 0) && ((a > 0) == (b > 0))) ++q;
  return q;
}

}  // namespace

Result<Quantity> Quantity::Parse(std::string_view s) {
  if (s.empty()) return Status::BadRequest(kErrFormat);
  size_t i = 0;
  bool neg = false;
  if (s[i] == '+' || s[i] == '-') {
    neg = s[i] == '-';
    ++i;
  }
  std::string int_digits, frac_digits;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') int_digits += s[i++];
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') frac_digits += s[i++];
  }
  if (int_digits.empty() && frac_digits.empty()) return Status::BadRequest(kErrFormat);
  std::string_view suffix = s.substr(i);

  Quantity q;
  int base2_exp = 0;   // multiply by 2^base2_exp
  int base10_exp = 0;  // multiply by 10^base10_exp
  if (suffix.empty()) {
    q.format_ = Format::kDecimalSI;
  } else if (suffix.size() == 2 && suffix[1] == 'i') {
    static const char kBin[] = "KMGTPE";
    const char* p = std::char_traits<char>::find(kBin, 6, suffix[0]);
    if (!p) return Status::BadRequest(kErrSuffix);
    base2_exp = 10 * static_cast<int>(p - kBin + 1);
    q.format_ = Format::kBinarySI;
  } else if (suffix.size() == 1 && std::string_view("numkMGTPE").find(suffix[0]) !=
                                       std::string_view::npos) {
    switch (suffix[0]) {
      case 'n': base10_exp = -9; break;
      case 'u': base10_exp = -6; break;
      case 'm': base10_exp = -3; break;
      case 'k': base10_exp = 3; break;
      case 'M': base10_exp = 6; break;
      case 'G': base10_exp = 9; break;
      case 'T': base10_exp = 12; break;
      case 'P': base10_exp = 15; break;
      case 'E': base10_exp = 18; break;
    }
    q.format_ = Format::kDecimalSI;
  } else if (suffix[0] == 'e' || suffix[0] == 'E') {
    std::string_view e = suffix.substr(1);
    size_t j = 0;
    if (j < e.size() && (e[j] == '+' || e[j] == '-')) ++j;
    if (j == e.size()) return Status::BadRequest(kErrSuffix);
    for (size_t k = j; k < e.size(); ++k)
      if (e[k] < '0' || e[k] > '9') return Status::BadRequest(kErrSuffix);
    if (e.size() - j > 4) return Status::BadRequest(kErrNumeric);
    base10_exp = std::stoi(std::string(e));
    q.format_ = Format::kDecimalExponent;
  } else {
    return Status::BadRequest(kErrSuffix);
  }

  // value = digits * 10^(base10_exp - frac_digits.size()) * 2^base2_exp, in nanos.
  std::string digits = int_digits + frac_digits;
  size_t first = digits.find_first_not_of('0');
  digits = first == std::string::npos ? "0" : digits.substr(first);
  int exp10 = base10_exp - static_cast<int>(frac_digits.size()) + 9;  // +9: nanos
  // Rough magnitude check before exact arithmetic.
  double approx = static_cast<double>(digits.size()) + exp10 + base2_exp * 0.30103;
  if (digits != "0" && approx > 38.5) return Status::BadRequest(kErrNumeric);
  __int128 mant = 0;
  for (char c : digits) {
    if (mant > (static_cast<__int128>(1) << 120) / 10) return Status::BadRequest(kErrNumeric);
    mant = mant * 10 + (c - '0');
  }
  for (int k = 0; k < base2_exp; ++k) mant *= 2;
  if (exp10 >= 0) {
    if (exp10 > 38) {
      if (mant != 0) return Status::BadRequest(kErrNumeric);
    } else {
      mant *= Pow10(exp10);
    }
  } else {
    // Precision below a nano rounds up, as upstream does.
    mant = exp10 < -38 ? (mant > 0 ? 1 : 0) : CeilDiv(mant, Pow10(-exp10));
  }
  if (static_cast<double>(mant) / 1e9 > kMaxUnits) return Status::BadRequest(kErrNumeric);
  q.nanos_ = neg ? -mant : mant;
  return q;
}

Result<Quantity> Quantity::FromJson(const Json& v) {
  if (v.is_string()) return Parse(v.get<std::string>());
  if (v.is_number_integer()) return FromInt(v.get<int64_t>());
  if (v.is_number_unsigned()) return Parse(std::to_string(v.get<uint64_t>()));
  if (v.is_number_float()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9f", v.get<double>());
    return Parse(buf);
  }
  return Status::BadRequest(kErrFormat);
}

Quantity Quantity::FromInt(int64_t value, Format format) {
  Quantity q;
  q.nanos_ = static_cast<__int128>(value) * kNano;
  q.format_ = format;
  return q;
}

Quantity Quantity::FromMilli(int64_t milli, Format format) {
  Quantity q;
  q.nanos_ = static_cast<__int128>(milli) * 1000000;
  q.format_ = format;
  return q;
}

int64_t Quantity::Value() const { return static_cast<int64_t>(CeilDiv(nanos_, kNano)); }
int64_t Quantity::MilliValue() const { return static_cast<int64_t>(CeilDiv(nanos_, 1000000)); }
double Quantity::AsDouble() const { return static_cast<double>(nanos_) / 1e9; }

std::string Quantity::String() const {
  if (nanos_ == 0) return "0";
  Format f = format_;
  // Binary suffixes only for whole values of magnitude >= 1024 (upstream's rule).
  if (f == Format::kBinarySI) {
    __int128 mag = nanos_ < 0 ? -nanos_ : nanos_;
    if (mag < 1024 * kNano || nanos_ % kNano != 0) f = Format::kDecimalSI;
  }
  if (f == Format::kBinarySI) {
    __int128 v = nanos_ / kNano;
    static const char* kSuffix[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    int k = 0;
    while (k < 6 && v % 1024 == 0) {
      v /= 1024;
      ++k;
    }
    return Int128ToString(v) + kSuffix[k];
  }
  // Decimal: the mantissa is an integer and the exponent the largest multiple
  // of 3 that keeps it one, starting from nanos (exponent -9).
  __int128 m = nanos_;
  int exp = -9;
  while (m % 1000 == 0 && exp < 18) {
    m /= 1000;
    exp += 3;
  }
  if (f == Format::kDecimalExponent) {
    return Int128ToString(m) + (exp == 0 ? "" : "e" + std::to_string(exp));
  }
  const char* suffix = "";
  switch (exp) {
    case -9: suffix = "n"; break;
    case -6: suffix = "u"; break;
    case -3: suffix = "m"; break;
    case 0: suffix = ""; break;
    case 3: suffix = "k"; break;
    case 6: suffix = "M"; break;
    case 9: suffix = "G"; break;
    case 12: suffix = "T"; break;
    case 15: suffix = "P"; break;
    case 18: suffix = "E"; break;
  }
  return Int128ToString(m) + suffix;
}

}  // namespace common
