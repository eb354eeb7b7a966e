#pragma once

#include "controllers/capture_controller.hpp"
#include "controllers/script_set.hpp"
#include "models/clients_model.hpp"
#include "models/latency_history.hpp"
#include "models/stats_model.hpp"
#include "models/stream_choices.hpp"
#include "models/streams_model.hpp"
#include "widgets/preview_widget.hpp"

#include <QElapsedTimer>
#include <QList>
#include <QMainWindow>

class QAction;
class QLabel;
class QTimer;
class QMenu;
class QSettings;
class QSplitter;

namespace framebridge::ui {

class LatencyChart;
class ScriptPanel;
class SourcePanel;
class StatsPanel;
class StatusLine;
class StreamPicker;

/// @brief The framebridge window. It wires the panels to the capture and the scripts; the work
/// happens in them. Closing it stops every script, stops the capture (removing the segment) and
/// saves the settings.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    /// @brief Restores the last run's form, script and layout from `settings`, which must
    /// outlive the window.
    explicit MainWindow(QSettings& settings, QWidget* parent = nullptr);
    ~MainWindow() override;
    MainWindow(const MainWindow&) = delete;
    MainWindow& operator=(const MainWindow&) = delete;

    /// @brief Puts the command line's flags in the form, follows its --stats-every, and runs
    /// its --script once the capture runs.
    void apply_options(const AppOptions& options);
    /// @brief Start, as the Start button does.
    void start_capture();
    /// @brief Serve what the form says now, as Apply and Play again do; scripts go on.
    void switch_capture();
    /// @brief Stop, as the Stop button does: asks first when scripts are running.
    void stop_capture();
    /// @brief Saves the newest frame of the stream previewed as PNG with a .json of its metadata in
    /// the snapshot folder (Ctrl+S); says where in the status bar. Returns the PNG's path, empty if
    /// none.
    QString save_snapshot();
    /// @brief Records the stream previewed to `path` (.mp4, .mkv, .avi) and shows how it goes in
    /// the status bar; says why in a message box when it cannot. Returns whether it started.
    bool start_recording(const QString& path);
    /// @brief Finalizes the recording, if any, and says where it went.
    void stop_recording();
    /// @brief Ctrl+R: stops the recording, or asks where to record and starts one.
    void toggle_recording();
    /// @brief Where snapshots go; Pictures/FrameBridge unless set.
    void set_snapshot_dir(const QString& dir) { snapshot_dir_ = dir; }
    /// @brief The preview fitted to its place (Ctrl+0) or at the frame's own pixels, scrolled
    /// where it is larger (Ctrl+1).
    void set_preview_zoom(PreviewWidget::Zoom zoom);
    /// @brief The preview alone on the whole screen (F11, double-click), or back (F11, Esc).
    void set_preview_full_screen(bool full);
    bool preview_full_screen() const noexcept { return full_screen_; }

    CaptureController& controller() noexcept { return controller_; }
    ScriptSet& scripts() noexcept { return scripts_; }
    const ClientsModel& clients_model() const noexcept { return clients_; }
    const StatsModel& stats_model() const noexcept { return stats_; }
    const StreamsModel& streams_model() const noexcept { return streams_; }
    StreamPicker& stream_picker() const noexcept { return *stream_picker_; }
    SourcePanel& source_panel() const noexcept { return *source_panel_; }
    ScriptPanel& script_panel() const noexcept { return *script_panel_; }
    PreviewWidget& preview() const noexcept { return *preview_; }
    StatusLine& status_line() const noexcept { return *status_line_; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void on_state_changed(CaptureController::State state);
    void on_running();
    void on_stream_state(protocol::StreamState state);
    void on_stats(const app::PipelineStats& stats);
    void on_stream_picked(const QString& name);
    /// @brief Previews the stream chosen from its next frame, with its results alone.
    void follow_preview_stream();
    QWidget* latency_plot();
    void show_latency();
    void save_settings();
    void make_menus();
    void fill_recent_menu();
    void log_preview_rate();
    void show_recording();

    QSettings& settings_;
    CaptureController controller_;
    ScriptSet scripts_;
    StatsModel stats_;
    StreamsModel streams_;
    StreamChoices stream_choices_;
    ClientsModel clients_;
    LatencyHistory history_;
    LatencyHistory result_history_{LatencyHistory::DEFAULT_SPAN_S, LatencyMeasure::ToResult};
    LatencyMeasure plotted_ = LatencyMeasure::Ready;
    QElapsedTimer clock_;
    std::uint64_t preview_frames_at_start_ = 0;
    QElapsedTimer running_;
    bool run_script_when_running_ = false;
    protocol::StreamState stream_state_ = protocol::StreamState::Live;
    SourcePanel* source_panel_;
    PreviewWidget* preview_;
    StreamPicker* stream_picker_;
    StatsPanel* stats_panel_;
    LatencyChart* chart_;
    ScriptPanel* script_panel_;
    StatusLine* status_line_;
    QList<QSplitter*> splitters_;
    QList<QWidget*> beside_preview_;  ///< hidden while the preview is full screen
    QMenu* recent_menu_ = nullptr;
    QAction* record_action_ = nullptr;
    QLabel* record_indicator_;
    QTimer* record_timer_;
    QAction* zoom_fit_ = nullptr;
    QAction* zoom_actual_ = nullptr;
    QString snapshot_dir_;
    bool full_screen_ = false;
    bool was_maximized_ = false;
};

}  // namespace framebridge::ui
