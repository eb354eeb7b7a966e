#include "widgets/main_window.hpp"

#include "models/app_settings.hpp"
#include "models/script_catalog.hpp"
#include "widgets/latency_chart.hpp"
#include "widgets/preview_widget.hpp"
#include "widgets/script_panel.hpp"
#include "widgets/source_panel.hpp"
#include "widgets/stats_panel.hpp"
#include "widgets/status_line.hpp"

#include <spdlog/spdlog.h>
#include <QCloseEvent>
#include <QGroupBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
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

QString stopped_message() {
    return QObject::tr("Press Start to capture.\nThe preview appears here.");
}

}  // namespace

MainWindow::MainWindow(QSettings& settings, QWidget* parent)
    : QMainWindow(parent),
      settings_(settings),
      runner_(find_sdk().python_path),
      source_panel_(new SourcePanel),
      preview_(new PreviewWidget),
      stats_panel_(new StatsPanel(stats_, clients_)),
      chart_(new LatencyChart),
      script_panel_(new ScriptPanel(runner_, example_scripts(find_sdk().examples_dir))),
      status_line_(new StatusLine) {
    setWindowTitle(tr("FrameBridge"));
    preview_->show_message(stopped_message());

    QSplitter* numbers =
        splitter(Qt::Vertical, {group(tr("Clients"), stats_panel_), group(tr("Latency"), chart_)},
                 splitters_);
    QSplitter* bottom =
        splitter(Qt::Horizontal, {numbers, group(tr("Python script"), script_panel_)}, splitters_);
    QSplitter* top =
        splitter(Qt::Horizontal,
                 {group(tr("Capture"), source_panel_), group(tr("Preview"), preview_)}, splitters_);
    QSplitter* whole = splitter(Qt::Vertical, {top, bottom}, splitters_);
    setCentralWidget(whole);
    whole->setSizes({420, 480});  // until the user's own layout is restored below
    numbers->setSizes({210, 270});
    top->setStretchFactor(1, 1);
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 2);
    statusBar()->addPermanentWidget(status_line_, 1);

    connect(source_panel_, &SourcePanel::start_requested, this, &MainWindow::start_capture);
    connect(source_panel_, &SourcePanel::stop_requested, &controller_, &CaptureController::stop);
    connect(&controller_, &CaptureController::state_changed, this, &MainWindow::on_state_changed);
    connect(&controller_, &CaptureController::failed, source_panel_, &SourcePanel::show_error);
    FramePoller& poller = controller_.poller();
    connect(&poller, &FramePoller::frame_ready, preview_, &PreviewWidget::show_frame);
    connect(&poller, &FramePoller::stats_ready, this, &MainWindow::on_stats);
    connect(preview_, &PreviewWidget::target_size_changed, &poller, &FramePoller::set_preview_size);
    poller.set_preview_size(preview_->target_size());

    source_panel_->set_form(load_form(settings_));
    script_panel_->set_choice(load_script(settings_));
    const WindowLayout layout = load_layout(settings_);
    if (layout.geometry.isEmpty() || !restoreGeometry(layout.geometry)) {
        resize(1280, 860);
    }
    for (int i = 0; i < splitters_.size() && i < layout.splitters.size(); ++i) {
        splitters_[i]->restoreState(layout.splitters[i]);
    }
    clock_.start();
}

MainWindow::~MainWindow() {
    // Here, not in their destructors, so that the window still takes their last signals.
    runner_.stop_and_wait();
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

void MainWindow::closeEvent(QCloseEvent* event) {
    runner_.stop_and_wait();
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
        preview_frames_at_start_ = preview_->frames_shown();
        running_.start();
        status_line_->show_running(controller_.info());
        script_panel_->set_port(controller_.info().port);
        if (std::exchange(run_script_when_running_, false)) {
            script_panel_->run();
        }
        preview_->show_message(tr("Waiting for the first frame…"));
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
        clients_.set_clients({});
        history_.clear();
        chart_->show_history(history_, 0);
        break;
    }
}

void MainWindow::on_stats(const app::PipelineStats& stats) {
    stats_.set_stats(stats);
    stats_.set_preview_fps(preview_->frames_per_second());
    clients_.set_clients(stats.clients);
    const double now_s = static_cast<double>(clock_.elapsed()) / 1000.0;
    history_.add(now_s, stats.clients);
    chart_->show_history(history_, now_s);
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
    WindowLayout layout{saveGeometry(), {}};
    for (const QSplitter* split : splitters_) {
        layout.splitters.append(split->saveState());
    }
    save_layout(settings_, layout);
    settings_.sync();
}

}  // namespace framebridge::ui
