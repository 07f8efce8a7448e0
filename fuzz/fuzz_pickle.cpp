// libFuzzer target: the restricted unpickler (core/engine/src/weights/pickle_reader.*), fed the
// bytes of a checkpoint's data.pkl. Every input must give a state dict or a refine::Error; a
// crash, a sanitizer report, any other exception or a hang is a finding.
#include "refine/engine/error.h"
#include "weights/pickle_reader.h"

#include <cstdint>
#include <cstdlib>
#include <set>

namespace {

// What unpickleStateDict promises of a dict it returns (pickle_reader.h).
void checkStateDict(const refine::weights::PickledStateDict& dict)
{
    std::set<std::string> keys;
    for (const auto& [key, recipe] : dict) {
        if (!keys.insert(key).second)
            std::abort();  // keys are unique
        if (recipe.sizes.size() != recipe.strides.size())
            std::abort();  // one stride per dimension
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    try {
        checkStateDict(refine::weights::unpickleStateDict(data, size, "fuzz.pkl"));
    } catch (const refine::Error&) {
        // a refusal in plain words: the expected outcome for almost every input
    }
    return 0;
}
