#pragma once

#include "framebridge/app/server/grant_cells.hpp"
#include "framebridge/app/stats/pipeline_stats.hpp"
#include "framebridge/protocol/messages.hpp"
#include "framebridge/shm/frame_ring.hpp"
#include "framebridge/shm/lease_table.hpp"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

namespace framebridge::app {

/// @brief What a stream is, beyond its ring: who fills it, with what, how fast.
struct StreamDetails {
    protocol::Producer producer = protocol::Producer::Capture;
    shm::FrameGeometry geometry;
    double fps = 0.0;  ///< 0 when unknown or as fast as it goes
};

/// @brief One named stream as its sessions see it: the ring and leases of the current segment
/// generation, and whether frames are coming. Io thread only, but leases(), name(), info() and
/// the counters.
class ServedStream {
public:
    ServedStream(std::string name, shm::FrameRing& ring, shm::LeaseTable& leases,
                 StreamDetails details);

    const std::string& name() const noexcept { return name_; }
    shm::FrameRing& ring() noexcept { return *ring_; }
    /// @brief Any thread: statistics read the lease table from outside the io thread.
    shm::LeaseTable& leases() const noexcept { return *leases_.load(); }
    /// @brief Which segment generation the ring is: leases of an older one no longer count.
    std::uint32_t generation() const noexcept { return generation_; }
    /// @brief The cells lent to readers that spin; the same in every generation. Any thread.
    GrantCells& grant_cells() noexcept { return grant_cells_; }
    /// @brief Frames one client may hold at once: every slot but the newest.
    std::uint32_t max_leases() const noexcept;

    /// @brief False while the stream is ended or lost: then no REQUEST is answered, since the
    /// newest frame is no longer new. Any thread.
    bool live() const noexcept { return live_.load(); }
    /// @brief The STREAM message a client joining now must get first, if the stream is not live.
    std::optional<protocol::StreamMessage> notice() const;
    const protocol::StreamMessage& state() const noexcept { return state_; }
    void set_state(protocol::StreamState state, std::string why);

    protocol::Welcome welcome(std::uint32_t client_id) const;
    /// @brief The SEGMENT message that moves clients to the current generation.
    protocol::SegmentMessage segment() const;
    /// @brief Serves a new segment generation from now on.
    void switch_to(shm::FrameRing& ring, shm::LeaseTable& leases, StreamDetails details);

    /// @brief A reader said HELLO to this stream, or left it. Any thread.
    void reader_joined() noexcept { ++readers_; }
    void reader_left() noexcept { --readers_; }
    /// @brief A frame was published. Any thread.
    void count_published() noexcept { ++published_; }
    /// @brief Returns true when no wake-up of its readers' io thread is queued yet, and marks
    /// one queued; woken() clears the mark. Any thread.
    bool queue_wake() noexcept { return !wake_queued_.exchange(true); }
    void woken() noexcept { wake_queued_ = false; }

    /// @brief Held by the io thread while it changes the stream's state or segment generation
    /// and tells every reader, and by a publishing thread while it sends FRAMEs itself: so no
    /// FRAME overtakes the notice that must come before it. The publishing thread only tries
    /// it (std::try_to_lock) and leaves its frame to the io thread when it is taken.
    std::mutex& notices_mutex() noexcept { return notices_mutex_; }
    /// @brief A change of state is on its way to the io thread (notice_coming()), until it has
    /// told every reader (notice_told()): meanwhile frames go the same way, behind it, so that
    /// none arrives before a notice sent earlier. Any thread.
    void notice_coming() noexcept { ++notices_coming_; }
    void notice_told() noexcept { --notices_coming_; }
    bool notices_coming() const noexcept { return notices_coming_.load() > 0; }

    /// @brief Its line in a listing. Any thread.
    StreamInfo info() const;

private:
    const std::string name_;
    // Pointers, not references: switch_to() moves them to a new generation.
    shm::FrameRing* ring_;
    std::atomic<shm::LeaseTable*> leases_;
    std::uint32_t generation_ = 1;
    protocol::StreamMessage state_;
    std::atomic<bool> live_{true};  ///< state_ is Live; read by publishing threads
    std::mutex notices_mutex_;
    std::atomic<std::uint32_t> notices_coming_{0};

    mutable std::mutex details_mutex_;  ///< details_ is read by info() on any thread
    StreamDetails details_;
    std::atomic<std::uint32_t> readers_{0};
    std::atomic<std::uint64_t> published_{0};
    std::atomic<bool> wake_queued_{false};
    GrantCells grant_cells_;
};

}  // namespace framebridge::app
