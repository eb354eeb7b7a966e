#pragma once

#include "controllers/frame_poller.hpp"
#include "controllers/result_inbox.hpp"
#include "framebridge/app/pipeline/pipeline.hpp"
#include "framebridge/app/record/recorder.hpp"
#ifdef FRAMEBRIDGE_HAVE_RTSP
#include "framebridge/app/rtsp/rtsp_server.hpp"
#endif
#include "models/capture_form.hpp"
#include "models/snapshot.hpp"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>
#include <optional>
#include <vector>

namespace framebridge::ui {

/// @brief What a running capture is, for the window to show.
struct CaptureInfo {
    QString source;  ///< e.g. "synthetic 3840x2160 BGR8"
    double fps = 0;  ///< the pace; 0 when the source paces itself
    QString segment;
    std::uint64_t segment_bytes = 0;
    std::uint16_t port = 0;
};

/// @brief Owns the pipeline while it runs. Starting, and switching to another source while
/// running, open a source, which can take seconds for a camera or a stream, so they happen off
/// the GUI thread; stopping is quick and happens at once. Every failure arrives as failed(),
/// worded for a person.
class CaptureController : public QObject {
    Q_OBJECT

public:
    /// Switching: running, while another source is opened (the old one is served until then).
    enum class State { Stopped, Starting, Running, Switching, Stopping };

    explicit CaptureController(QObject* parent = nullptr);
    ~CaptureController() override;
    CaptureController(const CaptureController&) = delete;
    CaptureController& operator=(const CaptureController&) = delete;

    /// @brief Starts capturing what the form says, if stopped: started() or failed() follows.
    void start(const CaptureForm& form);
    /// @brief While running, serves what `form` asks (source, size, fps, encoding, looping)
    /// without dropping a client: they follow to a new segment generation and frame numbers go
    /// on. Port, stream name and slots stay. switched() or failed() follows; after a failure
    /// the old source goes on.
    void switch_to(const CaptureForm& form);
    /// @brief Stops capture and removes the segment; while still starting, once started.
    void stop();
    /// @brief Stops at once, waiting for a start under way: for closing the window.
    void shutdown();

    /// @brief The newest frame of `stream` ("" for the first) at its own size, while running;
    /// none before its first frame or when there is no such stream.
    std::optional<Snapshot> snapshot(const std::string& stream = {});

    /// @brief Records the stream `options.stream` of the running capture (see app::Recorder);
    /// throws std::exception with a message for a person when it cannot. A recording stops
    /// before the capture stops or switches source: the video keeps one source and size.
    void start_recording(const app::RecordOptions& options);
    /// @brief Finalizes the recording, if any, and says so with recording_stopped().
    void stop_recording();
    /// @brief How the recording goes; none when there is none.
    std::optional<app::RecordStats> recording() const;

    State state() const noexcept { return state_; }
    /// @brief Valid while running.
    const CaptureInfo& info() const noexcept { return info_; }
    FramePoller& poller() noexcept { return poller_; }
    /// @brief Previews `stream` ("" for the first) from its next frame, and takes the results
    /// sent about it from now on (see take_results()).
    void set_preview_stream(const std::string& stream);
    /// @brief The results about the stream previewed that came since the last call, oldest
    /// first; results_arrived() says when there are some.
    std::vector<app::ResultEvent> take_results() { return results_.take(); }
    /// @brief Logs the statistics every `seconds` while running, as framebridge-server does;
    /// 0 turns it off.
    void set_stats_log_interval(double seconds);

Q_SIGNALS:
    void state_changed(framebridge::ui::CaptureController::State state);
    void started();
    void switched();
    void failed(const QString& message);
    void stopped();
    /// @brief Results about the stream previewed wait in take_results(); said once until then.
    void results_arrived();
    /// @brief A recording was finalized: `stats` are its last.
    void recording_stopped(const framebridge::app::RecordStats& stats);

private:
    struct StartResult {
        std::shared_ptr<app::Pipeline> pipeline;
        QString error;
    };

    void on_start_finished();
    void on_switch_finished();
    void take_info();
    void watch_results();
    void set_state(State state);
    void log_stats() const;
    // RTSP lives inside a pipeline's run and never across a switch: it holds frames.
    void start_rtsp();
    void stop_rtsp();

    State state_ = State::Stopped;
    FramePoller poller_;
    ResultInbox results_;  // filled on the server's network thread, which stops before this goes
    std::shared_ptr<app::Pipeline> pipeline_;
    std::unique_ptr<app::Recorder> recorder_;  // goes before the pipeline: it may hold a frame
    CaptureInfo info_;
    int rtsp_port_ = 0;  ///< from the form capture started with; 0: none
#ifdef FRAMEBRIDGE_HAVE_RTSP
    std::unique_ptr<app::RtspServer> rtsp_;
    app::RtspConfig rtsp_config_;
#endif
    QFutureWatcher<StartResult> starting_;
    QFutureWatcher<QString> switching_;  ///< the error, empty when the switch worked
    QTimer stats_log_timer_;
};

/// @brief An error message from the pipeline or the form as a sentence for the window:
/// "Could not start capture: port 7600 ... choose another --port."
QString start_error_text(const std::string& what, const QString& doing = "start capture");

}  // namespace framebridge::ui

Q_DECLARE_METATYPE(framebridge::app::RecordStats)
