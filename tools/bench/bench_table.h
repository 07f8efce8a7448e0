#pragma once
/// @file bench_table.h
/// @brief refine-bench's results as a Markdown table (printed, and kept in docs/performance.md).

#include <string>
#include <vector>

#include "bench_run.h"

namespace refine::bench {

/// The dense bf16 matrix rate the H100 was measured at; "% of peak" is relative to it.
constexpr double kReferencePeakTflops = 800.0;

std::string markdownTable(const std::vector<BenchResult>& results);

}  // namespace refine::bench
