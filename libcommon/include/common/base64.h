// Base64 (RFC 4648) in its standard and URL-safe alphabets, as Go's encoding/base64.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace common {

// Standard alphabet with '=' padding (Go's base64.StdEncoding).
std::string Base64Encode(std::string_view data);
// Decodes standard base64; padding required as Go's StdEncoding requires it;
// whitespace ("\r\n") is skipped. Returns nullopt on any illegal byte, and sets
// *bad_offset (when given) to the offset Go would report.
std::optional<std::string> Base64Decode(std::string_view text, size_t* bad_offset = nullptr);
// URL-safe alphabet without padding (Go's base64.RawURLEncoding).
std::string Base64UrlEncode(std::string_view data);
// Accepts the URL-safe alphabet with or without padding.
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace common
