#pragma once

#include "framebridge/app/pipeline/pipeline.hpp"

#include <QImage>
#include <QMetaType>
#include <QObject>
#include <QSize>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

Q_DECLARE_METATYPE(framebridge::app::PipelineStats)

namespace framebridge::ui {

/// @brief The one bridge from the pipeline to Qt. A thread of its own polls the attached
/// pipeline's statistics and turns its newest frame into a preview image, reading the frame in
/// place and holding it only while it samples it; the signals arrive on the GUI thread.
class FramePoller : public QObject {
    Q_OBJECT

public:
    static constexpr int STATS_INTERVAL_MS = 250;
    /// @brief At most ~33 preview frames a second: a 30 fps source shows every frame.
    static constexpr int PREVIEW_INTERVAL_MS = 30;

    explicit FramePoller(QObject* parent = nullptr);
    ~FramePoller() override;
    FramePoller(const FramePoller&) = delete;
    FramePoller& operator=(const FramePoller&) = delete;

    /// @brief Starts polling `pipeline`, which must outlive the matching detach(). Call it, and
    /// detach(), from this object's thread.
    void attach(app::Pipeline& pipeline);
    /// @brief Stops polling. When it returns no frame of the pipeline is held and no signal
    /// about it will arrive, so the pipeline may stop.
    void detach();
    /// @brief Previews the stream `stream` ("" for the first, the default) from its next frame;
    /// an image of the stream before that arrives late is dropped. Kept across attach().
    void set_stream(const std::string& stream);
    /// @brief The preview's size in device pixels; an empty size turns the preview off.
    void set_preview_size(QSize size);

Q_SIGNALS:
    /// @brief `image` is frame `seq` scaled for the preview; `frame_size` its own size.
    void frame_ready(const QImage& image, quint64 seq, QSize frame_size);
    void stats_ready(const framebridge::app::PipelineStats& stats);

private:
    void run();
    // Run on this object's thread, posted there by the polling thread.
    void deliver_frame(const QImage& image, std::uint64_t seq, QSize frame_size,
                       std::uint64_t generation);
    void deliver_stats(const app::PipelineStats& stats, std::uint64_t generation);

    std::mutex mutex_;  // held while the pipeline is used: detach() waits on it
    std::condition_variable wake_;
    app::Pipeline* pipeline_ = nullptr;
    std::uint64_t generation_ = 0;  // one per attach() and detach(): late signals are dropped
    std::uint64_t attached_generation_ = 0;  // this object's thread only; 0 when detached
    QSize preview_size_;
    std::string stream_;  // "" for the first
    std::uint64_t last_seq_ = 0;
    bool quit_ = false;
    std::atomic<bool> frame_in_flight_{false};  // the GUI has not taken the last image yet
    std::thread thread_;
};

}  // namespace framebridge::ui
