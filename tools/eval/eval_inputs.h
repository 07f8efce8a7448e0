#pragma once
/// @file eval_inputs.h
/// @brief Which photos refine-eval measures and which part of each: the folder's images, narrowed
/// to a list (the validation split refine-pack-data writes) and cut to a centred square crop.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace refine::eval {

struct PhotoSelection {
    std::filesystem::path folder;
    std::filesystem::path listFile;  ///< empty: every supported image of the folder
    int validationPercent = 0;       ///< > 0: only photos refine-pack-data keeps out at this percentage
};

/// The selected photos, sorted by file name (so runs compare image for image). Listed names that
/// are not in the folder are reported on stderr. Throws std::runtime_error when the list file
/// cannot be read.
std::vector<std::filesystem::path> selectPhotos(const PhotoSelection& selection);

/// Whether refine-pack-data puts `fileName` in its validation split at `percent`: FNV-1a of the
/// file name modulo 100. Must stay identical to isValidation() in tools/pack/pack_data.cpp.
bool isValidationPhoto(const std::string& fileName, int percent);

/// Crop centres a list may give after a name, as fractions of the photo's width and height
/// ("name.jpg 0.42 0.31": the crop is centred there instead of in the middle), by file name.
/// Throws std::runtime_error when the list cannot be read or a position is not two numbers in [0, 1].
std::map<std::string, cv::Point2d> readCropCentres(const std::filesystem::path& listFile);

/// The side of the centred square crop: `wanted`, or the photo's shorter side when smaller,
/// rounded down to a multiple of `scale` so that the low-resolution input has whole pixels.
int cropSide(cv::Size photo, int wanted, int scale);

/// The centred square of `side` pixels (a copy).
cv::Mat centerCrop(const cv::Mat& image, int side);

/// The square of `side` pixels centred as near `centre` (fractions of width and height) as the
/// image allows (a copy).
cv::Mat cropAround(const cv::Mat& image, int side, cv::Point2d centre);

}  // namespace refine::eval
