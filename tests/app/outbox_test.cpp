#include "framebridge/app/outbox.hpp"

#include <gtest/gtest.h>
#include <vector>

using framebridge::app::Outbox;
namespace protocol = framebridge::app::protocol;

namespace {

protocol::Bytes stream(std::uint32_t state) {
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
    outbox.push(stream(3));
    outbox.push(stream(1));
    outbox.push(stream(3));
    EXPECT_EQ(drain(outbox), (std::vector{frame(1), stream(3)}));
}

TEST(Outbox, theMessageBeingWrittenIsNeverReplaced) {
    Outbox outbox;
    outbox.push(stream(3));
    outbox.push(stream(1));
    EXPECT_EQ(drain(outbox), (std::vector{stream(3), stream(1)}));
}

TEST(Outbox, noticesOfEachTypeAreKeptOnceEach) {
    Outbox outbox;
    outbox.push(frame(1));
    outbox.push(segment(7));
    outbox.push(stream(3));
    outbox.push(segment(8));
    outbox.push(stream(1));
    EXPECT_EQ(drain(outbox), (std::vector{frame(1), segment(8), stream(1)}));
}

TEST(Outbox, aSegmentIsNeverMovedPastAFrameOfItsGeneration) {
    Outbox outbox;
    outbox.push(stream(1));  // being written
    outbox.push(segment(7));
    outbox.push(frame(5));  // a slot of segment 7
    outbox.push(segment(8));
    EXPECT_EQ(drain(outbox), (std::vector{stream(1), segment(7), frame(5), segment(8)}));
}
