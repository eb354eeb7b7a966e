#include "framebridge/app/pipeline/pipeline.hpp"

#include "framebridge/app/sources/synthetic_source.hpp"
#include "framebridge/shm/frame_ring.hpp"
#include "support/eventually.hpp"
#include "support/segment_exists.hpp"
#include "support/test_client.hpp"
#include "support/unique_name.hpp"

#include <gtest/gtest.h>
#include <mutex>
#include <vector>

using namespace framebridge;
using framebridge::test::eventually;
using framebridge::test::segment_exists;
using framebridge::test::TestClient;

namespace {

app::PipelineConfig small_config() {
    app::PipelineConfig config;
    config.geometry = {160, 90, shm::PixelFormat::Bgr8};
    config.fps = 200;
    config.port = 0;
    config.name = test::unique_stream_name();
    return config;
}

}  // namespace

TEST(Pipeline, servesStampedFramesFromItsSegment) {
    const app::PipelineConfig config = small_config();
    app::Pipeline sut(config);
    TestClient client(sut.port());
    const auto welcome = client.hello();
    // The ring the stream is served from, by its full name (Windows: Local\NAME, or @N).
    EXPECT_EQ(welcome.segment_name, shm::FrameRing::open(config.name).name());

    const shm::FrameRing reader = shm::FrameRing::open(welcome.segment_name);
    std::uint64_t last_seq = 0;
    for (int i = 0; i < 5; ++i) {
        const auto frame = client.request(last_seq);
        ASSERT_TRUE(frame);
        EXPECT_GT(frame->seq, last_seq);
        const std::byte* pixels = reader.slot_data(frame->slot);
        EXPECT_EQ(app::read_stamp(pixels, 0), frame->seq);
        EXPECT_EQ(app::read_stamp(pixels, std::size_t{frame->height - 1} * frame->stride +
                                              std::size_t{frame->width} * 3 - 8),
                  frame->seq);
        EXPECT_EQ(reader.slot_sequence(frame->slot), frame->seq);
        client.send(framebridge::protocol::encode(
            framebridge::protocol::Release{frame->slot, frame->seq, 0, 0}));
        last_seq = frame->seq;
    }
    ASSERT_TRUE(eventually([&] { return sut.stats().clients.size() == 1; }));
    EXPECT_EQ(sut.stats().clients[0].frames, 5u);
}

TEST(Pipeline, aLocalReaderHoldsTheNewestFrameInPlaceUntilItLetsGo) {
    const app::PipelineConfig config = small_config();
    app::Pipeline sut(config);
    ASSERT_TRUE(eventually([&] { return sut.stats().capture.published >= 2; }));
    std::optional<app::LocalFrame> held = sut.lease_newest(0);
    ASSERT_TRUE(held);
    const std::uint64_t seq = held->seq();
    EXPECT_EQ(held->geometry().width, 160u);
    EXPECT_EQ(held->stride(), 512u);
    EXPECT_EQ(app::read_stamp(held->pixels(), 0), seq);
    EXPECT_FALSE(sut.lease_newest(sut.stats().capture.published + 100));

    // Long enough for the producer to lap the ring many times: the held slot stays put.
    const std::uint64_t later = seq + 20;
    ASSERT_TRUE(eventually([&] { return sut.stats().capture.published >= later; }));
    EXPECT_EQ(app::read_stamp(held->pixels(), 0), seq);
    held.reset();
    const auto newer = sut.lease_newest(seq);
    ASSERT_TRUE(newer);
    EXPECT_GT(newer->seq(), seq);
}

TEST(Pipeline, aSwitchMovesConnectedClientsToANewGenerationAndNumberingGoesOn) {
    const app::PipelineConfig config = small_config();
    app::Pipeline sut(config);
    TestClient client(sut.port());
    const auto welcome = client.hello();
    const shm::FrameRing old_ring = shm::FrameRing::open(welcome.segment_name);
    const auto held = client.request(0);
    ASSERT_TRUE(held);

    app::PipelineConfig bigger = config;
    bigger.geometry = shm::FrameGeometry{320, 180, shm::PixelFormat::Bgr8};
    sut.switch_source(bigger);

    const auto segment = client.receive_until(framebridge::protocol::MessageType::Segment);
    ASSERT_TRUE(segment);
    const auto notice = framebridge::protocol::parse_segment(*segment);
    EXPECT_EQ(notice.segment_name, shm::FrameRing::open(config.name).name());
    EXPECT_NE(notice.session_id, welcome.session_id);
    EXPECT_GT(notice.segment_size, welcome.segment_size);
    // The old frame is still whole in the old mapping, and giving it back is no error.
    EXPECT_EQ(app::read_stamp(old_ring.slot_data(held->slot), 0), held->seq);
    client.send(
        framebridge::protocol::encode(framebridge::protocol::Release{held->slot, held->seq, 0, 0}));
    client.send(framebridge::protocol::encode(framebridge::protocol::Request{held->seq}));
    const auto frame = client.receive_until(framebridge::protocol::MessageType::Frame);
    ASSERT_TRUE(frame);
    const auto next = framebridge::protocol::parse_frame(*frame);
    EXPECT_EQ(next.width, 320u);
    EXPECT_GT(next.seq, held->seq);
    const shm::FrameRing new_ring = shm::FrameRing::open(notice.segment_name);
    EXPECT_EQ(new_ring.header().session_id, notice.session_id);
    EXPECT_EQ(app::read_stamp(new_ring.slot_data(next.slot), 0), next.seq);
    EXPECT_NE(sut.source_description().find("320x180"), std::string::npos);
}

