#include "jobs/memory_check.h"

#include <QObject>

#include "refine/engine/engine.h"

namespace refine::ui {
namespace {

QString bytesText(std::uint64_t bytes)
{
    return QString::fromStdString(formatBytes(bytes));
}

/// What the job adds to this process at its peak; 0 when the card does not say.
std::uint64_t hostNeed(const ModelInfo& model, const JobShape& shape, bool gpu, Precision precision,
                       bool runtimeLoaded)
{
    try {
        const MemoryEstimate need = Engine::estimateMemory(model, shape, gpu, precision);
        if (need.workBytes() == 0)
            return 0;
        return need.workBytes() + (runtimeLoaded ? 0 : need.runtimeBytes);
    } catch (const std::exception&) {
        return 0;  // a scale the model cannot reach: the engine refuses it with its own message
    }
}

/// The first of fewer candidates or a smaller scale that fits, as the engine's own refusal says it.
QString whatWouldFit(const ModelInfo& model, const JobShape& shape, bool gpu, Precision precision,
                     bool runtimeLoaded, std::uint64_t freeBytes)
{
    const auto fits = [&](const JobShape& s) {
        const std::uint64_t need = hostNeed(model, s, gpu, precision, runtimeLoaded);
        return need > 0 && need <= freeBytes;
    };
    if (!shape.cleanOnly) {
        for (int n = shape.candidates - 1; n >= 1; --n) {
            JobShape fewer = shape;
            fewer.candidates = n;
            if (fits(fewer))
                return QObject::tr("%n candidate(s) would fit.", "", n);
        }
    }
    for (int scale = shape.scale / 2; scale >= 2; scale /= 2) {
        JobShape smaller = shape;
        smaller.scale = scale;
        if (fits(smaller))
            return QObject::tr("×%1 would fit.").arg(scale);
    }
    // As the engine says it: smaller tiles would not help, the plan already lowers the budget.
    return QObject::tr("Even one candidate at ×2 does not fit: crop the photo, or close other programs.");
}

}  // namespace

MemoryCheck checkJobMemory(const ModelInfo& model, JobShape shape, bool gpu, Precision precision, bool runtimeLoaded,
                           std::uint64_t freeBytes)
{
    MemoryCheck check;
    shape.photoDecoded = true;
    check.needBytes = hostNeed(model, shape, gpu, precision, runtimeLoaded);
    if (check.needBytes == 0)
        return check;
    check.known = true;
    check.freeBytes = freeBytes;
    try {
        check.deviceBytes = gpu ? Engine::estimateMemory(model, shape, gpu, precision).deviceBytes : 0;
    } catch (const std::exception&) {
    }
    check.fits = freeBytes == 0 || check.needBytes <= freeBytes;
    check.line = freeBytes > 0 ? QObject::tr("Memory: about %1 (%2 free)").arg(bytesText(check.needBytes), bytesText(freeBytes))
                               : QObject::tr("Memory: about %1").arg(bytesText(check.needBytes));
    if (check.deviceBytes > 0)
        check.line += QObject::tr(", %1 on the GPU").arg(bytesText(check.deviceBytes));
    if (!check.fits)
        check.problem = QObject::tr("This job needs about %1 of memory, but only %2 is free. %3")
                            .arg(bytesText(check.needBytes), bytesText(freeBytes),
                                 whatWouldFit(model, shape, gpu, precision, runtimeLoaded, freeBytes));
    return check;
}

}  // namespace refine::ui
