#pragma once
/// @file view_sync.h
/// @brief The zoom and pan shared by every image view of the window, so the original and all
/// candidates always show the same part of the photo at the same magnification.
///
/// Positions are normalised (0..1 across the content), so views of different widget sizes, and
/// previews smaller than the final images, stay aligned.

#include <QObject>
#include <QPointF>
#include <QSizeF>

namespace refine::ui {

class ViewSync : public QObject {
    Q_OBJECT
public:
    explicit ViewSync(QObject* parent = nullptr);

    bool isFit() const { return m_fit; }
    /// Content pixels to logical widget pixels; meaningless while fitting (each view fits itself).
    double zoom() const { return m_zoom; }
    /// The content point (normalised) shown at the centre of every view.
    QPointF center() const { return m_center; }

    void fit();
    /// Sets an absolute zoom, keeping the centre.
    void setZoom(double zoom);
    /// Zooms by `factor` so that `anchor` (normalised content point) stays where it is on screen.
    /// `currentZoom` is the zoom the view was showing (its fit zoom when fitting).
    /// `anchorOffset` is the anchor's offset from the view's centre in logical pixels;
    /// `contentSize` the content's size in content pixels.
    void zoomAbout(double currentZoom, double factor, QPointF anchor, QPointF anchorOffset, QSizeF contentSize);
    /// Moves the view by a drag of `delta` logical pixels.
    void pan(QPointF delta, QSizeF contentSize, double currentZoom);

    static constexpr double kMinZoom = 1.0 / 64;
    static constexpr double kMaxZoom = 64;

Q_SIGNALS:
    void changed();

private:
    bool m_fit = true;
    double m_zoom = 1;
    QPointF m_center{0.5, 0.5};
};

}  // namespace refine::ui
