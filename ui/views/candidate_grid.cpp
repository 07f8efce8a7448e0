#include "views/candidate_grid.h"

#include <QKeyEvent>

#include <algorithm>
#include <cmath>

#include "model/candidate_set.h"
#include "views/detail_control.h"
#include "views/image_view.h"
#include "views/uncertainty_legend.h"

namespace refine::ui {
namespace {

constexpr int kSpacing = 4;        // pixels between cells
constexpr int kDetailMargin = 8;   // between a Detail slider and its cell's edges
constexpr int kDetailMaxWidth = 360;

bool isFlickKey(int key) { return key == Qt::Key_O || key == Qt::Key_Backslash; }

}  // namespace

CandidateGrid::CandidateGrid(CandidateSet* set, ViewSync* sync, QWidget* parent)
    : QWidget(parent), m_set(set), m_sync(sync), m_legend(new UncertaintyLegend(this))
{
    m_legend->hide();
    connect(m_set, &CandidateSet::photoChanged, this, [this] {
        relayout();  // the photo's shape decides the columns
        refreshImages();
    });
    connect(m_set, &CandidateSet::candidatesChanged, this, &CandidateGrid::rebuildCells);
    connect(m_set, &CandidateSet::candidateChanged, this, &CandidateGrid::refreshImages);
    connect(m_set, &CandidateSet::previewChanged, this, &CandidateGrid::refreshImages);
    connect(m_set, &CandidateSet::composedImagesChanged, this, &CandidateGrid::refreshImages);
    connect(m_set, &CandidateSet::selectionChanged, this, &CandidateGrid::refreshHighlight);
    connect(m_set, &CandidateSet::uncertaintyChanged, this, [this] { setUncertaintyVisible(m_uncertaintyVisible); });
    setFocusPolicy(Qt::StrongFocus);
    rebuildCells();
}

ImageView* CandidateGrid::candidateView(int position) const
{
    return position >= 0 ? m_cells.value(position + m_firstCandidateCell) : nullptr;
}

ImageView* CandidateGrid::resultView(int position) const
{
    return position == CandidateSet::kClean ? cleanView() : candidateView(position);
}

DetailControl* CandidateGrid::detailControl(int position) const
{
    DetailControl* control = m_details.value(position);
    return control && !control->isHidden() ? control : nullptr;
}

int CandidateGrid::cellIndex(int position) const
{
    if (position == CandidateSet::kClean)
        return m_hasCleanCell ? 1 : -1;
    return position >= 0 && position < candidateCells() ? position + m_firstCandidateCell : -1;
}

ImageView* CandidateGrid::makeCell()
{
    auto* cell = new ImageView(m_sync, this);
    cell->setDigitZoom(false);  // digits solo candidates here
    return cell;
}

void CandidateGrid::rebuildCells()
{
    const int count = m_set->displayCount();
    const bool clean = m_set->showsClean();
    if (count != candidateCells() || clean != m_hasCleanCell) {
        m_drag = {};
        qDeleteAll(m_cells);  // the Detail sliders go with their cells
        m_cells.clear();
        m_details.clear();
        m_hasCleanCell = clean;
        m_firstCandidateCell = clean ? 2 : 1;
        const int cells = count + m_firstCandidateCell;
        for (int i = 0; i < cells; ++i)
            m_cells.push_back(makeCell());
        m_cells[0]->setToolTip(tr("Your photo enlarged with plain bicubic interpolation, for comparison"));
        if (clean)
            connectCleanCell();
        for (int position = 0; position < count; ++position)
            connectCandidateCell(position);
        if (cellIndex(m_solo) < 0)
            m_solo = -1;
        relayout();
        setRegionMode(m_regionMode);
    }
    refreshImages();
    setUncertaintyVisible(m_uncertaintyVisible);
    refreshHighlight();
}

void CandidateGrid::connectCleanCell()
{
    ImageView* cell = m_cells[1];
    cell->setToolTip(tr("The clean, most likely result: the model's single best guess, with no invented detail.\n"
                        "Every candidate starts from it. Click to choose it; press C to see it alone.\n"
                        "MSE: how far it is, shrunk back, from your photo (lower is closer)."));
    connect(cell, &ImageView::clicked, this, [this] {
        m_set->setSelected(CandidateSet::kClean);
        Q_EMIT candidateClicked(CandidateSet::kClean);
    });
    connect(cell, &ImageView::brushPainted, this,
            [this](const QPainterPath& area) { addBrushStroke(CandidateSet::kClean, area); });
    connect(cell, &ImageView::brushErased, this,
            [this](const QPainterPath& area) { eraseBrushStroke(CandidateSet::kClean, area); });
    connect(cell, &ImageView::brushDiameterChanged, this, &CandidateGrid::setBrushDiameter);
}

void CandidateGrid::connectCandidateCell(int position)
{
    ImageView* cell = candidateView(position);
    cell->setToolTip(tr("Click to choose this candidate; press %1 to see it alone.\n"
                        "MSE: how far this candidate, shrunk back, is from your photo (lower is closer).")
                         .arg(position + 1));
    connect(cell, &ImageView::clicked, this, [this, position] {
        m_set->setSelected(position);
        Q_EMIT candidateClicked(position);
    });
    connect(cell, &ImageView::regionSelected, this, [this, position](const QRect& r) {
        m_region = r;
        for (ImageView* c : std::as_const(m_cells))
            c->setSelection(r);  // the same rectangle on every cell, for comparison
        m_set->setSelected(position);
        Q_EMIT regionSelected(position, r);
    });
    connect(cell, &ImageView::brushPainted, this,
            [this, position](const QPainterPath& area) { addBrushStroke(position, area); });
    connect(cell, &ImageView::brushErased, this,
            [this, position](const QPainterPath& area) { eraseBrushStroke(position, area); });
    connect(cell, &ImageView::brushDiameterChanged, this, &CandidateGrid::setBrushDiameter);
    addDetailControl(position);
}

void CandidateGrid::addDetailControl(int position)
{
    auto* control = new DetailControl(candidateView(position));
    control->hide();  // refreshDetailControls() shows it on finished candidates of a residual-shift model
    connect(control, &DetailControl::dragged, this, [this, position](double detail) { previewDetail(position, detail); });
    connect(control, &DetailControl::chosen, this, [this, position](double detail) { chooseDetail(position, detail); });
    m_details.push_back(control);
}

void CandidateGrid::previewDetail(int position, double detail)
{
    if (position < 0 || position >= m_set->count() || !m_set->hasClean())
        return;
    if (m_drag.position != position || m_drag.preview.isEmpty())
        m_drag = {position,
                  DetailPreview(*m_set->detailBase(m_set->candidate(position)), *m_set->candidate(position).pixels,
                                kDragPreviewSide, m_set->colourSpace()),
                  {}};
    m_drag.image = m_drag.preview.render(detail);
    refreshCandidateCell(position);
}

void CandidateGrid::chooseDetail(int position, double detail)
{
    m_drag = {};
    Q_EMIT detailChosen(position, detail);
    // When nothing changed (let go where it started) the cell still shows the drag's blend.
    if (position < candidateCells())
        refreshCandidateCell(position);
}

void CandidateGrid::addBrushStroke(int position, const QPainterPath& strokeArea)
{
    setPaintedArea(position, m_brush.united(strokeArea));
}

void CandidateGrid::eraseBrushStroke(int position, const QPainterPath& strokeArea)
{
    if (m_brush.isEmpty())
        return;
    const QPainterPath left = m_brush.subtracted(strokeArea);
    if (left.boundingRect().toAlignedRect().isEmpty()) {  // all of it erased
        clearRegion();
        Q_EMIT regionCleared();
        return;
    }
    setPaintedArea(position, left);
}

void CandidateGrid::setPaintedArea(int position, const QPainterPath& area)
{
    QPainterPath image;
    image.addRect(QRectF(QPointF(0, 0), QSizeF(resultView(position)->contentSize())));
    m_brush = area.intersected(image);  // a stroke may run past the photo's edge
    m_region = m_brush.boundingRect().toAlignedRect().intersected(image.boundingRect().toRect());
    for (ImageView* c : std::as_const(m_cells)) {
        c->setBrushArea(m_brush);  // the same area on every cell, for comparison
        c->setBrushAreaWashed(true);
    }
    m_set->setSelected(position);
    Q_EMIT regionSelected(position, m_region);
}

void CandidateGrid::relayout()
{
    const int soloCell = cellIndex(m_solo);
    if (soloCell >= 0) {
        for (int i = 0; i < m_cells.size(); ++i)
            m_cells[i]->setVisible(i == soloCell);
        m_cells[soloCell]->setGeometry(rect());  // alone, the cell takes everything (zoom and pan need room)
        placeDetailControls();
        return;
    }
    // The original takes the first cell; the column count shows the photos largest.
    const int cells = int(m_cells.size());
    const int columns = bestColumns();
    const int rows = (cells + columns - 1) / columns;
    const QSize cell = cellSize(columns, rows);
    const QSize block(columns * cell.width() + (columns - 1) * kSpacing, rows * cell.height() + (rows - 1) * kSpacing);
    const QPoint origin((width() - block.width()) / 2, (height() - block.height()) / 2);
    for (int i = 0; i < cells; ++i) {
        const QPoint offset(i % columns * (cell.width() + kSpacing), i / columns * (cell.height() + kSpacing));
        m_cells[i]->setGeometry(QRect(origin + offset, cell));
        m_cells[i]->setVisible(true);
    }
    placeDetailControls();
    placeLegend();
}

void CandidateGrid::placeDetailControls()
{
    for (DetailControl* control : std::as_const(m_details)) {
        const QWidget* cell = control->parentWidget();
        const int height = control->sizeHint().height();
        const int width = std::min(kDetailMaxWidth, cell->width() - 2 * kDetailMargin);
        control->setGeometry(kDetailMargin, cell->height() - height - kDetailMargin, std::max(0, width), height);
    }
}

QSizeF CandidateGrid::contentShape() const
{
    const QSize output = m_set->outputSize();
    return output.isEmpty() ? QSizeF(4, 3) : QSizeF(output);
}

QSize CandidateGrid::cellSize(int columns, int rows) const
{
    const double availableWidth = double(width() - (columns - 1) * kSpacing) / columns;
    const double availableHeight = double(height() - (rows - 1) * kSpacing) / rows;
    const QSizeF content = contentShape();
    const double scale = std::max(0.0, std::min(availableWidth / content.width(), availableHeight / content.height()));
    return {std::max(1, int(content.width() * scale)), std::max(1, int(content.height() * scale))};
}

int CandidateGrid::bestColumns() const
{
    const int cells = int(m_cells.size());
    int best = 1;
    int bestArea = -1;
    for (int columns = 1; columns <= cells; ++columns) {
        const QSize cell = cellSize(columns, (cells + columns - 1) / columns);
        const int area = cell.width() * cell.height();
        if (area > bestArea) {  // ties go to fewer columns
            bestArea = area;
            best = columns;
        }
    }
    return best;
}

void CandidateGrid::refreshImages()
{
    if (m_cells.isEmpty())
        return;
    m_cells[0]->setOriginalSource(m_set->hasPhoto() ? m_set->original() : nullptr);
    m_cells[0]->setContentSize(m_set->outputSize());
    m_cells[0]->setCaption(tr("Original (bicubic ×%1)").arg(m_set->scale()));
    refreshCleanCell();
    for (int position = 0; position < candidateCells(); ++position)
        refreshCandidateCell(position);
    refreshDetailControls();
}

void CandidateGrid::refreshCleanCell()
{
    ImageView* cell = cleanView();
    if (!cell)
        return;
    cell->setContentSize(m_set->outputSize());
    cell->setImage(m_set->cleanDisplayImage());
    cell->setOriginalSource(m_flick ? m_set->original() : nullptr);
    cell->setPlaceholder(tr("Clean (most likely)\nwaiting…"));
    cell->setCaption(m_flick ? tr("Original (held)") : cleanCaption());
}

void CandidateGrid::refreshCandidateCell(int position)
{
    ImageView* cell = candidateView(position);
    if (!cell)
        return;
    cell->setContentSize(m_set->outputSize());  // previews are smaller: stretch them over the final size
    const bool dragging = m_drag.position == position && !m_drag.image.isNull();
    cell->setImage(dragging ? m_drag.image : m_set->displayImage(position));
    cell->setOriginalSource(m_flick ? m_set->original() : nullptr);
    cell->setPlaceholder(tr("Candidate %1\nwaiting…").arg(position + 1));
    cell->setCaption(m_flick ? tr("Original (held)") : candidateCaption(position));
}

void CandidateGrid::refreshDetailControls()
{
    // Sliders on finished candidates of a model with a clean result: a preview has nothing to blend yet.
    for (int position = 0; position < m_details.size(); ++position) {
        DetailControl* control = m_details[position];
        const bool shown = m_set->hasClean() && !m_set->isPreviewPosition(position) && position < m_set->count();
        control->setVisible(shown);
        if (shown && m_drag.position != position)
            control->setValue(m_set->candidate(position).detail);
    }
}

QString CandidateGrid::cleanCaption() const
{
    QString text = tr("Clean (most likely)");
    if (!m_set->isRefining() && m_set->hasClean() && m_set->clean().consistencyMse >= 0)
        text += tr(" · MSE %1").arg(m_set->clean().consistencyMse, 0, 'e', 1);
    return text;
}

QString CandidateGrid::candidateCaption(int position) const
{
    if (m_set->isPreviewPosition(position)) {
        if (m_set->previewStep() <= 0 && !m_set->displayImage(position).isNull())
            return tr("Candidate %1 · starts from clean").arg(position + 1);
        if (m_set->previewStepCount() <= 0)
            return tr("Candidate %1 · starting").arg(position + 1);
        return tr("Candidate %1 · step %2/%3").arg(position + 1).arg(m_set->previewStep()).arg(m_set->previewStepCount());
    }
    if (position >= m_set->count())
        return tr("Candidate %1").arg(position + 1);
    const Candidate& c = m_set->candidate(position);
    QString text = c.previewStep > 0 ? tr("Candidate %1 · preview kept at step %2").arg(position + 1).arg(c.previewStep)
                                     : tr("Candidate %1 · MSE %2").arg(position + 1).arg(c.consistencyMse, 0, 'e', 1);
    if (!c.edits.empty())
        text += tr(" · %n region(s) edited", "", int(c.edits.size()));
    return text;
}

void CandidateGrid::refreshHighlight()
{
    if (ImageView* clean = cleanView())
        clean->setHighlighted(m_set->selected() == CandidateSet::kClean && !m_set->isRefining());
    for (int position = 0; position < candidateCells(); ++position)
        candidateView(position)->setHighlighted(position == m_set->selected() && !m_set->isPreviewPosition(position));
}

void CandidateGrid::solo(int position)
{
    m_solo = cellIndex(position) >= 0 ? position : -1;
    relayout();
}

void CandidateGrid::setUncertaintyVisible(bool visible)
{
    m_uncertaintyVisible = visible;
    const QImage heat = m_set->uncertaintyHeat();
    const bool show = visible && !heat.isNull();
    // The candidates' spread: drawn on the candidates, not on the clean result they start from.
    for (int position = 0; position < candidateCells(); ++position) {
        ImageView* cell = candidateView(position);
        cell->setOverlay(heat, 1.0);  // the overlay carries its own per-pixel opacity
        cell->setOverlayVisible(show && !m_set->isPreviewPosition(position));
    }
    m_legend->setVisible(show);
    placeLegend();
}

void CandidateGrid::setRegionMode(bool enabled)
{
    m_regionMode = enabled;
    applySelectionTool();
    if (!enabled)
        clearRegion();
}

void CandidateGrid::setSelectionTool(ImageView::SelectionTool tool)
{
    if (tool != m_tool)
        clearRegion();  // a rectangle and a painted area do not mix
    m_tool = tool;
    applySelectionTool();
}

void CandidateGrid::applySelectionTool()
{
    // Regions are explored on candidates only: the clean result has a single answer. It can be
    // repaired, though (setCleanPaintable).
    for (int position = 0; position < candidateCells(); ++position) {
        ImageView* cell = candidateView(position);
        cell->setRegionSelectionEnabled(m_regionMode);
        cell->setSelectionTool(m_tool);
        cell->setBrushDiameter(m_brushDiameter);
    }
    if (ImageView* clean = cleanView()) {
        const bool paints = m_regionMode && m_cleanPaintable && m_tool == ImageView::SelectionTool::Brush;
        clean->setRegionSelectionEnabled(paints);
        clean->setSelectionTool(ImageView::SelectionTool::Brush);
        clean->setBrushDiameter(m_brushDiameter);
    }
}

void CandidateGrid::setCleanPaintable(bool paintable)
{
    if (paintable == m_cleanPaintable)
        return;
    m_cleanPaintable = paintable;
    if (!paintable && m_set->selected() == CandidateSet::kClean && !m_brush.isEmpty())
        clearRegion();  // painted on the clean result, which the new tool cannot use
    applySelectionTool();
}

void CandidateGrid::setBrushDiameter(double diameter)
{
    for (ImageView* c : std::as_const(m_cells))
        c->setBrushDiameter(diameter);
    m_brushDiameter = m_cells.isEmpty() ? diameter : m_cells[0]->brushDiameter();  // as the views clamped it
    Q_EMIT brushDiameterChanged(m_brushDiameter);
}

double CandidateGrid::brushDiameter() const
{
    return m_brushDiameter;
}

void CandidateGrid::setBrushAreaWashed(bool washed)
{
    for (ImageView* c : std::as_const(m_cells))
        c->setBrushAreaWashed(washed);
}

void CandidateGrid::clearRegion()
{
    m_region = QRect();
    m_brush = QPainterPath();
    for (ImageView* c : std::as_const(m_cells)) {
        c->setSelection(QRect());
        c->setBrushArea(QPainterPath());
        c->setBrushAreaWashed(true);
    }
}

void CandidateGrid::keyPressEvent(QKeyEvent* event)
{
    const int key = event->key();
    const bool plain = !(event->modifiers() & ~Qt::KeypadModifier);
    if (key >= Qt::Key_0 && key <= Qt::Key_9 && !(event->modifiers() & Qt::ControlModifier)) {
        const int position = key - Qt::Key_1;  // Key_0 gives -1: the grid
        solo(position == m_solo ? -1 : position);
        event->accept();
        return;
    }
    if (key == Qt::Key_C && plain && m_hasCleanCell) {
        solo(m_solo == CandidateSet::kClean ? -1 : CandidateSet::kClean);
        event->accept();
        return;
    }
    if (key == Qt::Key_Escape && !m_region.isEmpty()) {
        clearRegion();
        Q_EMIT regionCleared();
        event->accept();
        return;
    }
    if (isFlickKey(key)) {
        if (!event->isAutoRepeat())
            setFlick(true);
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

void CandidateGrid::keyReleaseEvent(QKeyEvent* event)
{
    if (!isFlickKey(event->key())) {
        QWidget::keyReleaseEvent(event);
        return;
    }
    if (!event->isAutoRepeat())
        setFlick(false);
    event->accept();
}

void CandidateGrid::focusOutEvent(QFocusEvent* event)
{
    setFlick(false);  // the release goes elsewhere: never stay stuck on the original
    QWidget::focusOutEvent(event);
}

void CandidateGrid::setFlick(bool held)
{
    if (held == m_flick)
        return;
    m_flick = held;
    refreshImages();
}

void CandidateGrid::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    relayout();
}

void CandidateGrid::placeLegend()
{
    m_legend->adjustSize();
    // Top right: the bottom of every candidate cell holds its Detail slider.
    m_legend->move(width() - m_legend->width() - 12, 12);
    m_legend->raise();
}

}  // namespace refine::ui
