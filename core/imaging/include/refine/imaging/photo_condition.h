#pragma once
/// @file photo_condition.h
/// @brief How worn a photo looks, measured rather than guessed: the JPEG quality its file was
/// saved at (read from the quantisation tables in its header), the noise in its pixels and how
/// strongly an 8x8 JPEG block grid shows. The desktop app suggests its "Old photo" switch (the
/// restore model with soft consistency) when this says the photo looks degraded, and says why.

#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace refine::imaging {

/// @brief The quality a JPEG was saved at, on libjpeg's 1..100 scale.
struct JpegQuality {
    int quality = 0;     ///< 1..100: the libjpeg quality whose tables are closest to the file's
    bool exact = false;  ///< the file's tables are exactly libjpeg's at `quality` (libjpeg, OpenCV, GIMP...)
};

/// @brief Reads the luma (and, when present, chroma) quantisation tables from the DQT segments
/// of a JPEG's header and finds the libjpeg quality that makes them: libjpeg scales the tables of
/// the JPEG standard (ITU T.81 Annex K) by 5000/q for q < 50 and by 200 - 2q above. Tables of
/// another encoder (most cameras) give the nearest quality, with `exact` false.
/// @return nothing when `bytes` is not a JPEG or has no usable table before its image data; a
///         malformed header is never read past its end
std::optional<JpegQuality> estimateJpegQuality(const std::vector<unsigned char>& bytes);

/// @brief The standard deviation of white noise in an RGB float [0, 1] photo, in 0..255 units
/// of its luma: Immerkær's fast noise estimate ("Fast Noise Variance Estimation", 1996), the
/// response to a 3x3 mask that cancels first and second derivatives, taken as a median (not a
/// mean) so that edges and texture, which are a minority of pixels, do not count as noise.
/// Photos larger than 2048 px on a side are measured on their central 2048x2048 crop.
double estimateNoiseSigma(const cv::Mat& rgb);

/// @brief How strongly a JPEG's block grid shows in `luma` (CV_64FC1, any range): the mean
/// absolute step between neighbouring pixels across the grid lines (every `period` pixels, both
/// directions) over the mean step elsewhere. About 1 for a photo without blocks; JPEG at
/// quality 50 gives 1.3-2 on smooth content. For an x`s` enlargement of an 8x8-block JPEG, the
/// period is 8 s.
double blockiness(const cv::Mat& luma, int period);

/// @brief ITU-R BT.601 luma of an RGB float image in [0, 1], as CV_64FC1 in [0, 255].
cv::Mat lumaOf(const cv::Mat& rgb);

/// @brief What the measures say about a photo.
struct PhotoCondition {
    std::optional<JpegQuality> jpeg;  ///< the file's JPEG quality (none: not a JPEG)
    double noiseSigma = 0;            ///< estimateNoiseSigma(), 0..255 units
    double blockiness = 1;            ///< of the photo's own 8x8 grid; 1: none
    bool degraded = false;            ///< the restore model is likely to do better than the default one
    /// Why it looks degraded, in plain words: "JPEG quality about 52 and visible noise (sigma
    /// 6/255)"; empty when it does not.
    std::string reason;
};

/// The thresholds of "looks degraded": a JPEG saved at quality kWornJpegQuality or below, noise
/// of sigma kVisibleNoiseSigma (0..255) or more, or a block grid of kVisibleBlockiness or more.
inline constexpr int kWornJpegQuality = 75;
inline constexpr double kVisibleNoiseSigma = 4.0;
inline constexpr double kVisibleBlockiness = 1.25;

/// @brief Measures `rgb` (CV_32FC3 in [0, 1]) and judges it with the thresholds above; `jpeg`
/// is estimateJpegQuality() of the photo's file.
PhotoCondition assessPhotoCondition(const std::optional<JpegQuality>& jpeg, const cv::Mat& rgb);

}  // namespace refine::imaging
