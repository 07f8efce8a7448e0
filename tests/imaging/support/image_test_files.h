#pragma once
/// @file image_test_files.h
/// @brief Making and reading the tiny files the imaging tests work on, independently of the
/// library under test: OpenCV's encoders, exiv2's metadata editing, plain file I/O.

#include <exiv2/exiv2.hpp>
#include <opencv2/imgcodecs.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace refine::test {

using Bytes = std::vector<unsigned char>;

/// `image` (OpenCV's channel order) encoded by OpenCV as `extension` (".png", ".jpg", ...).
inline Bytes encodeWithOpenCv(const cv::Mat& image, const std::string& extension)
{
    Bytes bytes;
    if (!cv::imencode(extension, image, bytes))
        throw std::runtime_error("test set-up: imencode failed");
    return bytes;
}

inline Bytes readAll(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

inline void writeAll(const std::filesystem::path& path, const Bytes& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

/// An encoded image with its metadata edited by exiv2 directly.
inline Bytes editMetadata(const Bytes& encoded, const std::function<void(Exiv2::Image&)>& edit)
{
    std::unique_ptr<Exiv2::Image> image(Exiv2::ImageFactory::open(encoded.data(), long(encoded.size())).release());
    image->readMetadata();
    edit(*image);
    image->writeMetadata();
    Exiv2::BasicIo& io = image->io();
    io.open();
    Bytes out(io.size());
    io.read(out.data(), long(out.size()));
    return out;
}

}  // namespace refine::test
