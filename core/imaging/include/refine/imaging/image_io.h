#pragma once
/// @file image_io.h
/// @brief Decoding photos into float RGB, encoding results, and writing files safely.
///
/// Everything here throws refine::Error: BadImage for input that cannot be decoded (or is too
/// large), InvalidArgument for unusable options, Io for file-system failures. OpenCV and exiv2
/// exceptions never escape.

#include "refine/imaging/photo.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace refine::imaging {

/// @brief Limits checked before a photo is decoded, so a hostile header cannot exhaust memory.
/// OpenCV's own decoder ceiling (OPENCV_IO_MAX_IMAGE_PIXELS) is set to the default maxPixels
/// unless the environment sets it, so a limit above 100 MP is capped there.
struct DecodeLimits {
    std::uint64_t maxPixels = 100'000'000;  ///< width * height above this is refused
};

/// @brief What an encoded image's header says, read without decoding its pixels: milliseconds
/// whatever the image's size, so a caller can plan (or refuse) the work before decoding.
struct ImageInfo {
    std::string format;   ///< "jpeg", "png", "tiff", "webp", "bmp", or "gif" (recognised, not decoded)
    int width = 0;        ///< upright (after the EXIF orientation); 0 when the header does not say
    int height = 0;
    int pages = 1;        ///< a TIFF's pages or an animation's frames (only the first is decoded)
    bool animated = false;
    bool cmyk = false;    ///< CMYK samples (converted to RGB when decoded)

    std::uint64_t pixels() const { return std::uint64_t(width) * std::uint64_t(height); }
};

/// @brief The whole file, in one read (its size taken from the file system first).
/// @throws refine::Error Io when it is missing, not a regular file or cannot be read
std::vector<unsigned char> readFileBytes(const std::filesystem::path& path);

/// @brief Reads the header of an encoded image.
/// @throws refine::Error BadImage when the format is not recognised
ImageInfo readImageInfo(const std::vector<unsigned char>& bytes, const std::string& nameForMessages);

/// @brief Reads a file and its header with readImageInfo().
/// @throws refine::Error Io when the file cannot be read, BadImage as readImageInfo()
ImageInfo readImageInfo(const std::filesystem::path& path);

/// @brief Decodes an encoded JPEG, PNG, TIFF, WebP or BMP held in memory.
///
/// Applies the EXIF orientation (all 8 values), expands grayscale to RGB, keeps 16-bit samples
/// at full precision (value / 65535) and splits an alpha channel off into Photo::alpha.
/// The dimensions are read from the file header and checked against `limits` before any pixel
/// memory is allocated (BigTIFF included); a JPEG without its end-of-image marker is refused as
/// truncated. A multi-page TIFF or an animated WebP / PNG gives its first page or frame, with a
/// notice in Photo::notices.
/// Colour: samples stay in the source's colour space, described by Photo::iccProfile. CMYK
/// photos (JPEG, TIFF) are converted to sRGB through their embedded profile with Little CMS
/// (without one, by the naive formula); a grey photo's profile becomes the equivalent RGB one.
/// @param bytes            the encoded file; copied into Photo::sourceBytes
/// @param nameForMessages  how error messages name the photo (e.g. the file name)
/// @throws refine::Error BadImage for empty, corrupt, truncated, unsupported or oversized input
Photo decodePhoto(const std::vector<unsigned char>& bytes, const std::string& nameForMessages,
                  const DecodeLimits& limits = {});

/// @brief Reads a file and decodes it with decodePhoto(), naming it by its file name in errors.
/// @throws refine::Error Io when the file cannot be read, BadImage as decodePhoto()
Photo readPhoto(const std::filesystem::path& path, const DecodeLimits& limits = {});

/// @brief A small preview of a photo, e.g. for a queue of files.
struct Thumbnail {
    cv::Mat rgb;                              ///< CV_8UC3, RGB order, upright; longest side <= the asked size
    int fullWidth = 0;                        ///< the photo's own upright size
    int fullHeight = 0;
    std::vector<unsigned char> iccProfile;    ///< the profile of `rgb` (empty: sRGB), as Photo::iccProfile
};

/// @brief A reduced decode: a JPEG is decoded at 1/2, 1/4 or 1/8 of its size by libjpeg's DCT
/// scaling (cv::IMREAD_REDUCED_COLOR_*), other formats at 8 bits; then area-resampled so the
/// longest side is at most `maxSide` (never enlarged). Far less memory and time than
/// decodePhoto() for a preview; the same header checks and limits apply first.
/// @throws refine::Error InvalidArgument for maxSide < 1, otherwise as decodePhoto()
Thumbnail decodeThumbnail(const std::vector<unsigned char>& bytes, const std::string& nameForMessages, int maxSide,
                          const DecodeLimits& limits = {});

/// @brief Reads a file and makes its thumbnail with decodeThumbnail().
Thumbnail readThumbnail(const std::filesystem::path& path, int maxSide, const DecodeLimits& limits = {});

/// @brief How encodePhoto() writes pixels.
struct EncodeOptions {
    std::string format = "png";  ///< "png", "jpg"/"jpeg", "tif"/"tiff", "webp" or "bmp" (case-insensitive)
    int jpegQuality = 95;        ///< 1..100; also the quality of (lossy) WebP
    int bitDepth = 8;            ///< 8 or 16; 16 is honoured for PNG and TIFF, the others write 8
};

/// @brief Encodes float RGB (and optional alpha) pixels into a file's bytes.
///
/// Values are clamped to [0, 1] and rounded to the nearest 8- or 16-bit code. JPEG and BMP drop
/// the alpha channel; PNG, TIFF and WebP keep it. No metadata is written (see metadata.h).
/// @param rgbFloat  CV_32FC3, RGB order
/// @param alpha     empty, or CV_32FC1 of the same size
/// @throws refine::Error InvalidArgument for bad pixels or options (including sizes the format
///         cannot hold), Internal when the encoder fails
std::vector<unsigned char> encodePhoto(const cv::Mat& rgbFloat, const cv::Mat& alpha,
                                       const EncodeOptions& options);

/// @brief Writes `bytes` to `target` so that readers never see a partial file.
///
/// Writes `<target>.tmp-XXXXXX` in the target's folder, flushes it to disk, then renames it over
/// the target. The temporary file is removed on every failure.
/// @param allowOverwrite  when false an existing `target` is never replaced
/// @throws refine::Error Io when the target exists (and overwriting is not allowed), or when
///         writing or renaming fails
void writeFileAtomically(const std::filesystem::path& target, const std::vector<unsigned char>& bytes,
                         bool allowOverwrite);

/// @brief Whether the path's extension is one Refine reads and writes
/// (jpg, jpeg, png, tif, tiff, webp, bmp; case-insensitive).
bool isSupportedImagePath(const std::filesystem::path& path);

/// @brief The canonical format name for the path's extension ("jpeg", "png", "tiff", "webp",
/// "bmp"), or an empty string when the extension is not supported.
std::string formatFromExtension(const std::filesystem::path& path);

}  // namespace refine::imaging
