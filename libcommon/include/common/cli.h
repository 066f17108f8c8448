// CLI11 helpers, the suite's shared flags and its exit codes.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace common::cli {

// One exit-code table for every tool (repeated under EXIT STATUS in each man page).
enum ExitCode : int {
  kExitOk = 0,           // success
  kExitFailed = 1,       // the operation failed or was refused
  kExitUsage = 2,        // usage error: bad flag, bad argument, bad config
  kExitUnreachable = 3,  // the server could not be reached
};

// Records the tool name used as the prefix of every message ("kvstore: ...").
void SetToolName(std::string_view name);
const std::string& ToolName();

// Prints "<tool>: <msg>" on stderr.
void PrintError(std::string_view msg);

// Parses argv into `app`. Returns nullopt when the caller should go on, or the
// exit code to return: 0 after --help, kExitUsage (with "<tool>: ..." on stderr)
// for a parse error. Never throws.
std::optional<int> Parse(CLI::App& app, int argc, char** argv);

// Adds `-v,--v LEVEL` (klog's verbosity flag) wired to common::log::SetVerbosity.
void AddVerbosityFlag(CLI::App& app);

// Maps a failed Status to the suite's exit code: kExitUnreachable for
// Code::kUnreachable (the server could not be reached), kExitFailed otherwise.
int ExitCodeFor(const Status& status);

// Prints `status` as "<tool>: message" and returns ExitCodeFor(status).
int Fail(const Status& status);

}  // namespace common::cli
