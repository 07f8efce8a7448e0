#pragma once
/// @file ui_analysis_helpers.h
/// @brief Opening a photo in the window and waiting for its analysis (jobs/photo_analysis.h: the
/// Old photo suggestion's measures and the faces), as the Old photo and face tests need.

#include <QSignalSpy>

#include "jobs/photo_analysis.h"
#include "main_window.h"

namespace refine::ui::test {

/// Opens `path` (also when another photo is open: openPaths would only queue it) and waits until
/// its analysis has been taken; false when it did not open or was not analysed in time.
inline bool openAndAnalyse(MainWindow& window, const QString& path)
{
    QSignalSpy analysed(window.photoAnalyzer(), &PhotoAnalyzer::analysed);
    QSignalSpy opened(&window, &MainWindow::photoOpenFinished);
    window.openPhoto(path);
    if ((opened.isEmpty() && !opened.wait(30000)) || !opened.last().at(1).toBool())
        return false;
    return !analysed.isEmpty() || analysed.wait(20000);
}

}  // namespace refine::ui::test
