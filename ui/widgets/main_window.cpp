#include "widgets/main_window.hpp"

#include "models/app_settings.hpp"
#include "models/recent_scripts.hpp"
#include "models/recording_text.hpp"
#include "models/script_catalog.hpp"
#include "models/stream_state_text.hpp"
#include "widgets/latency_chart.hpp"
#include "widgets/preview_widget.hpp"
#include "widgets/script_panel.hpp"
#include "widgets/source_panel.hpp"
#include "widgets/stats_panel.hpp"
#include "widgets/status_line.hpp"
#include "widgets/stream_picker.hpp"

#include <spdlog/spdlog.h>
#include <QAction>
#include <QActionGroup>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>
#include <utility>

namespace framebridge::ui {

namespace {

QGroupBox* group(const QString& title, QWidget* content) {
    auto* box = new QGroupBox(title);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(content);
    return box;
}

QSplitter* splitter(Qt::Orientation orientation, std::initializer_list<QWidget*> parts,
                    QList<QSplitter*>& all) {
    auto* split = new QSplitter(orientation);
    for (QWidget* part : parts) {
        split->addWidget(part);
    }
    split->setChildrenCollapsible(false);
    all.append(split);
    return split;
}

QScrollArea* scrolled(QWidget* content) {
    auto* area = new QScrollArea;
    area->setObjectName("preview_area");
    area->setWidget(content);
    area->setWidgetResizable(true);  // the content fills the area, or scrolls when it is larger
    area->setFrameShape(QFrame::NoFrame);
    area->setAlignment(Qt::AlignCenter);
    return area;
}

QString stopped_message() {
    return QObject::tr("Press Start to capture.\nThe preview appears here.");
}

}  // namespace

MainWindow::MainWindow(QSettings& settings, QWidget* parent)
    : QMainWindow(parent),
      settings_(settings),
      scripts_(find_sdk().python_path),
      source_panel_(new SourcePanel),
      preview_(new PreviewWidget),
      stream_picker_(new StreamPicker),
      stats_panel_(new StatsPanel(stats_, streams_, clients_)),
      chart_(new LatencyChart),
      script_panel_(new ScriptPanel(scripts_, example_scripts(find_sdk().examples_dir))),
      status_line_(new StatusLine),
      record_indicator_(new QLabel),
      record_timer_(new QTimer(this)) {
    setWindowTitle(tr("FrameBridge"));
    preview_->show_message(stopped_message());

    QSplitter* numbers = splitter(
        Qt::Vertical,
        {group(tr("Streams and clients"), stats_panel_), group(tr("Latency"), latency_plot())},
        splitters_);
    QSplitter* bottom =
        splitter(Qt::Horizontal, {numbers, group(tr("Python script"), script_panel_)}, splitters_);
    QGroupBox* capture_group = group(tr("Capture"), source_panel_);
    QScrollArea* preview_area = scrolled(preview_);
    auto* picker_and_preview = new QWidget;
    auto* preview_layout = new QVBoxLayout(picker_and_preview);
    preview_layout->setContentsMargins(0, 0, 0, 0);
    preview_layout->addWidget(stream_picker_);
    preview_layout->addWidget(preview_area, 1);
    QSplitter* top = splitter(
        Qt::Horizontal, {capture_group, group(tr("Preview"), picker_and_preview)}, splitters_);
    beside_preview_ = {capture_group, bottom, stream_picker_};
    QSplitter* whole = splitter(Qt::Vertical, {top, bottom}, splitters_);
    setCentralWidget(whole);
    whole->setSizes({420, 480});  // until the user's own layout is restored below
    numbers->setSizes({210, 270});
    top->setStretchFactor(1, 1);
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 2);
    statusBar()->addPermanentWidget(status_line_, 1);
    record_indicator_->setObjectName("record_indicator");
    record_indicator_->setStyleSheet("color: #c62828; font-weight: bold;");
    record_indicator_->hide();
    statusBar()->addPermanentWidget(record_indicator_);
    record_timer_->setInterval(500);
    connect(record_timer_, &QTimer::timeout, this, &MainWindow::show_recording);
    make_menus();
    snapshot_dir_ = QDir(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
                        .filePath("FrameBridge");
    connect(preview_, &PreviewWidget::double_clicked, this,
            [this] { set_preview_full_screen(!full_screen_); });
    connect(preview_, &PreviewWidget::dragged, preview_area, [preview_area](QPoint distance) {
        // The image follows the mouse, so the view moves the other way.
        QScrollBar* across = preview_area->horizontalScrollBar();
        QScrollBar* down = preview_area->verticalScrollBar();
        across->setValue(across->value() - distance.x());
        down->setValue(down->value() - distance.y());
    });

    connect(source_panel_, &SourcePanel::start_requested, this, &MainWindow::start_capture);
    connect(source_panel_, &SourcePanel::apply_requested, this, &MainWindow::switch_capture);
    connect(source_panel_, &SourcePanel::play_again_requested, this, &MainWindow::switch_capture);
    connect(source_panel_, &SourcePanel::stop_requested, this, &MainWindow::stop_capture);
    connect(&controller_, &CaptureController::switched, this, &MainWindow::on_running);
    connect(&controller_, &CaptureController::state_changed, this, &MainWindow::on_state_changed);
    connect(&controller_, &CaptureController::failed, source_panel_, &SourcePanel::show_error);
    // However it stops (Ctrl+R, Stop, a new source, closing): the indicator goes, the file is
    // named.
    connect(&controller_, &CaptureController::recording_stopped, this,
            [this](const app::RecordStats& stats) {
                record_timer_->stop();
                record_indicator_->hide();
                record_action_->setChecked(false);
                statusBar()->showMessage(recorded_text(stats), 15000);
            });
    FramePoller& poller = controller_.poller();
    connect(&poller, &FramePoller::frame_ready, preview_, &PreviewWidget::show_frame);
    connect(&poller, &FramePoller::stats_ready, this, &MainWindow::on_stats);
    connect(&controller_, &CaptureController::results_arrived, preview_,
            [this] { preview_->add_results(controller_.take_results()); });
    connect(preview_, &PreviewWidget::target_size_changed, &poller, &FramePoller::set_preview_size);
    connect(stream_picker_, &StreamPicker::picked, this, &MainWindow::on_stream_picked);
    poller.set_preview_size(preview_->target_size());

    source_panel_->set_form(load_form(settings_));
    script_panel_->set_choice(load_script(settings_));
    script_panel_->set_recent(load_recent_scripts(settings_));
    connect(script_panel_, &ScriptPanel::recent_changed, this,
            [this](const QStringList& recent) { save_recent_scripts(settings_, recent); });
    const WindowLayout layout = load_layout(settings_);
    if (layout.geometry.isEmpty() || !restoreGeometry(layout.geometry)) {
        resize(1280, 860);
    }
    for (int i = 0; i < splitters_.size() && i < layout.splitters.size(); ++i) {
        splitters_[i]->restoreState(layout.splitters[i]);
    }
    // Space starts and stops unless a text field has the focus: it starts on the preview.
    preview_->setFocus();
    clock_.start();
}

MainWindow::~MainWindow() {
    // Here, not in their destructors, so that the window still takes their last signals.
    scripts_.stop_all_and_wait();
    controller_.shutdown();
}

void MainWindow::apply_options(const AppOptions& options) {
    source_panel_->set_form(ui::apply_options(source_panel_->form(), options));
    controller_.set_stats_log_interval(options.server.stats_every_s);
    if (!options.script.empty()) {
        ScriptChoice script = script_panel_->choice();
        script.path = QString::fromStdString(options.script);
        if (options.given.count("--script-args") > 0) {
            script.arguments = QString::fromStdString(options.script_args);
        }
        script_panel_->set_choice(script);
        run_script_when_running_ = true;
    }
}

void MainWindow::start_capture() {
    controller_.start(source_panel_->form());
}

void MainWindow::make_menus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* snapshot = file->addAction(tr("Save &snapshot"), this, [this] { save_snapshot(); });
    snapshot->setShortcut(QKeySequence::Save);
    snapshot->setObjectName("snapshot_action");
    record_action_ =
        file->addAction(tr("&Record the preview…"), this, &MainWindow::toggle_recording);
    record_action_->setCheckable(true);
    record_action_->setShortcut(Qt::CTRL | Qt::Key_R);
    record_action_->setObjectName("record_action");
    record_action_->setToolTip(
        tr("Record the stream previewed to a video file (Ctrl+R); "
           "Ctrl+R again stops"));
    recent_menu_ = file->addMenu(tr("Run &recent script"));
    recent_menu_->setObjectName("recent_scripts_menu");
    recent_menu_->setToolTipsVisible(true);
    connect(recent_menu_, &QMenu::aboutToShow, this, &MainWindow::fill_recent_menu);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setObjectName("quit_action");

