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

/// The supported images under `root`, sorted by their path below it. A subfolder that cannot be
/// read is a problem, never skipped in silence: a plan covers the whole tree or nothing.
std::vector<ArchiveInput> photosUnder(const fs::path& root, const fs::path& skip, std::vector<std::string>& problems,
                                      std::vector<std::string>& notices)
{
    std::vector<ArchiveInput> found;
    std::error_code ec;
    fs::recursive_directory_iterator it(root, ec), end;
    if (ec) {
        problems.push_back("the folder cannot be read: " + plainFileError(ec));
        return found;
    }
    for (; it != end; it.increment(ec)) {
        if (ec) {
            problems.push_back("the folder cannot be read: " + plainFileError(ec));
            break;
        }
        const fs::path path = absoluteOf(it->path());
        if (it->is_directory(ec)) {
            std::error_code unreadable;
            fs::directory_iterator probe(path, unreadable);
            if (isHidden(path) || path == skip || unreadable) {
                if (unreadable && !isHidden(path) && path != skip)
                    problems.push_back("its subfolder " + path.lexically_relative(root).string() +
                                       " cannot be read: " + plainFileError(unreadable) +
                                       " (make it readable, or move it out of the archive)");
                it.disable_recursion_pending();
            }
            continue;
        }
        if (!imaging::isSupportedImagePath(path))
            continue;
        std::error_code notAFile;
        if (it->is_regular_file(notAFile))
            found.push_back({path, path.parent_path().lexically_relative(root)});
        else if (notAFile)  // a symbolic link loop, a dangling link: named, the rest goes on
            notices.push_back(path.string() + ": cannot be opened: " + plainFileError(notAFile));
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
            std::vector<std::string> problems;
            auto found = photosUnder(path, skipFolder, problems, inputs.notices);
            for (const auto& problem : problems)
                inputs.problems.push_back(argument + ": " + problem);
            if (problems.empty() && found.empty())
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
