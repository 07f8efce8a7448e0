#include "eval_inputs.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <set>
#include <stdexcept>

#include "refine/imaging/image_io.h"

namespace refine::eval {
namespace fs = std::filesystem;
namespace {

std::string trimmed(const std::string& line)
{
    const auto begin = line.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos)
        return {};
    const auto end = line.find_last_not_of(" \t\r\n");
    return line.substr(begin, end - begin + 1);
}

/// File names from a list, one a line; blank lines and '#' comments are ignored, and a path is
/// reduced to its file name so lists written elsewhere still match.
std::set<std::string> readNameList(const fs::path& listFile)
{
    std::ifstream in(listFile);
    if (!in)
        throw std::runtime_error("cannot read the list " + listFile.string());
    std::set<std::string> names;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(trimmed(line));
        std::string name;
        if (words >> name && name[0] != '#')
            names.insert(fs::path(name).filename().string());
    }
    return names;
}

std::vector<fs::path> supportedImagesIn(const fs::path& folder)
{
    std::vector<fs::path> photos;
    for (const auto& entry : fs::directory_iterator(folder))
        if (entry.is_regular_file() && imaging::isSupportedImagePath(entry.path()))
            photos.push_back(entry.path());
    std::sort(photos.begin(), photos.end());
    return photos;
}

}  // namespace

bool isValidationPhoto(const std::string& fileName, int percent)
{
    uint64_t h = 1469598103934665603ULL;  // FNV-1a offset basis
    for (unsigned char c : fileName)
        h = (h ^ c) * 1099511628211ULL;   // FNV prime
    return int(h % 100) < percent;
}

std::vector<fs::path> selectPhotos(const PhotoSelection& selection)
{
    std::vector<fs::path> photos = supportedImagesIn(selection.folder);
    if (!selection.listFile.empty()) {
        std::set<std::string> wanted = readNameList(selection.listFile);
        std::vector<fs::path> kept;
        for (const auto& photo : photos)
            if (wanted.erase(photo.filename().string()) > 0)
                kept.push_back(photo);
        for (const auto& missing : wanted)
            std::fprintf(stderr, "refine-eval: %s is listed but is not a supported image in %s\n", missing.c_str(),
                         selection.folder.string().c_str());
        photos = std::move(kept);
    }
    if (selection.validationPercent > 0)
        photos.erase(std::remove_if(photos.begin(), photos.end(),
                                    [&](const fs::path& p) {
                                        return !isValidationPhoto(p.filename().string(), selection.validationPercent);
                                    }),
                     photos.end());
    return photos;
}

std::map<std::string, cv::Point2d> readCropCentres(const fs::path& listFile)
{
    std::map<std::string, cv::Point2d> centres;
    if (listFile.empty())
        return centres;
    std::ifstream in(listFile);
    if (!in)
        throw std::runtime_error("cannot read the list " + listFile.string());
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(trimmed(line));
        std::string name;
        if (!(words >> name) || name[0] == '#')
            continue;
        double x = 0, y = 0;
        if (!(words >> x))
            continue;  // a name alone: the centred crop
        if (!(words >> y) || x < 0 || x > 1 || y < 0 || y > 1)
            throw std::runtime_error(listFile.string() + ": the crop centre of " + name
                                     + " must be two fractions in [0, 1], e.g. '" + name + " 0.5 0.3'");
        centres[fs::path(name).filename().string()] = {x, y};
    }
    return centres;
}

int cropSide(cv::Size photo, int wanted, int scale)
{
    const int side = std::min({wanted, photo.width, photo.height});
    return side - side % scale;
}

cv::Mat centerCrop(const cv::Mat& image, int side)
{
    const cv::Rect square((image.cols - side) / 2, (image.rows - side) / 2, side, side);
    return image(square).clone();
}

cv::Mat cropAround(const cv::Mat& image, int side, cv::Point2d centre)
{
    const int x = std::clamp(int(centre.x * image.cols) - side / 2, 0, image.cols - side);
    const int y = std::clamp(int(centre.y * image.rows) - side / 2, 0, image.rows - side);
    return image(cv::Rect(x, y, side, side)).clone();
}

}  // namespace refine::eval