    QMenu* capture = menuBar()->addMenu(tr("&Capture"));
    QAction* toggle = capture->addAction(tr("&Start or stop"), this, [this] {
        if (controller_.state() == CaptureController::State::Stopped) {
            start_capture();
        } else {
            stop_capture();
        }
    });
    toggle->setShortcut(Qt::Key_Space);  // line edits keep their spaces: they take it first
    toggle->setObjectName("start_stop_action");
    QAction* apply = capture->addAction(tr("&Apply the form"), this, &MainWindow::switch_capture);
    apply->setShortcut(Qt::CTRL | Qt::Key_Return);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* full = view->addAction(tr("&Full screen preview"), this,
                                    [this] { set_preview_full_screen(!full_screen_); });
    full->setShortcut(Qt::Key_F11);
    full->setObjectName("full_screen_action");
    QAction* overlay = view->addAction(tr("Show size, fps and frame &number"));
    overlay->setCheckable(true);
    overlay->setShortcut(Qt::CTRL | Qt::Key_I);
    overlay->setObjectName("overlay_action");
    connect(overlay, &QAction::toggled, preview_, &PreviewWidget::set_overlay);
    view->addSeparator();
    zoom_fit_ = view->addAction(tr("&Fit the preview"), this,
                                [this] { set_preview_zoom(PreviewWidget::Zoom::Fit); });
    zoom_fit_->setShortcut(Qt::CTRL | Qt::Key_0);
    zoom_fit_->setObjectName("zoom_fit_action");
    zoom_actual_ = view->addAction(tr("&Actual pixels (1:1)"), this,
                                   [this] { set_preview_zoom(PreviewWidget::Zoom::Actual); });
    zoom_actual_->setShortcut(Qt::CTRL | Qt::Key_1);
    zoom_actual_->setObjectName("zoom_actual_action");
    auto* zooms = new QActionGroup(this);
    for (QAction* zoom : {zoom_fit_, zoom_actual_}) {
        zoom->setCheckable(true);
        zooms->addAction(zoom);
    }
    zoom_fit_->setChecked(true);
    // The menu bar hides in full screen; its shortcuts must still work.
    const QList<QAction*> shortcuts{snapshot, quit,           toggle,    full,
                                    overlay,  record_action_, zoom_fit_, zoom_actual_};
    addActions(shortcuts);
    for (QAction* action : shortcuts) {
        action->setShortcutContext(Qt::WindowShortcut);
    }
}

