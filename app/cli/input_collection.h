#pragma once
/// @file input_collection.h
/// @brief Expands the command line's files and folders into the photos to enhance.

#include <filesystem>
#include <string>
#include <vector>

namespace refine::cli {

struct InputCollection {
    std::vector<std::filesystem::path> photos;  ///< supported image files, in a stable order
    std::vector<std::string> problems;          ///< arguments that are missing or not images
};

/// Files are taken as given (an unsupported extension is a problem); folders contribute their
/// supported images (not recursively), sorted by name.
InputCollection collectInputs(const std::vector<std::string>& arguments);

}  // namespace refine::cli
