#pragma once
/// @file enhance_options.h
/// @brief The command-line options of `enhance`, shared with `archive plan` (which leaves out
/// what each worker chooses for itself: device, threads, overwrite, quiet).

#include <cstdint>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "enhance_command.h"
#include "refine/engine/engine.h"

namespace refine::cli {

/// What refine-cli says about a --seed it cannot use.
inline constexpr const char* kSeedRangeMessage = "--seed takes a whole number from 0 to 18446744073709551615";

/// A --seed value: decimal digits within 0..2^64-1; nothing for "-5", "1e3", "2^64" or "".
std::optional<uint64_t> parseSeed(const std::string& text);

/// Empty when `text` (a --eta, --detail or --cascade-noise value) is a finite number; else the
/// reason, e.g. for "nan", which CLI::Range lets through.
std::string finiteNumberProblem(const std::string& text);

enum class EnhanceOptionsFor { Enhance, ArchivePlan };

void addEnhanceOptions(CLI::App& command, EnhanceOptions& options, EnhanceOptionsFor use = EnhanceOptionsFor::Enhance);

}  // namespace refine::cli
