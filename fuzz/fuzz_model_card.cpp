// libFuzzer target: the model-card reader (core/engine/src/model/model_card.*), which reads a path
// (model.json), so each input goes through a memory file. Every input must give a card or a
// refine::Error (BadModel); a crash, a sanitizer report, any other exception (a JSON type error
// that escaped, std::bad_alloc from an absurd size) or a hang is a finding.
#include "memory_file.h"
#include "model/model_card.h"
#include "refine/engine/error.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static refine::fuzz::MemoryFile file("model.json");
    try {
        (void)refine::readModelCard(file.write(data, size));
    } catch (const refine::Error&) {
        // a refusal in plain words
    }
    return 0;
}
