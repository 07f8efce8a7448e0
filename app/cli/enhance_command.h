#pragma once
/// @file enhance_command.h
/// @brief `refine-cli enhance`: enhance photos into candidate files beside an optional
/// uncertainty map, with a progress bar, Ctrl+C cancelling cleanly.

#include <cstdint>
#include <string>
#include <vector>

#include "refine/engine/enhance.h"

namespace refine::cli {

struct EnhanceOptions {
    std::vector<std::string> inputs;
    std::string outputDir;            ///< empty: beside each input
    int scale = 4;
    int candidates = 4;
    int steps = 0;
    std::string preset;
    std::string sampler;
    double ddimEta = 0.0;
    uint64_t seed = 0;
    bool seedGiven = false;
    std::string model;
    std::string device = "auto";
    std::string precision = "fp32";
    int tile = 0;
    std::string consistency = "exact";
    bool consistencyGiven = false;    ///< --consistency was on the command line
    double cascadeNoise = -1;
    bool uncertaintyMap = false;
    std::string format;               ///< empty: the input's format (PNG for BMP inputs)
    int jpegQuality = 95;
    bool overwrite = false;
    bool quiet = false;
    int threads = 0;
    bool writeClean = false;          ///< --clean: also write the clean result (residual-shift models)
    double detail = 1.0;              ///< --detail: clean + detail * (candidate - clean) (residual-shift models)
};

/// Exit codes: 0 all done, 1 some photos failed, 3 model or device problem, 130 cancelled.
int runEnhance(const EnhanceOptions& options, const CancelToken& cancel);

}  // namespace refine::cli
