// framebridge::Client against the real NotifyServer, frames published by hand.

#include "framebridge/client/client.hpp"
#include "framebridge/client/streams.hpp"

#include "app/server/publish_client.hpp"
#include "support/eventually.hpp"
#include "support/hand_server.hpp"
#include "support/stamps.hpp"

#include <gtest/gtest.h>
#include <atomic>
#include <cstring>
#include <thread>

using namespace framebridge;
using framebridge::test::eventually;
using framebridge::test::HandServer;
using namespace std::chrono_literals;

namespace {

ConnectOptions options_for(const HandServer& server) {
    ConnectOptions options;
    options.port = server.server.port();
    options.name = "client_test";
    return options;
}

}  // namespace

TEST(Client, handsOverTheNewestFrameInPlaceWithItsGeometryAndTimes) {
    HandServer server;
    server.publish(1);
    const std::uint32_t slot = server.publish(2);
    Client sut(options_for(server));

    const Frame frame = sut.latest(5s);

    EXPECT_EQ(frame.seq(), 2u);
    EXPECT_EQ(frame.slot(), slot);
    EXPECT_EQ(frame.width(), 64u);
    EXPECT_EQ(frame.height(), 16u);
    EXPECT_EQ(frame.stride(), 192u);
    EXPECT_EQ(frame.format(), PixelFormat::Bgr8);
    EXPECT_EQ(std::memcmp(frame.data(), server.ring.slot_data(slot), frame.size_bytes()), 0);
    EXPECT_EQ(test::stamp_problem(frame), "");
    EXPECT_GE(frame.receive_ns(), frame.publish_ns());
    EXPECT_TRUE(frame.valid());
    EXPECT_EQ(sut.segment_name(), server.ring.name());
    EXPECT_EQ(sut.max_leases(), HandServer::SLOTS - 1);
    EXPECT_EQ(sut.newest_seq(), 2u);
}

TEST(Client, aFrameGivesItsLeaseBackWhenReleasedAndWhenItGoes) {
    HandServer server;
    server.publish(1);
    Client sut(options_for(server));
    Frame first = sut.latest(5s);
    ASSERT_TRUE(eventually([&] { return server.total_leases() == 1; }));

    first.release();
    EXPECT_TRUE(first.released());
    ASSERT_TRUE(eventually([&] { return server.total_leases() == 0; }));

    server.publish(2);
    {
        const Frame second = sut.latest(5s);
        ASSERT_TRUE(eventually([&] { return server.total_leases() == 1; }));
    }
    EXPECT_TRUE(eventually([&] { return server.total_leases() == 0; }));
}

TEST(Client, holdingMaxLeasesFramesRefusesAnotherUntilOneIsReleased) {
    HandServer server;
    Client sut(options_for(server));
    server.publish(1);
    Frame first = sut.latest(5s);
    server.publish(2);
    const Frame second = sut.latest(5s);

    try {
        sut.latest(100ms);
        FAIL() << "a third frame was handed over";
    } catch (const FrameBridgeError& e) {
        EXPECT_NE(std::string(e.what()).find("holds 2 frame(s) (seq 1, 2)"), std::string::npos)
            << e.what();
    }

    first.release();
    server.publish(3);
    EXPECT_EQ(sut.latest(5s).seq(), 3u);
}

TEST(Client, aTimedOutRequestStaysOpenForTheNextCall) {
    HandServer server;
    Client sut(options_for(server));

    EXPECT_THROW(sut.latest(50ms), Timeout);
    server.publish(7);

    EXPECT_EQ(sut.latest(5s).seq(), 7u);
}

