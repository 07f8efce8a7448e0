#include "output_checks.h"

#include <cerrno>
#include <cstdio>
#include <random>
#include <system_error>

#include "input_collection.h"

namespace refine::cli {
namespace fs = std::filesystem;
namespace {

/// Creates and removes a uniquely named file in `folder`; empty when that worked.
std::string writeProbeProblem(const fs::path& folder)
{
    const fs::path probe = folder / (".refine-write-check-" + std::to_string(std::random_device{}()));
#ifdef _WIN32
    std::FILE* file = _wfopen(probe.c_str(), L"wbx");
#else
    std::FILE* file = std::fopen(probe.c_str(), "wbx");  // "x": never opens someone else's file
#endif
    if (!file)
        return "it cannot be written: " + plainFileError(std::error_code(errno, std::generic_category()));
    std::fclose(file);
    std::error_code ignored;
    fs::remove(probe, ignored);
    return {};
}

}  // namespace

std::string outputFolderProblem(const fs::path& folder)
{
    std::error_code error;
    const fs::file_status status = fs::status(folder, error);
    if (status.type() == fs::file_type::not_found) {
        fs::create_directories(folder, error);
        if (error)
            return "it cannot be created: " + plainFileError(error);
    } else if (error) {
        return "it cannot be opened: " + plainFileError(error);
    } else if (!fs::is_directory(status)) {
        return "it is a file, not a folder";
    }
    return writeProbeProblem(folder);
}

fs::path outputThatIsAnInput(const std::vector<fs::path>& outputs, const std::set<fs::path>& inputIdentities)
{
    for (const auto& output : outputs)
        if (inputIdentities.count(identityOf(output)))
            return output;
    return {};
}

}  // namespace refine::cli
