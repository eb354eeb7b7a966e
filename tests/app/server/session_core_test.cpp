#include "framebridge/app/server/session_core.hpp"
#include "framebridge/app/server/served_stream.hpp"
#include "framebridge/app/server/stream_registry.hpp"

#include "support/unique_name.hpp"

#include <gtest/gtest.h>

namespace framebridge::test {
namespace {

namespace protocol = framebridge::protocol;
using app::SessionCore;
using app::SessionError;
using app::SessionPhase;
using protocol::ErrorCode;

// The session's protocol with no socket and no io thread: messages in, messages out.
class SessionCoreTest : public ::testing::Test {
protected:
    SessionCoreTest()
        : ring(shm::FrameRing::create(unique_stream_name(), 3, geometry.payload_size())),
          leases(3),
          served(std::make_shared<app::ServedStream>(
              "cam", ring, leases, app::StreamDetails{protocol::Producer::Capture, geometry, 30})),
          stream(*served) {
        streams.add(served);
    }

    std::vector<protocol::Bytes> receive(SessionCore& core, const protocol::Bytes& message,
                                         std::uint64_t now_ns = 1'000'000) {
        const auto header = protocol::parse_header(message.data(), protocol::Sender::Client);
        const protocol::Bytes body(message.begin() + protocol::HEADER_BYTES, message.end());
        return core.receive(header, body, now_ns);
    }

    void greet(SessionCore& core, const std::string& token = "") {
        protocol::Hello hello;
        hello.name = "test";
        hello.client_pid = 42;
        hello.token = token;
        receive(core, protocol::encode(hello));
    }

    void publish(std::uint64_t seq, std::uint64_t publish_ns) {
        const auto slot = leases.slot_to_write(publish_ns);
        ASSERT_TRUE(slot);
        ring.begin_write(*slot);
        ring.end_write(*slot, {seq, geometry, publish_ns - 1, publish_ns});
        leases.publish(*slot, seq);
    }

    static protocol::MessageType type_of(const protocol::Bytes& message) {
        return protocol::parse_header(message.data(), protocol::Sender::Server).type;
    }

    static protocol::FrameMessage frame_in(const protocol::Bytes& message) {
        EXPECT_EQ(type_of(message), protocol::MessageType::Frame);
        return protocol::parse_frame(
            protocol::Bytes(message.begin() + protocol::HEADER_BYTES, message.end()));
    }

    static ErrorCode error_of(const std::function<void()>& act) {
        try {
            act();
        } catch (const SessionError& e) {
            return e.code();
        }
        ADD_FAILURE() << "no SessionError";
        return ErrorCode::BadMessage;
    }

