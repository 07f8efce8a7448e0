#include "input_collection.h"

#include <algorithm>

#include "refine/imaging/image_io.h"

namespace refine::cli {
namespace fs = std::filesystem;

InputCollection collectInputs(const std::vector<std::string>& arguments)
{
    InputCollection inputs;
    for (const auto& argument : arguments) {
        const fs::path path(argument);
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            std::vector<fs::path> found;
            for (const auto& entry : fs::directory_iterator(path, ec))
                if (entry.is_regular_file() && imaging::isSupportedImagePath(entry.path()))
                    found.push_back(entry.path());
            std::sort(found.begin(), found.end());
            if (found.empty())
                inputs.problems.push_back(argument + ": the folder holds no supported images");
            inputs.photos.insert(inputs.photos.end(), found.begin(), found.end());
        } else if (!fs::exists(path, ec)) {
            inputs.problems.push_back(argument + ": no such file or folder");
        } else if (!imaging::isSupportedImagePath(path)) {
            inputs.problems.push_back(argument + ": not a supported image (JPEG, PNG, TIFF, WebP or BMP)");
        } else {
            inputs.photos.push_back(path);
        }
    }
    return inputs;
}

}  // namespace refine::cli
