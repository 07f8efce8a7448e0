#include "format_names.h"

#include "refine/imaging/image_io.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace refine::imaging {

std::string detail::canonicalFormatName(const std::string& nameOrExtension)
{
    static const std::map<std::string, std::string> kCanonical = {
        {"jpg", "jpeg"}, {"jpeg", "jpeg"}, {"png", "png"},   {"tif", "tiff"},
        {"tiff", "tiff"}, {"webp", "webp"}, {"bmp", "bmp"},
    };
    std::string key = nameOrExtension;
    if (!key.empty() && key.front() == '.')
        key.erase(0, 1);
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto found = kCanonical.find(key);
    return found == kCanonical.end() ? std::string() : found->second;
}

std::string formatFromExtension(const std::filesystem::path& path)
{
    return detail::canonicalFormatName(path.extension().u8string());
}

bool isSupportedImagePath(const std::filesystem::path& path)
{
    return !formatFromExtension(path).empty();
}

}  // namespace refine::imaging
