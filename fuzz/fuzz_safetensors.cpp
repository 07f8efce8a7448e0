// libFuzzer target: the safetensors reader (core/engine/src/weights/safetensors.*), which reads a
// path, so each input goes through a memory file. Every input must give tensors or a
// refine::Error; a crash, a sanitizer report, any other exception or a hang is a finding.
#include "memory_file.h"
#include "refine/engine/error.h"
#include "weights/safetensors.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static refine::fuzz::MemoryFile file("fuzz.safetensors");
    try {
        const refine::weights::SafetensorsFile read = refine::weights::readSafetensors(file.write(data, size));
        for (const auto& [name, tensor] : read.tensors) {
            // What readSafetensors promises (safetensors.h): contiguous CPU tensors owning their memory.
            if (!tensor.defined() || !tensor.is_contiguous() || !tensor.device().is_cpu())
                std::abort();
        }
    } catch (const refine::Error&) {
        // a refusal in plain words
    }
    return 0;
}