TEST(Pipeline, aSwitchToASourceThatDoesNotOpenChangesNothing) {
    const app::PipelineConfig config = small_config();
    app::Pipeline sut(config);
    TestClient client(sut.port());
    const auto welcome = client.hello();
    app::PipelineConfig broken = config;
    broken.source = "no-such-clip.avi";
    EXPECT_THROW(sut.switch_source(broken), std::exception);
    EXPECT_EQ(shm::FrameRing::open(config.name).header().session_id, welcome.session_id);
    const auto frame = client.request(0);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->width, 160u);
}

TEST(Pipeline, stopRemovesTheSegmentAndClosesClients) {
    const app::PipelineConfig config = small_config();
    app::Pipeline sut(config);
    TestClient client(sut.port());
    client.hello();
    EXPECT_TRUE(segment_exists(config.name));
    sut.stop();
    EXPECT_FALSE(segment_exists(config.name));
    EXPECT_TRUE(client.closed_by_server());
    sut.stop();
}

TEST(Pipeline, aSecondPipelineOnTheSameNameIsRefusedAndTheFirstGoesOn) {
    const app::PipelineConfig config = small_config();
    app::Pipeline first(config);
    try {
        app::Pipeline second(config);
        FAIL() << "two pipelines share a stream";
    } catch (const shm::SegmentError& e) {
        EXPECT_EQ(e.reason(), shm::SegmentError::Reason::InUse);
    }
    TestClient client(first.port());
    client.hello();
    EXPECT_TRUE(client.request(0));
}

TEST(Pipeline, aSecondPipelineOnTheSamePortIsRefusedAndLeavesNoSegment) {
    const app::PipelineConfig config = small_config();
    app::Pipeline first(config);
    app::PipelineConfig clash = small_config();
    clash.port = first.port();
    EXPECT_THROW(app::Pipeline second(clash), std::runtime_error);
    EXPECT_FALSE(segment_exists(clash.name));
    EXPECT_TRUE(segment_exists(config.name));
}