TEST(Client, aFrameWhoseSlotIsRewrittenIsNoLongerValidAndCannotBeCopied) {
    HandServer server;
    server.publish(1);
    Client sut(options_for(server));
    const Frame frame = sut.latest(5s);
    const std::vector<std::uint8_t> pixels = frame.copy();
    ASSERT_EQ(pixels.size(), 64u * 16u * 3u);
    EXPECT_EQ(pixels[0], 1u);
    EXPECT_EQ(pixels[pixels.size() - 8], 1u);

    // What the producer does to a slot whose lease it took back.
    server.ring.begin_write(frame.slot());

    EXPECT_FALSE(frame.valid());
    EXPECT_THROW(frame.copy(), FrameOverwritten);
}

TEST(Client, aFrameCarriesWhatItsSourceReportedAndNoOtherKey) {
    HandServer server;
    shm::FrameMetadata reported;
    reported.set(shm::MetadataKey::Exposure, 156.0);
    reported.set(shm::MetadataKey::Gain, 0.0);
    reported.set(shm::MetadataKey::WhiteBalanceTemperature, 4600.0);
    server.publish(1, 0, reported);
    Client sut(options_for(server));
    const Frame with = sut.latest(5s);
    server.publish(2);
    const Frame without = sut.latest(5s);

    ASSERT_EQ(with.seq(), 1u);
    const FrameMetadata metadata = with.metadata();
    EXPECT_EQ(metadata.get(MetadataKey::Exposure), 156.0);
    EXPECT_EQ(metadata.get(MetadataKey::Gain), 0.0);
    EXPECT_FALSE(metadata.get(MetadataKey::Fps));
    EXPECT_EQ(metadata.items(), (std::vector<std::pair<MetadataKey, double>>{
                                    {MetadataKey::Exposure, 156.0},
                                    {MetadataKey::Gain, 0.0},
                                    {MetadataKey::WhiteBalanceTemperature, 4600.0}}));
    EXPECT_TRUE(without.metadata().empty());
}

TEST(Client, eachMetadataKeyIsNamedAsTheLayoutNamesIt) {
    // The client's enum mirrors the segment layout's for its public header: same order.
    const std::vector<std::pair<MetadataKey, std::string>> expected{
        {MetadataKey::Exposure, "exposure"},
        {MetadataKey::Gain, "gain"},
        {MetadataKey::Brightness, "brightness"},
        {MetadataKey::Contrast, "contrast"},
        {MetadataKey::Saturation, "saturation"},
        {MetadataKey::Hue, "hue"},
        {MetadataKey::Sharpness, "sharpness"},
        {MetadataKey::Gamma, "gamma"},
        {MetadataKey::WhiteBalanceTemperature, "white_balance_temperature"},
        {MetadataKey::Focus, "focus"},
        {MetadataKey::Zoom, "zoom"},
        {MetadataKey::Backlight, "backlight"},
        {MetadataKey::IsoSpeed, "iso_speed"},
        {MetadataKey::AutoExposure, "auto_exposure"},
        {MetadataKey::AutoWhiteBalance, "auto_white_balance"},
        {MetadataKey::Fps, "fps"}};
    ASSERT_EQ(expected.size(), METADATA_KEY_COUNT);
    for (const auto& [key, name] : expected) {
        EXPECT_EQ(to_string(key), name);
    }
}

TEST(Client, metadataIsItsFramesOrRefusedWhileTheProducerRewritesTheSlot) {
    HandServer server;
    shm::FrameMetadata first;
    first.set(shm::MetadataKey::Exposure, 1.0);
    server.publish(1, 0, first);
    Client sut(options_for(server));
    const Frame frame = sut.latest(5s);

    // What the producer does to a slot whose lease it took back, again and again, once the
    // reader has begun reading; frame numbers are never reused.
    std::atomic<bool> reading{false};
    std::atomic<bool> done{false};
    std::thread producer([&] {
        while (!reading) {
            std::this_thread::yield();
        }
        for (std::uint64_t seq = 1000; seq < 21000; ++seq) {
            shm::FrameInfo info{seq, server.geometry, seq, seq};
            info.metadata.set(shm::MetadataKey::Exposure, static_cast<double>(seq));
            info.metadata.set(shm::MetadataKey::Gain, static_cast<double>(seq));
            server.ring.begin_write(frame.slot());
            server.ring.end_write(frame.slot(), info);
        }
        done = true;
    });
    int read = 0;
    while (!done) {
        try {
            const FrameMetadata metadata = frame.metadata();
            ++read;
            reading = true;
            ASSERT_EQ(metadata.items(),
                      (std::vector<std::pair<MetadataKey, double>>{{MetadataKey::Exposure, 1.0}}));
        } catch (const FrameOverwritten&) {
        }
    }
    producer.join();

    EXPECT_GT(read, 0);
    EXPECT_THROW(frame.metadata(), FrameOverwritten);
}

