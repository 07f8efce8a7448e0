#pragma once
/// @file pickle_reader.h
/// @brief A restricted unpickler for the `data.pkl` record of a `torch.save(state_dict)` checkpoint.
///
/// Python's pickle format is a small program that may call any Python function, which is how a
/// malicious checkpoint runs code. This reader is no interpreter: it understands only the opcodes
/// PyTorch emits for a state dict and only the handful of globals such a dict needs
/// (collections.OrderedDict, torch._utils._rebuild_tensor_v2 / _rebuild_parameter and the typed
/// storage classes). Anything else is refused with refine::Error(BadModel). It returns recipes,
/// not tensors: reading the storage records belongs to the zip reader (pth_reader).

#include <c10/core/ScalarType.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace refine::weights {

/// A storage a tensor views: the checkpoint record `data/<key>`, as the pickle describes it.
struct StorageRef {
    std::string key;                                 ///< record name below `data/`, e.g. "5"
    c10::ScalarType dtype = c10::ScalarType::Float;  ///< element type named by the storage class
    int64_t numel = 0;                               ///< element count the pickle claims for the storage
};

/// How to rebuild one tensor: a strided view into a storage (what `_rebuild_tensor_v2` does).
struct TensorRecipe {
    StorageRef storage;
    int64_t storageOffset = 0;  ///< in elements
    std::vector<int64_t> sizes;
    std::vector<int64_t> strides;  ///< in elements, same length as sizes
};

/// The state dict's entries in pickle order; keys are unique.
using PickledStateDict = std::vector<std::pair<std::string, TensorRecipe>>;

/// @brief Unpickles a state dict, refusing every opcode and global a state dict does not need.
/// @param data,size the bytes of `data.pkl`
/// @param label names the file in error messages (e.g. "tiny_gen.pth")
/// @throws refine::Error with ErrorCode::BadModel for corrupt, unsupported or unsafe pickles, and
///         for a top-level value that is not a dict of string keys to tensors.
PickledStateDict unpickleStateDict(const uint8_t* data, size_t size, const std::string& label);

}  // namespace refine::weights
