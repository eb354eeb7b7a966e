#include "framebridge/app/record/sidecar_lines.hpp"
#include "framebridge/app/record/record_file.hpp"
#include "framebridge/app/record/record_stats.hpp"

#include <gtest/gtest.h>
#include <stdexcept>

using namespace framebridge;

TEST(RecordFile, theExtensionChoosesTheContainerInAnyCase) {
    EXPECT_EQ(app::container_of("/tmp/a.mp4"), app::Container::Mp4);
    EXPECT_EQ(app::container_of("clip.MKV"), app::Container::Matroska);
    EXPECT_EQ(app::container_of("x.avi"), app::Container::Avi);
    EXPECT_EQ(app::sidecar_path("/v/clip.mp4"), "/v/clip.mp4.jsonl");
}

TEST(RecordFile, anUnknownExtensionIsRefusedNamingThePathAndTheKnownOnes) {
    try {
        app::container_of("/tmp/clip.mov");
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("/tmp/clip.mov"), std::string::npos) << message;
        EXPECT_NE(message.find(".mp4"), std::string::npos) << message;
        EXPECT_NE(message.find(".avi"), std::string::npos) << message;
    }
    EXPECT_THROW(app::container_of("noextension"), std::invalid_argument);
}

TEST(SidecarLines, aFrameLineGivesItsIndexSeqAndBothTimes) {
    EXPECT_EQ(app::frame_line(3, 41, 1000, 5000),
              R"({"type":"frame","index":3,"seq":41,"capture_ns":1000,"wall_ns":6000})");
    // An unknown capture time has no wall time either.
    EXPECT_EQ(app::frame_line(0, 1, 0, 5000),
              R"({"type":"frame","index":0,"seq":1,"capture_ns":0,"wall_ns":0})");
}

TEST(SidecarLines, aResultLineHoldsEverythingTheResultSaid) {
    app::ResultEvent event;
    event.stream = "front";
    event.sender_id = 7;
    event.sender_name = "faces \"v2\"";
    event.received_ns = 99;
    event.result.seq = 12;
    event.result.capture_ns = 50;
    event.result.boxes = {{1, 2, 3, 4}, {5, 6, 7, 8}};
    event.result.labels = {"face", "cat"};
    event.result.scores = {0.5F, 1.0F};
    event.result.points = {{9, 10}};
    event.result.polylines = {{{0, 0}, {1, 1}}, {}};
    event.result.text = "2 found\tok";
    EXPECT_EQ(app::result_line(event),
              R"({"type":"result","seq":12,"capture_ns":50,"sender_id":7,)"
              R"("sender":"faces \"v2\"","received_ns":99,"boxes":[[1,2,3,4],[5,6,7,8]],)"
              R"("labels":["face","cat"],"scores":[0.5,1],"points":[[9,10]],)"
              R"("polylines":[[[0,0],[1,1]],[]],"text":"2 found\tok"})");
}

TEST(SidecarLines, controlCharactersAreEscapedAndUtf8PassesAsItIs) {
    EXPECT_EQ(app::json_string(std::string("a\x01") + "\\\xc3\xa9"), "\"a\\u0001\\\\\xc3\xa9\"");
}

TEST(SidecarLines, theHeaderAndEndLinesSayWhatWasRecorded) {
    app::SidecarHeader header{
        "front", "clip.mp4", {64, 48, shm::PixelFormat::Gray8}, 30.0, "OpenCV MJPEG", "test", -7};
    EXPECT_EQ(app::header_line(header),
              R"({"type":"recording","version":1,"stream":"front","video":"clip.mp4",)"
              R"("width":64,"height":48,"format":"GRAY8","fps":30,"encoder":"OpenCV MJPEG",)"
              R"("writer":"test","wall_offset_ns":-7})");
    EXPECT_EQ(app::end_line(10, 2, 3), R"({"type":"end","frames":10,"dropped":2,"results":3})");
}

TEST(RecordStats, theLineGivesFramesDroppedSizeAndRateAndWhyItStopped) {
    app::RecordStats s;
    s.path = "clip.mp4";
    s.stream = "front";
    s.encoder = "GStreamer";
    s.frames = 120;
    s.dropped = 3;
    s.results = 2;
    s.bytes = 4'200'000;
    s.fps = 29.8;
    s.seconds = 4;
    EXPECT_EQ(app::format_record_stats(s),
              "recording 'front' to clip.mp4 (GStreamer): 120 frames, 3 dropped, 2 results, "
              "4.2 MB, 29.8 fps, 4.0 s");
    s.error = "size changed";
    EXPECT_NE(app::format_record_stats(s).find("stopped: size changed"), std::string::npos);
}
