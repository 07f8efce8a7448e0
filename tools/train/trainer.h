#pragma once
/// @file trainer.h
/// @brief The training loop of both model families: SR3 (../shared/reference/sr3.md 1b: noise
/// prediction at a continuous noise level sampled per example, L1 loss) and residual shift
/// (residual_shift_objective.h: the clean upscaler's L1 plus the detail network's x0 MSE). Adam
/// with linear warm-up, gradient clipping and an EMA of the weights (the EMA is what ships). Checkpoints hold model, EMA and optimizer so a run can
/// continue across GPU calls and sessions. On CUDA the forward pass runs under bf16 autocast;
/// on the CPU everything is fp32.

#include <filesystem>
#include <string>
#include <vector>

#include "diffusion/noise_schedule.h"
#include "model/residual_shift_nets.h"
#include "model/sr3_unet.h"
#include "training_data.h"

namespace refine::train {

struct TrainOptions {
    std::string family = "sr3";    ///< "sr3" or "residual-shift"
    UNetConfig unet;
    ResidualShiftConfig residual;  ///< the shape of a residual-shift model
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
    std::filesystem::path workDir; ///< checkpoint.pt, loss.csv and validation.csv live here
    std::string device = "auto";
    std::filesystem::path initModel;  ///< a fresh run starts from this Refine model's weights (no EMA warm-up then)
    /// Residual shift: a fresh run takes only the detail network (and schedule) of this model, so
    /// a clean upscaler of another shape can be trained under an already trained detail network.
    std::filesystem::path initDetailModel;
    bool cleanOnly = false;           ///< residual shift: train the clean upscaler alone (detail frozen)
    std::string validationPack;       ///< when set, the EMA's validation loss is logged at every checkpoint
};

struct LossPoint {
    int64_t step = 0;
    double loss = 0;  ///< mean training loss of the steps since the previous point
};

struct TrainResult {
    Sr3UNet ema{nullptr};  ///< SR3: on the CPU, in eval mode
    ResidualShiftNet residualEma{nullptr};  ///< residual shift: on the CPU, in eval mode
    int64_t firstStep = 0;  ///< the step training started from (> 0 when a checkpoint was resumed)
    int64_t lastStep = 0;
    std::vector<LossPoint> losses;  ///< this call's logged points
    double validationLoss = -1;     ///< the EMA's, at the last step; -1 without a validation pack
    double validationCleanPsnr = 0; ///< residual shift: the clean upscaler's PSNR (dB) on the validation crops
};

/// Runs (or resumes, when workDir holds a checkpoint) training.
TrainResult trainModel(const std::string& packPath, const TrainOptions& options);

/// The EMA weights of workDir's checkpoint (same family and shape as `options`), without
/// training: for measuring a run while it goes on. lastStep is the checkpoint's step.
TrainResult checkpointEma(const TrainOptions& options);

}  // namespace refine::train
