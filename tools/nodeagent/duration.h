// Go-style durations ("10s", "1m30s", "100ms", "5m") for flags named like the
// kubelet's, which take time.Duration values.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/status.h"

namespace nodeagent {

// Parses Go's time.ParseDuration syntax: a sequence of decimal numbers with a
// unit each (ns, us, µs, ms, s, m, h), optionally signed; "0" alone is valid.
// Returns BadRequest with Go's wording (`time: invalid duration "x"`) on junk.
common::Result<std::chrono::nanoseconds> ParseDuration(std::string_view text);

// Formats like Go's Duration.String(): "1m30s", "100ms", "0s".
std::string FormatDuration(std::chrono::nanoseconds d);

}  // namespace nodeagent
