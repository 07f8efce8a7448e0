#pragma once
/// @file degradations.h
/// @brief What happens to a family photo before it reaches Refine, applied to a clean
/// low-resolution training input. A fresh draw for every example, from the trainer's generator,
/// so a run is reproducible from its seed. A damaged example follows one of two profiles:
///  * a **scanned print**, the damage most family photos carry: light optical blur, then fine
///    monochrome grain, then a JPEG at middling quality with 4:2:0 chroma, in that order (what
///    the scanner, the paper and the file did, one after the other; refine-eval --degrade old
///    measures this kind of photo, with narrower ranges);
///  * **anything**: blur, a resize round trip, sensor noise and film grain, each drawn or not, in
///    a random order, then JPEG: the wide ranges that make the network robust to the rest.
/// Run 5 of docs/restore-model.md trained on the second profile alone: its damage was so much
/// heavier on average (bicubic 23.3 dB on its validation crops, 26.3 dB on refine-eval's) that
/// the network repaired heavy damage and left light damage as it was.
///
/// Fading and colour casts are drawn too, but applied to the photo itself, ground truth
/// included (applyTone): a local network cannot tell a faded print from a pale scene, so asked to
/// undo fading it learns an average correction and shifts the tone of every photo (measured:
/// 2.3 dB lost on clean photos). Trained this way it keeps a faded photo's tone, and the other
/// damage is learned on faded photos too.
///
/// The ranges follow the second-order pipelines of Real-ESRGAN and BSRGAN and the old-photo
/// pipeline of "Bringing Old Photos Back to Life" (../shared/reference/cpu-quality.md, section 5),
/// narrowed to one degradation round because Refine's inputs are already small: they are listed
/// in DegradationRanges, in low-resolution pixels and in [0, 1] image units.

#include <string>
#include <vector>

#include <torch/types.h>

namespace refine::train {

/// Where each degradation's parameters are drawn from (uniformly unless said otherwise).
struct DegradationRanges {
    double cleanProbability = 0.25;  ///< examples left undamaged, so clean photos stay well served
    double scannedPrintProbability = 0.5;  ///< of the damaged examples: the scanned-print profile

    // The scanned-print profile (blur, then grain, then JPEG; each always applied).
    double printBlurSigmaMin = 0.2, printBlurSigmaMax = 0.8;    ///< isotropic, LR pixels
    double printGrainStdMin = 0.003, printGrainStdMax = 0.02;   ///< monochrome grain, std in midtones
    double printGrainSizeMin = 0.4, printGrainSizeMax = 0.7;    ///< blur sigma of the grain, LR pixels
    int printJpegQualityMin = 40, printJpegQualityMax = 80;     ///< always 4:2:0

    // The "anything" profile.

    double blurProbability = 0.6;
    double blurSigmaMin = 0.2, blurSigmaMax = 1.5;  ///< per axis, LR pixels
    double anisotropicProbability = 0.4;            ///< else one sigma for both axes

    double resizeProbability = 0.3;
    double resizeMin = 0.6;  ///< shrink to this share of the side at least, then back (area, bilinear or bicubic)

    double gaussianNoiseProbability = 0.4;
    double gaussianSigmaMin = 1.0 / 255, gaussianSigmaMax = 20.0 / 255;
    double poissonNoiseProbability = 0.2;
    double poissonPeakMin = 30, poissonPeakMax = 500;  ///< photons at full white (log-uniform): fewer is noisier
    double greyNoiseProbability = 0.4;                 ///< noise the same in R, G and B (luminance noise)

    double grainProbability = 0.4;
    double grainStdMin = 0.01, grainStdMax = 0.06;  ///< std in midtones
    double grainSizeMin = 0.4, grainSizeMax = 1.2;  ///< blur sigma of the grain, LR pixels
    double colourGrainProbability = 0.3;            ///< else monochrome grain, as on black-and-white film

    double fadeProbability = 0.3;  ///< drawn for damaged and undamaged examples alike
    double fadeBlackMax = 0.08, fadeWhiteMin = 0.9;  ///< blacks lifted up to, whites lowered down to
    double castMax = 0.06;                           ///< per-channel gain within 1 +- this

    double jpegProbability = 0.8;
    int jpegQualityMin = 30, jpegQualityMax = 95;
    double chromaSubsamplingProbability = 0.75;  ///< 4:2:0, as cameras and most encoders save
};

/// One example's drawn degradation; `steps` names the operations in the order they run.
struct Degradation {
    std::vector<std::string> steps;
    bool scannedPrint = false;  ///< drawn from the scanned-print profile
    bool fade = false;  ///< applyTone changes the photo (and so its ground truth)
    double blurSigmaX = 0, blurSigmaY = 0, blurAngle = 0;
    double resize = 1;
    int resizeDownMode = 0, resizeUpMode = 0;  ///< 0 area, 1 bilinear, 2 bicubic (down); 0 bilinear, 1 bicubic (up)
    double noiseSigma = 0, poissonPeak = 0;
    bool greyNoise = false;
    double grainStd = 0, grainSize = 0;
    bool colourGrain = false;
    double fadeBlack = 0, fadeWhite = 1;
    double castR = 1, castG = 1, castB = 1;
    int jpegQuality = 0;  ///< 0: no JPEG
    bool chromaSubsampling = false;
};

/// Draws one example's degradation.
Degradation drawDegradation(const DegradationRanges& ranges, torch::Generator& generator);

/// Applies `degradation`'s steps to an RGB image [3, h, w] in [0, 1]; returns [3, h, w] in [0, 1].
/// The noise and grain come from `generator`.
torch::Tensor applyDegradation(const torch::Tensor& rgb, const Degradation& degradation, torch::Generator& generator);

/// The drawn fading and colour cast, for the high-resolution photo (ground truth) before it is
/// shrunk: the image itself when `degradation.fade` is false.
torch::Tensor applyTone(const torch::Tensor& rgb, const Degradation& degradation);

// The operations, each on [3, h, w] in [0, 1] (results clamped to [0, 1]); public for the tests.
torch::Tensor blurGaussian(const torch::Tensor& rgb, double sigmaX, double sigmaY, double angle);
torch::Tensor resizeRoundTrip(const torch::Tensor& rgb, double factor, int downMode, int upMode);
torch::Tensor addGaussianNoise(const torch::Tensor& rgb, double sigma, bool grey, torch::Generator& generator);
torch::Tensor addPoissonNoise(const torch::Tensor& rgb, double peak, bool grey, torch::Generator& generator);
torch::Tensor addFilmGrain(const torch::Tensor& rgb, double std, double size, bool colour, torch::Generator& generator);
torch::Tensor fadeAndCast(const torch::Tensor& rgb, double black, double white, double r, double g, double b);

}  // namespace refine::train
