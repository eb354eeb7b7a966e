#pragma once

#include "framebridge/app/server/served_stream.hpp"
#include "framebridge/shm/frame_ring.hpp"
#include "framebridge/shm/lease_table.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace framebridge::app {

/// @brief A stream a client fills: the segment the server made for it, its leases, and how its
/// readers see it. Shared by the publisher's session and every session reading it, so the
/// mapping and the leases outlive the publisher until the last reader has gone.
class PublishedStream {
public:
    /// @brief Creates the segment `name` (mode 0600) of `slots` slots for frames of `geometry`.
    /// Throws shm::SegmentError (InUse: a live process serves that name) or
    /// std::invalid_argument naming the bad value.
    static std::shared_ptr<PublishedStream> create(const std::string& name,
                                                   const shm::FrameGeometry& geometry,
                                                   std::uint32_t slots, double fps);

    /// @brief Its readers' view, which keeps the whole stream alive.
    static std::shared_ptr<ServedStream> served(const std::shared_ptr<PublishedStream>& stream);

    shm::FrameRing& ring() noexcept { return ring_; }
    shm::LeaseTable& leases() noexcept { return leases_; }
    const shm::FrameGeometry& geometry() const noexcept { return geometry_; }
    /// @brief The sequence number the next frame gets; frames are numbered from 1.
    std::uint64_t take_seq() noexcept { return next_seq_++; }

private:
    PublishedStream(const std::string& name, const shm::FrameGeometry& geometry,
                    std::uint32_t slots, double fps);

    shm::FrameGeometry geometry_;
    shm::FrameRing ring_;
    shm::LeaseTable leases_;
    ServedStream served_;
    std::uint64_t next_seq_ = 1;
};

}  // namespace framebridge::app
