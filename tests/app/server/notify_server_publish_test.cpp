// Publishing over real sockets: a client fills a stream of its own and readers read it exactly
// as they read a capture stream (docs/wire-protocol.md, Publishing).

#include "framebridge/shm/frame_ring.hpp"
#include "framebridge/shm/monotonic_clock.hpp"

#include "app/server/notify_server_fixture.hpp"
#include "app/server/publish_client.hpp"
#include "support/eventually.hpp"
#include "support/segment_exists.hpp"

#include <algorithm>

namespace framebridge::test {
namespace {

using protocol::ErrorCode;
using protocol::MessageType;

class PublishTest : public NotifyServerTest {
protected:
    // True when every pixel of the frame's rows in `ring` is `value`.
    static bool holds(const shm::FrameRing& ring, const protocol::FrameMessage& frame,
                      std::uint8_t value) {
        const std::byte* pixels = ring.slot_data(frame.slot);
        for (std::uint32_t row = 0; row < frame.height; ++row) {
            const std::byte* start = pixels + std::size_t{row} * frame.stride;
            if (!std::all_of(start, start + frame.width,
                             [value](std::byte b) { return std::to_integer<int>(b) == value; })) {
                return false;
            }
        }
        return true;
    }

    static void release(TestClient& reader, const protocol::FrameMessage& frame) {
        reader.send(protocol::encode(protocol::Release{frame.slot, frame.seq, 0, 0}));
    }

    // The ERROR `answer` is; the connection must close after it.
    static protocol::ErrorMessage refusal(
        const std::optional<std::pair<protocol::MessageHeader, protocol::Bytes>>& answer,
        TestClient& client) {
        EXPECT_TRUE(answer && answer->first.type == MessageType::Error) << "no ERROR";
        EXPECT_TRUE(client.closed_by_server()) << "left open after its ERROR";
        if (!answer || answer->first.type != MessageType::Error) {
            return {};
        }
        return protocol::parse_error(answer->second);
    }

    // The capture stream's reader still gets its frames: a refusal closed nothing else.
    void capture_reader_goes_on(TestClient& reader) {
        const std::uint64_t seq = ++capture_seq;
        publish(seq);
        const auto frame = reader.request(seq - 1);
        ASSERT_TRUE(frame);
        EXPECT_EQ(frame->seq, seq);
        release(reader, *frame);
    }

