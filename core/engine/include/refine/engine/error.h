#pragma once
/// @file error.h
/// @brief The exceptions the engine throws. Third-party errors (c10::Error, std::bad_alloc from
/// LibTorch) are translated into these where the engine calls them, so callers see one type.

#include <stdexcept>
#include <string>

namespace refine {

/// What went wrong, in categories a caller can act on (an exit code, a dialog's wording).
enum class ErrorCode {
    InvalidArgument,   ///< a request or option that cannot be honoured
    BadModel,          ///< a model file that is missing, corrupt, unsafe or does not match its architecture
    BadImage,          ///< an image that cannot be decoded, or is too large
    OutOfMemory,       ///< the device ran out of memory even at the smallest tile size
    Io,                ///< a file could not be read or written
    Internal,          ///< a bug or an unexpected library failure
};

/// @brief The single exception type of Refine's libraries; `what()` is a message for people.
class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}
    ErrorCode code() const noexcept { return m_code; }

private:
    ErrorCode m_code;
};

/// @brief Thrown from the per-step and per-tile checks when the caller's CancelToken is set.
class Cancelled : public std::exception {
public:
    const char* what() const noexcept override { return "cancelled"; }
};

}  // namespace refine