void MainWindow::fill_recent_menu() {
    recent_menu_->clear();
    const QList<RecentScriptEntry> entries = recent_script_entries(script_panel_->recent());
    for (const RecentScriptEntry& entry : entries) {
        QAction* action = recent_menu_->addAction(
            entry.text, this, [this, path = entry.path] { script_panel_->run_script(path); });
        action->setEnabled(entry.exists);
        action->setToolTip(entry.path);
        action->setStatusTip(entry.path);
    }
    if (entries.isEmpty()) {
        recent_menu_->addAction(tr("No script run yet"))->setEnabled(false);
        return;
    }
    recent_menu_->addSeparator();
    recent_menu_->addAction(tr("&Clear the list"), this, [this] {
        script_panel_->set_recent({});
        save_recent_scripts(settings_, {});
    });
}

void MainWindow::set_preview_zoom(PreviewWidget::Zoom zoom) {
    preview_->set_zoom(zoom);
    (zoom == PreviewWidget::Zoom::Actual ? zoom_actual_ : zoom_fit_)->setChecked(true);
}

QString MainWindow::save_snapshot() {
    const std::optional<Snapshot> frame = controller_.snapshot(stream_choices_.preview_stream());
    if (!frame) {
        statusBar()->showMessage(tr("No frame to save: start the capture first."), 5000);
        return {};
    }
    try {
        const QString path = ui::save_snapshot(*frame, snapshot_dir_, QDateTime::currentDateTime());
        statusBar()->showMessage(tr("Saved frame %1 as %2").arg(frame->seq).arg(path), 8000);
        return path;
    } catch (const std::exception& e) {
        statusBar()->showMessage(tr("Could not save the snapshot: %1").arg(e.what()), 8000);
        return {};
    }
}

void MainWindow::toggle_recording() {
    if (controller_.recording()) {
        stop_recording();
        return;
    }
    record_action_->setChecked(false);  // until a recording starts
    if (controller_.state() != CaptureController::State::Running) {
        statusBar()->showMessage(tr("Nothing to record: start the capture first."), 5000);
        return;
    }
    QString folder = QStandardPaths::writableLocation(QStandardPaths::MoviesLocation);
    if (folder.isEmpty() || !QDir().mkpath(folder)) {
        folder = QDir::homePath();
    }
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Record the preview to"),
                                     default_recording_path(folder, QDateTime::currentDateTime()),
                                     tr("H.264 video (*.mp4 *.mkv);;MJPEG video (*.avi)"));
    if (!path.isEmpty()) {
        start_recording(path);
    }
}

