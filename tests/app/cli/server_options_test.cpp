#include "framebridge/app/cli/server_options.hpp"

#include <gtest/gtest.h>
#include <vector>

using namespace framebridge::app;

namespace {

ParsedOptions parse(std::vector<const char*> args) {
    args.insert(args.begin(), "framebridge-server");
    return parse_server_options(static_cast<int>(args.size()), args.data());
}

}  // namespace

TEST(ServerOptions, defaultsAreThe4kSyntheticStreamOnPort7600) {
    const auto parsed = parse({});
    ASSERT_TRUE(parsed.options);
    const PipelineConfig& p = parsed.options->pipeline;
    EXPECT_EQ(p.source, "synthetic");
    EXPECT_FALSE(p.geometry) << "the source's own size unless asked";
    EXPECT_FALSE(p.fps) << "the source's own rate unless asked";
    EXPECT_EQ(p.fourcc, "");
    EXPECT_FALSE(p.loop);
    EXPECT_EQ(p.port, 7600);
    EXPECT_EQ(p.name, "framebridge");
    EXPECT_EQ(p.slots, 3u);
    EXPECT_EQ(p.listen_address, "127.0.0.1");
}

TEST(ServerOptions, everyFlagIsTaken) {
    const auto parsed = parse({"--size", "640x480", "--fps", "0", "--port", "0", "--name", "cam1",
                               "--slots", "5", "--stats-every", "0.5", "--log-level", "warn",
                               "--source", "camera:2", "--fourcc", "YUYV", "--loop"});
    ASSERT_TRUE(parsed.options) << parsed.message;
    const ServerOptions& o = *parsed.options;
    ASSERT_TRUE(o.pipeline.geometry);
    EXPECT_EQ(o.pipeline.geometry->width, 640u);
    EXPECT_EQ(o.pipeline.geometry->height, 480u);
    EXPECT_EQ(o.pipeline.fps, 0.0);
    EXPECT_EQ(o.pipeline.source, "camera:2");
    EXPECT_EQ(o.pipeline.fourcc, "YUYV");
    EXPECT_TRUE(o.pipeline.loop);
    EXPECT_FALSE(o.list_cameras);
    EXPECT_EQ(o.pipeline.port, 0);
    EXPECT_EQ(o.pipeline.name, "cam1");
    EXPECT_EQ(o.pipeline.slots, 5u);
    EXPECT_EQ(o.stats_every_s, 0.5);
    EXPECT_EQ(o.log_level, "warn");
}

TEST(ServerOptions, helpExitsZeroAndListsTheFlags) {
    const auto parsed = parse({"--help"});
    EXPECT_FALSE(parsed.options);
    EXPECT_EQ(parsed.exit_code, 0);
    for (const char* flag : {"--source", "--size", "--fps", "--port", "--name", "--slots"}) {
        EXPECT_NE(parsed.message.find(flag), std::string::npos) << flag;
    }
}

TEST(ServerOptions, aBadFpsOrPortSaysWhatTheValueMeans) {
    const auto negative = parse({"--fps", "-3"});
    EXPECT_NE(negative.message.find("--fps: -3 frames per second is negative: give a rate up to "
                                    "1000, or 0 to capture as fast as the source goes"),
              std::string::npos)
        << negative.message;
    const auto port = parse({"--port", "70000"});
    EXPECT_NE(port.message.find("70000 is not a TCP port: give 1 to 65535, or 0 to pick a free "
                                "one"),
              std::string::npos)
        << port.message;
    EXPECT_EQ(parse({"--port", "65535"}).options->pipeline.port, 65535);
}

