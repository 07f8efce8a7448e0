#include "bench_table.h"

#include <cstdio>
#include <sstream>

namespace refine::bench {
namespace {

std::string format(const char* pattern, double value)
{
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

std::string networkOf(const BenchResult& r)
{
    const Workload& w = r.workload;
    return w.randomNetwork ? w.title : w.model;
}

std::string row(const BenchResult& r)
{
    const Workload& w = r.workload;
    std::ostringstream line;
    line << "| " << w.id << " | " << networkOf(r) << " | " << w.inputWidth << "x" << w.inputHeight << " -> "
         << r.outputWidth << "x" << r.outputHeight << " | " << w.candidates << " | " << r.device << " | "
         << r.precision << " | " << w.sampling.name << ": " << r.sampler << " " << r.steps << " | "
         << format("%.1f", r.msPerStep) << " | " << format("%.2f", r.endToEndSeconds) << " | "
         << (r.firstPreviewSeconds >= 0 ? format("%.2f", r.firstPreviewSeconds) : "-") << " | "
         << format("%.2f", r.loadSeconds) << " | " << format("%.2f", r.warmupSeconds) << " | " << format("%.1f", r.flopsPerStep / 1e9) << " | "
         << format("%.2f", r.tflops()) << " | " << format("%.2f%%", 100.0 * r.tflops() / kReferencePeakTflops)
         << " | " << (r.peakMemoryBytes >= 0 ? format("%.2f", double(r.peakMemoryBytes) / (1 << 30)) : "-")
         << " | " << r.tileSize << " |";
    return line.str();
}

}  // namespace

std::string markdownTable(const std::vector<BenchResult>& results)
{
    std::ostringstream table;
    table << "| id | network | input -> output | cand. | device | precision | preset: sampler steps | ms/step"
             " | end-to-end s | first preview s | load s | warm-up s | GFLOP/step | TFLOP/s | of 800 | peak GPU GiB | tile |\n"
             "|---|---|---|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& r : results)
        table << row(r) << "\n";
    return table.str();
}

}  // namespace refine::bench
