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
        const Outbox::Parts parts = outbox.front();
        protocol::Bytes message = parts.own;
        message.insert(message.end(), parts.shared, parts.shared + parts.shared_size);
        out.push_back(std::move(message));
        outbox.pop_front();
    }
    return out;
}

// RESULT_FROM of result `seq`, encoded once as the server shares it among its watchers.
std::shared_ptr<const protocol::Bytes> shared_result(std::uint64_t seq) {
    protocol::Result result;
    result.seq = seq;
    const protocol::Bytes message = protocol::encode(result);
    return std::make_shared<const protocol::Bytes>(protocol::encode_result_from(
        7, 100, "faces", protocol::Bytes(message.begin() + protocol::HEADER_BYTES, message.end())));
}

protocol::ResultFrom result_from(const protocol::Bytes& message) {
    return protocol::parse_result_from(
        protocol::Bytes(message.begin() + protocol::HEADER_BYTES, message.end()));
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

TEST(Outbox, atMostEightResultsWaitAndTheNextWrittenCountsThoseReplaced) {
    Outbox sut;
    sut.push(frame(1));  // being written
    for (std::uint64_t seq = 1; seq <= 20; ++seq) {
        sut.push_result(shared_result(seq));
    }
    EXPECT_EQ(sut.size(), 1u + Outbox::MAX_WAITING_RESULTS);
    EXPECT_EQ(sut.results_skipped(), 12u);
    const auto messages = drain(sut);
    ASSERT_EQ(messages.size(), 9u);
    EXPECT_EQ(messages[0], frame(1));
    for (std::size_t i = 1; i < messages.size(); ++i) {
        const protocol::ResultFrom got = result_from(messages[i]);
        EXPECT_EQ(got.result.seq, 12 + i) << "the newest eight, in order";
        EXPECT_EQ(got.skipped, i == 1 ? 12u : 0u);
        EXPECT_EQ(got.sender_name, "faces");
    }
}

TEST(Outbox, theResultBeingWrittenIsNeitherReplacedNorToldOfLaterSkips) {
    Outbox sut;
    sut.push_result(shared_result(1));  // being written
    for (std::uint64_t seq = 2; seq <= 10; ++seq) {
        sut.push_result(shared_result(seq));
    }
    const auto messages = drain(sut);
    ASSERT_EQ(messages.size(), 9u);
    EXPECT_EQ(result_from(messages[0]).result.seq, 1u);
    EXPECT_EQ(result_from(messages[0]).skipped, 0u);
    EXPECT_EQ(result_from(messages[1]).result.seq, 3u);
    EXPECT_EQ(result_from(messages[1]).skipped, 1u);
}

TEST(Outbox, resultsDoNotCountTowardsTheLimitOnAClientThatDoesNotRead) {
    Outbox sut;
    sut.push(frame(1));
    sut.push_result(shared_result(1));
    sut.push(stream(Lost));
    sut.push_result(shared_result(2));
    EXPECT_EQ(sut.size(), 4u);
    EXPECT_EQ(sut.counted_size(), 2u);
    sut.pop_front();
    sut.pop_front();
    EXPECT_EQ(sut.counted_size(), 1u);
}

TEST(Outbox, watchersShareOneEncodingOfAResultEachWithItsOwnCount) {
    const auto shared = shared_result(5);
    Outbox slow;
    slow.push(frame(1));
    for (int i = 0; i < 9; ++i) {
        slow.push_result(shared);
    }
    Outbox quick;
    quick.push_result(shared);
    EXPECT_EQ(result_from(drain(slow)[1]).skipped, 1u);
    EXPECT_EQ(result_from(drain(quick)[0]).skipped, 0u);
    EXPECT_EQ(result_from(*shared).skipped, 0u) << "the shared bytes are never written to";
}

TEST(Outbox, theRestOfAFrameSentInPartIsWrittenAndNeverReplaced) {
    Outbox outbox;
    const protocol::Bytes whole = frame(7);
    outbox.push_frame_rest(whole, 10);
    outbox.push(stream(Lost));
    outbox.push(stream(Live));
    EXPECT_EQ(drain(outbox),
              (std::vector{protocol::Bytes(whole.begin() + 10, whole.end()), stream(Live)}));
}
