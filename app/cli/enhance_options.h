#pragma once
/// @file enhance_options.h
/// @brief The command-line options of `enhance`, shared with `archive plan` (which leaves out
/// what each worker chooses for itself: device, threads, overwrite, quiet).

#include <CLI/CLI.hpp>

#include "enhance_command.h"

namespace refine::cli {

enum class EnhanceOptionsFor { Enhance, ArchivePlan };

void addEnhanceOptions(CLI::App& command, EnhanceOptions& options, EnhanceOptionsFor use = EnhanceOptionsFor::Enhance);

}  // namespace refine::cli
