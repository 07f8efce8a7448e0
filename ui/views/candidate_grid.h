#pragma once
/// @file candidate_grid.h
/// @brief The original (bicubic) and every candidate side by side, all zoomed and panned
/// together. Number keys show one candidate alone (press it again, or 0, for the grid); a click
/// selects a candidate; each cell says its refinement step, then its consistency with the photo.
/// Holding O or backslash flicks every candidate cell to the original, to see what changed.
/// In region mode a rectangle or brush selection is mirrored on every cell; Esc clears it.
/// Cells take the photo's shape (no letterbox bands inside them) and the block of cells is
/// centred in the widget.
///
/// With a residual-shift model a "Clean (most likely)" cell follows the original (C shows it
/// alone) and every finished candidate has a Detail slider: dragging previews the blend at
/// display resolution, the value chosen is reported (detailChosen) for the window to apply.

#include <QImage>
#include <QPainterPath>
#include <QRect>
#include <QVector>
#include <QWidget>

#include "model/detail_preview.h"
#include "views/image_view.h"

namespace refine::ui {

class CandidateSet;
class DetailControl;
class UncertaintyLegend;
class ViewSync;

class CandidateGrid : public QWidget {
    Q_OBJECT
public:
    CandidateGrid(CandidateSet* set, ViewSync* sync, QWidget* parent = nullptr);

    ImageView* originalView() const { return m_cells.value(0); }
    /// The view of candidate `position` (0-based), or nullptr.
    ImageView* candidateView(int position) const;
    /// The Clean (most likely) cell, or nullptr when the model has no clean result.
    ImageView* cleanView() const { return m_hasCleanCell ? m_cells.value(1) : nullptr; }
    /// candidateView(position), or cleanView() for CandidateSet::kClean.
    ImageView* resultView(int position) const;
    int candidateCells() const { return int(m_cells.size()) - m_firstCandidateCell; }
    /// The Detail slider of candidate `position`; nullptr when it has none (SR3 models, previews).
    DetailControl* detailControl(int position) const;

    /// Shows only candidate `position`, or the clean result for CandidateSet::kClean (-1: the
    /// whole grid).
    void solo(int position);
    int soloPosition() const { return m_solo; }

    /// The candidate cells show the original while the flick key is held.
    bool isShowingOriginal() const { return m_flick; }

    void setUncertaintyVisible(bool visible);
    bool isUncertaintyVisible() const { return m_uncertaintyVisible; }

    /// In region mode a drag on a candidate selects a rectangle or, with the brush tool, paints
    /// strokes that add up to one selection (strokes with Shift held take away from it);
    /// changing the tool clears the selection.
    void setRegionMode(bool enabled);
    void setSelectionTool(ImageView::SelectionTool tool);
    /// The brush paints on the clean result too (the repair brush: a Fast job's clean result is
    /// a photo to mend like any candidate); Explore's tools stay on the candidates, since the
    /// clean result has a single answer to re-sample.
    void setCleanPaintable(bool paintable);
    /// The selected rectangle, or the bounding box of the painted area (content pixels).
    QRect regionSelection() const { return m_region; }
    /// The painted area (content pixels); empty for a rectangle selection.
    QPainterPath brushArea() const { return m_brush; }
    void setBrushDiameter(double diameter);
    double brushDiameter() const;
    /// The painted area as a wash on every cell, or (false) as its outline alone, so that a new
    /// version chosen for it shows; the next stroke washes it again.
    void setBrushAreaWashed(bool washed);
    void clearRegion();

    /// Longest side of the Detail preview shown while a slider is dragged (larger results are
    /// blended shrunk, then at full resolution once the slider is let go).
    static constexpr int kDragPreviewSide = 1024;

Q_SIGNALS:
    /// A cell was clicked: a candidate position or CandidateSet::kClean.
    void candidateClicked(int position);
    void regionSelected(int position, const QRect& contentRect);
    void regionCleared();
    void brushDiameterChanged(double diameter);
    /// The Detail slider of candidate `position` settled on `detail`.
    void detailChosen(int position, double detail);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuildCells();
    void relayout();
    int bestColumns() const;
    /// The largest cell of the photo's shape when `columns` x `rows` cells share the widget.
    QSize cellSize(int columns, int rows) const;
    QSizeF contentShape() const;
    void refreshImages();
    void refreshCleanCell();
    void refreshCandidateCell(int position);
    void refreshDetailControls();
    void placeDetailControls();
    void refreshHighlight();
    ImageView* makeCell();
    void connectCleanCell();
    void connectCandidateCell(int position);
    void addDetailControl(int position);
    void previewDetail(int position, double detail);
    void chooseDetail(int position, double detail);
    QString candidateCaption(int position) const;
    QString cleanCaption() const;
    void placeLegend();
    void setFlick(bool held);
    void addBrushStroke(int position, const QPainterPath& strokeArea);
    void eraseBrushStroke(int position, const QPainterPath& strokeArea);
    /// Makes `area` (inside the photo) the painted selection, made on candidate `position`.
    void setPaintedArea(int position, const QPainterPath& area);
    void applySelectionTool();
    /// The index in m_cells of candidate `position` or CandidateSet::kClean (-1: none).
    int cellIndex(int position) const;

    CandidateSet* m_set;
    ViewSync* m_sync;
    QVector<ImageView*> m_cells;  // [0] is the original, then the clean result (if any), then the candidates
    QVector<DetailControl*> m_details;  // per candidate cell; owned by the cells
    bool m_hasCleanCell = false;
    int m_firstCandidateCell = 1;
    UncertaintyLegend* m_legend;
    int m_solo = -1;
    bool m_uncertaintyVisible = false;
    bool m_flick = false;
    bool m_regionMode = false;
    bool m_cleanPaintable = false;
    ImageView::SelectionTool m_tool = ImageView::SelectionTool::Rectangle;
    double m_brushDiameter = 16;
    QRect m_region;
    QPainterPath m_brush;

    // The slider being dragged: its candidate, shrunk images to blend and the blend shown.
    struct DetailDrag {
        int position = -1;
        DetailPreview preview;
        QImage image;
    } m_drag;
};

}  // namespace refine::ui
