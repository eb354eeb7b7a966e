#pragma once

#include "framebridge/app/capture/pace.hpp"
#include "framebridge/app/sources/frame_source.hpp"
#include "framebridge/app/stats/pipeline_stats.hpp"
#include "framebridge/shm/frame_ring.hpp"
#include "framebridge/shm/lease_table.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace framebridge::app {

/// @brief How the capture runs.
struct CaptureOptions {
    double fps = 0.0;   ///< grabs per second at most; 0: as fast as the source (or readers) go
    bool loop = false;  ///< at the end of a finite source, start again
    Pace pace = Pace::Source;
    std::chrono::milliseconds first_retry{500};  ///< after a lost source; doubles up to max_retry
    std::chrono::milliseconds max_retry{10'000};
};

/// @brief What the capture tells its owner, and with Pace::Clients asks it. All run on the
/// capture thread and must not block.
struct CaptureEvents {
    std::function<void()> published;
    std::function<void(protocol::StreamState, const std::string& why)> state_changed;
    /// @brief Pace::Clients: the newest frame every connected reader has been sent (the
    /// lowest), or std::nullopt while no reader is connected.
    std::function<std::optional<std::uint64_t>()> slowest_reader;
};

/// @brief The producer: on its own thread, grabs from a source at a set rate into free
/// ring slots and publishes them. It never waits for a reader: with no free slot the frame
/// is dropped and counted. The one exception is Pace::Clients, for files: then it grabs the
/// next frame only once every reader has been sent the newest, starting with the first
/// reader, and waits for a free slot rather than drop a frame. A lost source is reopened with
/// growing pauses; the end of a finite source ends the stream (or, with loop, starts it again).
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

    /// @brief Pace::Clients: a reader was sent a frame, or left; the capture looks again
    /// whether every reader has the newest. Any thread.
    void readers_changed();

private:
    using Clock = std::chrono::steady_clock;

    void run();
    bool wait_until(Clock::time_point deadline);
    bool wait_for_readers();
    std::optional<std::uint32_t> slot_to_write(std::uint64_t capture_ns);
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
