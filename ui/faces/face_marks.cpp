#include "faces/face_marks.h"

#include <QEvent>
#include <QPainter>
#include <QTimer>
#include <QWidget>

#include <algorithm>

#include "faces/face_picks.h"
#include "faces/face_session.h"
#include "model/candidate_set.h"
#include "views/image_view.h"
#include "views/view_sync.h"

namespace refine::ui {
namespace {

const char* const kOverlayName = "FaceMarks";

/// Draws the faces over one view, in the view's own mapping of content pixels.
class FaceMarkOverlay : public QWidget {
public:
    FaceMarkOverlay(ImageView* view, const FaceSession* session, const CandidateSet* set)
        : QWidget(view), m_view(view), m_session(session), m_set(set)
    {
        setObjectName(QString::fromLatin1(kOverlayName));
        setAttribute(Qt::WA_TransparentForMouseEvents);
        setAttribute(Qt::WA_NoSystemBackground);
        setGeometry(view->rect());
        raise();
        show();
    }

protected:
    void paintEvent(QPaintEvent*) override
    {
        if (!m_set->hasPhoto() || m_view->contentSize().isEmpty())
            return;
        QPainter painter(this);
        painter.setRenderHint(QPainter::Antialiasing);
        const QVector<Face>& faces = m_session->faces();
        for (int i = 0; i < faces.size(); ++i)
            paintFace(painter, i, outputBox(faces[i].box, m_set->scale()), i == m_session->current());
    }

private:
    void paintFace(QPainter& painter, int number, const QRect& box, bool current)
    {
        const QRectF shown(m_view->mapFromContent(box.topLeft()), m_view->mapFromContent(box.bottomRight() + QPoint(1, 1)));
        const QColor colour = current ? palette().color(QPalette::Highlight) : QColor(255, 255, 255, 200);
        // A dark line under the coloured one: visible on light skin and dark hair alike.
        painter.setPen(QPen(QColor(0, 0, 0, 140), current ? 4.0 : 3.0));
        painter.setBrush(Qt::NoBrush);
        painter.drawRoundedRect(shown, 4, 4);
        painter.setPen(QPen(colour, current ? 2.0 : 1.0));
        painter.drawRoundedRect(shown, 4, 4);
        if (shown.width() < 14)
            return;  // too small for a number
        const QString label = QString::number(number + 1);
        QRectF tag(shown.topLeft() + QPointF(0, -16), QSizeF(std::max(16.0, 8.0 + 7.0 * label.size()), 15));
        if (tag.top() < 0)
            tag.moveTop(shown.top());
        painter.setPen(Qt::NoPen);
        painter.setBrush(current ? colour : QColor(0, 0, 0, 150));
        painter.drawRoundedRect(tag, 3, 3);
        painter.setPen(current ? palette().color(QPalette::HighlightedText) : QColor(Qt::white));
        painter.drawText(tag, Qt::AlignCenter, label);
    }

    ImageView* m_view;
    const FaceSession* m_session;
    const CandidateSet* m_set;
};

}  // namespace

FaceMarks::FaceMarks(FaceSession* session, CandidateSet* set, ViewSync* sync, QObject* parent)
    : QObject(parent), m_session(session), m_set(set)
{
    connect(sync, &ViewSync::changed, this, &FaceMarks::refresh);
    connect(session, &FaceSession::facesChanged, this, &FaceMarks::refresh);
    connect(session, &FaceSession::currentChanged, this, &FaceMarks::refresh);
    connect(set, &CandidateSet::photoChanged, this, &FaceMarks::refresh);
    // The grid makes its cells again when the candidates change; after it has (queued), the new
    // cells get their marks.
    connect(set, &CandidateSet::candidatesChanged, this, [this] { QTimer::singleShot(0, this, &FaceMarks::attachAll); });
}

void FaceMarks::watch(QWidget* container)
{
    m_containers.push_back(container);
    attachAll();
}

void FaceMarks::setVisible(bool visible)
{
    m_visible = visible;
    refresh();
}

int FaceMarks::markedViews() const
{
    int marked = 0;
    for (const QPointer<QWidget>& container : m_containers)
        if (container)
            for (const QWidget* overlay : container->findChildren<QWidget*>(QString::fromLatin1(kOverlayName)))
                marked += overlay->isVisibleTo(container) ? 1 : 0;
    return marked;
}

void FaceMarks::attachAll()
{
    for (const QPointer<QWidget>& container : m_containers) {
        if (!container)
            continue;
        QList<ImageView*> views = container->findChildren<ImageView*>();
        if (auto* self = qobject_cast<ImageView*>(container.data()))
            views.prepend(self);
        for (ImageView* view : views) {
            if (view->findChild<QWidget*>(QString::fromLatin1(kOverlayName), Qt::FindDirectChildrenOnly))
                continue;
            new FaceMarkOverlay(view, m_session, m_set);
            view->installEventFilter(this);  // follows the view's size
        }
    }
    refresh();
}

void FaceMarks::refresh()
{
    const bool shown = m_visible && m_session->count() > 0;
    for (const QPointer<QWidget>& container : m_containers)
        if (container)
            for (QWidget* overlay : container->findChildren<QWidget*>(QString::fromLatin1(kOverlayName))) {
                overlay->setVisible(shown);
                overlay->raise();  // above the controls a cell adds later (Detail sliders)
                overlay->update();
            }
}

bool FaceMarks::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Resize)
        if (auto* view = qobject_cast<QWidget*>(watched))
            if (auto* overlay = view->findChild<QWidget*>(QString::fromLatin1(kOverlayName), Qt::FindDirectChildrenOnly))
                overlay->setGeometry(view->rect());
    return QObject::eventFilter(watched, event);
}

void FaceMarks::zoomTo(ViewSync* sync, const ImageView* view, const QRect& outputBox)
{
    const QSize content = view->contentSize();
    if (content.isEmpty() || outputBox.isEmpty() || view->width() <= 0 || view->height() <= 0)
        return;
    const double zoom = std::clamp(std::min(view->width() / (2.0 * outputBox.width()),
                                            view->height() / (2.0 * outputBox.height())),
                                   ViewSync::kMinZoom, ViewSync::kMaxZoom);
    sync->setZoom(zoom);
    // ViewSync moves its centre by pans: the drag that brings the face's centre to the middle.
    const QPointF target(outputBox.center().x() + 0.5, outputBox.center().y() + 0.5);
    const QPointF centre(sync->center().x() * content.width(), sync->center().y() * content.height());
    sync->pan((centre - target) * zoom, QSizeF(content), zoom);
}

}  // namespace refine::ui
