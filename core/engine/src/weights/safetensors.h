#pragma once
/// @file safetensors.h
/// @brief Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON
/// header naming each tensor's dtype, shape and byte range, then the raw little-endian data.
/// Unlike a pickle it cannot carry code, which is why Refine converts checkpoints to it.

#include <torch/types.h>

#include <map>
#include <string>

namespace refine::weights {

/// Tensors by name. (pth_reader.h declares the same alias; both name one type.)
using TensorMap = std::map<std::string, torch::Tensor>;

/// The contents of a safetensors file.
struct SafetensorsFile {
    TensorMap tensors;                            ///< contiguous CPU tensors owning their memory
    std::map<std::string, std::string> metadata;  ///< the header's "__metadata__" object
};

/// @brief Reads a safetensors file, validating the header against the file before allocating.
/// @throws refine::Error ErrorCode::Io when the file cannot be opened or read; ErrorCode::BadModel,
///         naming the file and the tensor where there is one, when it is truncated or corrupt.
SafetensorsFile readSafetensors(const std::string& path);

/// @brief Writes tensors (copied to contiguous CPU memory) in key order, with optional metadata.
///        The file is written as "<path>.tmp" and renamed, so `path` is never left half-written.
/// Dtypes: float16/32/64, bfloat16, int8/16/32/64, uint8 and bool.
/// @throws refine::Error ErrorCode::Io when the file cannot be written; ErrorCode::InvalidArgument
///         for an undefined tensor, an unsupported dtype or the reserved name "__metadata__".
void writeSafetensors(
    const std::string& path, const TensorMap& tensors, const std::map<std::string, std::string>& metadata = {});

}  // namespace refine::weights
