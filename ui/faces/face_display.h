#pragma once
/// @file face_display.h
/// @brief Shows the faces' picks where the person looks: every result in the grid and the split
/// view is shown as export will write it, with each face blended in from its pick (the clean
/// result by default). Without this the views would show each candidate's own sampled faces
/// while the file got the clean ones: what you see would not be what you get.
///
/// Only the faces' reaches are recomposed (face_composition.h), painted over a copy of the
/// result's display image, so a pick or a face's Detail updates the views at once.

#include <QObject>

namespace refine::ui {

class CandidateSet;
class FaceSession;

class FaceDisplay : public QObject {
    Q_OBJECT
public:
    FaceDisplay(FaceSession* faces, CandidateSet* set, QObject* parent = nullptr);

    /// Makes every result's composite again (CandidateSet::setComposedImage).
    void refresh();

private:
    void refreshResult(int position);

    FaceSession* m_faces;
    CandidateSet* m_set;
};

}  // namespace refine::ui
