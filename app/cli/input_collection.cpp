#include "input_collection.h"

#include <algorithm>
#include <map>
#include <regex>

#include "refine/imaging/image_io.h"

namespace refine::cli {
namespace fs = std::filesystem;
namespace {

InputArgument problem(std::string why) { return {InputArgument::Kind::Problem, std::move(why)}; }

/// A folder's photos, and what in it was left out.
struct FolderContents {
    std::vector<fs::path> photos;
    std::vector<std::string> problems;
    int earlierOutputs = 0;
    fs::path firstEarlierOutput;
};

/// Sorts one folder entry with a supported extension into `contents`. Every file-system call
/// takes an error code: one entry that cannot be read never stops the folder.
void addFolderEntry(const fs::directory_entry& entry, const fs::path& shownAs, FolderContents& contents)
{
    std::error_code error;
    const fs::file_status status = entry.status(error);  // follows symbolic links
    if (status.type() == fs::file_type::not_found) {
        std::error_code ignored;
        if (entry.is_symlink(ignored))
            contents.problems.push_back(shownAs.string() + ": skipped: a link to a file that does not exist");
    } else if (error) {
        contents.problems.push_back(shownAs.string() + ": skipped: " + plainFileError(error));
    } else if (fs::is_directory(status)) {
        // A folder named like a photo: folders inside a folder are not walked.
    } else if (!fs::is_regular_file(status)) {
        contents.problems.push_back(shownAs.string() + ": skipped: not a regular file (a device, pipe or socket)");
    } else if (isNamedLikeRefineOutput(entry.path())) {
        if (contents.earlierOutputs++ == 0)
            contents.firstEarlierOutput = shownAs;
    } else {
        contents.photos.push_back(entry.path());
    }
}

FolderContents readFolder(const fs::path& folder, const std::string& argument)
{
    FolderContents contents;
    std::error_code error;
    fs::directory_iterator it(folder, error);
    if (error) {
        contents.problems.push_back(argument + ": the folder cannot be read: " + plainFileError(error));
        return contents;
    }
    for (const fs::directory_iterator end; it != end; it.increment(error))
        if (imaging::isSupportedImagePath(it->path()))
            addFolderEntry(*it, fs::path(argument) / it->path().filename(), contents);
    if (error)
        contents.problems.push_back(argument + ": reading the folder stopped: " + plainFileError(error));
    std::sort(contents.photos.begin(), contents.photos.end());
    return contents;
}

void addFolder(const std::string& argument, InputCollection& inputs)
{
    FolderContents contents = readFolder(argument, argument);
    if (contents.earlierOutputs > 0)
        inputs.notices.push_back(argument + ": left out " + std::to_string(contents.earlierOutputs) +
                                 " file(s) named like Refine's earlier outputs (such as " +
                                 contents.firstEarlierOutput.filename().string() +
                                 "); name them on the command line to enhance them again");
    if (contents.photos.empty() && contents.problems.empty() && contents.earlierOutputs == 0)
        contents.problems.push_back(argument + ": the folder holds no supported images");
    inputs.problems.insert(inputs.problems.end(), contents.problems.begin(), contents.problems.end());
    inputs.photos.insert(inputs.photos.end(), contents.photos.begin(), contents.photos.end());
}

/// Keeps the first of photos that are the same file under different spellings.
void dropDuplicates(InputCollection& inputs)
{
    std::map<fs::path, fs::path> firstByIdentity;
    std::vector<fs::path> unique;
    for (const auto& photo : inputs.photos) {
        const auto [first, isNew] = firstByIdentity.emplace(identityOf(photo), photo);
        if (isNew)
            unique.push_back(photo);
        else if (photo == first->second)
            inputs.notices.push_back(photo.string() + " is named more than once; it is enhanced once");
        else
            inputs.notices.push_back(photo.string() + " is the same photo as " + first->second.string() +
                                     "; it is enhanced once");
    }
    inputs.photos = std::move(unique);
    for (const auto& [identity, photo] : firstByIdentity)
        inputs.identities.insert(identity);
}

}  // namespace

std::string plainFileError(const std::error_code& error)
{
    if (error == std::errc::permission_denied || error == std::errc::operation_not_permitted)
        return "permission denied";
    if (error == std::errc::too_many_symbolic_link_levels)
        return "a loop of symbolic links";
    if (error == std::errc::no_such_file_or_directory)
        return "it does not exist";
    if (error == std::errc::not_a_directory)
        return "a part of the path is a file, not a folder";
    if (error == std::errc::read_only_file_system)
        return "the disk is read-only";
    if (error == std::errc::no_space_on_device)
        return "the disk is full";
    return error.message();
}

InputArgument classifyArgument(const fs::path& path)
{
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (status.type() == fs::file_type::not_found)
        return problem("no such file or folder");
    if (error)  // it exists, but stat() was refused: say why instead of "does not exist"
        return problem("cannot be opened: " + plainFileError(error));
    if (fs::is_directory(status))
        return {InputArgument::Kind::Folder, {}};
    if (!imaging::isSupportedImagePath(path))
        return problem("not a supported image (JPEG, PNG, TIFF, WebP or BMP)");
    return {InputArgument::Kind::Photo, {}};
}

fs::path identityOf(const fs::path& path)
{
    std::error_code error;
    const fs::path absolute = fs::absolute(path, error);
    if (error)
        return path.lexically_normal();
    const fs::path resolved = fs::weakly_canonical(absolute, error);
    return error ? absolute.lexically_normal() : resolved;
}

bool isNamedLikeRefineOutput(const fs::path& name)
{
    // candidateFileName() and uncertaintyMapFileName(): <stem>_x<scale>_c<n>, _clean, _uncertainty.
    static const std::regex kOutputStem(R"(.+_x[0-9]+_(c[0-9]+|clean|uncertainty))");
    return std::regex_match(name.stem().string(), kOutputStem);
}

InputCollection collectInputs(const std::vector<std::string>& arguments)
{
    InputCollection inputs;
    for (const auto& argument : arguments) {
        const InputArgument kind = classifyArgument(argument);
        if (kind.kind == InputArgument::Kind::Folder)
            addFolder(argument, inputs);
        else if (kind.kind == InputArgument::Kind::Photo)
            inputs.photos.emplace_back(argument);
        else
            inputs.problems.push_back(argument + ": " + kind.problem);
    }
    dropDuplicates(inputs);
    return inputs;
}

}  // namespace refine::cli
