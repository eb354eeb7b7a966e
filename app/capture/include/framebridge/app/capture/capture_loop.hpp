#pragma once

#include "framebridge/app/sources/frame_source.hpp"
#include "framebridge/app/stats/pipeline_stats.hpp"
#include "framebridge/shm/frame_ring.hpp"
#include "framebridge/shm/lease_table.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace framebridge::app {

/// @brief How the capture runs.
struct CaptureOptions {
    double fps = 0.0;   ///< grabs per second; 0: as fast as the source delivers
    bool loop = false;  ///< at the end of a finite source, start again
    std::chrono::milliseconds first_retry{500};  ///< after a lost source; doubles up to max_retry
    std::chrono::milliseconds max_retry{10'000};
};

/// @brief What the capture tells its owner. Both run on the capture thread and must not block.
struct CaptureEvents {
    std::function<void()> published;
    std::function<void(protocol::StreamState, const std::string& why)> state_changed;
};

/// @brief The producer: on its own thread, grabs from a source at a set rate into free
/// ring slots and publishes them. It never waits for a reader: with no free slot the frame
/// is dropped and counted. A lost source is reopened with growing pauses; the end of a
/// finite source ends the stream (or, with loop, starts it again).
class CaptureLoop {
public:
    CaptureLoop(FrameSource& source, shm::FrameRing& ring, shm::LeaseTable& leases,
                const CaptureOptions& options, CaptureEvents events);
    ~CaptureLoop();
    CaptureLoop(const CaptureLoop&) = delete;
    CaptureLoop& operator=(const CaptureLoop&) = delete;

    /// @brief Starts the thread; frame sequence numbers start at `first_seq`.
    void start(std::uint64_t first_seq = 1);
    /// @brief Stops and joins the thread; safe to call twice.
    void stop();

    CaptureStats stats() const;

    /// @brief The sequence number the next published frame would get.
    std::uint64_t next_seq() const noexcept;

private:
    using Clock = std::chrono::steady_clock;

    void run();
    bool wait_until(Clock::time_point deadline);
    void capture_one();
    bool recover();
    void set_state(protocol::StreamState state, const std::string& why);
    void count_grab(Clock::time_point now);

    FrameSource& source_;
    shm::FrameRing& ring_;
    shm::LeaseTable& leases_;
    CaptureOptions options_;
    std::chrono::nanoseconds period_;
    CaptureEvents events_;

    std::thread thread_;
    std::mutex wake_mutex_;
    std::condition_variable wake_;
    bool stop_requested_ = false;

    std::atomic<std::uint64_t> next_seq_{1};
    Clock::time_point second_start_;
    std::uint64_t grabs_this_second_ = 0;
    std::atomic<std::uint64_t> grabbed_{0};
    std::atomic<std::uint64_t> published_{0};
    std::atomic<std::uint64_t> dropped_{0};
    std::atomic<double> fps_{0.0};
    std::atomic<protocol::StreamState> state_{protocol::StreamState::Live};
};

}  // namespace framebridge::app
