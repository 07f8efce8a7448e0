#include "archive_command.h"

#include "enhance_options.h"

namespace refine::cli {
namespace {

void addPlanOptions(CLI::App& plan, ArchivePlanOptions& o)
{
    addEnhanceOptions(plan, o.enhance, EnhanceOptionsFor::ArchivePlan);
    plan.add_option("--manifest", o.manifest, "Manifest to write (default: OUT/refine-archive.jsonl)");
}

void addRunOptions(CLI::App& run, ArchiveRunOptions& o)
{
    run.add_option("manifest", o.manifest, "The archive's manifest (from archive plan)")->required();
    run.add_option("--shard", o.shard,
                   "K/N: do the photos of shard K of N, K from 0 (e.g. $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT)")
        ->capture_default_str();
    run.add_option("--device", o.device, "auto, cpu or cuda[:N]")->capture_default_str();
    run.add_option("--threads", o.threads, "CPU threads (default: all cores)")->check(CLI::Range(1, 1024));
    run.add_flag("-q,--quiet", o.quiet, "No progress bar");
    run.add_flag("--list", o.list, "Only list the shard's photos (id and path)");
}

void addStatusOptions(CLI::App& status, ArchiveStatusOptions& o)
{
    status.add_option("manifest", o.manifest, "The archive's manifest")->required();
    status.add_option("--workers", o.workers, "Estimate the time left for this many workers (default: the shards)")
        ->check(CLI::Range(1, 1000000));
    status.add_option("--shards", o.shards, "Name the shards with work left of this many (default: the logs' sharding)")
        ->check(CLI::Range(1, 1000000));
    status.add_flag("--json", o.json, "Print the summary as JSON");
}

}  // namespace

CLI::App* addArchiveCommand(CLI::App& app, ArchiveCommand& command)
{
    CLI::App* archive = app.add_subcommand(
        "archive", "Enhance a whole photo archive: plan it once, run it in shards (resumable), follow its status");
    archive->require_subcommand(1);
    command.plan = archive->add_subcommand("plan", "Write the manifest: every photo, its outputs, the model and settings");
    command.run = archive->add_subcommand("run", "Enhance one shard of a planned archive; safe to kill and run again");
    command.status = archive->add_subcommand("status", "Done, failed and left photos, speed and time left, from the logs");
    addPlanOptions(*command.plan, command.planOptions);
    addRunOptions(*command.run, command.runOptions);
    addStatusOptions(*command.status, command.statusOptions);
    return archive;
}

int runArchiveCommand(const ArchiveCommand& command, const CancelToken& cancel)
{
    if (*command.plan)
        return runArchivePlan(command.planOptions);
    if (*command.run)
        return runArchiveRun(command.runOptions, cancel);
    return runArchiveStatus(command.statusOptions);
}

}  // namespace refine::cli