    const shm::FrameGeometry geometry{64, 16, shm::PixelFormat::Bgr8};
    shm::FrameRing ring;
    shm::LeaseTable leases;
    std::shared_ptr<app::ServedStream> served;
    app::ServedStream& stream;
    app::StreamRegistry streams;
    app::SessionPolicy policy;
};

TEST_F(SessionCoreTest, anythingButHelloFirstIsABadMessage) {
    SessionCore sut(1, streams, policy);
    EXPECT_EQ(error_of([&] { receive(sut, protocol::encode(protocol::Request{0})); }),
              ErrorCode::BadMessage);
}

TEST_F(SessionCoreTest, helloIsAnsweredWithWelcomeAndThenTheStreamStateWhenNotLive) {
    stream.set_state(protocol::StreamState::Ended, "end of file");
    SessionCore sut(7, streams, policy);

    protocol::Hello hello;
    hello.name = "reader";
    const auto replies = receive(sut, protocol::encode(hello));

    ASSERT_EQ(replies.size(), 2u);
    EXPECT_EQ(type_of(replies[0]), protocol::MessageType::Welcome);
    EXPECT_EQ(type_of(replies[1]), protocol::MessageType::Stream);
    EXPECT_EQ(sut.phase(), SessionPhase::Open);
    EXPECT_EQ(sut.label(), "client 7 'reader' (pid 0)");
}

TEST_F(SessionCoreTest, helloTwiceIsABadMessage) {
    SessionCore sut(1, streams, policy);
    greet(sut);
    EXPECT_EQ(error_of([&] { greet(sut); }), ErrorCode::BadMessage);
}

TEST_F(SessionCoreTest, anotherProtocolVersionIsAVersionMismatch) {
    SessionCore sut(1, streams, policy);
    protocol::Hello hello;
    hello.protocol_version = protocol::PROTOCOL_VERSION + 1;
    EXPECT_EQ(error_of([&] { receive(sut, protocol::encode(hello)); }), ErrorCode::VersionMismatch);
    EXPECT_FALSE(sut.greeted());
}

TEST_F(SessionCoreTest, aMissingOrWrongTokenIsAccessDenied) {
    policy.token = "secret";
    SessionCore missing(1, streams, policy);
    SessionCore wrong(2, streams, policy);
    SessionCore right(3, streams, policy);

    EXPECT_EQ(error_of([&] { greet(missing); }), ErrorCode::AccessDenied);
    EXPECT_EQ(error_of([&] { greet(wrong, "guess"); }), ErrorCode::AccessDenied);
    greet(right, "secret");
    EXPECT_EQ(right.phase(), SessionPhase::Open);
}

TEST_F(SessionCoreTest, aRequestIsAnsweredWithTheNewestFrameAtOnceWhenThereIsOne) {
    publish(1, 100);
    publish(2, 200);
    SessionCore sut(1, streams, policy);
    greet(sut);

    const auto replies = receive(sut, protocol::encode(protocol::Request{0}));

    ASSERT_EQ(replies.size(), 1u);
    const auto frame = frame_in(replies[0]);
    EXPECT_EQ(frame.seq, 2u);
    EXPECT_EQ(frame.publish_ns, 200u);
    EXPECT_EQ(frame.width, geometry.width);
}

TEST_F(SessionCoreTest, aRequestWaitsForTheNextPublishWhenNothingNewerExists) {
    publish(1, 100);
    SessionCore sut(1, streams, policy);
    greet(sut);

    EXPECT_TRUE(receive(sut, protocol::encode(protocol::Request{1})).empty());
    EXPECT_FALSE(sut.offer_newest());
    publish(2, 200);
    const auto frame = sut.offer_newest();

    ASSERT_TRUE(frame);
    EXPECT_EQ(frame_in(*frame).seq, 2u);
    EXPECT_FALSE(sut.offer_newest()) << "one FRAME per REQUEST";
}

TEST_F(SessionCoreTest, noFrameIsOfferedWhileTheStreamIsNotLive) {
    publish(1, 100);
    SessionCore sut(1, streams, policy);
    greet(sut);
    stream.set_state(protocol::StreamState::Lost, "camera unplugged");

    EXPECT_TRUE(receive(sut, protocol::encode(protocol::Request{0})).empty());
    stream.set_state(protocol::StreamState::Live, "");
    EXPECT_TRUE(sut.offer_newest());
}

TEST_F(SessionCoreTest, aSecondRequestWhileOneIsOutstandingIsABadMessage) {
    SessionCore sut(1, streams, policy);
    greet(sut);
    receive(sut, protocol::encode(protocol::Request{0}));
    EXPECT_EQ(error_of([&] { receive(sut, protocol::encode(protocol::Request{0})); }),
              ErrorCode::BadMessage);
}

TEST_F(SessionCoreTest, askingBeyondTheLeaseLimitIsRefusedWithLeaseLimit) {
    SessionCore sut(1, streams, policy);
    greet(sut);
    for (std::uint64_t seq = 1; seq <= stream.max_leases(); ++seq) {
        publish(seq, seq * 100);
        ASSERT_EQ(receive(sut, protocol::encode(protocol::Request{seq - 1})).size(), 1u);
    }
    EXPECT_EQ(error_of([&] { receive(sut, protocol::encode(protocol::Request{9})); }),
              ErrorCode::LeaseLimit);
}

TEST_F(SessionCoreTest, releasingAFrameItDoesNotHoldIsABadMessage) {
    SessionCore sut(1, streams, policy);
    greet(sut);
    EXPECT_EQ(error_of([&] {
                  receive(sut, protocol::encode(protocol::Release{0, 5, 0, 0}));
              }),
              ErrorCode::BadMessage);
}

TEST_F(SessionCoreTest, releaseGivesTheLeaseBackAndCountsItsTimes) {
    publish(1, 100);
    SessionCore sut(1, streams, policy);
    greet(sut);
    const auto frame = frame_in(receive(sut, protocol::encode(protocol::Request{0}))[0]);
    EXPECT_EQ(leases.lease_count(frame.slot), 1u);

    receive(sut, protocol::encode(protocol::Release{frame.slot, 1, 150, 400}), 500);

    EXPECT_EQ(leases.lease_count(frame.slot), 0u);
    const auto stats = sut.stats(500);
    EXPECT_EQ(stats.ready.count, 1u);
    EXPECT_EQ(stats.ready.p50_ns, 50u);
    EXPECT_EQ(stats.hold.p50_ns, 250u);
    EXPECT_EQ(stats.bad_timings, 0u);
}

TEST_F(SessionCoreTest, releaseTimesOutOfOrderAreCountedAsBadAndLeftOutOfTheLatencies) {
    struct Case {
        const char* what;
        std::uint64_t receive_ns, done_ns, now_ns;
    };
    const Case cases[] = {
        {"received before it was published", 50, 400, 500},
        {"done before it was received", 300, 200, 500},
        {"done after the server's now (another clock)", 150, 1'700'000'000'000'000'000, 500},
    };
    for (const Case& c : cases) {
        publish(1, 100);
        SessionCore sut(1, streams, policy);
        greet(sut);
        const auto frame = frame_in(receive(sut, protocol::encode(protocol::Request{0}))[0]);

        receive(sut, protocol::encode(protocol::Release{frame.slot, 1, c.receive_ns, c.done_ns}),
                c.now_ns);

        const auto stats = sut.stats(c.now_ns);
        EXPECT_EQ(stats.bad_timings, 1u) << c.what;
        EXPECT_EQ(stats.ready.count, 0u) << c.what;
        EXPECT_EQ(leases.lease_count(frame.slot), 0u) << c.what << ": the frame is given back";
        sut.close();
    }
}

TEST_F(SessionCoreTest, releaseTimesOfZeroMeanTheClientDoesNotMeasure) {
    publish(1, 100);
    SessionCore sut(1, streams, policy);
    greet(sut);
    const auto frame = frame_in(receive(sut, protocol::encode(protocol::Request{0}))[0]);

    receive(sut, protocol::encode(protocol::Release{frame.slot, 1, 0, 0}), 500);

    EXPECT_EQ(sut.stats(500).bad_timings, 0u);
    EXPECT_EQ(sut.stats(500).ready.count, 0u);
}

TEST_F(SessionCoreTest, framesOfAnOlderGenerationNoLongerCountAgainstTheLimit) {
    SessionCore sut(1, streams, policy);
    greet(sut);
    for (std::uint64_t seq = 1; seq <= stream.max_leases(); ++seq) {
        publish(seq, seq * 100);
        receive(sut, protocol::encode(protocol::Request{seq - 1}));
    }
    auto next_ring = shm::FrameRing::create(unique_stream_name(), 3, geometry.payload_size());
    shm::LeaseTable next_leases(3);
    stream.switch_to(next_ring, next_leases, {});

    EXPECT_TRUE(sut.announce(stream.segment()));
    EXPECT_TRUE(receive(sut, protocol::encode(protocol::Request{9})).empty())
        << "under the limit in the new generation: waits for a frame";
    EXPECT_EQ(sut.stats(0).held, stream.max_leases()) << "old frames are still held until released";
}

TEST_F(SessionCoreTest, aPublisherCountsAsAReaderOfItsHelloStreamOnlyOnceItAsksForAFrame) {
    SessionCore sut(1, streams, policy);
    greet(sut);
    ASSERT_EQ(stream.info().clients, 1u);

    receive(sut, protocol::encode(protocol::Publish{8, 8, 2, 0, 0, unique_stream_name()}));
    const std::uint32_t readers_while_publishing = stream.info().clients;
    const bool counted_while_publishing = sut.counts_as_reader_of(stream);
    receive(sut, protocol::encode(protocol::Request{0}));

    EXPECT_EQ(readers_while_publishing, 0u);
    EXPECT_FALSE(counted_while_publishing);
    EXPECT_EQ(stream.info().clients, 1u);
    EXPECT_TRUE(sut.counts_as_reader_of(stream));
    sut.close();
    EXPECT_EQ(stream.info().clients, 0u);
}

TEST_F(SessionCoreTest, statsNameTheStreamItReadsFromHelloOn) {
    SessionCore sut(1, streams, policy);
    const std::string before_hello = sut.stats(0).stream;
    greet(sut);

    EXPECT_EQ(before_hello, "");
    EXPECT_EQ(sut.stats(0).stream, "cam") << "HELLO named no stream: the server's first";
    EXPECT_EQ(sut.stats(0).publishes, "");
}

TEST_F(SessionCoreTest, statsNameTheStreamItPublishesAndItsHelloStreamOnlyOnceItReads) {
    SessionCore sut(1, streams, policy);
    greet(sut);
    const std::string name = unique_stream_name();

    receive(sut, protocol::encode(protocol::Publish{8, 8, 2, 0, 0, name}));
    const app::ClientStats publishing = sut.stats(0);
    receive(sut, protocol::encode(protocol::Request{0}));
    const app::ClientStats also_reading = sut.stats(0);
    sut.close();

    EXPECT_EQ(publishing.stream, "");
    EXPECT_EQ(publishing.publishes, name);
    EXPECT_EQ(also_reading.stream, "cam");
    EXPECT_EQ(also_reading.publishes, name);
    EXPECT_EQ(sut.stats(0).publishes, "") << "its stream ended with the connection";
}

TEST_F(SessionCoreTest, nothingIsAnnouncedBeforeHello) {
    SessionCore sut(1, streams, policy);
    EXPECT_FALSE(sut.announce(stream.segment()));
    EXPECT_FALSE(sut.announce(protocol::StreamMessage{protocol::StreamState::Ended, "eof"}));
    greet(sut);
    EXPECT_TRUE(sut.announce(stream.segment()));
}

TEST_F(SessionCoreTest, closeGivesBackEveryFrameAndIgnoresWhatFollows) {
    publish(1, 100);
    SessionCore sut(1, streams, policy);
    greet(sut);
    const auto frame = frame_in(receive(sut, protocol::encode(protocol::Request{0}))[0]);

    EXPECT_EQ(sut.close(), 1u);

    EXPECT_EQ(leases.lease_count(frame.slot), 0u);
    EXPECT_EQ(sut.phase(), SessionPhase::Closed);
    EXPECT_TRUE(receive(sut, protocol::encode(protocol::Request{0})).empty());
    EXPECT_TRUE(sut.greeted());
}

TEST_F(SessionCoreTest, aResultIsCheckedCountedAndHandedOnWithItsBodyAndNothingIsAnswered) {
    std::vector<app::ResultEvent> relayed;
    app::StreamEvents events;
    events.result = [&](const app::ServedStream& on, const app::ResultEvent& event,
                        const protocol::Bytes& body) {
        EXPECT_EQ(&on, &stream);
        EXPECT_EQ(body.size() + protocol::HEADER_BYTES, protocol::encode(event.result).size());
        relayed.push_back(event);
    };
    SessionCore sut(7, streams, policy, events);
    greet(sut);
    protocol::Result result;
    result.seq = 3;
    result.capture_ns = 400'000;

    EXPECT_TRUE(receive(sut, protocol::encode(result), 1'000'000).empty());

    ASSERT_EQ(relayed.size(), 1u);
    EXPECT_EQ(relayed[0].stream, "cam");
    EXPECT_EQ(relayed[0].sender_id, 7u);
    EXPECT_EQ(relayed[0].sender_name, "test");
    EXPECT_EQ(relayed[0].received_ns, 1'000'000u);
    EXPECT_EQ(relayed[0].result.seq, 3u);
    const app::ClientStats stats = sut.stats(1'000'000);
    EXPECT_EQ(stats.results, 1u);
    EXPECT_EQ(stats.to_result.count, 1u);
    EXPECT_EQ(stats.to_result.p50_ns, 600'000u);
}

TEST_F(SessionCoreTest, watchOneAndZeroStartAndStopItsResultsAndAnythingElseIsABadMessage) {
    SessionCore sut(1, streams, policy);
    greet(sut);
    EXPECT_FALSE(sut.watches(stream));
    EXPECT_TRUE(receive(sut, protocol::encode(protocol::Watch{true})).empty());
    EXPECT_TRUE(sut.watches(stream));
    receive(sut, protocol::encode(protocol::Watch{false}));
    EXPECT_FALSE(sut.watches(stream));

    protocol::Bytes two = protocol::encode(protocol::Watch{true});
    two[protocol::HEADER_BYTES] = 2;
    EXPECT_EQ(error_of([&] { receive(sut, two); }), ErrorCode::BadMessage);
}

std::uint32_t cell_in(const protocol::Bytes& message) {
    EXPECT_EQ(protocol::parse_header(message.data(), protocol::Sender::Server).type,
              protocol::MessageType::Cell);
    return protocol::parse_cell(
               protocol::Bytes(message.begin() + protocol::HEADER_BYTES, message.end()))
        .cell;
}

std::uint64_t grant_of(const protocol::FrameMessage& frame) {
    return frame.seq << shm::GRANT_SLOT_BITS | frame.slot;
}

TEST_F(SessionCoreTest, spinLendsACellWhereEachFrameLeasedToItIsWrittenBeforeItsFrame) {
    publish(1, 100);
    SessionCore sut(1, streams, policy);
    greet(sut);

    const auto answer = receive(sut, protocol::encode(protocol::Spin{}));
    ASSERT_EQ(answer.size(), 1u);
    const std::uint32_t cell = cell_in(answer[0]);
    EXPECT_EQ(ring.granted(cell), 0u) << "nothing leased yet";
    const auto first = frame_in(receive(sut, protocol::encode(protocol::Request{0}))[0]);
    EXPECT_EQ(ring.granted(cell), grant_of(first));

    receive(sut, protocol::encode(protocol::Request{first.seq}));
    EXPECT_EQ(ring.granted(cell), grant_of(first)) << "a REQUEST still waiting grants nothing";
    publish(2, 200);
    const auto second = frame_in(*sut.offer_newest());
    EXPECT_EQ(ring.granted(cell), grant_of(second));
    EXPECT_EQ(leases.lease_count(second.slot), 1u) << "the cell names a frame it holds";
    EXPECT_EQ(cell_in(receive(sut, protocol::encode(protocol::Spin{}))[0]), cell)
        << "SPIN again: the same cell";
}

TEST_F(SessionCoreTest, eachConnectionHasItsOwnCellUntilItClosesAndTheNextOwnerFindsItEmpty) {
    publish(1, 100);
    SessionCore first(1, streams, policy);
    SessionCore second(2, streams, policy);
    SessionCore plain(3, streams, policy);
    greet(first);
    greet(second);
    greet(plain);
    const std::uint32_t first_cell = cell_in(receive(first, protocol::encode(protocol::Spin{}))[0]);
    const std::uint32_t second_cell =
        cell_in(receive(second, protocol::encode(protocol::Spin{}))[0]);
    receive(first, protocol::encode(protocol::Request{0}));
    receive(plain, protocol::encode(protocol::Request{0}));

    EXPECT_NE(first_cell, second_cell);
    EXPECT_NE(ring.granted(first_cell), 0u);
    EXPECT_EQ(ring.granted(second_cell), 0u) << "a frame leased to another is not in its cell";
    EXPECT_EQ(stream.grant_cells().lent(), 2u) << "no cell for a client that never spins";

    first.close();
    EXPECT_EQ(stream.grant_cells().lent(), 1u);
    SessionCore next(4, streams, policy);
    greet(next);
    EXPECT_EQ(cell_in(receive(next, protocol::encode(protocol::Spin{}))[0]), first_cell);
    EXPECT_EQ(ring.granted(first_cell), 0u) << "the last owner's frame is not the next one's";
}

TEST_F(SessionCoreTest, whenEveryCellIsLentSpinIsAnsweredWithNoCellAndFramesStillCome) {
    std::vector<std::unique_ptr<SessionCore>> spinning;
    for (std::uint32_t id = 1; id <= shm::GRANT_CELLS; ++id) {
        spinning.push_back(std::make_unique<SessionCore>(id, streams, policy));
        greet(*spinning.back());
        receive(*spinning.back(), protocol::encode(protocol::Spin{}));
    }
    publish(1, 100);
    SessionCore sut(100, streams, policy);
    greet(sut);

    EXPECT_EQ(cell_in(receive(sut, protocol::encode(protocol::Spin{}))[0]),
              protocol::CellMessage::NO_CELL);
    EXPECT_EQ(frame_in(receive(sut, protocol::encode(protocol::Request{0}))[0]).seq, 1u);
}

TEST_F(SessionCoreTest, aNewGenerationsFramesAreGrantedInTheSameCellOfItsSegment) {
    SessionCore sut(1, streams, policy);
    greet(sut);
    const std::uint32_t cell = cell_in(receive(sut, protocol::encode(protocol::Spin{}))[0]);
    auto next_ring = shm::FrameRing::create(unique_stream_name(), 3, geometry.payload_size());
    shm::LeaseTable next_leases(3);
    stream.switch_to(next_ring, next_leases, {});
    const auto slot = next_leases.slot_to_write(100);
    ASSERT_TRUE(slot);
    next_ring.begin_write(*slot);
    next_ring.end_write(*slot, {1, geometry, 99, 100});
    next_leases.publish(*slot, 1);

    receive(sut, protocol::encode(protocol::Request{0}));

    EXPECT_EQ(next_ring.granted(cell), std::uint64_t{1} << shm::GRANT_SLOT_BITS | *slot);
    EXPECT_EQ(ring.granted(cell), 0u);
}

}  // namespace
}  // namespace framebridge::test
