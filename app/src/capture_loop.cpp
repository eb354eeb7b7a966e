#include "framebridge/app/capture_loop.hpp"

#include "framebridge/app/monotonic_clock.hpp"

namespace framebridge::app {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::nanoseconds period_of(double fps) {
    if (fps <= 0.0) {
        return std::chrono::nanoseconds{0};
    }
    return std::chrono::nanoseconds{static_cast<std::int64_t>(1e9 / fps)};
}

}  // namespace

CaptureLoop::CaptureLoop(FrameSource& source, shm::FrameRing& ring, shm::LeaseTable& leases,
                         double fps, std::function<void()> on_publish)
    : source_(source),
      ring_(ring),
      leases_(leases),
      period_(period_of(fps)),
      on_publish_(std::move(on_publish)) {}

CaptureLoop::~CaptureLoop() {
    stop();
}

void CaptureLoop::start() {
    second_start_ = Clock::now();
    thread_ = std::thread([this] { run(); });
}

void CaptureLoop::stop() {
    {
        const std::lock_guard lock(wake_mutex_);
        stop_requested_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

CaptureStats CaptureLoop::stats() const {
    CaptureStats s;
    s.grabbed = grabbed_.load();
    s.published = published_.load();
    s.dropped = dropped_.load();
    s.fps = fps_.load();
    return s;
}

bool CaptureLoop::ended() const noexcept {
    return ended_.load();
}

// Sleeps until `deadline` or a stop request; true if the loop should go on.
bool CaptureLoop::wait_until(Clock::time_point deadline) {
    std::unique_lock lock(wake_mutex_);
    wake_.wait_until(lock, deadline, [this] { return stop_requested_; });
    return !stop_requested_;
}

void CaptureLoop::run() {
    auto deadline = Clock::now();
    while (wait_until(deadline)) {
        if (!source_.grab()) {
            ended_ = true;
            return;
        }
        capture_one();
        if (period_.count() > 0) {
            deadline += period_;
            // After a stall, start afresh rather than burst to catch up on lost time.
            const auto now = Clock::now();
            if (deadline + period_ < now) {
                deadline = now;
            }
        }
    }
}

void CaptureLoop::capture_one() {
    const std::uint64_t capture_ns = monotonic_now_ns();
    count_grab(Clock::now());
    const auto slot = leases_.slot_to_write();
    if (!slot) {
        ++dropped_;
        return;
    }
    const shm::FrameGeometry geometry = source_.geometry();
    const std::uint64_t seq = next_seq_++;
    ring_.begin_write(*slot);
    source_.retrieve(ring_.slot_data(*slot), geometry.stride(), seq);
    ring_.end_write(*slot, {seq, geometry, capture_ns, monotonic_now_ns()});
    leases_.publish(*slot, seq);
    ++published_;
    on_publish_();
}

void CaptureLoop::count_grab(Clock::time_point now) {
    ++grabbed_;
    ++grabs_this_second_;
    const auto elapsed = now - second_start_;
    if (elapsed >= std::chrono::seconds{1}) {
        fps_ = static_cast<double>(grabs_this_second_) /
               std::chrono::duration<double>(elapsed).count();
        grabs_this_second_ = 0;
        second_start_ = now;
    }
}

}  // namespace framebridge::app
