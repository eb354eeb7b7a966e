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

TEST(ServerRtspOptions, rtspIsOffUnlessAPortIsGiven) {
    const auto parsed = parse({});
    ASSERT_TRUE(parsed.options);
    EXPECT_FALSE(parsed.options->rtsp.port);
    EXPECT_EQ(parsed.options->rtsp.encoder, "auto");
    EXPECT_EQ(parsed.options->rtsp.bitrate_kbps, 0U);
}

#ifdef FRAMEBRIDGE_HAVE_RTSP
TEST(ServerRtspOptions, portEncoderAndBitrateAreTaken) {
    const auto parsed =
        parse({"--rtsp-port", "8554", "--rtsp-encoder", "x264enc", "--rtsp-bitrate", "3000"});
    ASSERT_TRUE(parsed.options) << parsed.message;
    EXPECT_EQ(parsed.options->rtsp.port, 8554);
    EXPECT_EQ(parsed.options->rtsp.encoder, "x264enc");
    EXPECT_EQ(parsed.options->rtsp.bitrate_kbps, 3000U);
}

TEST(ServerRtspOptions, aBadRtspPortSaysWhatAPortIs) {
    const auto parsed = parse({"--rtsp-port", "70000"});
    EXPECT_EQ(parsed.exit_code, 2);
    EXPECT_NE(parsed.message.find("is not a TCP port"), std::string::npos) << parsed.message;
}
#else
TEST(ServerRtspOptions, aBuildWithoutRtspRefusesTheRtspPortSayingWhy) {
    const auto parsed = parse({"--rtsp-port", "8554"});
    EXPECT_EQ(parsed.exit_code, 2);
    EXPECT_NE(parsed.message.find("no RTSP server"), std::string::npos) << parsed.message;
}
#endif
