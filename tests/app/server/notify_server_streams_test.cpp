// Several named streams on one server: each connection reads the stream its HELLO names, and
// LIST tells what there is.

#include "framebridge/shm/frame_ring.hpp"

#include "app/server/notify_server_fixture.hpp"

#include <future>

namespace framebridge::test {
namespace {

using protocol::ErrorCode;
using protocol::MessageType;

// The fixture's stream first, and a second capture stream of another size.
class StreamsTest : public NotifyServerTest {
protected:
    StreamsTest()
        : second_ring(shm::FrameRing::create(second_name, 3, second_geometry.payload_size())),
          second_leases(3),
          second(sut.add_stream(second_name, second_ring, second_leases,
                                {protocol::Producer::Capture, second_geometry, 25})) {}

    // The second stream's readers give their frames back before its lease table goes, which
    // is before the fixture's own destructor stops the server.
    ~StreamsTest() override {
        std::promise<void> stopped;
        boost::asio::post(io, [&] {
            sut.stop();
            stopped.set_value();
        });
        stopped.get_future().wait();
    }

    void publish_second(std::uint64_t seq) {
        const auto slot = second_leases.slot_to_write(shm::monotonic_now_ns());
        ASSERT_TRUE(slot);
        second_ring.begin_write(*slot);
        second_ring.end_write(*slot, {seq, second_geometry, seq, seq + 1});
        second_leases.publish(*slot, seq);
        sut.notify_published(second);
    }

    const std::string first_name = sut.streams().front().name;
    const std::string second_name = unique_stream_name();
    const shm::FrameGeometry second_geometry{32, 8, shm::PixelFormat::Gray8};
    shm::FrameRing second_ring;
    shm::LeaseTable second_leases;
    std::shared_ptr<app::ServedStream> second;
};

TEST_F(StreamsTest, eachHelloReadsTheStreamItNames) {
    TestClient on_first(sut.port());
    TestClient on_second(sut.port());
    TestClient on_default(sut.port());
    EXPECT_EQ(on_first.hello("a", "", first_name).stream, first_name);
    const protocol::Welcome welcome = on_second.hello("b", "", second_name);
    EXPECT_EQ(welcome.stream, second_name);
    EXPECT_EQ(welcome.segment_name, second_ring.name());
    EXPECT_EQ(on_default.hello("c").stream, first_name);

    publish(5);
    publish_second(9);
    const auto first_frame = on_first.request(0);
    const auto second_frame = on_second.request(0);
    const auto default_frame = on_default.request(0);
    ASSERT_TRUE(first_frame && second_frame && default_frame);
    EXPECT_EQ(first_frame->seq, 5u);
    EXPECT_EQ(default_frame->seq, 5u);
    EXPECT_EQ(second_frame->seq, 9u);
    EXPECT_EQ(second_frame->width, 32u);
}

TEST_F(StreamsTest, aFramePublishedOnOneStreamWakesOnlyItsReaders) {
    TestClient on_second(sut.port());
    on_second.hello("b", "", second_name);
    on_second.send(protocol::encode(protocol::Request{0}));
    publish(1);
    EXPECT_TRUE(on_second.silent_for()) << "a frame of another stream";
    publish_second(1);
    EXPECT_TRUE(on_second.receive_frame());
}

TEST_F(StreamsTest, anUnknownStreamIsStreamNotFoundNamingTheStreamsThereAre) {
    TestClient client(sut.port());
    client.send(protocol::encode(
        protocol::Hello{protocol::HELLO_MAGIC, protocol::PROTOCOL_VERSION, 1, "lost", "", "side"}));
    const auto error = client.receive_error();
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code, ErrorCode::StreamNotFound);
    EXPECT_EQ(error->text,
              "no stream named 'side' on this server; it has: " + first_name + ", " + second_name);
    EXPECT_TRUE(client.closed_by_server());
}

TEST_F(StreamsTest, listAnswersEveryStreamInTheOrderTheyWereMade) {
    TestClient reader(sut.port());
    reader.hello("reader", "", second_name);
    publish_second(3);
    reader.send(protocol::encode(protocol::List{}));
    const auto answer = reader.receive_until(MessageType::Streams);
    ASSERT_TRUE(answer);
    const protocol::StreamsMessage list = protocol::parse_streams(*answer);
    ASSERT_EQ(list.streams.size(), 2u);
    EXPECT_EQ(list.streams[0].name, first_name);
    EXPECT_EQ(list.streams[0].clients, 0u);
    const protocol::StreamEntry& entry = list.streams[1];
    EXPECT_EQ(entry.name, second_name);
    EXPECT_EQ(entry.producer, protocol::Producer::Capture);
    EXPECT_EQ(entry.width, 32u);
    EXPECT_EQ(entry.height, 8u);
    EXPECT_EQ(entry.pixel_format, 2u);
    EXPECT_EQ(entry.fps_milli, 25000u);
    EXPECT_EQ(entry.clients, 1u);
    EXPECT_EQ(entry.newest_seq, 3u);
}

TEST_F(StreamsTest, aStreamStateReachesOnlyThatStreamsReaders) {
    TestClient on_first(sut.port());
    TestClient on_second(sut.port());
    on_first.hello("a");
    on_second.hello("b", "", second_name);
    sut.notify_stream_state(second, protocol::StreamState::Ended, "end of file");
    const auto ended = on_second.receive_until(MessageType::Stream);
    ASSERT_TRUE(ended);
    EXPECT_EQ(protocol::parse_stream(*ended).state, protocol::StreamState::Ended);
    EXPECT_TRUE(on_first.silent_for());
}

TEST_F(StreamsTest, aSecondStreamOfTheSameNameIsRefused) {
    shm::LeaseTable leases_again(3);
    EXPECT_THROW(sut.add_stream(second_name, second_ring, leases_again, {}), std::invalid_argument);
}

}  // namespace
}  // namespace framebridge::test
