// framebridge::Client against the whole pipeline: the synthetic source's frames, and a source
// switch that moves the stream to a new segment generation.

#include "framebridge/app/pipeline/pipeline.hpp"
#include "framebridge/client/client.hpp"

#include "support/stamps.hpp"
#include "support/unique_name.hpp"

#include <gtest/gtest.h>

using namespace framebridge;
using namespace std::chrono_literals;

namespace {

app::PipelineConfig small_config() {
    app::PipelineConfig config;
    config.geometry = shm::FrameGeometry{320, 240, shm::PixelFormat::Bgr8};
    config.fps = 200;
    config.port = 0;
    config.name = test::unique_stream_name();
    return config;
}

ConnectOptions options_for(const app::Pipeline& pipeline) {
    ConnectOptions options;
    options.port = pipeline.port();
    options.name = "client_pipeline_test";
    return options;
}

}  // namespace

TEST(ClientPipeline, everyFrameIsWholeAndTheOneItClaimsToBe) {
    const app::PipelineConfig config = small_config();
    app::Pipeline pipeline(config);
    ConnectOptions options = options_for(pipeline);
    options.stream = config.name;
    Client sut(options);
    std::uint64_t last_seq = 0;

    for (int i = 0; i < 300; ++i) {
        const Frame frame = sut.latest(5s);
        ASSERT_GT(frame.seq(), last_seq);
        ASSERT_EQ(test::stamp_problem(frame), "");
        ASSERT_TRUE(frame.valid());
        last_seq = frame.seq();
    }
}

TEST(ClientPipeline, followsANewSegmentAndKeepsOldFramesReadable) {
    app::PipelineConfig config = small_config();
    app::Pipeline pipeline(config);
    Client sut(options_for(pipeline));
    const std::uint64_t session = sut.session_id();
    // Every frame this client may hold, so the next latest() works only if the old
    // generation's frames stop counting.
    Frame first = sut.latest(5s);
    Frame second = sut.latest(5s);

    config.geometry = shm::FrameGeometry{160, 120, shm::PixelFormat::Bgr8};
    pipeline.switch_source(config);
    const Frame after = sut.latest(5s);

    EXPECT_EQ(after.width(), 160u);
    EXPECT_EQ(after.height(), 120u);
    EXPECT_GT(after.seq(), second.seq());
    EXPECT_EQ(test::stamp_problem(after), "");
    EXPECT_NE(sut.session_id(), session);
    EXPECT_EQ(test::stamp_problem(first), "");  // the old mapping lives while its frames do
    EXPECT_EQ(test::stamp_problem(second), "");
    EXPECT_EQ(first.width(), 320u);
    first.release();
    second.release();
    EXPECT_EQ(sut.latest(5s).width(), 160u);
}
