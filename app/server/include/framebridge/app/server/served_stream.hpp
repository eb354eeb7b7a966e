#pragma once

#include "framebridge/protocol/messages.hpp"
#include "framebridge/shm/frame_ring.hpp"
#include "framebridge/shm/lease_table.hpp"

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

namespace framebridge::app {

/// @brief The stream as its sessions see it: the ring and leases of the current segment
/// generation, and whether frames are coming. Io thread only, but leases().
class ServedStream {
public:
    ServedStream(shm::FrameRing& ring, shm::LeaseTable& leases);

    shm::FrameRing& ring() noexcept { return *ring_; }
    /// @brief Any thread: statistics read the lease table from outside the io thread.
    shm::LeaseTable& leases() const noexcept { return *leases_.load(); }
    /// @brief Which segment generation the ring is: leases of an older one no longer count.
    std::uint32_t generation() const noexcept { return generation_; }
    /// @brief Frames one client may hold at once: every slot but the newest.
    std::uint32_t max_leases() const noexcept;

    /// @brief False while the stream is ended or lost: then no REQUEST is answered, since the
    /// newest frame is no longer new.
    bool live() const noexcept;
    /// @brief The STREAM message a client joining now must get first, if the stream is not live.
    std::optional<protocol::StreamMessage> notice() const;
    const protocol::StreamMessage& state() const noexcept { return state_; }
    void set_state(protocol::StreamState state, std::string why);

    protocol::Welcome welcome(std::uint32_t client_id) const;
    /// @brief The SEGMENT message that moves clients to the current generation.
    protocol::SegmentMessage segment() const;
    /// @brief Serves a new segment generation from now on.
    void switch_to(shm::FrameRing& ring, shm::LeaseTable& leases);

private:
    // Pointers, not references: switch_to() moves them to a new generation.
    shm::FrameRing* ring_;
    std::atomic<shm::LeaseTable*> leases_;
    std::uint32_t generation_ = 1;
    protocol::StreamMessage state_;
};

}  // namespace framebridge::app