TEST(Client, anEndedStreamEndsIterationAndLatestSaysSo) {
    HandServer server;
    server.publish(1);
    Client sut(options_for(server));
    int frames = 0;

    for (Frame& frame : sut) {
        EXPECT_EQ(frame.seq(), 1u);
        ++frames;
        server.server.notify_stream_state(protocol::StreamState::Ended, "end of file");
    }

    EXPECT_EQ(frames, 1);
    EXPECT_EQ(sut.stream_state(), StreamState::Ended);
    EXPECT_THROW(sut.latest(1s), StreamEnded);
}

TEST(Client, aStreamStateItDoesNotKnowReadsAsNotLive) {
    HandServer server;
    Client sut(options_for(server));
    server.server.notify_stream_state(static_cast<protocol::StreamState>(9), "something new");

    EXPECT_THROW(sut.latest(200ms), Timeout);

    EXPECT_EQ(sut.stream_state(), StreamState::Unknown);
}

TEST(Client, iterationGivesBackEachFrameBeforeTakingTheNext) {
    HandServer server;
    server.publish(1);
    Client sut(options_for(server));
    std::uint64_t next = 2;

    for (Frame& frame : sut) {
        EXPECT_EQ(server.total_leases(), 1u);
        if (frame.seq() == 5) {
            break;
        }
        server.publish(next++);
    }

    EXPECT_EQ(next, 6u);
}

TEST(Client, closingGivesBackEveryFrameAndHeldPixelsStayReadable) {
    HandServer server;
    server.publish(1);
    Client sut(options_for(server));
    Frame frame = sut.latest(5s);

    sut.close();

    EXPECT_TRUE(eventually([&] { return server.total_leases() == 0; }));
    EXPECT_EQ(test::stamp_problem(frame), "");
    frame.release();
    EXPECT_THROW(sut.latest(1s), FrameBridgeError);
}

TEST(Client, readsTheStreamItNamesAndWithoutANameTheServersFirst) {
    HandServer server({}, 1);
    server.publish(1);
    server.publish_on(0, 7);
    ConnectOptions options = options_for(server);
    options.stream = server.more[0]->name;
    Client sut(options);
    Client first(options_for(server));

    const Frame frame = sut.latest(5s);

    EXPECT_EQ(frame.seq(), 7u);
    EXPECT_EQ(test::stamp_problem(frame), "");
    EXPECT_EQ(sut.stream(), server.more[0]->name);
    EXPECT_EQ(sut.segment_name(), server.more[0]->ring.name());
    EXPECT_EQ(first.stream(), server.name);
    EXPECT_EQ(first.latest(5s).seq(), 1u);
}

TEST(Client, aStreamTheServerDoesNotHaveIsStreamNotFoundListingTheOnesItHas) {
    HandServer server({}, 1);
    ConnectOptions options = options_for(server);
    options.stream = "no-such-stream";

    try {
        Client sut(options);
        FAIL() << "connected to stream " << sut.stream();
    } catch (const StreamNotFound& e) {
        EXPECT_NE(std::string(e.what()).find("no-such-stream"), std::string::npos) << e.what();
        EXPECT_EQ(e.names(), (std::vector<std::string>{server.name, server.more[0]->name}));
    }
}

