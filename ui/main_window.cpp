#include "main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QScreen>
#include <QKeyEvent>
#include <QAction>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QThread>
#include <QUndoStack>
#include <QVBoxLayout>

#include "explore/explore_session.h"
#include "repair/repair_session.h"
#include "files/recent_files.h"
#include "jobs/batch_queue.h"
#include "jobs/enhance_controller.h"
#include "jobs/memory_check.h"
#include "jobs/preset_resolution.h"
#include "jobs/taskbar_progress.h"
#include "model/candidate_set.h"
#include "panels/alternatives_strip.h"
#include "panels/drop_overlay.h"
#include "panels/empty_state.h"
#include "panels/inline_banner.h"
#include "panels/queue_panel.h"
#include "panels/settings_panel.h"
#include "refine/engine/engine.h"
#include "views/candidate_grid.h"
#include "views/split_view.h"
#include "views/view_sync.h"
#include "window_placement.h"

namespace refine::ui {
namespace {

enum Page { EmptyPage, GridPage, SplitPage };

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_controller(new EnhanceController(this)), m_set(new CandidateSet(this)),
      m_sync(new ViewSync(this)), m_undo(new QUndoStack(this)), m_recent(new RecentFiles(this)),
      m_loader(new PhotoLoader(this)), m_taskbar(new TaskbarProgress(this)),
      m_explore(new ExploreSession(m_set, m_undo, this)), m_repair(new RepairSession(m_set, m_undo, this)),
      m_batch(new BatchQueue(m_set, this))
{
    setObjectName(QStringLiteral("RefineMainWindow"));
    setAcceptDrops(true);
    buildCentralArea();
    buildDocks();
    buildStatusBar();
    createActions();
    createMenus();
    createToolBar();
    connectController();
    connectExplore();
    connectRepair();
    connectBatch();
    buildFaces();
    connect(m_loader, &PhotoLoader::loaded, this, &MainWindow::onPhotoLoaded);

    const DeviceInfo device = Engine::deviceInfo();
    m_gpu = device.cudaAvailable;
    m_deviceText = m_gpu ? tr("GPU (%1)").arg(QString::fromStdString(device.summary))
                         : tr("CPU — slow (%n thread(s))", "", QThread::idealThreadCount());  // the engine uses every core
    m_settings->setModels(Engine::installedModels(), QString::fromStdString(Engine::defaultModelId()));
    m_settings->setDevice(m_deviceText, m_gpu);
    m_empty->setModelMissing(!m_settings->hasModels());

    connect(m_controller, &EnhanceController::modelLoaded, this, [this](const QString& model) {
        m_loadedModelId = model;  // its memory is taken now: later estimates leave it out
        updateDeviceAndEstimate();
    });
    connect(m_settings, &SettingsPanel::changed, this, [this] {
        updateDeviceAndEstimate();
        saveSettings();
    });
    connect(m_set, &CandidateSet::photoChanged, this, [this] {
        showCentralPage();
        updateTitle();
        updateDeviceAndEstimate();
    });
    connect(m_set, &CandidateSet::candidatesChanged, this, [this] {
        updateActions();
        rebuildBlendMenu();
    });
    connect(m_set, &CandidateSet::selectionChanged, this, [this] {
        showCentralPage();
        updateActions();
        rebuildBlendMenu();
    });
    connect(m_set, &CandidateSet::candidateChanged, this, [this](int position) {
        if (position == m_set->selected())
            showCentralPage();  // refreshes the split view's "after" image
    });
    connect(m_set, &CandidateSet::composedImagesChanged, this, [this] {
        if (m_pages->currentIndex() == SplitPage)
            showCentralPage();  // the faces' picks, as the grid shows them
    });
    loadSettings();
    updateTitle();
    updateActions();
    updateDeviceAndEstimate();
    if (!m_settings->hasModels())
        m_banner->showMessage(tr("No model is installed, so photos cannot be enhanced yet. "
                                 "See Help > About Refine for where models go."),
                              InlineBanner::Kind::Warning, 0);
}

MainWindow::~MainWindow()
{
    m_controller->shutdown();
}

void MainWindow::buildCentralArea()
{
    m_pages = new QStackedWidget;
    m_empty = new EmptyState;
    m_grid = new CandidateGrid(m_set, m_sync);
    m_split = new SplitView(m_sync);
    m_pages->insertWidget(EmptyPage, m_empty);
    m_pages->insertWidget(GridPage, m_grid);
    m_pages->insertWidget(SplitPage, m_split);
    m_banner = new InlineBanner;
    m_alternatives = new AlternativesStrip;

    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(m_banner);
    layout->addWidget(m_pages, 1);
    layout->addWidget(m_alternatives);
    setCentralWidget(central);
    m_dropOverlay = new DropOverlay(this);

    connect(m_empty, &EmptyState::openRequested, this, &MainWindow::openDialog);
    connect(m_grid, &CandidateGrid::regionSelected, this, [this] { updateActions(); });
    connect(m_grid, &CandidateGrid::regionCleared, this, [this] { updateActions(); });
    connect(m_grid, &CandidateGrid::detailChosen, this, &MainWindow::setCandidateDetail);
    connect(m_grid, &CandidateGrid::brushDiameterChanged, this,
            [this](double diameter) { showStatus(tr("Brush %1 px").arg(qRound(diameter)), 2000); });
    connect(m_alternatives, &AlternativesStrip::alternativeChosen, this, &MainWindow::chooseAlternative);
    connect(m_alternatives, &AlternativesStrip::moreRequested, this,
            [this] { m_stripShowsRepair ? repairPaintedArea() : resampleRegion(); });
    connect(m_alternatives, &AlternativesStrip::closeRequested, m_alternatives, &QWidget::hide);
}

void MainWindow::buildDocks()
{
    m_queue = new QueuePanel;
    auto* queueDock = new QDockWidget(tr("Queue"), this);
    queueDock->setObjectName(QStringLiteral("QueueDock"));
    queueDock->setWidget(m_queue);
    addDockWidget(Qt::LeftDockWidgetArea, queueDock);
    connect(m_queue, &QueuePanel::currentFileChanged, this, &MainWindow::onQueueSelection);
    connect(m_queue, &QueuePanel::countChanged, this, [this] { updateActions(); });

    m_settings = new SettingsPanel;
    m_enhanceButton = new QPushButton(tr("Enhance"));
    m_enhanceButton->setToolTip(tr("Make the candidates (Ctrl+Return)"));
    m_enhanceButton->setDefault(true);
    m_enhanceButton->setMinimumHeight(m_enhanceButton->sizeHint().height() * 3 / 2);
    m_cancelButton = new QPushButton(tr("Cancel"));
    m_cancelButton->setToolTip(tr("Stop the running job (Esc); finished candidates are kept"));
    connect(m_enhanceButton, &QPushButton::clicked, this, &MainWindow::enhance);
    connect(m_cancelButton, &QPushButton::clicked, this, &MainWindow::cancel);

    auto* panel = new QWidget;
    panel->setMinimumWidth(300);  // room for the preset names and the model card's name
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 6, 6);
    auto* scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("SettingsScroll"));
    scroll->setWidget(m_settings);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_enhanceButton);
    layout->addWidget(m_cancelButton);
    auto* settingsDock = new QDockWidget(tr("Settings"), this);
    settingsDock->setObjectName(QStringLiteral("SettingsDock"));
    settingsDock->setWidget(panel);
    addDockWidget(Qt::RightDockWidgetArea, settingsDock);
}

