#pragma once

#include "framebridge/shm/lease_table.hpp"
#include "framebridge/shm/segment_layout.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>

namespace framebridge::app {

/// @brief A frame held in place by a reader inside the producer's process (the desktop app's
/// preview). Like a client's lease, it keeps the producer off its slot until it goes.
class LocalFrame {
public:
    /// @brief `owner`, if given, keeps the leases and the pixels alive while the frame lives
    /// (a stream that may end while it is held).
    LocalFrame(shm::LeaseTable& leases, shm::Lease lease, const std::byte* pixels,
               const shm::SlotDescriptor& descriptor,
               std::shared_ptr<const void> owner = nullptr) noexcept;
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
    /// @brief The frame of another stream this one was made from, 0 for none.
    std::uint64_t source_seq() const noexcept { return source_seq_; }

private:
    shm::LeaseTable* leases_;
    shm::Lease lease_;
    const std::byte* pixels_;
    shm::FrameGeometry geometry_;
    std::uint64_t capture_ns_;
    std::uint64_t publish_ns_;
    std::uint64_t source_seq_;
    std::shared_ptr<const void> owner_;
};

}  // namespace framebridge::app