    const shm::FrameGeometry gray{32, 8, shm::PixelFormat::Gray8};
    const std::string name = unique_stream_name();
    std::uint64_t capture_seq = 0;
};

TEST_F(PublishTest, aReaderGetsEachPublishedFramePixelExactWithItsSourceSeqAndCaptureNs) {
    PublishClient publisher(sut.port());
    const protocol::Publishing publishing = publisher.publish_ok(name, gray);
    EXPECT_EQ(publishing.max_leases, 0u);
    EXPECT_EQ(publishing.slot_count, 3u);

    TestClient reader(sut.port());
    const protocol::Welcome welcome = reader.hello("reader", "", name);
    EXPECT_EQ(welcome.stream, name);
    EXPECT_EQ(welcome.segment_name, publishing.segment_name);
    const shm::FrameRing view = shm::FrameRing::open(welcome.segment_name);

    for (std::uint64_t seq = 1; seq <= 5; ++seq) {
        const std::uint64_t capture_ns = shm::monotonic_now_ns() - 1000;
        const auto value = static_cast<std::uint8_t>(255 - seq);
        publisher.write_frame(value, gray.payload_size(), 40 + seq, capture_ns);
        const auto frame = reader.request(seq - 1);
        ASSERT_TRUE(frame);
        EXPECT_EQ(frame->seq, seq);
        EXPECT_EQ(frame->source_seq, 40 + seq);
        EXPECT_EQ(frame->capture_ns, capture_ns);
        EXPECT_GE(frame->publish_ns, capture_ns);
        EXPECT_EQ(frame->width, 32u);
        EXPECT_EQ(frame->height, 8u);
        EXPECT_EQ(frame->stride, 64u);
        EXPECT_EQ(frame->pixel_format, 2u);
        EXPECT_TRUE(holds(view, *frame, value));
        EXPECT_EQ(view.descriptor(frame->slot).source_seq, 40 + seq);
        release(reader, *frame);
    }
}

TEST_F(PublishTest, aCaptureTimeFromTheFutureOrZeroIsTheServersNow) {
    PublishClient publisher(sut.port());
    publisher.publish_ok(name, gray);
    TestClient reader(sut.port());
    reader.hello("reader", "", name);
    publisher.write_frame(1, gray.payload_size(), 0, ~std::uint64_t{0});
    const auto future = reader.request(0);
    ASSERT_TRUE(future);
    EXPECT_EQ(future->capture_ns, future->publish_ns);
    release(reader, *future);
    publisher.write_frame(2, gray.payload_size());
    const auto unset = reader.request(1);
    ASSERT_TRUE(unset);
    EXPECT_EQ(unset->capture_ns, unset->publish_ns);
    EXPECT_EQ(unset->source_seq, 0u);
}

TEST_F(PublishTest, eightReadersReadAPublishedStream) {
    PublishClient publisher(sut.port());
    const shm::FrameRing view = shm::FrameRing::open(publisher.publish_ok(name, gray).segment_name);
    std::vector<std::unique_ptr<TestClient>> readers;
    for (int i = 0; i < 8; ++i) {
        readers.push_back(std::make_unique<TestClient>(sut.port()));
        readers.back()->hello("reader" + std::to_string(i), "", name);
    }
    for (std::uint64_t seq = 1; seq <= 4; ++seq) {
        publisher.write_frame(static_cast<std::uint8_t>(seq * 10), gray.payload_size());
        for (auto& reader : readers) {
            const auto frame = reader->request(seq - 1);
            ASSERT_TRUE(frame);
            EXPECT_EQ(frame->seq, seq);
            EXPECT_TRUE(holds(view, *frame, static_cast<std::uint8_t>(seq * 10)));
            release(*reader, *frame);
        }
    }
    const auto listed = sut.find_stream(name);
    ASSERT_TRUE(listed);
    EXPECT_EQ(listed->info().clients, 8u);
    EXPECT_EQ(listed->info().published, 4u);
}

TEST_F(PublishTest, aPublisherThatClosesOrIsKilledEndsItsStreamAndLeavesNothingBehind) {
    for (const bool killed : {false, true}) {
        SCOPED_TRACE(killed ? "killed" : "closed");
        auto publisher = std::make_unique<PublishClient>(sut.port());
        const protocol::Publishing publishing = publisher->publish_ok(name, gray);
        TestClient reader(sut.port());
        reader.hello("reader", "", name);
        const shm::FrameRing view = shm::FrameRing::open(publishing.segment_name);
        publisher->write_frame(7, gray.payload_size());
        const auto held = reader.request(0);
        ASSERT_TRUE(held);
        // Killed mid-frame: a slot is lent and half written.
        const auto lent = publisher->write();
        ASSERT_TRUE(lent);
        std::memset(publisher->pixels(*lent), 9, 10);

        if (killed) {
            publisher->client.reset();
        } else {
            publisher->client.close();
        }
        const auto ended = reader.receive_until(MessageType::Stream);
        ASSERT_TRUE(ended);
        const protocol::StreamMessage state = protocol::parse_stream(*ended);
        EXPECT_EQ(state.state, protocol::StreamState::Ended);
        EXPECT_NE(state.text.find(name), std::string::npos) << state.text;
#ifndef _WIN32
        // Windows keeps a mapping while anyone maps it (this test does): there the name is
        // free again for a new generation, which the PUBLISH at the end shows.
        EXPECT_TRUE(eventually([&] { return !segment_exists(name); }));
#endif
        EXPECT_FALSE(sut.find_stream(name));

        // The reader's frame stays readable, its slot never showed the half frame.
        EXPECT_TRUE(holds(view, *held, 7));
        EXPECT_EQ(view.slot_sequence(*lent), 0u);
        release(reader, *held);
        reader.send(protocol::encode(protocol::List{}));
        EXPECT_TRUE(reader.receive_until(MessageType::Streams)) << "the reader was closed";
        publisher.reset();
    }
    // The name is free again.
    PublishClient again(sut.port());
    again.publish_ok(name, gray);
}

TEST_F(PublishTest, aPublisherStalledWithASlotLentLeavesReadersWhatTheyHave) {
    PublishClient publisher(sut.port());
    const protocol::Publishing publishing = publisher.publish_ok(name, gray);
    publisher.write_frame(5, gray.payload_size());
    const auto lent = publisher.write();
    ASSERT_TRUE(lent);

    TestClient first(sut.port());
    first.hello("first", "", name);
    const auto frame = first.request(0);
    ASSERT_TRUE(frame);
    first.send(protocol::encode(protocol::Request{frame->seq}));
    EXPECT_TRUE(first.silent_for()) << "a frame that was never DONE";
    TestClient second(sut.port());
    second.hello("second", "", name);
    const auto same = second.request(0);
    ASSERT_TRUE(same);
    EXPECT_EQ(same->seq, frame->seq);
    const shm::FrameRing view = shm::FrameRing::open(publishing.segment_name);
    EXPECT_TRUE(holds(view, *frame, 5));
    EXPECT_EQ(view.slot_sequence(frame->slot), frame->seq);
}

TEST_F(PublishTest, cancelGivesTheSlotBackUnpublished) {
    PublishClient publisher(sut.port());
    publisher.publish_ok(name, gray);
    TestClient reader(sut.port());
    reader.hello("reader", "", name);
    const auto lent = publisher.write();
    ASSERT_TRUE(lent);
    publisher.client.send(protocol::encode(protocol::Cancel{*lent}));
    reader.send(protocol::encode(protocol::Request{0}));
    EXPECT_TRUE(reader.silent_for()) << "a cancelled frame was published";
    publisher.write_frame(3, gray.payload_size());
    const auto frame = reader.receive_frame();
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->seq, 1u);
}

TEST_F(PublishTest, aWriteWhileReadersHoldEverySlotIsAnsweredAfterTheTakeBack) {
    PublishClient publisher(sut.port());
    publisher.publish_ok(name, gray, 2);
    TestClient first(sut.port());
    first.hello("first", "", name);
    TestClient second(sut.port());
    second.hello("second", "", name);
    publisher.write_frame(1, gray.payload_size());
    const auto older = first.request(0);
    ASSERT_TRUE(older);
    publisher.write_frame(2, gray.payload_size());
    const auto newest = second.request(1);
    ASSERT_TRUE(newest);
    ASSERT_NE(older->slot, newest->slot);

    // Both slots are held: the server answers once the lease table takes the older one back.
    const auto lent = publisher.write();
    ASSERT_TRUE(lent);
    EXPECT_EQ(*lent, older->slot);
    EXPECT_TRUE(eventually([&] {
        const auto clients = sut.client_stats();
        return std::any_of(clients.begin(), clients.end(),
                           [](const app::ClientStats& c) { return c.revoked == 1; });
    }));
}

TEST_F(PublishTest, badPublishRequestsAreRefusedWithTheirCodeAndNothingElseCloses) {
    TestClient capture_reader(sut.port());
    capture_reader.hello("capture reader");
    PublishClient holder(sut.port());
    holder.publish_ok(name, gray);
    shm::FrameRing foreign = shm::FrameRing::create(unique_stream_name(), 2, 64);
    const std::string capture_stream = sut.streams().front().name;

    struct Case {
        const char* what;
        std::string name;
        shm::FrameGeometry geometry;
        std::uint32_t slots;
        ErrorCode code;
        std::string named;  ///< the error text names this
    };
    const Case cases[] = {
        {"bad name", "bad/name", gray, 0, ErrorCode::BadMessage, "bad/name"},
        {"zero width",
         unique_stream_name(),
         {0, 8, shm::PixelFormat::Gray8},
         0,
         ErrorCode::BadMessage,
         "0"},
        {"too high",
         unique_stream_name(),
         {8, 40000, shm::PixelFormat::Gray8},
         0,
         ErrorCode::BadMessage,
         "40000"},
        {"bad format",
         unique_stream_name(),
         {8, 8, static_cast<shm::PixelFormat>(9)},
         0,
         ErrorCode::BadMessage,
         "9"},
        {"one slot", unique_stream_name(), gray, 1, ErrorCode::BadMessage, "1"},
        {"65 slots", unique_stream_name(), gray, 65, ErrorCode::BadMessage, "65"},
        {"published name", name, gray, 0, ErrorCode::StreamExists, name},
        {"capture name", capture_stream, gray, 0, ErrorCode::StreamExists, capture_stream},
        {"live segment", foreign.name(), gray, 0, ErrorCode::StreamExists, foreign.name()},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        PublishClient publisher(sut.port());
        const protocol::ErrorMessage error =
            refusal(publisher.publish(c.name, c.geometry, c.slots), publisher.client);
        EXPECT_EQ(error.code, c.code) << error.text;
        EXPECT_NE(error.text.find(c.named), std::string::npos) << error.text;
        capture_reader_goes_on(capture_reader);
    }
    EXPECT_TRUE(sut.find_stream(name)) << "a refusal ended another client's stream";
}

TEST_F(PublishTest, requestsOutOfTurnAreBadMessages) {
    TestClient capture_reader(sut.port());
    capture_reader.hello("capture reader");
    const auto send_after_publish = [&](bool publish_first, std::vector<protocol::Bytes> sent) {
        PublishClient publisher(sut.port());
        if (publish_first) {
            publisher.publish_ok(unique_stream_name(), gray);
        }
        for (const auto& message : sent) {
            publisher.client.send(message);
        }
        auto error = publisher.client.receive_until(MessageType::Error);
        EXPECT_TRUE(error);
        EXPECT_EQ(protocol::parse_error(error.value_or(protocol::Bytes(8))).code,
                  ErrorCode::BadMessage);
        capture_reader_goes_on(capture_reader);
    };
    const protocol::Bytes write = protocol::encode(protocol::Write{});
    send_after_publish(false, {write});
    send_after_publish(true, {write, write});
    send_after_publish(true, {protocol::encode(protocol::Done{0, 0, 0})});
    send_after_publish(true, {protocol::encode(protocol::Cancel{0})});
    send_after_publish(true, {write, protocol::encode(protocol::Done{7, 0, 0})});
    send_after_publish(true, {protocol::encode(protocol::Publish{8, 8, 2, 0, 0, "second"})});
}

}  // namespace
}  // namespace framebridge::test

namespace framebridge::test {
namespace {

class PublishLimitTest : public NotifyServerTest {
protected:
    PublishLimitTest()
        : NotifyServerTest(
              quick_policy([](app::SessionPolicy& p) { p.max_publish_bytes = 1 << 20; })) {}
};

TEST_F(PublishLimitTest, aPublishOverTheServersLimitIsABadMessageNamingTheSize) {
    PublishClient publisher(sut.port());
    const auto answer =
        publisher.publish(unique_stream_name(), {1024, 1024, shm::PixelFormat::Bgr8});
    ASSERT_TRUE(answer && answer->first.type == protocol::MessageType::Error);
    const protocol::ErrorMessage error = protocol::parse_error(answer->second);
    EXPECT_EQ(error.code, protocol::ErrorCode::BadMessage);
    EXPECT_NE(error.text.find("limit of 1048576"), std::string::npos) << error.text;
    PublishClient small(sut.port());
    small.publish_ok(unique_stream_name(), {64, 64, shm::PixelFormat::Gray8});
}

}  // namespace
}  // namespace framebridge::test
