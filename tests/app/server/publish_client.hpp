#pragma once
// A client that publishes a stream, message by message, over TestClient: it maps the segment
// the server made writable and writes pixels into the slots it is lent, as the SDK does.

#include "framebridge/protocol/messages.hpp"
#include "framebridge/shm/segment_layout.hpp"
#include "framebridge/shm/shared_segment.hpp"

#include "support/test_client.hpp"

#include <gtest/gtest.h>
#include <cstring>
#include <optional>
#include <string>

namespace framebridge::test {

class PublishClient {
public:
    explicit PublishClient(std::uint16_t port) : client(port) { client.hello("publisher"); }

    /// @brief The next message: PUBLISHING, or the ERROR that refused it.
    std::optional<std::pair<protocol::MessageHeader, protocol::Bytes>> publish(
        const std::string& name, const shm::FrameGeometry& geometry, std::uint32_t slots = 0) {
        client.send(protocol::encode(protocol::Publish{geometry.width, geometry.height,
                                                       static_cast<std::uint32_t>(geometry.format),
                                                       30000, slots, name}));
        return client.receive();
    }

    /// @brief Publishes `name` and maps its segment; fails the test when refused.
    protocol::Publishing publish_ok(const std::string& name, const shm::FrameGeometry& geometry,
                                    std::uint32_t slots = 0) {
        const auto answer = publish(name, geometry, slots);
        EXPECT_TRUE(answer && answer->first.type == protocol::MessageType::Publishing)
            << "PUBLISH '" << name << "' was not answered with PUBLISHING";
        if (!answer || answer->first.type != protocol::MessageType::Publishing) {
            return {};
        }
        const protocol::Publishing publishing = protocol::parse_publishing(answer->second);
        segment.emplace(shm::SharedSegment::open(publishing.segment_name, true));
        return publishing;
    }

    /// @brief Sends WRITE; the slot lent, or std::nullopt when no SLOT came.
    std::optional<std::uint32_t> write() {
        client.send(protocol::encode(protocol::Write{}));
        const auto answer = client.receive();
        if (!answer || answer->first.type != protocol::MessageType::Slot) {
            return std::nullopt;
        }
        return protocol::parse_slot(answer->second).slot;
    }

    std::byte* pixels(std::uint32_t slot) const {
        const auto& header = *reinterpret_cast<const shm::SegmentHeader*>(segment->data());
        return segment->data() + header.data_offset + header.slot_capacity * slot;
    }

    void done(std::uint32_t slot, std::uint64_t source_seq = 0, std::uint64_t capture_ns = 0) {
        client.send(protocol::encode(protocol::Done{slot, source_seq, capture_ns}));
    }

    /// @brief WRITE, fill the slot with `value`, DONE; the slot used.
    std::uint32_t write_frame(std::uint8_t value, std::uint64_t payload_bytes,
                              std::uint64_t source_seq = 0, std::uint64_t capture_ns = 0) {
        const auto slot = write();
        EXPECT_TRUE(slot) << "no SLOT for a WRITE";
        std::memset(pixels(slot.value_or(0)), value, payload_bytes);
        done(slot.value_or(0), source_seq, capture_ns);
        return slot.value_or(0);
    }

    TestClient client;
    std::optional<shm::SharedSegment> segment;
};

}  // namespace framebridge::test
