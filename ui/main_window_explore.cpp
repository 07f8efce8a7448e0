// MainWindow: the wiring of Explore (explore/explore_session.h does the work): the selection
// tools, re-sampling a region, its alternatives, blending, "more like this" and Detail.
#include "main_window.h"

#include <QAction>

#include "explore/explore_session.h"
#include "repair/repair_session.h"
#include "jobs/enhance_controller.h"
#include "model/candidate_set.h"
#include "panels/alternatives_strip.h"
#include "panels/settings_panel.h"
#include "views/candidate_grid.h"

namespace refine::ui {

void MainWindow::connectExplore()
{
    connect(m_explore, &ExploreSession::alternativesReady, this,
            [this](const QImage& before, const QVector<QImage>& alternatives, const QString& caption) {
                m_alternatives->setAlternatives(before, alternatives, caption);
                m_stripShowsRepair = false;
                m_alternatives->show();
            });
    connect(m_explore, &ExploreSession::statusMessage, this, [this](const QString& text) { showStatus(text); });
}

void MainWindow::setRegionMode(bool enabled)
{
    m_regionModeAction->setChecked(enabled);
    applySelectionTool();
}

void MainWindow::setBrushMode(bool enabled)
{
    m_brushModeAction->setChecked(enabled);
    applySelectionTool();
}

void MainWindow::applySelectionTool()
{
    const bool repair = m_repairBrushAction->isChecked();
    const bool brush = repair || m_brushModeAction->isChecked();
    const bool enabled = brush || m_regionModeAction->isChecked();
    m_grid->setSelectionTool(brush ? ImageView::SelectionTool::Brush : ImageView::SelectionTool::Rectangle);
    m_grid->setCleanPaintable(repair);
    m_grid->setRegionMode(enabled);
    if (enabled && m_splitAction->isChecked())
        m_splitAction->setChecked(false);  // regions are drawn on the grid
    if (repair)
        showStatus(tr("Paint over a scratch, crease or dust (Shift: erase, [ and ] or Ctrl+wheel: brush size, "
                      "Esc: clear), then Repair Painted Area (Ctrl+Shift+R)."), 0);
    else if (brush)
        showStatus(tr("Paint over part of a candidate (Shift: erase, [ and ] or Ctrl+wheel: brush size, Esc: clear), then "
                      "Re-sample Region (Ctrl+R) or Blend Region Into."), 0);
    else if (enabled)
        showStatus(tr("Drag a rectangle on a candidate, then Re-sample Region (Ctrl+R) or Blend Region Into."), 0);
    updateActions();
}

void MainWindow::resampleRegion()
{
    if (m_controller->isBusy())
        return;
    // "More alternatives" while the strip is open continues the session.
    const auto request = m_explore->regionRequest(m_set->selected(), m_grid->regionSelection(), m_grid->brushArea(),
                                                  m_alternatives->isVisible() && !m_stripShowsRepair);
    if (request)
        startJob(JobKind::Region, *request);
}

void MainWindow::chooseAlternative(int index)
{
    m_alternatives->setChosen(index);
    m_grid->setBrushAreaWashed(index < 0);  // a new version of a painted area shows as it is
    if (m_stripShowsRepair)
        m_repair->chooseFill(index);  // the strip offers the repair's fills
    else
        m_explore->chooseAlternative(index);
}

void MainWindow::blendRegionInto(int target)
{
    m_explore->blendRegion(m_set->selected(), target, m_grid->regionSelection(), m_grid->brushArea());
}

void MainWindow::setCandidateDetail(int position, double detail)
{
    m_explore->setDetail(position, detail);
}

void MainWindow::moreLikeThis()
{
    if (m_controller->isBusy())
        return;
    if (const auto request = m_explore->moreRequest(m_settings->settings().candidates))
        startJob(JobKind::More, *request);
}

}  // namespace refine::ui
