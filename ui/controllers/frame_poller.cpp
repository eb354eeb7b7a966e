#include "controllers/frame_poller.hpp"

#include "models/preview_image.hpp"

#include <chrono>

namespace framebridge::ui {

namespace {

using Clock = std::chrono::steady_clock;
// Often enough that a new frame reaches the preview soon after it is published.
constexpr auto POLL_INTERVAL = std::chrono::milliseconds(10);

}  // namespace

FramePoller::FramePoller(QObject* parent) : QObject(parent) {
    qRegisterMetaType<app::PipelineStats>();
    thread_ = std::thread([this] { run(); });
}

FramePoller::~FramePoller() {
    {
        const std::lock_guard lock(mutex_);
        quit_ = true;
        pipeline_ = nullptr;
    }
    wake_.notify_all();
    thread_.join();
}

void FramePoller::attach(app::Pipeline& pipeline) {
    {
        const std::lock_guard lock(mutex_);
        pipeline_ = &pipeline;
        attached_generation_ = ++generation_;
        last_seq_ = 0;
    }
    frame_in_flight_ = false;
    wake_.notify_all();
}

void FramePoller::detach() {
    const std::lock_guard lock(mutex_);
    pipeline_ = nullptr;
    ++generation_;
    attached_generation_ = 0;
}

void FramePoller::set_stream(const std::string& stream) {
    const std::lock_guard lock(mutex_);
    stream_ = stream;
    last_seq_ = 0;  // another stream, or one made again, counts from 1
    if (attached_generation_ != 0) {
        attached_generation_ = ++generation_;
    }
}

void FramePoller::set_preview_size(QSize size) {
    const std::lock_guard lock(mutex_);
    preview_size_ = size;
}

void FramePoller::run() {
    auto next_stats = Clock::now();
    auto next_preview = Clock::now();
    std::unique_lock lock(mutex_);
    while (!quit_) {
        if (pipeline_ == nullptr) {  // nothing to poll: sleep until attach() or the end
            wake_.wait(lock, [this] { return quit_ || pipeline_ != nullptr; });
            continue;
        }
        const auto now = Clock::now();
        const std::uint64_t generation = generation_;
        const QSize target = preview_size_;
        std::optional<app::PipelineStats> stats;
        if (now >= next_stats) {
            stats = pipeline_->stats();
            next_stats = now + std::chrono::milliseconds(STATS_INTERVAL_MS);
        }
        QImage sampled;
        std::uint64_t seq = 0;
        QSize frame_size;
        if (!target.isEmpty() && now >= next_preview && !frame_in_flight_) {
            if (const auto frame = pipeline_->lease_newest(stream_, last_seq_)) {
                seq = last_seq_ = frame->seq();
                frame_size = QSize(static_cast<int>(frame->geometry().width),
                                   static_cast<int>(frame->geometry().height));
                sampled = sample_frame(view_of(*frame), target);
                next_preview = now + std::chrono::milliseconds(PREVIEW_INTERVAL_MS);
            }  // the slot goes back here, before any scaling
        }
        lock.unlock();
        if (stats) {
            QMetaObject::invokeMethod(
                this,
                [this, polled = std::move(*stats), generation] {
                    deliver_stats(polled, generation);
                },
                Qt::QueuedConnection);
        }
        if (!sampled.isNull()) {
            frame_in_flight_ = true;
            QMetaObject::invokeMethod(
                this,
                [this, image = finish_preview(sampled, target), seq, frame_size, generation] {
                    deliver_frame(image, seq, frame_size, generation);
                },
                Qt::QueuedConnection);
        }
        lock.lock();
        wake_.wait_for(lock, POLL_INTERVAL, [this] { return quit_; });
    }
}

void FramePoller::deliver_frame(const QImage& image, std::uint64_t seq, QSize frame_size,
                                std::uint64_t generation) {
    frame_in_flight_ = false;
    if (generation == attached_generation_) {
        Q_EMIT frame_ready(image, seq, frame_size);
    }
}

void FramePoller::deliver_stats(const app::PipelineStats& stats, std::uint64_t generation) {
    if (generation == attached_generation_) {
        Q_EMIT stats_ready(stats);
    }
}

}  // namespace framebridge::ui
