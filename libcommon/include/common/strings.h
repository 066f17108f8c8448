// Small string helpers the tools share: split, join, trim, case, number parsing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace common {

// Splits `s` at every `sep`; "" gives one empty field.
std::vector<std::string> Split(std::string_view s, char sep);
// Like Split but drops empty fields and trims spaces around each one.
std::vector<std::string> SplitNonEmpty(std::string_view s, char sep);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
std::string_view TrimSpace(std::string_view s);
std::string ToLower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Parses a whole decimal integer (optional sign); nullopt on junk or overflow.
std::optional<int64_t> ParseInt64(std::string_view s);
std::optional<uint64_t> ParseUint64(std::string_view s);

}  // namespace common
