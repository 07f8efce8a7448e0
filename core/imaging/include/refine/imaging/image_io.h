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
struct DecodeLimits {
    std::uint64_t maxPixels = 100'000'000;  ///< width * height above this is refused
};

/// @brief Decodes an encoded JPEG, PNG, TIFF, WebP or BMP held in memory.
///
/// Applies the EXIF orientation (all 8 values), expands grayscale to RGB, keeps 16-bit samples
/// at full precision (value / 65535) and splits an alpha channel off into Photo::alpha.
/// The dimensions are read from the file header and checked against `limits` before the pixels
/// are decoded; a JPEG without its end-of-image marker is refused as truncated.
/// There is no colour management: samples stay in the source's colour space, whose ICC profile
/// transferMetadata() carries over to the output. CMYK JPEGs are the exception: OpenCV converts
/// them to RGB naively (assuming Adobe's inverted CMYK, ignoring the CMYK profile).
/// @param bytes            the encoded file; copied into Photo::sourceBytes
/// @param nameForMessages  how error messages name the photo (e.g. the file name)
/// @throws refine::Error BadImage for empty, corrupt, truncated, unsupported or oversized input
Photo decodePhoto(const std::vector<unsigned char>& bytes, const std::string& nameForMessages,
                  const DecodeLimits& limits = {});

/// @brief Reads a file and decodes it with decodePhoto(), naming it by its file name in errors.
/// @throws refine::Error Io when the file cannot be read, BadImage as decodePhoto()
Photo readPhoto(const std::filesystem::path& path, const DecodeLimits& limits = {});

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
