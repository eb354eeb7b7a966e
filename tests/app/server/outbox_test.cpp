#include "framebridge/app/server/outbox.hpp"

#include <gtest/gtest.h>
#include <vector>

using framebridge::app::Outbox;
namespace protocol = framebridge::protocol;
constexpr auto Live = protocol::StreamState::Live;
constexpr auto Lost = protocol::StreamState::Lost;

namespace {

protocol::Bytes stream(protocol::StreamState state) {
    return protocol::encode(protocol::StreamMessage{state, "why"});
}

protocol::Bytes segment(std::uint64_t session) {
    protocol::SegmentMessage m;
    m.session_id = session;
    m.segment_name = "fb";
    return protocol::encode(m);
}

protocol::Bytes frame(std::uint64_t seq) {
    protocol::FrameMessage m;
    m.seq = seq;
    return protocol::encode(m);
}

std::vector<protocol::Bytes> drain(Outbox& outbox) {
    std::vector<protocol::Bytes> out;
    while (!outbox.empty()) {
        out.push_back(outbox.front());
        outbox.pop_front();
    }
    return out;
}

}  // namespace

TEST(Outbox, aNewerStreamNoticeReplacesAnUnsentOne) {
    Outbox outbox;
    outbox.push(frame(1));  // being written
    outbox.push(stream(Lost));
    outbox.push(stream(Live));
    outbox.push(stream(Lost));
    EXPECT_EQ(drain(outbox), (std::vector{frame(1), stream(Lost)}));
}

TEST(Outbox, theMessageBeingWrittenIsNeverReplaced) {
    Outbox outbox;
    outbox.push(stream(Lost));
    outbox.push(stream(Live));
    EXPECT_EQ(drain(outbox), (std::vector{stream(Lost), stream(Live)}));
}

TEST(Outbox, noticesOfEachTypeAreKeptOnceEach) {
    Outbox outbox;
    outbox.push(frame(1));
    outbox.push(segment(7));
    outbox.push(stream(Lost));
    outbox.push(segment(8));
    outbox.push(stream(Live));
    EXPECT_EQ(drain(outbox), (std::vector{frame(1), segment(8), stream(Live)}));
}

TEST(Outbox, aSegmentIsNeverMovedPastAFrameOfItsGeneration) {
    Outbox outbox;
    outbox.push(stream(Live));  // being written
    outbox.push(segment(7));
    outbox.push(frame(5));  // a slot of segment 7
    outbox.push(segment(8));
    EXPECT_EQ(drain(outbox), (std::vector{stream(Live), segment(7), frame(5), segment(8)}));
}
