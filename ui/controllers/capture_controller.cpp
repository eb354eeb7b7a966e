#include "controllers/capture_controller.hpp"

#include "framebridge/app/stats/stats_report.hpp"
#include "framebridge/shm/shared_segment.hpp"
#include "models/byte_size.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <QtConcurrent/QtConcurrentRun>

namespace framebridge::ui {

QString start_error_text(const std::string& what, const QString& doing) {
    // Flags stay as typed: a hint such as "framebridge-server --list-cameras" is a command.
    QString text = QString::fromStdString(what).trimmed();
    if (!text.endsWith('.')) {
        text += '.';
    }
    return "Could not " + doing + ": " + text;
}

CaptureController::CaptureController(QObject* parent) : QObject(parent) {
    connect(&starting_, &QFutureWatcher<StartResult>::finished, this,
            &CaptureController::on_start_finished);
    connect(&switching_, &QFutureWatcher<QString>::finished, this,
            &CaptureController::on_switch_finished);
    connect(&stats_log_timer_, &QTimer::timeout, this, &CaptureController::log_stats);
}

CaptureController::~CaptureController() {
    blockSignals(true);  // whoever listens may be half destroyed by now
    shutdown();
}

void CaptureController::start(const CaptureForm& form) {
    if (state_ != State::Stopped) {
        return;
    }
    app::PipelineConfig config;
    try {
        config = to_pipeline_config(form);
    } catch (const std::exception& e) {
        Q_EMIT failed(start_error_text(e.what()));
        return;
    }
    rtsp_port_ = form.rtsp_port;
#ifdef FRAMEBRIDGE_HAVE_RTSP
    rtsp_config_.listen_address = config.listen_address;
    rtsp_config_.token = config.token;
#endif
    set_state(State::Starting);
    starting_.setFuture(QtConcurrent::run([config] {
        StartResult result;
        try {
            result.pipeline = std::make_shared<app::Pipeline>(config);
        } catch (const std::exception& e) {
            result.error = QString::fromStdString(e.what());
        }
        return result;
    }));
}

void CaptureController::on_start_finished() {
    if (state_ != State::Starting && state_ != State::Stopping) {
        return;  // shutdown() has dealt with this start already
    }
    StartResult result = starting_.result();
    if (state_ == State::Stopping) {
        if (result.pipeline) {
            result.pipeline->stop();
        }
        set_state(State::Stopped);
        Q_EMIT stopped();
        return;
    }
    if (!result.pipeline) {
        spdlog::error("cannot start: {}", result.error.toStdString());
        set_state(State::Stopped);
        Q_EMIT failed(start_error_text(result.error.toStdString()));
        return;
    }
    pipeline_ = std::move(result.pipeline);
    take_info();
    watch_results();
    poller_.attach(*pipeline_);
    set_state(State::Running);
    Q_EMIT started();
    start_rtsp();
}

void CaptureController::switch_to(const CaptureForm& form) {
    if (state_ != State::Running) {
        return;
    }
    app::PipelineConfig config;
    try {
        config = to_pipeline_config(form);
    } catch (const std::exception& e) {
        Q_EMIT failed(start_error_text(e.what(), "switch the source"));
        return;
    }
    poller_.detach();  // no preview frame may be held across the switch
    stop_recording();
    stop_rtsp();
    set_state(State::Switching);
    switching_.setFuture(QtConcurrent::run([pipeline = pipeline_, config] {
        try {
            pipeline->switch_source(config);
            return QString();
        } catch (const std::exception& e) {
            return QString::fromStdString(e.what());
        }
    }));
}

void CaptureController::on_switch_finished() {
    if (state_ != State::Switching) {
        return;  // shutdown() has dealt with this switch already
    }
    const QString error = switching_.result();
    take_info();
    poller_.attach(*pipeline_);
    set_state(State::Running);
    if (error.isEmpty()) {
        Q_EMIT switched();
    } else {
        Q_EMIT failed(start_error_text(error.toStdString(), "switch the source") +
                      " Still serving " + info_.source + ".");
    }
    start_rtsp();
}

void CaptureController::stop() {
    if (state_ == State::Switching) {
        switching_.waitForFinished();
        on_switch_finished();
    }
    if (state_ == State::Starting) {
        set_state(State::Stopping);
        return;
    }
    if (state_ != State::Running) {
        return;
    }
    poller_.detach();  // first: no preview frame may be held once the pipeline stops
    stop_recording();
    log_stats();
    stop_rtsp();
    pipeline_->stop();
    spdlog::info("stopped; stream '{}' removed", info_.segment.toStdString());
    pipeline_.reset();
    info_ = {};
    set_state(State::Stopped);
    Q_EMIT stopped();
}

void CaptureController::shutdown() {
    if (state_ == State::Switching) {
        switching_.waitForFinished();
        on_switch_finished();
    }
    if (state_ == State::Starting || state_ == State::Stopping) {
        starting_.waitForFinished();
        set_state(State::Stopping);
        on_start_finished();
    }
    stop();
}

std::optional<Snapshot> CaptureController::snapshot(const std::string& stream) {
    if (state_ != State::Running) {
        return std::nullopt;  // while switching, no frame may be held
    }
    const auto frame = pipeline_->lease_newest(stream, 0);
    if (!frame) {
        return std::nullopt;
    }
    return snapshot_of(*frame, stream.empty()
                                   ? info_.source
                                   : tr("stream '%1'").arg(QString::fromStdString(stream)));
}

void CaptureController::start_recording(const app::RecordOptions& options) {
    if (state_ != State::Running) {
        throw std::runtime_error("start the capture first, then record");
    }
    stop_recording();
    recorder_ = std::make_unique<app::Recorder>(*pipeline_, options);
}

void CaptureController::stop_recording() {
    if (!recorder_) {
        return;
    }
    recorder_->stop();
    const app::RecordStats stats = recorder_->stats();
    recorder_.reset();
    Q_EMIT recording_stopped(stats);
}

std::optional<app::RecordStats> CaptureController::recording() const {
    if (!recorder_) {
        return std::nullopt;
    }
    return recorder_->stats();
}

void CaptureController::set_preview_stream(const std::string& stream) {
    poller_.set_stream(stream);
    results_.follow(stream);
}

void CaptureController::watch_results() {
    const std::vector<app::StreamInfo> streams = pipeline_->streams();
    results_.set_first_stream(streams.empty() ? std::string() : streams.front().name);
    // On the server's network thread: a copy into the inbox, and a queued wake-up when it was
    // empty, so a sender at 1 kHz costs the GUI one wake-up per batch.
    pipeline_->on_result([this](const app::ResultEvent& event) {
        if (results_.put(event)) {
            QMetaObject::invokeMethod(
                this, [this] { Q_EMIT results_arrived(); }, Qt::QueuedConnection);
        }
    });
}

void CaptureController::take_info() {
    info_.source = QString::fromStdString(pipeline_->source_description());
    info_.fps = pipeline_->capture_fps();
    info_.segment = QString::fromStdString(shm::SharedSegment::location(pipeline_->segment_name()));
    info_.segment_bytes = pipeline_->segment_size();
    info_.port = pipeline_->port();
    spdlog::info("serving {} at {} on {} as stream '{}' ({} in shared memory)",
                 pipeline_->source_description(),
                 info_.fps > 0 ? fmt::format("{:g} fps", info_.fps) : "the source's own pace",
                 pipeline_->endpoint(), pipeline_->segment_name(),
                 byte_size_text(info_.segment_bytes).toStdString());
}

void CaptureController::set_stats_log_interval(double seconds) {
    if (seconds > 0) {
        stats_log_timer_.start(static_cast<int>(seconds * 1000));
    } else {
        stats_log_timer_.stop();
    }
}

void CaptureController::start_rtsp() {
    if (rtsp_port_ == 0) {
        return;
    }
#ifdef FRAMEBRIDGE_HAVE_RTSP
    rtsp_config_.port = static_cast<std::uint16_t>(rtsp_port_);
    try {
        rtsp_ = std::make_unique<app::RtspServer>(*pipeline_, rtsp_config_);
    } catch (const std::exception& e) {
        Q_EMIT failed(start_error_text(e.what(), "serve RTSP") + " Capture goes on.");
    }
#else
    Q_EMIT failed(
        tr("Could not serve RTSP: this build has no RTSP server (it was built "
           "without libgstrtspserver-1.0-dev). Capture goes on."));
#endif
}

void CaptureController::stop_rtsp() {
#ifdef FRAMEBRIDGE_HAVE_RTSP
    rtsp_.reset();
#endif
}

void CaptureController::set_state(State state) {
    state_ = state;
    Q_EMIT state_changed(state);
}

void CaptureController::log_stats() const {
    if (pipeline_) {
        for (const std::string& line : app::format_stats(pipeline_->stats())) {
            spdlog::info("{}", line);
        }
    }
#ifdef FRAMEBRIDGE_HAVE_RTSP
    if (rtsp_) {
        spdlog::info("{}", app::format_rtsp_stats(rtsp_->stats()));
    }
#endif
}

}  // namespace framebridge::ui
