#pragma once
/// @file trainer.h
/// @brief The SR3 training loop (../shared/reference/sr3.md 1b): noise prediction at a continuous
/// noise level sampled per example, L1 loss, Adam with linear warm-up, gradient clipping and an EMA
/// of the weights (the EMA is what ships). Checkpoints hold model, EMA and optimizer so a run can
/// continue across GPU calls and sessions.

#include <filesystem>
#include <string>

#include "diffusion/noise_schedule.h"
#include "model/sr3_unet.h"
#include "training_data.h"

namespace refine::train {

struct TrainOptions {
    UNetConfig unet;
    BetaScheduleSpec schedule;
    DataOptions data;
    int64_t batchSize = 16;
    int64_t steps = 1000;          ///< total optimizer steps (including those of a resumed run)
    double learningRate = 2e-4;
    int64_t warmupSteps = 500;
    double gradientClip = 1.0;
    double emaDecay = 0.999;
    uint64_t seed = 1;
    int64_t logEvery = 50;
    int64_t checkpointEvery = 500;
    double maxMinutes = 0;         ///< stop (and checkpoint) after this wall time; 0 = no limit
    std::filesystem::path workDir; ///< checkpoint.pt and loss.csv live here
    std::string device = "auto";
};

/// Runs (or resumes) training; returns the EMA network.
Sr3UNet trainModel(const std::string& packPath, const TrainOptions& options);

}  // namespace refine::train
