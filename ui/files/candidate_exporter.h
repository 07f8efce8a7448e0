#pragma once
/// @file candidate_exporter.h
/// @brief Writing candidates to files: encoded with the source's metadata and the provenance of
/// the edit (imaging::encodeCandidate), named `<photo>_x<scale>_c<n>.<ext>` (the clean result
/// `<photo>_x<scale>_clean.<ext>`) and written atomically. Candidates are written at their Detail,
/// which the provenance records, with the photo's faces as picked in the face navigator. The
/// original photo is never overwritten.

#include <QString>
#include <QStringList>
#include <QVector>

#include "model/error_text.h"

namespace refine::ui {

class CandidateSet;
struct Face;

struct ExportOptions {
    QString directory;        ///< where the files go
    QString format;           ///< "png", "jpg", "tif", "webp"; empty: the source's (PNG for BMP)
    int quality = 95;         ///< JPEG / WebP
    bool overwrite = false;   ///< false: an existing file keeps its name and ours gets " (2)"...
    /// The photo's faces and their picks (faces/face_picks.h), blended into every file written
    /// and recorded in its provenance; null: the results as they are.
    const QVector<Face>* faces = nullptr;
};

struct ExportReport {
    QStringList written;      ///< paths
    QStringList failed;       ///< "name: reason"
    QStringList notes;        ///< metadata notes (e.g. a format that cannot carry metadata)
    bool ok() const { return failed.isEmpty(); }
};

/// What went wrong in `report`, in plain words (the failed files named).
ErrorText exportFailureText(const ExportReport& report);

/// The format a candidate of this photo is saved in when none is chosen.
QString defaultExportFormat(const CandidateSet& set);
/// The default file for candidate `position` (or CandidateSet::kClean) in `directory`
/// (imaging::candidateFileName).
QString defaultExportPath(const CandidateSet& set, int position, const QString& directory, const QString& format);
/// The format implied by a file name's extension ("" when unsupported).
QString formatForPath(const QString& path);

/// Writes the candidates at `positions` (CandidateSet::kClean: the clean result); never throws.
ExportReport exportCandidates(const CandidateSet& set, const QVector<int>& positions, const ExportOptions& options);
/// Writes the clean result (if any) and every candidate, default names; never throws.
ExportReport exportAllResults(const CandidateSet& set, const ExportOptions& options);
/// Writes one candidate to exactly `path` (chosen in a save dialog, which asked about
/// overwriting); refuses the original photo's own path.
ExportReport exportCandidateAs(const CandidateSet& set, int position, const QString& path, int quality = 95,
                               const QVector<Face>* faces = nullptr);

}  // namespace refine::ui
