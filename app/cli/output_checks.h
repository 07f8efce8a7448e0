#pragma once
/// @file output_checks.h
/// @brief What `enhance` checks about its outputs before any photo is decoded or the model is
/// loaded: that the folders they go to can be written, and that no output takes an input's place.

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace refine::cli {

/// Empty when `folder` is a folder this process can write into (created first when missing);
/// else why not, in plain words ("it is a file, not a folder", "permission denied").
/// Writing is tried with a file created and removed at once: access() says yes to root on a
/// read-only disk.
std::string outputFolderProblem(const std::filesystem::path& folder);

/// The first of `outputs` that is one of the inputs (`inputIdentities` holds identityOf() of
/// each), or an empty path.
std::filesystem::path outputThatIsAnInput(const std::vector<std::filesystem::path>& outputs,
                                          const std::set<std::filesystem::path>& inputIdentities);

}  // namespace refine::cli
