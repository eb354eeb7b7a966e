#include "framebridge/app/server/published_stream.hpp"

namespace framebridge::app {

PublishedStream::PublishedStream(const std::string& name, const shm::FrameGeometry& geometry,
                                 std::uint32_t slots, double fps)
    : geometry_(geometry),
      ring_(shm::FrameRing::create(name, slots, geometry.payload_size())),
      leases_(slots),
      served_(name, ring_, leases_, {protocol::Producer::Client, geometry, fps}) {}

std::shared_ptr<PublishedStream> PublishedStream::create(const std::string& name,
                                                         const shm::FrameGeometry& geometry,
                                                         std::uint32_t slots, double fps) {
    shm::validate_geometry(geometry);
    return std::shared_ptr<PublishedStream>(new PublishedStream(name, geometry, slots, fps));
}

std::shared_ptr<ServedStream> PublishedStream::served(
    const std::shared_ptr<PublishedStream>& stream) {
    return {stream, &stream->served_};
}

}  // namespace framebridge::app
