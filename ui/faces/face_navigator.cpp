#include "faces/face_navigator.h"

#include <QAction>
#include <QButtonGroup>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "faces/face_composition.h"
#include "faces/face_picks.h"
#include "faces/face_session.h"
#include "model/candidate_set.h"
#include "model/image_convert.h"
#include "refine/engine/detail.h"
#include "views/detail_control.h"

namespace refine::ui {
namespace {

QPixmap tilePixmap(const QImage& image)
{
    return QPixmap::fromImage(image.scaled(FaceNavigator::kTileSide, FaceNavigator::kTileSide, Qt::KeepAspectRatio,
                                           Qt::SmoothTransformation));
}

QString versionName(int position)
{
    return position == CandidateSet::kClean ? QObject::tr("Clean") : QObject::tr("Candidate %1").arg(position + 1);
}

QLabel* imageLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setFixedSize(FaceNavigator::kTileSide, FaceNavigator::kTileSide);
    label->setAlignment(Qt::AlignCenter);
    label->setFrameShape(QFrame::StyledPanel);
    return label;
}

/// A picture with its caption under it.
QWidget* captioned(QLabel* image, QLabel* caption, QWidget* parent)
{
    auto* column = new QWidget(parent);
    auto* layout = new QVBoxLayout(column);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(image, 0, Qt::AlignHCenter);
    caption->setAlignment(Qt::AlignHCenter);
    layout->addWidget(caption);
    return column;
}

}  // namespace

FaceNavigator::FaceNavigator(FaceSession* session, CandidateSet* set, QWidget* parent)
    : QWidget(parent), m_session(session), m_set(set), m_title(new QLabel(this)),
      m_previousButton(new QToolButton(this)), m_nextButton(new QToolButton(this)), m_zoomButton(new QToolButton(this)),
      m_pick(new QLabel(this)), m_reset(new QToolButton(this)), m_original(imageLabel(this)), m_result(imageLabel(this)),
      m_resultCaption(new QLabel(this)), m_tiles(new QHBoxLayout), m_versions(new QButtonGroup(this)),
      m_detail(new QSlider(Qt::Horizontal, this)), m_detailValue(new QLabel(this)), m_empty(new QLabel(this)),
      m_next(new QAction(tr("Next Face"), this)), m_previous(new QAction(tr("Previous Face"), this))
{
    setObjectName(QStringLiteral("FaceNavigator"));
    m_next->setShortcut(QKeySequence(Qt::Key_F));
    m_previous->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F));
    for (QAction* action : {m_next, m_previous}) {
        action->setShortcutContext(Qt::WindowShortcut);
        addAction(action);
    }
    connect(m_next, &QAction::triggered, this, [this] { step(true); });
    connect(m_previous, &QAction::triggered, this, [this] { step(false); });
    m_previousButton->setArrowType(Qt::LeftArrow);
    m_previousButton->setToolTip(tr("Previous face (Shift+F)"));
    m_nextButton->setArrowType(Qt::RightArrow);
    m_nextButton->setToolTip(tr("Next face (F)"));
    connect(m_previousButton, &QToolButton::clicked, m_previous, &QAction::trigger);
    connect(m_nextButton, &QToolButton::clicked, m_next, &QAction::trigger);
    m_zoomButton->setText(tr("Zoom to Face"));
    m_zoomButton->setToolTip(tr("Show this face in every view, enlarged"));
    connect(m_zoomButton, &QToolButton::clicked, this, [this] {
        if (m_session->current() >= 0)
            Q_EMIT zoomRequested(outputBox(m_session->faces()[m_session->current()].box, m_set->scale()));
    });
    m_reset->setText(tr("Use Default"));
    m_reset->setToolTip(tr("Take this face from the clean result again, the most likely version"));
    connect(m_reset, &QToolButton::clicked, this, [this] { m_session->resetPick(m_session->current()); });

    m_versions->setExclusive(false);  // a pick can be none of them (each result's own face)
    connect(m_versions, &QButtonGroup::idClicked, this, [this](int position) {
        if (position == CandidateSet::kClean)
            m_session->pickClean(m_session->current());
        else
            m_session->pickCandidate(m_session->current(), position);
        refreshTiles();  // a click toggled the button; the pick decides
    });

    m_detail->setObjectName(QStringLiteral("faceDetail"));
    m_detail->setRange(int(kMinDetail * DetailControl::kTicksPerUnit), int(kMaxDetail * DetailControl::kTicksPerUnit));
    m_detail->setToolTip(tr("The picked candidate's detail in this face: 0 is the clean result, 1 the candidate "
                            "as sampled, 2 twice its detail"));
    connect(m_detail, &QSlider::valueChanged, this, [this](int ticks) {
        m_session->setDetail(m_session->current(), double(ticks) / DetailControl::kTicksPerUnit);
    });
    m_empty->setWordWrap(true);
    buildLayout();

    connect(m_session, &FaceSession::facesChanged, this, &FaceNavigator::refresh);
    connect(m_session, &FaceSession::currentChanged, this, &FaceNavigator::refresh);
    connect(m_session, &FaceSession::pickChanged, this, &FaceNavigator::refresh);
    connect(m_set, &CandidateSet::candidatesChanged, this, &FaceNavigator::refresh);
    connect(m_set, &CandidateSet::selectionChanged, this, &FaceNavigator::refresh);
    refresh();
}

