#pragma once

#include "framebridge/app/frame_source.hpp"
#include "framebridge/app/pipeline_stats.hpp"
#include "framebridge/shm/frame_ring.hpp"
#include "framebridge/shm/lease_table.hpp"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace framebridge::app {

/// @brief The producer: on its own thread, grabs from a source at a set rate into free
/// ring slots and publishes them. It never waits for a reader: with no free slot the frame
/// is dropped and counted.
class CaptureLoop {
public:
    /// @brief `fps` 0 means as fast as the source goes. `on_publish` runs on the capture
    /// thread after each publish and must not block.
    CaptureLoop(FrameSource& source, shm::FrameRing& ring, shm::LeaseTable& leases, double fps,
                std::function<void()> on_publish);
    ~CaptureLoop();
    CaptureLoop(const CaptureLoop&) = delete;
    CaptureLoop& operator=(const CaptureLoop&) = delete;

    void start();
    /// @brief Stops and joins the thread; safe to call twice.
    void stop();

    CaptureStats stats() const;

    /// @brief True once the source said it has no more frames.
    bool ended() const noexcept;

private:
    void run();
    bool wait_until(std::chrono::steady_clock::time_point deadline);
    void capture_one();
    void count_grab(std::chrono::steady_clock::time_point now);

    FrameSource& source_;
    shm::FrameRing& ring_;
    shm::LeaseTable& leases_;
    std::chrono::nanoseconds period_;
    std::function<void()> on_publish_;

    std::thread thread_;
    std::mutex wake_mutex_;
    std::condition_variable wake_;
    bool stop_requested_ = false;

    std::uint64_t next_seq_ = 1;
    std::chrono::steady_clock::time_point second_start_;
    std::uint64_t grabs_this_second_ = 0;
    std::atomic<std::uint64_t> grabbed_{0};
    std::atomic<std::uint64_t> published_{0};
    std::atomic<std::uint64_t> dropped_{0};
    std::atomic<double> fps_{0.0};
    std::atomic<bool> ended_{false};
};

}  // namespace framebridge::app
