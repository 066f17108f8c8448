// Runs a helper program (iptables-restore, iptables-save, conntrack) with
// data on its stdin, collecting its output.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace proxyrules {

struct ExecResult {
  int exit_code = -1;  // 128+N when killed by signal N
  std::string out;
  std::string err;
};

// Runs argv[0] (looked up in PATH) with `input` on stdin. Fails only when
// the program cannot be started; a non-zero exit is reported in the result.
common::Result<ExecResult> Exec(const std::vector<std::string>& argv, const std::string& input = "");

}  // namespace proxyrules
