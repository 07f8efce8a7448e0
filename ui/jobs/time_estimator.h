#pragma once
/// @file time_estimator.h
/// @brief A rough "how long will this take" before a job starts. The cost of a job is taken as
/// proportional to output megapixels x steps x candidates (stage by stage for cascades), plus
/// one megapixel-step for a residual-shift model's clean upscale; the seconds per unit are measured on each finished job and remembered per model and device.
/// Before the first job the engine's FLOP count of the model at the device's typical speed
/// stands in for the measurement.

#include <QString>

namespace refine::ui {

struct JobSize {
    int inputWidth = 0, inputHeight = 0;
    int scale = 4;
    int nativeScale = 4;
    int candidates = 1;
    int steps = 20;             ///< per candidate; 0 with cleanUpscale: the clean result only
    bool cleanUpscale = false;  ///< a residual-shift model: the clean upscale runs once besides the steps
};

class TimeEstimator {
public:
    /// `key` names the model and device; the calibration is read from and kept in QSettings.
    void setKey(const QString& key);
    bool isCalibrated() const { return m_secondsPerUnit > 0; }

    /// Seconds, or < 0 when the size is unknown. Uncalibrated: `flops` (the engine's count for
    /// this job; 0 when unknown) at typicalFlopsPerSecond(), else a conservative default.
    double estimateSeconds(const JobSize& size, bool gpu, double flops = 0) const;
    /// What a device sustains on the UNet: measured about 80 GFLOP/s per CPU core; a GPU, a
    /// cautious fraction of a current card's peak.
    static double typicalFlopsPerSecond(bool gpu, int cpuThreads);
    /// Learns from a finished job; a running mean so that one odd job does not dominate.
    void calibrate(const JobSize& size, double seconds);

    /// Work units of a job: megapixel-steps over all cascade stages (the clean upscale counted as
    /// one step: a rough weight, the calibration absorbs the rest).
    static double units(const JobSize& size);
    /// "about 3 min", "about 40 s", "under 5 s"
    static QString describe(double seconds);

private:
    QString m_key;
    double m_secondsPerUnit = 0;
};

}  // namespace refine::ui
