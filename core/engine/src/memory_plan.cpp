// The memory plan: a job's estimate against the memory free now, and what would fit instead.

#include "pipeline/job_memory.h"

#include <cstdio>
#include <iterator>
#include <optional>

#include "runtime/device.h"

namespace refine {
namespace {

// Keep a margin: the estimate is within about 25% of measured peaks (docs/performance.md), and
// other programs keep allocating while the job runs.
constexpr double kUsableShare = 0.9;

bool roomFor(std::uint64_t need, std::uint64_t available)
{
    return available == 0 || double(need) <= kUsableShare * double(available);  // 0: unknown, never refuse
}

struct Fit {
    bool host = true, device = true;
    bool both() const { return host && device; }
};

Fit fitOf(const MemoryEstimate& need, const JobShape& job, const MemoryAvailable& available, bool runtimeLoaded)
{
    const std::uint64_t host = need.workBytes() + (job.photoDecoded ? 0 : need.photoBytes)
                             + (runtimeLoaded ? 0 : need.runtimeBytes);
    Fit fit;
    fit.host = roomFor(host, available.hostBytes);
    fit.device = !available.onDevice || roomFor(need.deviceBytes, available.deviceBytes);
    return fit;
}

bool jobFits(const ModelShape& model, const JobShape& job, const RunTarget& target, const MemoryAvailable& available,
             bool runtimeLoaded)
{
    return fitOf(estimateJobMemory(model, job, target), job, available, runtimeLoaded).both();
}

std::string describeJob(const JobShape& job)
{
    const std::string candidates = job.cleanOnly ? "the clean result"
                                 : std::to_string(job.candidates) + (job.candidates == 1 ? " candidate" : " candidates");
    return "x" + std::to_string(job.scale) + ", " + candidates + " of a " + std::to_string(job.inputWidth) + " x " +
           std::to_string(job.inputHeight) + " photo";
}

/// "It would fit with 2 candidates, at x2 or with 256-pixel tiles." from the plan's alternatives.
std::string alternatives(const MemoryPlan& plan, const JobShape& job)
{
    std::vector<std::string> options;
    if (plan.candidatesThatFit > 0 && plan.candidatesThatFit < job.candidates)
        options.push_back("with " + std::to_string(plan.candidatesThatFit) +
                          (plan.candidatesThatFit == 1 ? " candidate" : " candidates"));
    if (plan.largestScaleThatFits > 0 && plan.largestScaleThatFits < job.scale)
        options.push_back("at x" + std::to_string(plan.largestScaleThatFits));
    if (options.empty())
        return "Even one candidate at x2 does not fit: crop the photo, or close other programs.";
    std::string text = "It would fit ";
    for (size_t i = 0; i < options.size(); ++i)
        text += (i == 0 ? "" : i + 1 == options.size() ? " or " : ", ") + options[i];
    return text + ".";
}

// Activation budgets to try, largest first, when the device's default does not fit: each halves
// the network's working memory (smaller tiles, smaller batches) for a little more time per step.
constexpr double kFallbackBudgetsGiB[] = {1.5, 0.75, 0.375};

/// The job with the largest activation budget that fits, if any (the caller's own budget or
/// tile are kept: they asked for them).
std::optional<JobShape> withBudgetThatFits(const ModelShape& model, const JobShape& job, const RunTarget& target,
                                           const MemoryAvailable& available, bool runtimeLoaded)
{
    if (jobFits(model, job, target, available, runtimeLoaded))
        return job;
    if (job.memoryBudgetGiB > 0 || job.tileSize > 0)
        return std::nullopt;
    for (double budget : kFallbackBudgetsGiB) {
        JobShape lower = job;
        lower.memoryBudgetGiB = budget;
        if (jobFits(model, lower, target, available, runtimeLoaded))
            return lower;
    }
    return std::nullopt;
}

void findAlternatives(const ModelShape& model, const JobShape& job, const RunTarget& target,
                      const MemoryAvailable& available, bool runtimeLoaded, MemoryPlan& plan)
{
    for (int candidates = job.cleanOnly ? 0 : job.candidates - 1; candidates >= 1 && !plan.candidatesThatFit;
         --candidates) {
        JobShape fewer = job;
        fewer.candidates = candidates;
        if (withBudgetThatFits(model, fewer, target, available, runtimeLoaded))
            plan.candidatesThatFit = candidates;
    }
    for (int scale : {8, 4, 2}) {
        JobShape smaller = job;
        smaller.scale = scale;
        if (scale < job.scale && !plan.largestScaleThatFits &&
            withBudgetThatFits(model, smaller, target, available, runtimeLoaded))
            plan.largestScaleThatFits = scale;
    }
}

}  // namespace

std::string formatBytes(std::uint64_t bytes)
{
    const double value = double(bytes);
    char text[32];
    if (value >= 1e9)
        std::snprintf(text, sizeof text, value >= 1e10 ? "%.0f GB" : "%.1f GB", value / 1e9);
    else
        std::snprintf(text, sizeof text, "%.0f MB", value / 1e6);
    return text;
}

MemoryPlan planJobMemory(const ModelShape& model, const JobShape& job, const RunTarget& target,
                         const MemoryAvailable& available, bool runtimeLoaded)
{
    MemoryPlan plan;
    plan.available = available;
    const double defaultBudget = job.memoryBudgetGiB > 0 ? job.memoryBudgetGiB : defaultMemoryBudgetGiB(target.device);
    if (const std::optional<JobShape> fitting = withBudgetThatFits(model, job, target, available, runtimeLoaded)) {
        plan.need = estimateJobMemory(model, *fitting, target);
        plan.memoryBudgetGiB = fitting->memoryBudgetGiB > 0 ? fitting->memoryBudgetGiB : defaultBudget;
        plan.candidatesThatFit = job.candidates;
        plan.largestScaleThatFits = job.scale;
        return plan;
    }
    plan.fits = false;
    plan.memoryBudgetGiB = defaultBudget;
    JobShape least = job;  // what it needs at the least, for the message
    if (job.memoryBudgetGiB <= 0 && job.tileSize <= 0)
        least.memoryBudgetGiB = kFallbackBudgetsGiB[std::size(kFallbackBudgetsGiB) - 1];
    plan.need = estimateJobMemory(model, least, target);
    findAlternatives(model, job, target, available, runtimeLoaded, plan);
    const Fit fit = fitOf(plan.need, least, available, runtimeLoaded);
    const bool host = !fit.host;
    const std::uint64_t need = host ? plan.need.workBytes() + (job.photoDecoded ? 0 : plan.need.photoBytes)
                                          + (runtimeLoaded ? 0 : plan.need.runtimeBytes)
                                    : plan.need.deviceBytes;
    const std::uint64_t free = host ? available.hostBytes : available.deviceBytes;
    plan.problem = "Not enough memory for this job (" + describeJob(job) + "): it needs about " + formatBytes(need) +
                   (host ? " of memory and " : " of GPU memory and ") + formatBytes(free) + " is free. " +
                   alternatives(plan, job);
    return plan;
}

}  // namespace refine
