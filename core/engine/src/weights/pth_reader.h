#pragma once
/// @file pth_reader.h
/// @brief Reads the tensors of a `torch.save(model.state_dict())` checkpoint without Python.
///
/// The checkpoint is a zip (PyTorch >= 1.6): `<archive>/data.pkl` is a pickle describing the
/// dict, `<archive>/data/<key>` hold the raw little-endian storages. The pickle is read by a
/// restricted unpickler (pickle_reader.h) that refuses everything a state dict does not need, so
/// a hostile file cannot run code; every size in the file is checked before it is trusted.

#include <torch/types.h>

#include <map>
#include <string>

namespace refine::weights {

/// Tensors by state-dict key. (safetensors.h declares the same alias; both name one type.)
using TensorMap = std::map<std::string, torch::Tensor>;

/// @brief Loads every tensor of a state-dict checkpoint as contiguous CPU tensors that own their
///        memory, with the dtypes the file stores.
/// @throws refine::Error ErrorCode::Io when the file cannot be opened or read; ErrorCode::BadModel
///         (naming the file and, where there is one, the tensor) when it is corrupt, truncated, a
///         legacy or TorchScript file, not a dict of tensors, or uses anything the restricted
///         unpickler refuses.
TensorMap readPthStateDict(const std::string& path);

}  // namespace refine::weights
