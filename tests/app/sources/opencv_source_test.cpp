#include "framebridge/app/sources/opencv_source.hpp"

#include "framebridge/app/pipeline/pipeline.hpp"
#include "media/sample_video.hpp"
#include "support/eventually.hpp"
#include "support/unique_name.hpp"

#include <gtest/gtest.h>
#include <filesystem>
#include <fstream>
#include <vector>

using namespace framebridge;
using app::CaptureRequest;
using app::GrabResult;
using app::OpenCvSource;
using app::SourceSpec;

namespace {

namespace fs = std::filesystem;

// A frame buffer laid out as a slot is: rows padded to the ring's stride.
struct Slot {
    explicit Slot(const shm::FrameGeometry& g) : geometry(g), bytes(g.payload_size()) {}
    cv::Mat view() {
        return cv::Mat(static_cast<int>(geometry.height), static_cast<int>(geometry.width), CV_8UC3,
                       bytes.data(), geometry.stride());
    }
    shm::FrameGeometry geometry;
    std::vector<std::byte> bytes;
};

class OpenCvSourceTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir = fs::temp_directory_path() / test::unique_stream_name();
        fs::create_directories(dir);
        test::write_sample_video((dir / "mjpg.avi").string(), "MJPG", {320, 240}, FRAMES, 25);
        test::write_sample_video((dir / "h264.mp4").string(), "avc1", {320, 240}, FRAMES, 25);
    }
    static void TearDownTestSuite() { fs::remove_all(dir); }

    static SourceSpec file(const std::string& name) {
        return app::parse_source_spec((dir / name).string());
    }

    static constexpr int FRAMES = 12;
    static inline fs::path dir;
};

std::string source_error(const std::string& spec, const CaptureRequest& request = {}) {
    try {
        OpenCvSource source(app::parse_source_spec(spec), request);
    } catch (const app::SourceError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

class SampleFiles : public OpenCvSourceTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(SampleFiles, everyFrameArrivesInOrderDecodedStraightIntoTheSlot) {
    OpenCvSource sut(file(GetParam()), {});
    ASSERT_EQ(sut.geometry().width, 320u);
    ASSERT_EQ(sut.geometry().height, 240u);
    EXPECT_DOUBLE_EQ(sut.natural_fps(), 25.0);
    Slot slot(sut.geometry());
    for (int i = 0; i < FRAMES; ++i) {
        ASSERT_EQ(sut.grab(), GrabResult::Frame) << i;
        ASSERT_TRUE(sut.retrieve(slot.bytes.data(), slot.geometry.stride(), 1));
        EXPECT_EQ(test::read_counter(slot.view()), i);
    }
    EXPECT_EQ(sut.grab(), GrabResult::End);
    // The first frame was read at open to learn the size, and copied in; none since.
    EXPECT_EQ(sut.copies(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Codecs, SampleFiles, ::testing::Values("mjpg.avi", "h264.mp4"),
                         [](const ::testing::TestParamInfo<const char*>& param_info) {
                             return fs::path(param_info.param).stem().string();
                         });

TEST_F(OpenCvSourceTest, aFileReportsItsFrameRateAndNothingElse) {
    OpenCvSource sut(file("mjpg.avi"), {});
    Slot slot(sut.geometry());
    ASSERT_EQ(sut.grab(), GrabResult::Frame);
    ASSERT_TRUE(sut.retrieve(slot.bytes.data(), slot.geometry.stride(), 1));

    const shm::FrameMetadata metadata = sut.metadata();

    EXPECT_EQ(metadata.reported, std::uint64_t{1} << static_cast<int>(shm::MetadataKey::Fps));
    EXPECT_EQ(metadata.get(shm::MetadataKey::Fps), 25.0);
}

TEST_F(OpenCvSourceTest, rewindStartsAFileAgainAtItsFirstFrame) {
    OpenCvSource sut(file("mjpg.avi"), {});
    Slot slot(sut.geometry());
    while (sut.grab() == GrabResult::Frame) {
        sut.retrieve(slot.bytes.data(), slot.geometry.stride(), 1);
    }
    ASSERT_TRUE(sut.rewind());
    ASSERT_EQ(sut.grab(), GrabResult::Frame);
    sut.retrieve(slot.bytes.data(), slot.geometry.stride(), 1);
    EXPECT_EQ(test::read_counter(slot.view()), 0);
}

TEST_F(OpenCvSourceTest, aGStreamerPipelineDeliversItsSizeAndEndsWithIt) {
    for (const auto& [width, height] : {std::pair{1920, 1080}, std::pair{3840, 2160}}) {
        const std::string spec =
            "gst:videotestsrc num-buffers=4 ! video/x-raw,width=" + std::to_string(width) +
            ",height=" + std::to_string(height);
        OpenCvSource sut(app::parse_source_spec(spec), {});
        ASSERT_EQ(sut.geometry().width, static_cast<std::uint32_t>(width));
        ASSERT_EQ(sut.geometry().height, static_cast<std::uint32_t>(height));
        Slot slot(sut.geometry());
        int frames = 0;
        while (sut.grab() == GrabResult::Frame) {
            ASSERT_TRUE(sut.retrieve(slot.bytes.data(), slot.geometry.stride(), 1));
            ++frames;
        }
        EXPECT_EQ(frames, 4) << spec;
        EXPECT_EQ(sut.copies(), 1u) << spec;
        EXPECT_EQ(sut.metadata().reported, 0u) << "a pipeline reports no metadata: " << spec;
    }
}

TEST_F(OpenCvSourceTest, badSourcesAreRefusedNamingTheSourceAndWhatFailed) {
    std::ofstream(dir / "corrupt.avi") << "this is not a video, just some bytes";
    struct Case {
        std::string spec;
        const char* says;
    };
    const std::vector<Case> cases = {
        {(dir / "missing.avi").string(), "no such file"},
        {(dir / "corrupt.avi").string(), "corrupt.avi"},
        {"camera:7", "no such camera"},
        {"webcam", "no such file; a camera is camera:N (camera:0 is the first; --list-cameras"},
        {"gst:no_such_element ! appsink", "no element \"no_such_element\""},
        {"rtsp://127.0.0.1:1/nothing", "rtsp://127.0.0.1:1/nothing"},
    };
    for (const Case& c : cases) {
        const std::string error = source_error(c.spec);
        EXPECT_NE(error.find(c.says), std::string::npos) << c.spec << ": '" << error << "'";
    }
}

TEST_F(OpenCvSourceTest, aFileWithoutLoopEndsTheStreamAndTheServerStaysUp) {
    app::PipelineConfig config;
    config.source = (dir / "mjpg.avi").string();
    config.fps = 200;
    config.port = 0;
    config.name = test::unique_stream_name();
    app::Pipeline sut(config);
    ASSERT_TRUE(test::eventually(
        [&] { return sut.stats().capture.state == framebridge::protocol::StreamState::Ended; }));
    EXPECT_EQ(sut.stats().capture.published, static_cast<std::uint64_t>(FRAMES));
    EXPECT_NE(sut.port(), 0);
}

TEST_F(OpenCvSourceTest, aFileWithLoopPlaysOnFromTheStart) {
    app::PipelineConfig config;
    config.source = (dir / "mjpg.avi").string();
    config.fps = 500;
    config.loop = true;
    config.port = 0;
    config.name = test::unique_stream_name();
    app::Pipeline sut(config);
    ASSERT_TRUE(test::eventually(
        [&] { return sut.stats().capture.published > 3 * static_cast<std::uint64_t>(FRAMES); }));
    EXPECT_EQ(sut.stats().capture.state, framebridge::protocol::StreamState::Live);
}