void MainWindow::buildStatusBar()
{
    m_progressLabel = new QLabel;
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(260);
    m_progress->setToolTip(tr("Progress of the running job"));
    statusBar()->addPermanentWidget(m_progressLabel);
    statusBar()->addPermanentWidget(m_progress);
    m_progress->hide();
    m_progressLabel->hide();
}

void MainWindow::showCentralPage()
{
    if (!m_set->hasPhoto()) {
        m_pages->setCurrentIndex(EmptyPage);
        return;
    }
    const int selected = m_set->selected();
    const bool split = m_splitAction && m_splitAction->isChecked() && m_set->isResult(selected) && !m_set->isRefining();
    if (split) {
        m_split->setOriginal(m_set->original());
        m_split->setImage(m_set->shownImage(selected));
        m_split->setContentSize(m_set->outputSize());
        m_split->setLabels(tr("Original (bicubic)"), resultName(selected));
    }
    m_pages->setCurrentIndex(split ? SplitPage : GridPage);
}

void MainWindow::setSplitViewShown(bool shown)
{
    if (m_splitAction->isChecked() != shown)
        m_splitAction->setChecked(shown);  // toggles back into this slot
    else {
        if (shown) {  // regions are drawn on the grid
            m_regionModeAction->setChecked(false);
            m_brushModeAction->setChecked(false);
        }
        showCentralPage();
        saveSettings();
    }
}

