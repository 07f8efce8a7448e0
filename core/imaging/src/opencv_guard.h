#pragma once
/// @file opencv_guard.h
/// @brief Translating OpenCV's exceptions (and allocation failures) into refine::Error, so callers
/// of the imaging library only ever see Refine's exception type.

#include "refine/engine/error.h"

#include <opencv2/core.hpp>

#include <new>
#include <string>

namespace refine::imaging::detail {

/// @brief Runs `f`; a cv::Exception becomes refine::Error(code, "<context> (<OpenCV's message>)"),
/// and a failed allocation (OpenCV's StsNoMem or std::bad_alloc) becomes ErrorCode::OutOfMemory.
template <typename F>
auto guardOpenCv(refine::ErrorCode code, const std::string& context, F&& f) -> decltype(f())
{
    try {
        return f();
    } catch (const cv::Exception& e) {
        if (e.code == cv::Error::StsNoMem)
            throw refine::Error(refine::ErrorCode::OutOfMemory, context + " (out of memory)");
        throw refine::Error(code, context + " (" + e.err + ")");
    } catch (const std::bad_alloc&) {
        throw refine::Error(refine::ErrorCode::OutOfMemory, context + " (out of memory)");
    }
}

}  // namespace refine::imaging::detail
