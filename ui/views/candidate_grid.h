#pragma once
/// @file candidate_grid.h
/// @brief The original (bicubic) and every candidate side by side, all zoomed and panned
/// together. Number keys show one candidate alone (press it again, or 0, for the grid); a click
/// selects a candidate; each cell says its refinement step, then its consistency with the photo.
/// Holding O or backslash flicks every candidate cell to the original, to see what changed.
/// In region mode a rectangle or brush selection is mirrored on every cell; Esc clears it.
/// Cells take the photo's shape (no letterbox bands inside them) and the block of cells is
/// centred in the widget.

#include <QPainterPath>
#include <QRect>
#include <QVector>
#include <QWidget>

#include "views/image_view.h"

namespace refine::ui {

class CandidateSet;
class UncertaintyLegend;
class ViewSync;

class CandidateGrid : public QWidget {
    Q_OBJECT
public:
    CandidateGrid(CandidateSet* set, ViewSync* sync, QWidget* parent = nullptr);

    ImageView* originalView() const { return m_cells.value(0); }
    /// The view of candidate `position` (0-based), or nullptr.
    ImageView* candidateView(int position) const { return m_cells.value(position + 1); }
    int candidateCells() const { return int(m_cells.size()) - 1; }

    /// Shows only candidate `position` (-1: the whole grid).
    void solo(int position);
    int soloPosition() const { return m_solo; }

    /// The candidate cells show the original while the flick key is held.
    bool isShowingOriginal() const { return m_flick; }

    void setUncertaintyVisible(bool visible);
    bool isUncertaintyVisible() const { return m_uncertaintyVisible; }

    /// In region mode a drag on a candidate selects a rectangle or, with the brush tool, paints
    /// strokes that add up to one selection; changing the tool clears the selection.
    void setRegionMode(bool enabled);
    void setSelectionTool(ImageView::SelectionTool tool);
    /// The selected rectangle, or the bounding box of the painted area (content pixels).
    QRect regionSelection() const { return m_region; }
    /// The painted area (content pixels); empty for a rectangle selection.
    QPainterPath brushArea() const { return m_brush; }
    void setBrushDiameter(double diameter);
    double brushDiameter() const;
    void clearRegion();

Q_SIGNALS:
    void candidateClicked(int position);
    void regionSelected(int position, const QRect& contentRect);
    void regionCleared();
    void brushDiameterChanged(double diameter);

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
    void refreshCaptions();
    void refreshHighlight();
    ImageView* makeCell();
    void connectCandidateCell(int position);
    QString candidateCaption(int position) const;
    void placeLegend();
    void setFlick(bool held);
    void addBrushStroke(int position, const QPainterPath& strokeArea);
    void applySelectionTool();

    CandidateSet* m_set;
    ViewSync* m_sync;
    QVector<ImageView*> m_cells;  // [0] is the original
    UncertaintyLegend* m_legend;
    int m_solo = -1;
    bool m_uncertaintyVisible = false;
    bool m_flick = false;
    bool m_regionMode = false;
    ImageView::SelectionTool m_tool = ImageView::SelectionTool::Rectangle;
    double m_brushDiameter = 16;
    QRect m_region;
    QPainterPath m_brush;
};

}  // namespace refine::ui
