#pragma once
/// @file archive_command.h
/// @brief `refine-cli archive plan|run|status`: its options and dispatch.

#include <CLI/CLI.hpp>

#include "archive_plan.h"
#include "archive_run.h"
#include "archive_status.h"

namespace refine::cli {

struct ArchiveCommand {
    CLI::App* plan = nullptr;
    CLI::App* run = nullptr;
    CLI::App* status = nullptr;
    ArchivePlanOptions planOptions;
    ArchiveRunOptions runOptions;
    ArchiveStatusOptions statusOptions;
};

/// Adds `archive` with its three subcommands to `app`; `command` must outlive parsing.
CLI::App* addArchiveCommand(CLI::App& app, ArchiveCommand& command);

/// Runs the subcommand that was parsed.
int runArchiveCommand(const ArchiveCommand& command, const CancelToken& cancel);

}  // namespace refine::cli
