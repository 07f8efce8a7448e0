#include "refine/engine/enhance.h"

namespace refine {

const char* consistencyName(Consistency mode)
{
    switch (mode) {
    case Consistency::Exact: return "exact";
    case Consistency::Soft: return "soft";
    case Consistency::Off: return "off";
    }
    return "exact";
}

bool parseConsistency(const std::string& name, Consistency* mode)
{
    for (Consistency candidate : {Consistency::Exact, Consistency::Soft, Consistency::Off})
        if (name == consistencyName(candidate)) {
            *mode = candidate;
            return true;
        }
    return false;
}

}  // namespace refine
