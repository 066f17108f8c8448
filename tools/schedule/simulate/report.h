// How simulate prints results: a kubectl-style table (plain or wide), JSON,
// and the --explain report.
#pragma once

#include <ostream>

#include "common/json.h"
#include "simulate/simulator.h"

namespace schedule {

// POD NODE SCORE (wide: + ATTEMPTS FEASIBLE NOMINATED MESSAGE).
void PrintTable(const SimulationResult& result, bool wide, std::ostream& out);
// {"kind": "SimulationResult", "pods": [...], "summary": {...}}.
common::Json ResultToJson(const SimulationResult& result);

// Per node: the filter verdicts; per feasible node: the score breakdown.
void PrintExplain(const CycleDetail& detail, std::ostream& out);
common::Json ExplainToJson(const CycleDetail& detail);

// "POD: phase" lines for stderr: the FailedScheduling message of each pending pod.
void PrintPendingMessages(const SimulationResult& result, std::ostream& err);

}  // namespace schedule