TEST(ServerOptions, badValuesExitTwoAndNameTheValue) {
    struct Case {
        std::vector<const char*> args;
        const char* mentions;
    };
    const std::vector<Case> cases = {
        {{"--size", "4k"}, "4k"},
        {{"--size", "0x100"}, "0x100"},
        {{"--fps", "-1"}, "-1"},
        {{"--slots", "1"}, "1"},
        {{"--port", "70000"}, "70000"},
        {{"--name", "a/b"}, "a/b"},
        {{"--bogus"}, "--bogus"},
        {{"--fourcc", "MJPEG"}, "MJPEG"},
        {{"--source", "camera:x"}, "camera:x"},
        {{"--source", "gst: "}, "gst: "},
    };
    for (const Case& c : cases) {
        const auto parsed = parse(c.args);
        EXPECT_FALSE(parsed.options) << c.mentions;
        EXPECT_EQ(parsed.exit_code, 2) << c.mentions;
        EXPECT_NE(parsed.message.find(c.mentions), std::string::npos) << parsed.message;
    }
}

TEST(ServerOptions, listCamerasIsAnAction) {
    const auto parsed = parse({"--list-cameras"});
    ASSERT_TRUE(parsed.options);
    EXPECT_TRUE(parsed.options->list_cameras);
}

TEST(ParseSize, acceptsCommonSpellings) {
    EXPECT_EQ(parse_size("1920x1080").width, 1920u);
    EXPECT_EQ(parse_size(" 1920 X 1080 ").height, 1080u);
    EXPECT_THROW(parse_size("1920*1080"), std::invalid_argument);
    EXPECT_THROW(parse_size("x1080"), std::invalid_argument);
}

TEST(ServerOptions, paceIsTheSourcesUnlessClientsAreAskedFor) {
    const auto by_default = parse({});
    const auto by_clients = parse({"--pace", "clients", "--source", "clip.mp4"});
    const auto bad = parse({"--pace", "fast"});

    ASSERT_TRUE(by_default.options && by_clients.options) << by_clients.message;
    EXPECT_EQ(by_default.options->pipeline.pace, Pace::Source);
    EXPECT_EQ(by_clients.options->pipeline.pace, Pace::Clients);
    EXPECT_FALSE(bad.options);
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.message.find("fast"), std::string::npos) << bad.message;
}

TEST(ServerOptions, streamIsRepeatedOncePerCaptureStream) {
    const auto parsed =
        parse({"--stream", "front=synthetic", "--stream", "back=camera:1", "--size", "640x480"});
    ASSERT_TRUE(parsed.options) << parsed.message;
    const PipelineConfig& p = parsed.options->pipeline;
    ASSERT_EQ(p.streams.size(), 2u);
    EXPECT_EQ(p.streams[0].name, "front");
    EXPECT_EQ(p.streams[0].source, "synthetic");
    EXPECT_EQ(p.streams[1].name, "back");
    EXPECT_EQ(p.streams[1].source, "camera:1");
    EXPECT_EQ(p.geometry->width, 640u);
    EXPECT_EQ(capture_streams(p).size(), 2u);
    EXPECT_EQ(capture_streams(parse({}).options->pipeline).front().name, "framebridge");
}

TEST(ServerOptions, badStreamsExitTwoAndNameTheStream) {
    struct Case {
        std::vector<const char*> args;
        const char* named;
    };
    const Case cases[] = {
        {{"--stream", "front"}, "front"},
        {{"--stream", "=synthetic"}, "=synthetic"},
        {{"--stream", "bad/name=synthetic"}, "bad/name"},
        {{"--stream", "a=synthetic", "--stream", "a=synthetic"}, "'a' is given twice"},
        {{"--stream", "a=synthetic", "--source", "synthetic"}, "leave out --source"},
        {{"--stream", "a=synthetic", "--name", "b"}, "leave out --source and --name"},
    };
    for (const Case& c : cases) {
        const auto parsed = parse(c.args);
        EXPECT_FALSE(parsed.options) << c.named;
        EXPECT_EQ(parsed.exit_code, 2) << c.named;
        EXPECT_NE(parsed.message.find(c.named), std::string::npos) << parsed.message;
    }
}