TEST(Pipeline, anUnknownSourceLeavesNothingBehind) {
    app::PipelineConfig config = small_config();
    config.source = "no-such-clip.avi";
    try {
        app::Pipeline sut(config);
        FAIL() << "a missing file started a pipeline";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("no-such-clip.avi"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(segment_exists(config.name));
}

TEST(Pipeline, pacedByClientsIsRefusedForASourceThatCannotWait) {
    app::PipelineConfig config = small_config();
    config.pace = app::Pace::Clients;
    try {
        app::Pipeline sut(config);
        FAIL() << "the synthetic source was paced by its clients";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("--pace clients works with video files only"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_FALSE(segment_exists(config.name));
}

TEST(Pipeline, servesTwoCaptureStreamsAtOnceEachFromItsOwnSegment) {
    app::PipelineConfig config = small_config();
    const std::string front = test::unique_stream_name();
    const std::string back = test::unique_stream_name();
    config.streams = {{front, "synthetic"}, {back, "synthetic"}};
    app::Pipeline sut(config);
    EXPECT_TRUE(segment_exists(front));
    EXPECT_TRUE(segment_exists(back));
    EXPECT_FALSE(segment_exists(config.name)) << "--name is the one-stream form";

    const std::vector<app::StreamInfo> streams = sut.streams();
    ASSERT_EQ(streams.size(), 2u);
    EXPECT_EQ(streams[0].name, front);
    EXPECT_EQ(streams[1].name, back);
    EXPECT_EQ(streams[1].geometry.width, 160u);
    EXPECT_EQ(streams[1].producer, protocol::Producer::Capture);
    EXPECT_DOUBLE_EQ(streams[1].fps, 200.0);

    for (const std::string& name : {front, back}) {
        TestClient client(sut.port());
        const auto welcome = client.hello("reader", "", name);
        EXPECT_EQ(welcome.segment_name, shm::FrameRing::open(name).name());
        EXPECT_TRUE(client.request(0));
        EXPECT_TRUE(eventually([&] { return sut.lease_newest(name, 0).has_value(); }));
    }
    EXPECT_EQ(sut.stats().streams.size(), 2u);
    sut.stop();
    EXPECT_FALSE(segment_exists(front));
    EXPECT_FALSE(segment_exists(back));
}

TEST(Pipeline, aBadSecondStreamIsRefusedNamingItAndLeavesNothingBehind) {
    app::PipelineConfig config = small_config();
    const std::string front = test::unique_stream_name();
    const std::string back = test::unique_stream_name();
    config.streams = {{front, "synthetic"}, {back, "no-such-file.mp4"}};
    try {
        app::Pipeline sut(config);
        FAIL() << "a source that does not open was taken";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("stream '" + back + "'"), std::string::npos)
            << e.what();
    }
    EXPECT_FALSE(segment_exists(front));
    EXPECT_FALSE(segment_exists(back));

    config.streams = {{front, "synthetic"}, {front, "synthetic"}};
    EXPECT_THROW(app::Pipeline twice(config), std::invalid_argument);
    EXPECT_FALSE(segment_exists(front));
}

TEST(Pipeline, theAppReadsAStreamAClientPublishesByItsName) {
    app::Pipeline sut(small_config());
    const std::string name = test::unique_stream_name();
    TestClient publisher(sut.port());
    publisher.hello("publisher");
    publisher.send(protocol::encode(protocol::Publish{8, 2, 2, 0, 0, name}));
    ASSERT_TRUE(publisher.receive_until(protocol::MessageType::Publishing));
    EXPECT_FALSE(sut.lease_newest(name, 0)) << "nothing published yet";
    publisher.send(protocol::encode(protocol::Write{}));
    const auto slot = publisher.receive_until(protocol::MessageType::Slot);
    ASSERT_TRUE(slot);
    publisher.send(protocol::encode(protocol::Done{protocol::parse_slot(*slot).slot, 41, 0}));

    std::optional<app::LocalFrame> frame;
    ASSERT_TRUE(eventually([&] {
        if (auto newest = sut.lease_newest(name, 0)) {
            frame.emplace(std::move(*newest));
        }
        return frame.has_value();
    }));
    EXPECT_EQ(frame->seq(), 1u);
    EXPECT_EQ(frame->source_seq(), 41u);
    EXPECT_EQ(frame->geometry().format, shm::PixelFormat::Gray8);
    const auto streams = sut.streams();
    ASSERT_EQ(streams.size(), 2u);
    EXPECT_EQ(streams[1].producer, protocol::Producer::Client);

    // The publisher goes while the app holds the frame: the frame stays readable.
    publisher.reset();
    EXPECT_TRUE(eventually([&] { return sut.streams().size() == 1; }));
    EXPECT_FALSE(sut.lease_newest(name, 0));
    EXPECT_EQ(std::to_integer<int>(frame->pixels()[0]), 0) << "a new segment's pixels are 0";
    frame.reset();
}

TEST(Pipeline, aProgramEmbeddingItGetsEveryResultAClientSends) {
    const app::PipelineConfig config = small_config();
    app::Pipeline sut(config);
    std::mutex mutex;
    std::vector<app::ResultEvent> events;
    sut.on_result([&](const app::ResultEvent& event) {
        const std::lock_guard lock(mutex);
        events.push_back(event);
    });
    TestClient client(sut.port());
    const std::uint32_t id = client.hello("faces").client_id;
    protocol::Result result;
    result.seq = 3;
    result.boxes = {{1, 2, 30, 40}};
    result.text = "1 face";

    client.send(protocol::encode(result));

    ASSERT_TRUE(eventually(
        [&] {
            const std::lock_guard lock(mutex);
            return !events.empty();
        },
        std::chrono::seconds{20}));
    const std::lock_guard lock(mutex);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].stream, config.name);
    EXPECT_EQ(events[0].sender_id, id);
    EXPECT_EQ(events[0].sender_name, "faces");
    EXPECT_EQ(events[0].result.seq, 3u);
    EXPECT_EQ(events[0].result.boxes[0].h, 40);
    EXPECT_EQ(events[0].result.text, "1 face");
}
