#pragma once
/// @file time_estimator.h
/// @brief A rough "how long will this take" before a job starts. The cost of a job is taken as
/// proportional to output megapixels x steps x candidates (stage by stage for cascades); the
/// seconds per unit are measured on each finished job and remembered per model and device.

#include <QString>

namespace refine::ui {

struct JobSize {
    int inputWidth = 0, inputHeight = 0;
    int scale = 4;
    int nativeScale = 4;
    int candidates = 1;
    int steps = 20;
};

class TimeEstimator {
public:
    /// `key` names the model and device; the calibration is read from and kept in QSettings.
    void setKey(const QString& key);
    bool isCalibrated() const { return m_secondsPerUnit > 0; }

    /// Seconds, or < 0 when the size is unknown. Uncalibrated: a conservative default.
    double estimateSeconds(const JobSize& size, bool gpu) const;
    /// Learns from a finished job; a running mean so that one odd job does not dominate.
    void calibrate(const JobSize& size, double seconds);

    /// Work units of a job: megapixel-steps over all cascade stages.
    static double units(const JobSize& size);
    /// "about 3 min", "about 40 s", "under 5 s"
    static QString describe(double seconds);

private:
    QString m_key;
    double m_secondsPerUnit = 0;
};

}  // namespace refine::ui
