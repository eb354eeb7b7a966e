#include "framebridge/app/capture/capture_loop.hpp"

#include "framebridge/shm/monotonic_clock.hpp"

#include <algorithm>

namespace framebridge::app {
namespace {

// How often Pace::Clients looks again without being told, for a reader that left unseen.
constexpr std::chrono::milliseconds READER_RECHECK{20};

std::chrono::nanoseconds period_of(double fps) {
    if (fps <= 0.0) {
        return std::chrono::nanoseconds{0};
    }
    return std::chrono::nanoseconds{static_cast<std::int64_t>(1e9 / fps)};
}

}  // namespace

CaptureLoop::CaptureLoop(FrameSource& source, shm::FrameRing& ring, shm::LeaseTable& leases,
                         const CaptureOptions& options, CaptureEvents events)
    : source_(source),
      ring_(ring),
      leases_(leases),
      options_(options),
      period_(period_of(options.fps)),
      events_(std::move(events)) {}

CaptureLoop::~CaptureLoop() {
    stop();
}

void CaptureLoop::start(std::uint64_t first_seq) {
    next_seq_ = first_seq;
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
    s.copies = source_.copies();
    s.fps = fps_.load();
    s.state = state_.load();
    return s;
}

std::uint64_t CaptureLoop::next_seq() const noexcept {
    return next_seq_.load();
}

void CaptureLoop::readers_changed() {
    {
        // Under the lock, so the capture thread cannot miss it between a check and its wait.
        const std::lock_guard lock(wake_mutex_);
    }
    wake_.notify_all();
}

// Pace::Clients: waits until a reader is connected and every reader has been sent the newest
// frame, so the next one skips nobody; true if the loop should go on.
bool CaptureLoop::wait_for_readers() {
    const std::uint64_t newest = next_seq_.load() - 1;
    std::unique_lock lock(wake_mutex_);
    while (!stop_requested_) {
        const auto slowest = events_.slowest_reader();
        if (slowest && *slowest >= newest) {
            return true;
        }
        wake_.wait_for(lock, READER_RECHECK);
    }
    return false;
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
        if (options_.pace == Pace::Clients && !wait_for_readers()) {
            return;
        }
        switch (source_.grab()) {
        case GrabResult::Frame:
            capture_one();
            break;
        case GrabResult::End:
            if (options_.loop && source_.rewind()) {
                continue;
            }
            set_state(protocol::StreamState::Ended, "the source has no more frames");
            while (wait_until(Clock::now() + std::chrono::hours{1})) {
            }
            return;
        case GrabResult::Lost:
            if (!recover()) {
                return;
            }
            deadline = Clock::now();
            continue;
        }
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

// Reopens a lost source with pauses that double up to a bound; false if stopped meanwhile.
bool CaptureLoop::recover() {
    set_state(protocol::StreamState::Lost, "the source stopped delivering frames; reopening it");
    auto pause = options_.first_retry;
    while (wait_until(Clock::now() + pause)) {
        if (source_.reopen()) {
            set_state(protocol::StreamState::Live, "the source is back");
            return true;
        }
        pause = std::min(pause * 2, options_.max_retry);
    }
    return false;
}

void CaptureLoop::set_state(protocol::StreamState state, const std::string& why) {
    if (state_.exchange(state) != state && events_.state_changed) {
        events_.state_changed(state, why);
    }
}

// With Pace::Clients a frame is never dropped for want of a slot: it waits for one (a reader
// holding every slot too long still has its oldest taken back by the lease table).
std::optional<std::uint32_t> CaptureLoop::slot_to_write(std::uint64_t capture_ns) {
    auto slot = leases_.slot_to_write(capture_ns);
    while (!slot && options_.pace == Pace::Clients &&
           wait_until(Clock::now() + std::chrono::milliseconds{1})) {
        slot = leases_.slot_to_write(shm::monotonic_now_ns());
    }
    return slot;
}

void CaptureLoop::capture_one() {
    const std::uint64_t capture_ns = shm::monotonic_now_ns();
    count_grab(Clock::now());
    const auto slot = slot_to_write(capture_ns);
    if (!slot) {
        ++dropped_;
        return;
    }
    const shm::FrameGeometry geometry = source_.geometry();
    const std::uint64_t seq = next_seq_.load();
    ring_.begin_write(*slot);
    if (!source_.retrieve(ring_.slot_data(*slot), geometry.stride(), seq)) {
        ++dropped_;
        return;
    }
    ++next_seq_;
    shm::FrameInfo info{seq, geometry, capture_ns, shm::monotonic_now_ns()};
    info.metadata = source_.metadata();
    ring_.end_write(*slot, info);
    leases_.publish(*slot, seq);
    ++published_;
    if (events_.published) {
        events_.published();
    }
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
