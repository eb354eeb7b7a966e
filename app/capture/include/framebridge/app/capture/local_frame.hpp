#pragma once

#include "framebridge/shm/lease_table.hpp"
#include "framebridge/shm/segment_layout.hpp"

#include <cstddef>
#include <cstdint>

namespace framebridge::app {

/// @brief A frame held in place by a reader inside the producer's process (the desktop app's
/// preview). Like a client's lease, it keeps the producer off its slot until it goes.
class LocalFrame {
public:
    LocalFrame(shm::LeaseTable& leases, shm::Lease lease, const std::byte* pixels,
               const shm::SlotDescriptor& descriptor) noexcept;
    ~LocalFrame();
    LocalFrame(LocalFrame&& other) noexcept;
    LocalFrame& operator=(LocalFrame&&) = delete;
    LocalFrame(const LocalFrame&) = delete;
    LocalFrame& operator=(const LocalFrame&) = delete;

    /// @brief Row 0 of the pixels; rows are stride() bytes apart.
    const std::byte* pixels() const noexcept { return pixels_; }
    shm::FrameGeometry geometry() const noexcept { return geometry_; }
    std::uint32_t stride() const noexcept { return geometry_.stride(); }
    std::uint64_t seq() const noexcept { return lease_.seq; }
    std::uint64_t capture_ns() const noexcept { return capture_ns_; }
    std::uint64_t publish_ns() const noexcept { return publish_ns_; }

private:
    shm::LeaseTable* leases_;
    shm::Lease lease_;
    const std::byte* pixels_;
    shm::FrameGeometry geometry_;
    std::uint64_t capture_ns_;
    std::uint64_t publish_ns_;
};

}  // namespace framebridge::app