bool MainWindow::start_recording(const QString& path) {
    app::RecordOptions options;
    options.path = path.toStdString();
    options.stream = stream_choices_.preview_stream();
    try {
        controller_.start_recording(options);
    } catch (const std::exception& e) {
        QMessageBox box(QMessageBox::Warning, tr("Cannot record"),
                        tr("Could not record: %1").arg(e.what()), QMessageBox::Ok, this);
        box.setObjectName("record_error");
        box.exec();
        return false;
    }
    record_action_->setChecked(true);
    show_recording();
    record_indicator_->show();
    record_timer_->start();
    return true;
}

void MainWindow::stop_recording() {
    controller_.stop_recording();
}

void MainWindow::show_recording() {
    const std::optional<app::RecordStats> stats = controller_.recording();
    if (!stats) {
        return;
    }
    if (!stats->running) {  // it ended by itself: its frames changed size
        stop_recording();
        return;
    }
    record_indicator_->setText(recording_text(*stats));
    record_indicator_->setToolTip(
        tr("Recording to %1 with %2; Ctrl+R stops")
            .arg(QString::fromStdString(stats->path), QString::fromStdString(stats->encoder)));
}

void MainWindow::set_preview_full_screen(bool full) {
    if (full == full_screen_) {
        return;
    }
    full_screen_ = full;
    for (QWidget* part : beside_preview_) {
        part->setVisible(!full);
    }
    menuBar()->setVisible(!full);
    statusBar()->setVisible(!full);
    if (full) {
        was_maximized_ = isMaximized();
        showFullScreen();
    } else if (was_maximized_) {
        showMaximized();
    } else {
        showNormal();
    }
}

void MainWindow::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape && full_screen_) {
        set_preview_full_screen(false);
        return;
    }
    QMainWindow::keyPressEvent(event);
}

void MainWindow::switch_capture() {
    controller_.switch_to(source_panel_->form());
}

void MainWindow::stop_capture() {
    if (const int running = scripts_.running_count(); running > 0) {
        const QString text =
            running == 1 ? tr("A script is running. Stopping the capture ends it too, unless it "
                              "waits for the next capture (reconnect=True).")
                         : tr("%1 scripts are running. Stopping the capture ends them too, "
                              "except those that wait for the next capture (reconnect=True).")
                               .arg(running);
        QMessageBox ask(QMessageBox::Question, tr("Stop capture"), text, QMessageBox::NoButton,
                        this);
        ask.setObjectName("stop_question");
        QPushButton* both = ask.addButton(
            running == 1 ? tr("Stop capture and script") : tr("Stop capture and scripts"),
            QMessageBox::AcceptRole);
        both->setObjectName("stop_both");
        QPushButton* capture = ask.addButton(tr("Stop capture only"), QMessageBox::AcceptRole);
        capture->setObjectName("stop_capture_only");
        ask.addButton(QMessageBox::Cancel);
        ask.setDefaultButton(both);
        ask.exec();
        if (ask.clickedButton() == both) {
            scripts_.stop_all_and_wait();
        } else if (ask.clickedButton() != capture) {
            return;
        }
    }
    controller_.stop();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    scripts_.stop_all_and_wait();
    controller_.shutdown();
    save_settings();
    event->accept();
}

void MainWindow::on_state_changed(CaptureController::State state) {
    source_panel_->set_state(state);
    switch (state) {
    case CaptureController::State::Starting:
        status_line_->show_state(tr("Starting…"));
        preview_->show_message(tr("Starting…"));
        break;
    case CaptureController::State::Running:
        if (!running_.isValid()) {
            preview_frames_at_start_ = preview_->frames_shown();
            running_.start();
            history_.begin_run();
            result_history_.begin_run();
            on_running();
            if (std::exchange(run_script_when_running_, false)) {
                script_panel_->run();
            }
            preview_->show_message(tr("Waiting for the first frame…"));
        }
        break;
    case CaptureController::State::Switching:
        status_line_->show_state(tr("Opening the new source; still serving the old one…"));
        break;
    case CaptureController::State::Stopping:
        status_line_->show_state(tr("Stopping…"));
        break;
    case CaptureController::State::Stopped:
        log_preview_rate();
        status_line_->show_state(tr("Stopped"));
        script_panel_->set_port(std::nullopt);
        preview_->show_message(stopped_message());
        stats_.clear();
        streams_.set_streams({});
        clients_.set_clients({}, clock_.elapsed());
        // The next capture starts on its first stream: it is a new server.
        stream_choices_.clear();
        follow_preview_stream();
        stream_picker_->show_choices(stream_choices_);
        break;
    }
}

