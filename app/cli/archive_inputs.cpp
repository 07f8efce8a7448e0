#include "archive_inputs.h"

#include <algorithm>

#include "input_collection.h"
#include "refine/imaging/image_io.h"

namespace refine::cli {
namespace fs = std::filesystem;
namespace {

fs::path absoluteOf(const fs::path& path) { return fs::absolute(path).lexically_normal(); }

bool isHidden(const fs::path& path)
{
    const std::string name = path.filename().string();
    return !name.empty() && name[0] == '.';
}

/// The supported images under `root`, sorted by their path below it.
std::vector<ArchiveInput> photosUnder(const fs::path& root, const fs::path& skip, std::string& problem)
{
    std::vector<ArchiveInput> found;
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    if (ec)
        problem = "the folder cannot be read: " + plainFileError(ec);
    for (; it != end; it.increment(ec)) {
        if (ec) {
            problem = "the folder cannot be read: " + plainFileError(ec);
            break;
        }
        const fs::path path = absoluteOf(it->path());
        if (it->is_directory(ec) && (isHidden(path) || path == skip)) {
            it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file(ec) && imaging::isSupportedImagePath(path))
            found.push_back({path, path.parent_path().lexically_relative(root)});
    }
    for (auto& photo : found)
        if (photo.subfolder == ".")
            photo.subfolder.clear();
    std::sort(found.begin(), found.end(), [](const ArchiveInput& a, const ArchiveInput& b) { return a.path < b.path; });
    return found;
}

}  // namespace

ArchiveInputs collectArchiveInputs(const std::vector<std::string>& arguments, const fs::path& skip)
{
    ArchiveInputs inputs;
    const fs::path skipFolder = absoluteOf(skip);
    for (const auto& argument : arguments) {
        const fs::path path = absoluteOf(argument);
        const InputArgument kind = classifyArgument(path);
        if (kind.kind == InputArgument::Kind::Folder) {
            std::string problem;
            auto found = photosUnder(path, skipFolder, problem);
            if (!problem.empty())
                inputs.problems.push_back(argument + ": " + problem);
            else if (found.empty())
                inputs.problems.push_back(argument + ": the folder holds no supported images");
            inputs.photos.insert(inputs.photos.end(), found.begin(), found.end());
        } else if (kind.kind == InputArgument::Kind::Photo) {
            inputs.photos.push_back({path, {}});
        } else {
            inputs.problems.push_back(argument + ": " + kind.problem);
        }
    }
    return inputs;
}

}  // namespace refine::cli
