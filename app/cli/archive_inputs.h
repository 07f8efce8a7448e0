#pragma once
/// @file archive_inputs.h
/// @brief The photos of an archive: files as given, folders walked recursively (an archive is
/// a tree of folders), each photo with the subfolder its outputs mirror.

#include <filesystem>
#include <string>
#include <vector>

namespace refine::cli {

struct ArchiveInput {
    std::filesystem::path path;       ///< absolute
    std::filesystem::path subfolder;  ///< relative to the folder given ("" for files given directly)
};

struct ArchiveInputs {
    std::vector<ArchiveInput> photos;  ///< in a stable order: arguments in turn, each folder sorted
    std::vector<std::string> problems; ///< arguments that are missing, unsupported or hold no photos
    std::vector<std::string> notices;  ///< photos left out, each with why (e.g. a symbolic link loop)
};

/// Walks the arguments. Hidden folders (".thumbnails", ".git") and `skip` (the output folder,
/// when it lies inside an input folder) are left out; symbolic links to folders are not followed.
ArchiveInputs collectArchiveInputs(const std::vector<std::string>& arguments, const std::filesystem::path& skip);

}  // namespace refine::cli
