#pragma once
/// @file file_digest.h
/// @brief SHA-256 of bytes and files (OpenSSL), as lowercase hex: how an archive recognises a
/// photo or a model that changed since the plan.

#include <filesystem>
#include <string>
#include <vector>

namespace refine::cli {

std::string sha256Hex(const std::vector<unsigned char>& bytes);

/// Reads the file in blocks. @throws refine::Error Io when it cannot be read
std::string sha256OfFile(const std::filesystem::path& path);

}  // namespace refine::cli