void MainWindow::on_running() {
    stream_state_ = protocol::StreamState::Live;
    status_line_->show_running(controller_.info());
    script_panel_->set_port(controller_.info().port);
    source_panel_->show_note(ignored_settings_note(source_panel_->form()));
}

void MainWindow::on_stream_state(protocol::StreamState state) {
    if (state == stream_state_) {
        return;
    }
    stream_state_ = state;
    const QString text = stream_state_text(state, controller_.info().source);
    if (text.isEmpty()) {
        status_line_->show_running(controller_.info());
    } else {
        status_line_->show_stream_state(text);
    }
    source_panel_->show_ended(state == protocol::StreamState::Ended);
}

void MainWindow::on_stats(const app::PipelineStats& stats) {
    on_stream_state(stats.capture.state);
    stats_.set_stats(stats);
    stats_.set_preview_fps(preview_->frames_per_second());
    streams_.set_streams(stats.streams);
    const double now_s = static_cast<double>(clock_.elapsed()) / 1000.0;
    clients_.set_clients(stats.clients, clock_.elapsed());
    switch (stream_choices_.update(stats.streams)) {
    case StreamChoices::Change::Ended:
        // Set again so that an image of it still on its way is dropped, not shown over this.
        follow_preview_stream();
        preview_->show_message(stream_choices_.ended_message());
        break;
    case StreamChoices::Change::Restarted:
        follow_preview_stream();  // its frame numbers start again: older results are not its
        break;
    case StreamChoices::Change::None:
        break;
    }
    stream_picker_->show_choices(stream_choices_);
    history_.add(now_s, stats.clients);
    result_history_.add(now_s, stats.clients);
    show_latency();
}

void MainWindow::on_stream_picked(const QString& name) {
    stream_choices_.choose(name);
    follow_preview_stream();
    preview_->show_message(tr("Waiting for a frame of '%1'…").arg(name));
    stream_picker_->show_choices(stream_choices_);
}

void MainWindow::follow_preview_stream() {
    controller_.set_preview_stream(stream_choices_.preview_stream());
    preview_->clear_results();
}

QWidget* MainWindow::latency_plot() {
    auto* measure = new QComboBox;
    measure->setObjectName("latency_measure");
    measure->addItem(tr("Publish → ready"), static_cast<int>(LatencyMeasure::Ready));
    measure->addItem(tr("Capture → result"), static_cast<int>(LatencyMeasure::ToResult));
    measure->setToolTip(
        tr("Publish → ready: from a frame's publication to the client having it. Capture → "
           "result: from a frame's capture to the server having a client's result about it, the "
           "whole loop of a script that sends results."));
    connect(measure, QOverload<int>::of(&QComboBox::currentIndexChanged), this, [this, measure] {
        plotted_ = static_cast<LatencyMeasure>(measure->currentData().toInt());
        show_latency();
    });
    auto* plot = new QWidget;
    auto* layout = new QVBoxLayout(plot);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* choice = new QHBoxLayout;
    auto* label = new QLabel(tr("&Plot:"));
    label->setBuddy(measure);
    choice->addWidget(label);
    choice->addWidget(measure);
    choice->addStretch(1);
    layout->addLayout(choice);
    layout->addWidget(chart_, 1);
    return plot;
}

void MainWindow::show_latency() {
    const double now_s = static_cast<double>(clock_.elapsed()) / 1000.0;
    chart_->show_history(plotted_ == LatencyMeasure::Ready ? history_ : result_history_, now_s);
}

void MainWindow::log_preview_rate() {
    if (!running_.isValid()) {
        return;  // it never ran
    }
    const auto frames = preview_->frames_shown() - preview_frames_at_start_;
    const double seconds = static_cast<double>(running_.elapsed()) / 1000.0;
    spdlog::info("preview showed {} frames in {:.1f} s ({:.1f} fps)", frames, seconds,
                 seconds > 0 ? static_cast<double>(frames) / seconds : 0.0);
    running_.invalidate();
}

void MainWindow::save_settings() {
    save_form(settings_, source_panel_->form());
    save_script(settings_, script_panel_->choice());
    save_recent_scripts(settings_, script_panel_->recent());
    WindowLayout layout{saveGeometry(), {}};
    for (const QSplitter* split : splitters_) {
        layout.splitters.append(split->saveState());
    }
    save_layout(settings_, layout);
    settings_.sync();
}

}  // namespace framebridge::ui
