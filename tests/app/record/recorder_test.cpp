#include "framebridge/app/record/recorder.hpp"
#include "framebridge/app/pipeline/pipeline.hpp"
#include "framebridge/app/record/record_file.hpp"
#include "support/eventually.hpp"
#include "support/unique_name.hpp"

#include <gtest/gtest.h>
#include <filesystem>
#include <fstream>
#include <opencv2/videoio.hpp>
#include <string>
#include <vector>

using namespace framebridge;
using framebridge::test::eventually;
namespace fs = std::filesystem;

namespace {

app::RecordOptions to(const std::string& path, const std::string& stream = "") {
    app::RecordOptions options;
    options.path = path;
    options.stream = stream;
    return options;
}

app::PipelineConfig small_config() {
    app::PipelineConfig config;
    config.geometry = {64, 48, shm::PixelFormat::Bgr8};
    config.fps = 100;
    config.port = 0;
    config.name = test::unique_stream_name();
    return config;
}

struct TempDir {
    TempDir() : path(fs::temp_directory_path() / test::unique_stream_name()) {
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    std::string file(const std::string& name) const { return (path / name).string(); }
    fs::path path;
};

std::vector<std::string> lines_of(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

int frames_in(const std::string& video) {
    cv::VideoCapture capture(video, cv::CAP_FFMPEG);
    int frames = 0;
    for (cv::Mat frame; capture.read(frame);) {
        EXPECT_EQ(frame.cols, 64);
        EXPECT_EQ(frame.rows, 48);
        ++frames;
    }
    return frames;
}

// Records a short run to `name` and checks the video and the sidecar tell the same story.
void records_a_playable_video(const std::string& name) {
    TempDir dir;
    app::Pipeline pipeline(small_config());
    app::Recorder recorder(pipeline, to(dir.file(name)));
    ASSERT_TRUE(eventually([&] { return recorder.stats().frames >= 15; }));
    recorder.stop();
    const app::RecordStats stats = recorder.stats();
    EXPECT_FALSE(stats.running);
    EXPECT_TRUE(stats.error.empty()) << stats.error;
    EXPECT_FALSE(stats.encoder.empty());
    EXPECT_EQ(stats.bytes, fs::file_size(dir.file(name)));
    EXPECT_EQ(frames_in(dir.file(name)), static_cast<int>(stats.frames)) << stats.encoder;

    const std::vector<std::string> lines = lines_of(app::sidecar_path(dir.file(name)));
    ASSERT_EQ(lines.size(), stats.frames + 2);  // the header, the frames, the end
    EXPECT_TRUE(has(lines.front(), R"("type":"recording")")) << lines.front();
    EXPECT_TRUE(has(lines.front(), R"("width":64,"height":48)")) << lines.front();
    EXPECT_TRUE(has(lines.front(), "\"video\":\"" + name + "\"")) << lines.front();
    for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
        EXPECT_TRUE(has(lines[i], R"({"type":"frame","index":)" + std::to_string(i - 1) + ","))
            << lines[i];
    }
    EXPECT_TRUE(has(lines.back(), R"("type":"end","frames":)" + std::to_string(stats.frames)))
        << lines.back();
}

}  // namespace

TEST(Recorder, recordsAnMp4ThatPlaysBackFrameForFrame) {
    records_a_playable_video("clip.mp4");
}

TEST(Recorder, recordsAnMjpegAvi) {
    records_a_playable_video("clip.avi");
}

TEST(Recorder, skipsAndCountsFramesTheEncoderHadNoTimeFor) {
    TempDir dir;
    // Faster than the encoder, most of the time: the count must add up either way.
    app::PipelineConfig config = small_config();
    config.geometry = {320, 240, shm::PixelFormat::Bgr8};
    config.fps = 1000;
    app::Pipeline pipeline(config);
    app::Recorder recorder(pipeline, to(dir.file("clip.avi")));
    ASSERT_TRUE(eventually([&] { return recorder.stats().frames >= 10; }));
    recorder.stop();
    const app::RecordStats stats = recorder.stats();
    // Every seq between the first and the last frame written is in the video or dropped.
    std::vector<std::uint64_t> seqs;
    for (const std::string& line : lines_of(app::sidecar_path(dir.file("clip.avi")))) {
        const auto at = line.find("\"seq\":");
        if (has(line, R"("type":"frame")") && at != std::string::npos) {
            seqs.push_back(std::stoull(line.substr(at + 6)));
        }
    }
    ASSERT_EQ(seqs.size(), stats.frames);
    EXPECT_EQ(seqs.back() - seqs.front() + 1, stats.frames + stats.dropped);
}

TEST(Recorder, anUnwritableFolderIsNamedAndNothingIsLeftBehind) {
    TempDir dir;
    app::Pipeline pipeline(small_config());
    const std::string path = dir.file("no-such-folder/clip.mp4");
    try {
        app::Recorder recorder(pipeline, to(path));
        FAIL() << "no exception";
    } catch (const std::exception& e) {
        EXPECT_TRUE(has(e.what(), "no-such-folder")) << e.what();
        EXPECT_TRUE(has(e.what(), "folder")) << e.what();
    }
    EXPECT_TRUE(fs::is_empty(dir.path));
}

TEST(Recorder, anUnknownStreamIsNamedWithTheStreamsThereAre) {
    TempDir dir;
    const app::PipelineConfig config = small_config();
    app::Pipeline pipeline(config);
    try {
        app::Recorder recorder(pipeline, to(dir.file("clip.mp4"), "nope"));
        FAIL() << "no exception";
    } catch (const std::exception& e) {
        EXPECT_TRUE(has(e.what(), "'nope'")) << e.what();
        EXPECT_TRUE(has(e.what(), config.name)) << e.what();
    }
    EXPECT_TRUE(fs::is_empty(dir.path));
}
