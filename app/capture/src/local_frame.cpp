#include "framebridge/app/capture/local_frame.hpp"

namespace framebridge::app {

LocalFrame::LocalFrame(shm::LeaseTable& leases, shm::Lease lease, const std::byte* pixels,
                       const shm::SlotDescriptor& descriptor,
                       std::shared_ptr<const void> owner) noexcept
    : leases_(&leases),
      lease_(lease),
      pixels_(pixels),
      geometry_{descriptor.width, descriptor.height, descriptor.pixel_format},
      capture_ns_(descriptor.capture_ns),
      publish_ns_(descriptor.publish_ns),
      source_seq_(descriptor.source_seq),
      owner_(std::move(owner)) {}

LocalFrame::~LocalFrame() {
    if (leases_ != nullptr) {
        leases_->release(lease_, shm::LOCAL_READER);
    }
}

LocalFrame::LocalFrame(LocalFrame&& other) noexcept
    : leases_(other.leases_),
      lease_(other.lease_),
      pixels_(other.pixels_),
      geometry_(other.geometry_),
      capture_ns_(other.capture_ns_),
      publish_ns_(other.publish_ns_),
      source_seq_(other.source_seq_),
      owner_(std::move(other.owner_)) {
    other.leases_ = nullptr;
}

}  // namespace framebridge::app
