#include "oversampling.h"

#include <algorithm>

#include "refine/engine/error.h"

namespace refine::pack {

OversampleRule parseOversampleRule(const std::string& text)
{
    const auto equals = text.rfind('=');
    OversampleRule rule;
    if (equals != std::string::npos && equals > 0) {
        rule.pattern = text.substr(0, equals);
        try {
            size_t used = 0;
            rule.factor = std::stoi(text.substr(equals + 1), &used);
            if (used != text.size() - equals - 1)
                rule.factor = 0;
        } catch (const std::exception&) {
            rule.factor = 0;
        }
    }
    if (rule.pattern.empty() || rule.factor < 1 || rule.factor > 100)
        throw Error(ErrorCode::InvalidArgument,
                    "--oversample expects PATTERN=K with K from 1 to 100 (e.g. face-api=4), got '" + text + "'");
    return rule;
}

int oversampleFactor(const std::string& fileName, const std::vector<OversampleRule>& rules)
{
    int factor = 1;
    for (const auto& rule : rules)
        if (fileName.find(rule.pattern) != std::string::npos)
            factor = std::max(factor, rule.factor);
    return factor;
}

}  // namespace refine::pack