TEST(Client, aStreamNameThatBreaksTheRuleIsRefusedBeforeConnecting) {
    ConnectOptions options;
    options.port = 1;  // nothing there: the name is refused first
    options.stream = "front cam";

    try {
        Client sut(options);
        FAIL() << "connected to stream " << sut.stream();
    } catch (const ServerUnavailable& e) {
        FAIL() << e.what();
    } catch (const FrameBridgeError& e) {
        EXPECT_NE(std::string(e.what()).find("'front cam'"), std::string::npos) << e.what();
    }
}

TEST(Client, aFrameMadeFromAnotherStreamsFrameCarriesItsSourceSeq) {
    HandServer server;
    server.publish(1, 41);
    Client sut(options_for(server));

    const Frame frame = sut.latest(5s);

    EXPECT_EQ(frame.source_seq(), 41u);
    EXPECT_EQ(frame.info().source_seq, 41u);
}

TEST(Client, listStreamsTellsEachStreamTheFirstFirst) {
    HandServer server({}, 1);
    server.publish_on(0, 5);

    const std::vector<StreamInfo> sut = list_streams(options_for(server));

    ASSERT_EQ(sut.size(), 2u);
    EXPECT_EQ(sut[0].name, server.name);
    EXPECT_EQ(sut[0].newest_seq, 0u);
    EXPECT_EQ(sut[1].name, server.more[0]->name);
    EXPECT_EQ(sut[1].newest_seq, 5u);
    EXPECT_EQ(sut[1].clients, 0u);
    for (const StreamInfo& stream : sut) {
        EXPECT_EQ(stream.width, 64u);
        EXPECT_EQ(stream.height, 16u);
        EXPECT_EQ(stream.format, PixelFormat::Bgr8);
        EXPECT_EQ(stream.producer, Producer::Capture);
        EXPECT_STREQ(to_string(stream.producer), "capture");
    }
}

TEST(Client, readsAStreamAClientPublishesAndSeesItEndWhenThePublisherGoes) {
    HandServer server;
    test::PublishClient publisher(server.server.port());
    const std::string name = test::unique_stream_name();
    const shm::FrameGeometry gray{32, 8, shm::PixelFormat::Gray8};
    publisher.publish_ok(name, gray);
    ConnectOptions options = options_for(server);
    options.stream = name;
    Client sut(options);
    const std::uint64_t capture_ns = shm::monotonic_now_ns();
    publisher.write_frame(200, gray.payload_size(), 41, capture_ns);

    Frame frame = sut.latest(5s);

    EXPECT_EQ(frame.seq(), 1u);
    EXPECT_EQ(frame.source_seq(), 41u);
    EXPECT_EQ(frame.capture_ns(), capture_ns);
    EXPECT_EQ(frame.format(), PixelFormat::Gray8);
    EXPECT_EQ(frame.copy(), std::vector<std::uint8_t>(32 * 8, 200));
    const std::vector<StreamInfo> streams = list_streams(options_for(server));
    ASSERT_EQ(streams.size(), 2u);
    EXPECT_EQ(streams[1].name, name);
    EXPECT_EQ(streams[1].producer, Producer::Client);
    EXPECT_DOUBLE_EQ(streams[1].fps, 30.0);
    frame.release();
    publisher.client.close();
    EXPECT_THROW(sut.latest(5s), StreamEnded);
}

TEST(Client, aWrongTokenIsAccessDenied) {
    app::SessionPolicy policy;
    policy.token = "right-token";
    HandServer server(policy);
    ConnectOptions options = options_for(server);
    options.token = "wrong-token";

    EXPECT_THROW(Client{options}, AccessDenied);

    options.token = "right-token";
    EXPECT_NO_THROW(Client{options});
}

TEST(Client, noServerIsServerUnavailable) {
    ConnectOptions options;
    options.port = 1;

    EXPECT_THROW(Client{options}, ServerUnavailable);
}
