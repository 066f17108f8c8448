// The command line: verbs registered in one table, one file per verb.
#pragma once

namespace schedule {

// Parses argv and runs the chosen verb; returns the process exit code.
int Main(int argc, char** argv);

}  // namespace schedule
