#include "faces/face_display.h"

#include <QPainter>

#include "faces/face_composition.h"
#include "faces/face_session.h"
#include "model/candidate_set.h"
#include "model/image_convert.h"

namespace refine::ui {

FaceDisplay::FaceDisplay(FaceSession* faces, CandidateSet* set, QObject* parent)
    : QObject(parent), m_faces(faces), m_set(set)
{
    // The session says when picks change, and when the candidates did (pickChanged(-1)).
    connect(m_faces, &FaceSession::facesChanged, this, &FaceDisplay::refresh);
    connect(m_faces, &FaceSession::pickChanged, this, &FaceDisplay::refresh);
}

void FaceDisplay::refresh()
{
    if (m_set->isRefining())
        return;  // previews are shown as sampled; the finished results are composed when they come
    if (m_set->hasClean())
        refreshResult(CandidateSet::kClean);
    for (int position = 0; position < m_set->count(); ++position)
        refreshResult(position);
}

void FaceDisplay::refreshResult(int position)
{
    const QVector<QRect> reaches = blendedReaches(*m_set, position, m_faces->faces());
    if (reaches.isEmpty()) {
        m_set->setComposedImage(position, QImage());
        return;
    }
    QImage shown = m_set->result(position).image.copy();
    QPainter painter(&shown);
    painter.setCompositionMode(QPainter::CompositionMode_Source);  // the composite's pixels, not a blend over them
    for (const QRect& reach : reaches) {
        const ImageF crop = composedCrop(*m_set, position, m_faces->faces(), reach);
        painter.drawImage(reach.topLeft(), toQImage(crop, m_set->colourSpace()));
    }
    painter.end();
    m_set->setComposedImage(position, shown);
}

}  // namespace refine::ui
