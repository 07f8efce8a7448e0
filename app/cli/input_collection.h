#pragma once
/// @file input_collection.h
/// @brief Expands the command line's files and folders into the photos to enhance, and the
/// classification of one argument that `enhance` and `archive plan` share.

#include <filesystem>
#include <set>
#include <string>
#include <system_error>
#include <vector>

namespace refine::cli {

/// What one command-line argument names, found without reading the file.
struct InputArgument {
    enum class Kind { Folder, Photo, Problem };
    Kind kind = Kind::Problem;
    std::string problem;  ///< Kind::Problem: why it cannot be used, in plain words
};

/// A folder, a file with a supported extension, or a problem: it does not exist, it cannot be
/// reached (permission, a loop of links), or it is not a supported image.
InputArgument classifyArgument(const std::filesystem::path& path);

/// A file-system error in plain words ("permission denied", "a loop of symbolic links").
std::string plainFileError(const std::error_code& error);

/// The path a file is known by whatever its spelling: absolute, with "." and ".." and
/// symbolic links resolved (as far as the path exists).
std::filesystem::path identityOf(const std::filesystem::path& path);

/// Whether `name` follows the naming of Refine's outputs: `<stem>_x<scale>_c<n>`,
/// `<stem>_x<scale>_clean` or `<stem>_x<scale>_uncertainty`, any supported extension.
bool isNamedLikeRefineOutput(const std::filesystem::path& name);

struct InputCollection {
    std::vector<std::filesystem::path> photos;  ///< supported image files, in a stable order, each once
    std::set<std::filesystem::path> identities; ///< identityOf() of every photo: files never written over
    std::vector<std::string> problems;          ///< arguments or folder entries that cannot be enhanced
    std::vector<std::string> notices;           ///< what was left out on purpose (duplicates, earlier outputs)
};

/// Files are taken as given (an unsupported extension is a problem); folders contribute their
/// supported images (not recursively), sorted by name, leaving out files named like Refine's
/// own outputs so that a re-run does not enhance its earlier results. An entry that cannot be
/// read (a loop of links, a broken link) is a problem; the folder's other photos still count.
/// A photo named twice (by any spelling) is taken once.
InputCollection collectInputs(const std::vector<std::string>& arguments);

}  // namespace refine::cli