void MainWindow::setUncertaintyShown(bool shown)
{
    if (m_uncertaintyAction->isChecked() != shown) {
        m_uncertaintyAction->setChecked(shown);
        return;
    }
    m_grid->setUncertaintyVisible(shown);
    saveSettings();
}

void MainWindow::updateTitle(int percent)
{
    QString title = m_set->hasPhoto() ? QFileInfo(m_set->path()).fileName() + QStringLiteral(" — Refine")
                                      : QStringLiteral("Refine");
    if (percent >= 0) {
        title = QStringLiteral("[%1%] ").arg(percent) + title;
        m_taskbar->setProgress(percent / 100.0);
    } else {
        m_taskbar->clear();
    }
    setWindowTitle(title);
}

void MainWindow::updateDeviceAndEstimate()
{
    const ModelInfo* model = m_settings->currentModel();
    if (!model) {
        m_settings->setEstimate(tr("No model installed."));
        return;
    }
    m_estimator.setKey(QString::fromStdString(model->id) + (m_gpu ? QStringLiteral("/gpu") : QStringLiteral("/cpu")));
    if (!m_set->hasPhoto()) {
        m_settings->setEstimate(tr("Open a photo to see how long it will take."));
        return;
    }
    const EnhanceSettings s = m_settings->settings();
    const EnhanceRequest request = s.toRequest({}, 0);
    const JobSize size{m_set->input().width, m_set->input().height, s.scale, model->nativeScale,
                       isCleanOnly(request, *model) ? 0 : s.candidates, resolvedPreset(request, *model).steps,
                       model->hasCleanUpscale()};
    // Until a job has been timed here, the model's arithmetic at the device's usual speed.
    const double flops = Engine::estimateJobFlops(*model, size.inputWidth, size.inputHeight, size.scale,
                                                  std::max(1, size.candidates), size.steps);
    const QString estimate = TimeEstimator::describe(m_estimator.estimateSeconds(size, m_gpu, flops));
    QString basis = tr("%1×%2 → %3×%4").arg(size.inputWidth).arg(size.inputHeight)
                        .arg(size.inputWidth * s.scale).arg(size.inputHeight * s.scale);
    if (!m_estimator.isCalibrated())
        basis = flops > 0 ? tr("from the model's size; the first job refines it")
                          : tr("a cautious first guess; it learns from the first job");
    QString text = tr("Estimated time: %1 (%2)").arg(estimate, basis);
    const MemoryCheck memory = memoryCheckOf(request, m_set->input().width, m_set->input().height, *model);
    if (memory.known)
        text += QLatin1Char('\n') + (memory.fits ? memory.line : QStringLiteral("⚠ ") + memory.problem);
    m_settings->setEstimate(text);
}

MemoryCheck MainWindow::memoryCheckOf(const EnhanceRequest& request, int inputWidth, int inputHeight,
                                      const ModelInfo& model) const
{
    const JobShape shape = Engine::jobShape(model, request, inputWidth, inputHeight, true);  // the photo is open
    return checkJobMemory(model, shape, m_gpu, m_settings->settings().precisionValue(),
                          m_loadedModelId == QString::fromStdString(model.id));
}

