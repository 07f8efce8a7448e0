#pragma once
/// @file exit_codes.h
/// @brief refine-cli's exit codes, shared by its commands (the README lists them).

namespace refine::cli {

constexpr int kExitSomeFailed = 1;   ///< some photos failed (each is named with the reason)
constexpr int kExitArchive = 2;      ///< an archive manifest, log folder or plan that cannot be used
constexpr int kExitModel = 3;        ///< model or device problem
constexpr int kExitCancelled = 130;  ///< Ctrl+C or SIGTERM

}  // namespace refine::cli