void FaceNavigator::buildLayout()
{
    auto* header = new QHBoxLayout;
    header->addWidget(m_previousButton);
    header->addWidget(m_title);
    header->addWidget(m_nextButton);
    header->addWidget(m_zoomButton);
    header->addSpacing(12);
    header->addWidget(m_pick, 1);
    header->addWidget(m_reset);
    header->addSpacing(12);
    header->addWidget(new QLabel(tr("Detail of this face:")));
    m_detail->setFixedWidth(160);
    header->addWidget(m_detail);
    m_detailValue->setMinimumWidth(m_detailValue->fontMetrics().horizontalAdvance(QStringLiteral("0.00")));
    header->addWidget(m_detailValue);

    auto* strip = new QWidget;
    auto* stripLayout = new QHBoxLayout(strip);
    stripLayout->setContentsMargins(0, 0, 0, 0);
    m_resultCaption->setToolTip(tr("The selected result with every face as picked: what Export writes"));
    stripLayout->addWidget(captioned(m_result, m_resultCaption, strip), 0, Qt::AlignTop);
    auto* line = new QFrame(strip);
    line->setFrameShape(QFrame::VLine);
    stripLayout->addWidget(line);
    stripLayout->addWidget(captioned(m_original, new QLabel(tr("Original"), strip), strip), 0, Qt::AlignTop);
    stripLayout->addLayout(m_tiles);
    stripLayout->addStretch(1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(strip);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setMinimumHeight(kTileSide + 56);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addLayout(header);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_empty);
}

QAbstractButton* FaceNavigator::versionTile(int position) const
{
    return m_versions->button(position);
}

QImage FaceNavigator::resultPreview() const
{
    return m_resultImage;
}

QString FaceNavigator::title() const
{
    return m_title->text();
}

QString FaceNavigator::pickLine() const
{
    return m_pick->text();
}

void FaceNavigator::step(bool forward)
{
    if (m_session->count() == 0)
        return;
    forward ? m_session->next() : m_session->previous();
    Q_EMIT zoomRequested(outputBox(m_session->faces()[m_session->current()].box, m_set->scale()));
}

QRect FaceNavigator::shownRect() const
{
    const QRect box = outputBox(m_session->faces()[m_session->current()].box, m_set->scale());
    const int marginX = box.width() * 3 / 10, marginY = box.height() * 3 / 10;
    return box.adjusted(-marginX, -marginY, marginX, marginY).intersected(QRect(QPoint(0, 0), m_set->outputSize()));
}

void FaceNavigator::refresh()
{
    const int face = m_session->current();
    const bool haveFace = face >= 0 && m_set->hasPhoto();
    const bool haveResults = !m_set->isRefining() && (m_set->count() > 0 || m_set->hasClean());
    m_title->setText(haveFace ? tr("Face %1 of %2").arg(face + 1).arg(m_session->count()) : tr("No faces"));
    for (QWidget* control : {static_cast<QWidget*>(m_previousButton), static_cast<QWidget*>(m_nextButton),
                             static_cast<QWidget*>(m_zoomButton)})
        control->setEnabled(haveFace);
    m_next->setEnabled(haveFace);
    m_previous->setEnabled(haveFace);
    m_empty->setText(!haveFace ? tr("No faces were found in this photo.")
                               : haveResults ? QString()
                                             : tr("Enhance the photo to compare every result's version of each face."));
    m_empty->setVisible(!m_empty->text().isEmpty());
    rebuildTiles();
    refreshTiles();
    refreshDetail();
}