void MainWindow::loadSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        placeOnFirstStart();
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_settings->setSettings(EnhanceSettings::load(settings));
    m_settings->setAdvancedVisible(settings.value(QStringLiteral("view/advanced"), false).toBool());
    m_splitAction->setChecked(settings.value(QStringLiteral("view/split"), false).toBool());
    m_uncertaintyAction->setChecked(settings.value(QStringLiteral("view/uncertainty"), false).toBool());
}

void MainWindow::placeOnFirstStart()
{
    // What the window needs with the whole settings panel in view: its minimum size while the
    // panel's scroll area may not shrink below the panel.
    auto* scroll = findChild<QScrollArea*>(QStringLiteral("SettingsScroll"));
    const int scrollMinimum = scroll->minimumHeight();
    scroll->setMinimumHeight(m_settings->sizeHint().height());
    const QSize needed = minimumSizeHint();
    scroll->setMinimumHeight(scrollMinimum);
    const QScreen* screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    setGeometry(firstStartGeometry(screen ? screen->availableGeometry() : QRect(), needed));
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    m_settings->settings().save(settings);
    settings.setValue(QStringLiteral("view/advanced"), m_settings->isAdvancedVisible());
    settings.setValue(QStringLiteral("view/split"), m_splitAction && m_splitAction->isChecked());
    settings.setValue(QStringLiteral("view/uncertainty"), m_uncertaintyAction && m_uncertaintyAction->isChecked());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    saveSettings();
    m_controller->shutdown();  // cancels a running job and waits for the worker
    event->accept();
}

void MainWindow::changeEvent(QEvent* event)
{
    // The system switched between light and dark: our painted overlays read the palette.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ThemeChange)
        update();
    QMainWindow::changeEvent(event);
}

void MainWindow::keyPressEvent(QKeyEvent* event)
{
    if (!forwardViewKey(event))
        QMainWindow::keyPressEvent(event);
}

void MainWindow::keyReleaseEvent(QKeyEvent* event)
{
    if (!forwardViewKey(event))
        QMainWindow::keyReleaseEvent(event);
}

bool MainWindow::forwardViewKey(QKeyEvent* event)
{
    // Number keys and C (solo), O and backslash (flick to the original) steer the views wherever the
    // focus is, as long as the focused widget did not use them (a spin box keeps its digits).
    QWidget* page = m_pages->currentWidget();
    const int key = event->key();
    const bool viewKey = (key >= Qt::Key_0 && key <= Qt::Key_9) || key == Qt::Key_O || key == Qt::Key_Backslash
                      || key == Qt::Key_C;
    if (m_forwardingKey || !viewKey || (page != m_grid && page != m_split)
        || (event->modifiers() & ~Qt::KeypadModifier))
        return false;
    // The page ignores what it does not handle, and ignored keys travel back up to us: the flag
    // stops that loop.
    m_forwardingKey = true;
    QKeyEvent copy(event->type(), key, event->modifiers(), event->text(), event->isAutoRepeat());
    QCoreApplication::sendEvent(page, &copy);
    m_forwardingKey = false;
    return copy.isAccepted();
}

void MainWindow::reportError(const ErrorText& error)
{
    m_lastError = error.title + QStringLiteral(": ") + error.text;
    statusBar()->showMessage(error.title, 10000);
    if (m_dialogsEnabled)
        showError(this, error);
}

void MainWindow::showStatus(const QString& text, int timeoutMs)
{
    statusBar()->showMessage(text, timeoutMs);
}

QString MainWindow::resultName(int position) const
{
    return position == CandidateSet::kClean ? tr("Clean (most likely)") : tr("Candidate %1").arg(position + 1);
}

QString MainWindow::progressText() const
{
    return m_progressLabel->text();
}

bool MainWindow::isDropOverlayVisible() const
{
    return m_dropOverlay->isVisible();
}

}  // namespace refine::ui
