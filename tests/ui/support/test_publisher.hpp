#pragma once
// A client that publishes a stream over the real protocol, as the Python SDK's fb.publish()
// does: HELLO, PUBLISH, then per frame WRITE, the pixels written into the lent slot, DONE.

#include "framebridge/protocol/messages.hpp"
#include "framebridge/shm/segment_layout.hpp"
#include "framebridge/shm/shared_segment.hpp"
#include "support/test_client.hpp"

#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>

namespace framebridge::ui::test {

class TestPublisher {
public:
    /// @brief Makes the stream `name` on the server at `port`; throws when it is refused.
    TestPublisher(std::uint16_t port, const std::string& name, shm::FrameGeometry geometry)
        : client_(port), geometry_(geometry) {
        client_.hello("test-publisher");
        client_.send(protocol::encode(protocol::Publish{geometry.width, geometry.height,
                                                        static_cast<std::uint32_t>(geometry.format),
                                                        30000, 0, name}));
        const auto body = client_.receive_until(protocol::MessageType::Publishing);
        if (!body) {
            throw std::runtime_error("the server did not let the test publish '" + name + "'");
        }
        segment_.emplace(
            shm::SharedSegment::open(protocol::parse_publishing(*body).segment_name, true));
    }

    /// @brief Publishes one frame whose every byte is `value`.
    void publish_filled(std::uint8_t value) {
        client_.send(protocol::encode(protocol::Write{}));
        const auto body = client_.receive_until(protocol::MessageType::Slot);
        if (!body) {
            throw std::runtime_error("the server lent the test publisher no slot");
        }
        const std::uint32_t slot = protocol::parse_slot(*body).slot;
        const auto& header = *reinterpret_cast<const shm::SegmentHeader*>(segment_->data());
        std::memset(segment_->data() + header.data_offset + slot * header.slot_capacity, value,
                    geometry_.payload_size());
        client_.send(protocol::encode(protocol::Done{slot, 0, 0}));
    }

    /// @brief Closes the connection: the server ends the stream.
    void close() { client_.close(); }

private:
    framebridge::test::TestClient client_;
    shm::FrameGeometry geometry_;
    std::optional<shm::SharedSegment> segment_;
};

}  // namespace framebridge::ui::test
