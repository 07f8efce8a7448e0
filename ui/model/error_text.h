#pragma once
/// @file error_text.h
/// @brief Failures in plain words: what happened and what to do, with the library's technical
/// message kept for the dialog's details.

#include <QString>

#include "jobs/job_types.h"

class QWidget;

namespace refine::ui {

struct ErrorText {
    QString title;
    QString text;     ///< one or two sentences a person can act on
    QString details;  ///< the technical message
};

/// For a failed enhancement job.
ErrorText enhanceErrorText(const JobError& error);
/// For a photo that could not be opened.
ErrorText openErrorText(const QString& fileName, const Error& error);
/// For a file that could not be written (export).
ErrorText exportErrorText(const QString& fileName, const QString& detail);

/// Shows a warning dialog with details; never blocks a running job (the job is on its thread).
void showError(QWidget* parent, const ErrorText& error);

}  // namespace refine::ui

Q_DECLARE_METATYPE(refine::ui::ErrorText)
