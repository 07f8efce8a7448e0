#pragma once
/// @file colour_profiles.h
/// @brief ICC profiles with Little CMS: reading the one a file embeds, telling what colour space
/// it describes, converting CMYK samples to sRGB through it, and making the RGB profile that
/// describes a grey photo's pixels once they are expanded to RGB.

#include <opencv2/core.hpp>

#include <vector>

namespace refine::imaging::detail {

using IccBytes = std::vector<unsigned char>;

/// The data colour space an ICC profile describes (its header's signature at offset 16).
enum class ProfileSpace { None, Rgb, Gray, Cmyk, Other };

/// @brief What `icc` describes; None for an empty or truncated profile.
ProfileSpace profileSpace(const IccBytes& icc);

/// @brief The ICC profile embedded in an encoded image (exiv2), empty when there is none or the
/// metadata cannot be read: a broken profile must not stop a photo from loading.
IccBytes readEmbeddedProfile(const std::vector<unsigned char>& encoded) noexcept;

/// @brief Converts CMYK samples (CV_8UC4 or CV_16UC4, in C, M, Y, K order) to RGB floats in
/// [0, 1] (CV_32FC3, RGB order) in sRGB, through `profile` (relative colorimetric with black point
/// compensation, as print software does). `inverted`: Adobe's CMYK JPEGs store 255 - value.
/// Returns an empty matrix when Little CMS cannot use the profile.
cv::Mat cmykToSrgb(const cv::Mat& cmyk, const IccBytes& profile, bool inverted);

/// @brief The textbook conversion R = (1 - C)(1 - K) etc., for CMYK without a profile.
cv::Mat cmykToRgbNaive(const cv::Mat& cmyk, bool inverted);

/// @brief Little CMS's sRGB profile, serialised: the profile of converted CMYK photos.
IccBytes srgbProfile();

/// @brief An RGB profile under which R = G = B = v shows exactly the grey that v shows under
/// `grayProfile` (its tone curve on all three channels, sRGB primaries): a grey photo's profile
/// for its RGB-expanded pixels. Empty when the grey profile has no usable tone curve.
IccBytes rgbProfileForGray(const IccBytes& grayProfile);

}  // namespace refine::imaging::detail
