#pragma once
/// @file oversampling.h
/// @brief `--oversample PATTERN=K` rules of refine-pack-data: photos whose file name contains
/// PATTERN give K times as many crops. The set has few photos of people, and Refine is judged
/// on family photos, so those photos must weigh more than their count.

#include <string>
#include <vector>

namespace refine::pack {

struct OversampleRule {
    std::string pattern;  ///< a substring of the file name (plain text, so it means the same everywhere)
    int factor = 1;       ///< crops per photo are multiplied by this
};

/// Parses "PATTERN=K" (K >= 1); throws refine::Error(InvalidArgument) with the rule in the message.
OversampleRule parseOversampleRule(const std::string& text);

/// The largest factor among the rules that match `fileName` (1 when none does), so a photo that
/// matches two rules is not weighted twice.
int oversampleFactor(const std::string& fileName, const std::vector<OversampleRule>& rules);

}  // namespace refine::pack