void FaceNavigator::rebuildTiles()
{
    QVector<int> positions;
    if (!m_set->isRefining() && m_session->current() >= 0) {
        if (m_set->hasClean())
            positions << CandidateSet::kClean;
        for (int i = 0; i < m_set->count(); ++i)
            positions << i;
    }
    if (positions == m_tilePositions)
        return;
    for (QAbstractButton* tile : m_versions->buttons()) {
        m_versions->removeButton(tile);
        tile->deleteLater();
    }
    m_tilePositions = positions;
    for (int position : positions)
        m_tiles->addWidget(makeTile(position, versionName(position)), 0, Qt::AlignTop);
}

QToolButton* FaceNavigator::makeTile(int position, const QString& caption)
{
    auto* tile = new QToolButton;
    tile->setObjectName(position == CandidateSet::kClean ? QStringLiteral("faceClean")
                                                         : QStringLiteral("faceCandidate%1").arg(position + 1));
    tile->setText(caption);
    tile->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
    tile->setIconSize(QSize(kTileSide, kTileSide));
    tile->setCheckable(true);
    tile->setAutoRaise(true);
    tile->setToolTip(position == CandidateSet::kClean ? tr("Take this face from the clean result, the most likely")
                                                      : tr("Take this face from candidate %1").arg(position + 1));
    m_versions->addButton(tile, position);
    return tile;
}

void FaceNavigator::refreshTiles()
{
    const int face = m_session->current();
    if (face < 0 || !m_set->hasPhoto()) {
        m_original->clear();
        m_result->clear();
        m_resultCaption->clear();
        m_resultImage = QImage();
        m_pick->clear();
        m_reset->setEnabled(false);
        return;
    }
    const QRect shown = shownRect();
    const QRect inputShown(shown.topLeft() / m_set->scale(), shown.size() / m_set->scale());
    m_original->setPixmap(tilePixmap(m_set->inputImage().copy(inputShown)));

    const FacePick pick = m_session->pickOf(face);
    for (int position : m_tilePositions) {
        // Each version as it would come into the face: the picked one at the face's Detail.
        FacePick version;  // the clean result
        if (position != CandidateSet::kClean)
            version = candidatePick(*m_set, position, m_set->candidate(position).detail);
        if (pickedPosition(*m_set, pick) == position)
            version.detail = pick.detail;
        QAbstractButton* tile = m_versions->button(position);
        tile->setIcon(tilePixmap(toQImage(facePixels(*m_set, position, version, shown), m_set->colourSpace())));
        tile->setChecked(position == CandidateSet::kClean ? pick.source == FacePick::Source::Clean
                                                          : pickedPosition(*m_set, pick) == position);
    }

    const int selected = m_set->selected();
    m_resultImage = m_set->isResult(selected) && !m_set->isRefining()
                      ? toQImage(composedCrop(*m_set, selected, m_session->faces(), shown), m_set->colourSpace())
                      : QImage();
    m_result->setPixmap(m_resultImage.isNull() ? QPixmap() : tilePixmap(m_resultImage));
    m_resultCaption->setText(m_resultImage.isNull() ? tr("As exported")
                                                    : tr("%1, as exported").arg(versionName(selected)));
    m_pick->setText(tr("This face: %1").arg(pickText(*m_set, pick)));
    m_reset->setEnabled(pick.chosenByUser);
}

void FaceNavigator::refreshDetail()
{
    const FacePick pick = m_session->pickOf(m_session->current());
    const bool applies = m_session->current() >= 0 && pick.source == FacePick::Source::Candidate && m_set->hasClean();
    const QSignalBlocker blocker(m_detail);
    m_detail->setEnabled(applies);
    m_detail->setValue(int(std::lround((applies ? pick.detail : 1.0) * DetailControl::kTicksPerUnit)));
    m_detailValue->setText(applies ? QString::number(pick.detail, 'f', 2) : tr("—"));
}

}  // namespace refine::ui
