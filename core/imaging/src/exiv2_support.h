#pragma once
/// @file exiv2_support.h
/// @brief One-time exiv2 set-up, opening images held in memory, and translating exiv2's
/// exceptions into refine::Error.

#include "refine/engine/error.h"

#include <exiv2/exiv2.hpp>

#include <memory>
#include <new>
#include <string>
#include <vector>

namespace refine::imaging::detail {

/// @brief Initialises the XMP toolkit (with a lock, so exiv2 may be used from several threads),
/// registers the "refine" XMP namespace and mutes exiv2's console warnings. Idempotent.
void initExiv2();

/// @brief Opens `bytes` with exiv2 and reads its metadata. The image refers to `bytes` (no copy)
/// until written, so `bytes` must outlive it. Throws Exiv2::AnyError; see guardExiv2().
std::unique_ptr<Exiv2::Image> openImage(const std::vector<unsigned char>& bytes);

/// @brief The whole content of an exiv2 image's I/O (after writeMetadata()).
std::vector<unsigned char> imageBytes(Exiv2::Image& image);

/// @brief Whether exiv2 can write the given kind of metadata into this image's format.
bool canWrite(const Exiv2::Image& image, Exiv2::MetadataId kind);

/// @brief Runs `f`, turning any exiv2 (or other library) exception into refine::Error(code,
/// "<context> (<exiv2's message>)"). refine::Error and std::bad_alloc pass through unchanged.
template <typename F>
auto guardExiv2(refine::ErrorCode code, const std::string& context, F&& f) -> decltype(f())
{
    try {
        return f();
    } catch (const refine::Error&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const Exiv2::AnyError& e) {
        throw refine::Error(code, context + " (" + e.what() + ")");
    } catch (const std::exception& e) {  // exiv2 also lets std::out_of_range etc. escape
        throw refine::Error(code, context + " (" + e.what() + ")");
    }
}

}  // namespace refine::imaging::detail
