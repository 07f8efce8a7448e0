#include "files/candidate_exporter.h"

#include <QFileInfo>
#include <QObject>

#include <filesystem>

#include "faces/face_composition.h"
#include "model/candidate_set.h"
#include "refine/engine/error.h"
#include "refine/imaging/candidate_export.h"
#include "refine/imaging/image_io.h"

namespace refine::ui {
namespace fs = std::filesystem;
namespace {

/// `photo_x4_c1.png` -> `photo_x4_c1 (2).png`, ... the first name that is free.
fs::path firstFreeName(const fs::path& wanted)
{
    std::error_code ec;
    if (!fs::exists(wanted, ec))
        return wanted;
    for (int n = 2;; ++n) {
        fs::path candidate = wanted.parent_path()
                           / (wanted.stem().string() + " (" + std::to_string(n) + ")" + wanted.extension().string());
        if (!fs::exists(candidate, ec))
            return candidate;
    }
}

bool samePath(const fs::path& a, const fs::path& b)
{
    std::error_code ec;
    return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

/// Encodes and writes one candidate, its faces blended in by their picks; throws refine::Error.
void writeCandidate(const CandidateSet& set, int position, const fs::path& target, const std::string& format,
                    int quality, bool overwrite, const QVector<Face>* faces, ExportReport& report)
{
    if (samePath(target, set.path().toStdString()))
        throw Error(ErrorCode::Io, "this is the original photo's own file; choose another name");
    const Candidate& c = set.result(position);
    const imaging::Photo& photo = *set.photo();
    CandidateOutput output;
    output.index = c.index;
    output.seed = c.seed;
    const bool withFaces = faces && !faces->isEmpty();
    output.image = withFaces ? composeFaces(set, position, *faces) : set.outputPixels(position);  // at its Detail
    output.consistencyMse = c.consistencyMse;
    imaging::CandidateOrigin origin{&set.model(), c.request.get(), c.result.get(), set.count(), &c.edits, c.detail};
    const std::vector<imaging::FaceChoice> faceRecord = withFaces ? faceChoices(set, *faces)
                                                                  : std::vector<imaging::FaceChoice>{};
    origin.faces = &faceRecord;
    imaging::EncodeOptions encode;
    encode.format = format;
    encode.jpegQuality = quality;
    encode.bitDepth = photo.bitDepth;
    imaging::MetadataTransferReport metadata;
    const auto bytes = imaging::encodeCandidate(photo, output, origin, encode, &metadata);
    imaging::writeFileAtomically(target, bytes, overwrite);
    report.written << QString::fromStdString(target.string());
    if (!metadata.note.empty())
        report.notes << QStringLiteral("%1: %2").arg(QString::fromStdString(target.filename().string()),
                                                      QString::fromStdString(metadata.note));
}

void recordFailure(ExportReport& report, const fs::path& target, const QString& why)
{
    report.failed << QStringLiteral("%1: %2").arg(QString::fromStdString(target.filename().string()), why);
}

}  // namespace

ErrorText exportFailureText(const ExportReport& report)
{
    const QString what = report.failed.size() == 1 ? report.failed.first().section(QLatin1Char(':'), 0, 0)
                                                   : QObject::tr("%n file(s)", "", int(report.failed.size()));
    return exportErrorText(what, report.failed.join(QLatin1Char('\n')));
}

QString defaultExportFormat(const CandidateSet& set)
{
    const imaging::Photo* photo = set.photo();
    if (!photo || photo->format == "bmp")
        return QStringLiteral("png");  // BMP cannot carry the provenance metadata
    return QString::fromStdString(photo->format);
}

QString defaultExportPath(const CandidateSet& set, int position, const QString& directory, const QString& format)
{
    const int index = set.isResult(position) ? set.result(position).index : position;
    const fs::path path = imaging::candidateFileName(set.path().toStdString(), directory.toStdString(), set.scale(),
                                                     index, format.toStdString());
    return QString::fromStdString(path.string());
}

QString formatForPath(const QString& path)
{
    return QString::fromStdString(imaging::formatFromExtension(path.toStdString()));
}

ExportReport exportCandidates(const CandidateSet& set, const QVector<int>& positions, const ExportOptions& options)
{
    ExportReport report;
    const QString format = options.format.isEmpty() ? defaultExportFormat(set) : options.format;
    for (int position : positions) {
        if (!set.isResult(position) || !set.photo())
            continue;
        fs::path target = defaultExportPath(set, position, options.directory, format).toStdString();
        if (!options.overwrite)
            target = firstFreeName(target);
        try {
            writeCandidate(set, position, target, format.toStdString(), options.quality, options.overwrite,
                           options.faces, report);
        } catch (const std::exception& e) {
            recordFailure(report, target, QString::fromStdString(e.what()));
        }
    }
    return report;
}

ExportReport exportAllResults(const CandidateSet& set, const ExportOptions& options)
{
    QVector<int> positions;
    if (set.hasClean())
        positions << CandidateSet::kClean;
    for (int i = 0; i < set.count(); ++i)
        positions << i;
    return exportCandidates(set, positions, options);
}

ExportReport exportCandidateAs(const CandidateSet& set, int position, const QString& path, int quality,
                               const QVector<Face>* faces)
{
    ExportReport report;
    const fs::path target = path.toStdString();
    const QString format = formatForPath(path);
    if (format.isEmpty()) {
        recordFailure(report, target, QObject::tr("unknown file type; use .png, .jpg, .tif or .webp"));
        return report;
    }
    if (!set.isResult(position) || !set.photo()) {
        recordFailure(report, target, QObject::tr("no candidate to export"));
        return report;
    }
    try {
        writeCandidate(set, position, target, format.toStdString(), quality, /*overwrite=*/true, faces, report);
    } catch (const std::exception& e) {
        recordFailure(report, target, QString::fromStdString(e.what()));
    }
    return report;
}

}  // namespace refine::ui
