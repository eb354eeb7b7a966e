#include "framebridge/app/stats/stats_report.hpp"

#include <gtest/gtest.h>

using namespace framebridge::app;

TEST(StatsReport, oneLineForCaptureAndOnePerClient) {
    PipelineStats stats;
    stats.capture.grabbed = 100;
    stats.capture.published = 98;
    stats.capture.dropped = 2;
    stats.capture.copies = 49;
    stats.capture.fps = 29.97;
    ClientStats client;
    client.id = 3;
    client.name = "print_frames";
    client.pid = 77;
    client.stream = "front";
    client.frames = 50;
    client.skipped = 4;
    client.ready = {10, 210'000, 900'000, 1'500'000};
    stats.clients.push_back(client);

    const auto lines = format_stats(stats);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0],
              "capture 30.0 fps, published 98, dropped 2, copies/frame 0.50, 1 client(s)");
    EXPECT_NE(lines[1].find("client 3 'print_frames' (pid 77) reads 'front': frames 50, skipped 4"),
              std::string::npos)
        << lines[1];
    EXPECT_NE(lines[1].find("publish->ready p50 0.21 ms p99 0.90 ms max 1.50 ms"),
              std::string::npos)
        << lines[1];
    EXPECT_NE(lines[1].find("hold -"), std::string::npos) << lines[1];
    EXPECT_EQ(lines[1].find("out of order"), std::string::npos) << lines[1];
    EXPECT_EQ(lines[1].find("result"), std::string::npos) << lines[1];
}

TEST(StatsReport, resultsSentAndTheirCaptureToResultTimeAreShownWhenThereAreAny) {
    PipelineStats stats;
    ClientStats client;
    client.results = 12;
    client.to_result = {12, 4'100'000, 6'000'000, 7'250'000};
    stats.clients.push_back(client);

    const auto lines = format_stats(stats);
    EXPECT_NE(
        lines.at(1).find("; 12 result(s), capture->result p50 4.10 ms p99 6.00 ms max 7.25 ms"),
        std::string::npos)
        << lines[1];
    EXPECT_EQ(lines[1].find("skipped, read too slowly"), std::string::npos) << lines[1];
}

TEST(StatsReport, resultsAWatcherWasTooSlowToGetAreShownWhenThereAreAny) {
    PipelineStats stats;
    ClientStats client;
    client.results_skipped = 5;
    stats.clients.push_back(client);

    const auto lines = format_stats(stats);
    EXPECT_NE(lines.at(1).find("; 5 result(s) skipped, read too slowly"), std::string::npos)
        << lines[1];
    EXPECT_EQ(lines[1].find("capture->result"), std::string::npos) << lines[1];
}

TEST(StatsReport, releaseTimesOutOfOrderAreShownOnlyWhenThereAreAny) {
    PipelineStats stats;
    ClientStats client;
    client.bad_timings = 3;
    stats.clients.push_back(client);

    const auto lines = format_stats(stats);
    EXPECT_NE(lines.at(1).find("; 3 RELEASE(s) with times out of order, not counted"),
              std::string::npos)
        << lines[1];
}

TEST(StatsReport, aStreamThatIsNotLiveSaysSo) {
    PipelineStats stats;
    stats.capture.state = framebridge::protocol::StreamState::Ended;
    EXPECT_EQ(format_stats(stats).at(0),
              "capture 0.0 fps, published 0, dropped 0, copies/frame 0.00, 0 client(s); stream "
              "ended");
}

TEST(StatsReport, connectionsTurnedAwayOrDroppedGetALineOnlyWhenThereAreAny) {
    PipelineStats stats;
    stats.connections.accepted = 9;
    EXPECT_EQ(format_stats(stats).size(), 1u);
    stats.connections.refused = 2;
    stats.connections.bad_messages = 1;
    stats.connections.stopped_reading = 3;
    EXPECT_EQ(format_stats(stats).at(1),
              "  connections: 9 accepted, 2 refused (token), 1 closed for bad messages, 3 "
              "disconnected for not reading");
}

TEST(StatsReport, everyStreamHasItsLineWithProducerSizeRateAndClients) {
    PipelineStats stats;
    stats.streams.push_back({"front",
                             framebridge::protocol::Producer::Capture,
                             {640, 480, framebridge::shm::PixelFormat::Bgr8},
                             30.0,
                             2,
                             120,
                             120});
    stats.streams.push_back({"edges",
                             framebridge::protocol::Producer::Client,
                             {640, 480, framebridge::shm::PixelFormat::Gray8},
                             0.0,
                             0,
                             7,
                             7});
    const auto lines = format_stats(stats);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[1],
              "  stream 'front' (capture): 640x480 BGR8, 30.0 fps, published 120, 2 client(s)");
    EXPECT_EQ(lines[2],
              "  stream 'edges' (published): 640x480 GRAY8, fps -, published 7, 0 client(s)");
}

TEST(StatsReport, aClientLineNamesTheStreamItPublishesAndTheOneItReads) {
    PipelineStats stats;
    ClientStats client;
    client.id = 4;
    client.name = "canny_edges.py";
    client.pid = 42;
    client.publishes = "edges";
    stats.clients.push_back(client);
    client.stream = "front";
    stats.clients.push_back(client);
    client.publishes.clear();
    client.stream.clear();
    stats.clients.push_back(client);

    const auto lines = format_stats(stats);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[1].rfind("  client 4 'canny_edges.py' (pid 42) publishes 'edges': frames 0", 0),
              0u)
        << lines[1];
    EXPECT_EQ(lines[2].rfind("  client 4 'canny_edges.py' (pid 42) reads 'front', publishes "
                             "'edges': frames 0",
                             0),
              0u)
        << lines[2];
    EXPECT_EQ(lines[3].rfind("  client 4 'canny_edges.py' (pid 42): frames 0", 0), 0u) << lines[3];
}
