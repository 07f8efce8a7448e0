// MainWindow: the wiring of the repair brush (repair/repair_session.h does the work): the tool,
// the Repair Painted Area command and the fills it offers in the alternatives strip.
#include "main_window.h"

#include <QAction>
#include <QActionGroup>

#include "jobs/enhance_controller.h"
#include "model/candidate_set.h"
#include "panels/alternatives_strip.h"
#include "repair/repair_session.h"
#include "views/candidate_grid.h"

namespace refine::ui {

void MainWindow::createRepairActions(QActionGroup* tools)
{
    m_repairBrushAction = new QAction(tr("Re&pair Brush"), this);
    const QString brushTip = tr("Paint over a scratch, a crease or dust on a candidate to repair it "
                                "(Shift erases; [ and ] or Ctrl+wheel: brush size; Esc clears)");
    m_repairBrushAction->setToolTip(brushTip);
    m_repairBrushAction->setStatusTip(brushTip);
    m_repairBrushAction->setShortcut(QKeySequence(Qt::Key_H));
    m_repairBrushAction->setCheckable(true);
    tools->addAction(m_repairBrushAction);  // one selection tool at a time
    connect(m_repairBrushAction, &QAction::toggled, this, &MainWindow::applySelectionTool);

    m_repairAction = new QAction(tr("Repair Painted &Area"), this);
    const QString repairTip = tr("Fill the painted area from its surroundings: several fills to choose from");
    m_repairAction->setToolTip(repairTip);
    m_repairAction->setStatusTip(repairTip);
    m_repairAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    connect(m_repairAction, &QAction::triggered, this, &MainWindow::repairPaintedArea);
}

void MainWindow::connectRepair()
{
    connect(m_repair, &RepairSession::fillsReady, this,
            [this](const QImage& before, const QVector<QImage>& fills, const QString& caption) {
                m_alternatives->setAlternatives(before, fills, caption);
                m_stripShowsRepair = true;
                m_alternatives->show();
            });
    connect(m_repair, &RepairSession::statusMessage, this, [this](const QString& text) { showStatus(text); });
}

void MainWindow::updateRepairActions(bool results, bool resultSelected, bool busy)
{
    // Any result can be repaired: a candidate, or the clean result (a Fast job has only that).
    m_repairBrushAction->setEnabled(results);
    // Any painted area can be repaired, whichever brush painted it.
    const bool brush = m_repairBrushAction->isChecked() || m_brushModeAction->isChecked();
    m_repairAction->setEnabled(resultSelected && brush && !m_grid->brushArea().isEmpty() && !busy);
}

void MainWindow::setRepairBrushMode(bool enabled)
{
    m_repairBrushAction->setChecked(enabled);
    applySelectionTool();
}

void MainWindow::repairPaintedArea()
{
    if (m_controller->isBusy())
        return;
    // "More alternatives" while the strip offers this repair's fills continues its session.
    const auto request = m_repair->fillRequest(m_set->selected(), m_grid->brushArea(),
                                               m_alternatives->isVisible() && m_stripShowsRepair);
    if (request)
        startJob(JobKind::Repair, *request);
}

}  // namespace refine::ui
