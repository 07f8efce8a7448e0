#pragma once
/// @file old_photo.h
/// @brief refine-eval's `--degrade old`: the low-resolution crop damaged as an old family photo
/// is, with a real codec: Gaussian blur (sigma 0.3-0.6 low-resolution pixels), film grain
/// (monochrome, std 0.005-0.015, clumped by a 0.5 px blur, strongest in the midtones) and a JPEG
/// round trip through libjpeg at quality 45-75 with 4:2:0 chroma. Every photo's draw is seeded by
/// its file name and the job seed, so reports are reproducible. Scores are still against the
/// clean ground truth: how much of the photo a method gets back.
///
/// The trainer's degradations (tools/train/degradations.h) are drawn from wider ranges and
/// simulate JPEG in LibTorch; scoring with libjpeg here keeps the measurement honest.

#include <cstdint>
#include <optional>
#include <string>

#include <opencv2/core.hpp>

namespace refine::eval {

/// What was drawn for one photo (for the report and the tests).
struct OldPhotoDamage {
    double blurSigma = 0, grainStd = 0;
    int jpegQuality = 0;
};

/// The seeded damage of the photo named `name`.
OldPhotoDamage oldPhotoDamageFor(const std::string& name, uint64_t seed);

/// `lowRes` (CV_32FC3 RGB in [0, 1]) with `damage` applied (a zero blur sigma or grain std skips
/// that part, a JPEG quality of 0 the round trip); CV_32FC3 RGB in [0, 1], 8-bit levels.
cv::Mat applyOldPhotoDamage(const cv::Mat& lowRes, const OldPhotoDamage& damage, uint64_t noiseSeed);

/// Which of the damage's three parts to apply: all (`--degrade old`) or one alone
/// (`old-blur`, `old-grain`, `old-jpeg`), to see what each costs a method.
enum class DamagePart { All, Blur, Grain, Jpeg };

/// The part a `--degrade` value names ("old", "old-blur", "old-grain", "old-jpeg"); empty for "none".
std::optional<DamagePart> damagePartNamed(const std::string& degrade);

/// `damage` with only `part` left in it (the others zero: no blur, no grain, no JPEG round trip).
OldPhotoDamage onlyPart(OldPhotoDamage damage, DamagePart part);

/// Both in one: the damage drawn for `name` and `seed` (only `part` of it), applied.
cv::Mat degradeLikeAnOldPhoto(const cv::Mat& lowRes, const std::string& name, uint64_t seed,
                              DamagePart part = DamagePart::All);

}  // namespace refine::eval
