#include "jobs/time_estimator.h"

#include <QSettings>

#include <QObject>
#include <QThread>

#include <algorithm>
#include <cmath>

namespace refine::ui {
namespace {

// Before the first job: an SR3 UNet on a few CPU cores needs very roughly a minute per output
// megapixel-step, a GPU about a hundred times less. Doubled: a pessimistic guess disappoints less.
constexpr double kDefaultCpuSecondsPerUnit = 120.0;
constexpr double kDefaultGpuSecondsPerUnit = 1.0;
constexpr double kCpuFlopsPerCore = 80e9;
constexpr double kGpuFlops = 20e12;
// Beyond the UNet's arithmetic: projections, tile blending, previews, memory-bound layers and
// cores shared with other work. Measured end to end on two busy cores: 85-100 GFLOP/s for the
// large face networks (refine-bench), about 35 GFLOP/s for the small refine-x4 on a 96x54 photo
// (the app); the factor matches the small model, so a first guess errs on the long side.
constexpr double kOverheadFactor = 4.5;

QString settingsKey(const QString& key) { return QStringLiteral("calibration/") + key; }

}  // namespace

void TimeEstimator::setKey(const QString& key)
{
    m_key = key;
    m_secondsPerUnit = QSettings().value(settingsKey(key), 0.0).toDouble();
}

double TimeEstimator::units(const JobSize& s)
{
    const int cleanSteps = s.cleanUpscale ? 1 : 0;
    if (s.inputWidth <= 0 || s.inputHeight <= 0 || s.steps < 0 || s.steps + cleanSteps <= 0)
        return 0;
    // Each cascade pass multiplies the size by the native scale until the target is reached.
    double total = 0;
    double side = 1;
    const int passes = std::max(1, int(std::ceil(std::log(double(s.scale)) / std::log(double(std::max(2, s.nativeScale))) - 1e-9)));
    for (int pass = 0; pass < passes; ++pass) {
        side = std::min<double>(side * s.nativeScale, s.scale);
        total += double(s.inputWidth) * s.inputHeight * side * side / 1e6;
    }
    return total * (double(s.steps) * std::max(1, s.candidates) + cleanSteps);
}

double TimeEstimator::typicalFlopsPerSecond(bool gpu, int cpuThreads)
{
    return gpu ? kGpuFlops : kCpuFlopsPerCore * std::max(1, cpuThreads);
}

double TimeEstimator::estimateSeconds(const JobSize& size, bool gpu, double flops) const
{
    const double u = units(size);
    if (u <= 0)
        return -1;
    if (m_secondsPerUnit <= 0 && flops > 0)
        return kOverheadFactor * flops / typicalFlopsPerSecond(gpu, QThread::idealThreadCount());
    const double perUnit = m_secondsPerUnit > 0 ? m_secondsPerUnit
                         : gpu                  ? kDefaultGpuSecondsPerUnit
                                                : kDefaultCpuSecondsPerUnit;
    return u * perUnit;
}

void TimeEstimator::calibrate(const JobSize& size, double seconds)
{
    const double u = units(size);
    if (u <= 0 || seconds <= 0)
        return;
    const double measured = seconds / u;
    m_secondsPerUnit = m_secondsPerUnit > 0 ? 0.5 * (m_secondsPerUnit + measured) : measured;
    if (!m_key.isEmpty())
        QSettings().setValue(settingsKey(m_key), m_secondsPerUnit);
}

QString TimeEstimator::describe(double seconds)
{
    if (seconds < 0)
        return QObject::tr("unknown");
    if (seconds < 5)
        return QObject::tr("under 5 s");
    if (seconds < 90)
        return QObject::tr("about %1 s").arg(int(std::round(seconds / 5) * 5));
    if (seconds < 90 * 60)
        return QObject::tr("about %1 min").arg(int(std::round(seconds / 60)));
    return QObject::tr("about %1 h").arg(seconds / 3600, 0, 'f', 1);
}

}  // namespace refine::ui
