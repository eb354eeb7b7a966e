#include "framebridge/app/sources/source_spec.hpp"

#include <gtest/gtest.h>

using framebridge::app::parse_source_spec;
using framebridge::app::SourceSpec;
using Kind = SourceSpec::Kind;

TEST(SourceSpec, readsEveryKindOfSource) {
    struct Case {
        const char* spec;
        Kind kind;
        int camera;
        const char* target;
    };
    const Case cases[] = {
        {"synthetic", Kind::Synthetic, 0, ""},
        {"camera:0", Kind::Camera, 0, ""},
        {"camera:12", Kind::Camera, 12, ""},
        {"3", Kind::Camera, 3, ""},
        {"clip.avi", Kind::File, 0, "clip.avi"},
        {"/data/a b.mkv", Kind::File, 0, "/data/a b.mkv"},
        {"rtsp://10.0.0.2/live", Kind::Url, 0, "rtsp://10.0.0.2/live"},
        {"http://cam.local/mjpg", Kind::Url, 0, "http://cam.local/mjpg"},
        {"gst:videotestsrc ! appsink", Kind::GStreamer, 0, "videotestsrc ! appsink"},
    };
    for (const Case& c : cases) {
        const SourceSpec sut = parse_source_spec(c.spec);
        EXPECT_EQ(sut.kind, c.kind) << c.spec;
        EXPECT_EQ(sut.camera_index, c.camera) << c.spec;
        EXPECT_EQ(sut.target, c.target) << c.spec;
    }
}

TEST(SourceSpec, refusesWhatCannotBeASourceAndNamesIt) {
    for (const char* bad :
         {"", "camera:", "camera:x", "camera:-1", "camera:1234", "gst:", "gst:  "}) {
        try {
            parse_source_spec(bad);
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("source"), std::string::npos) << e.what();
        }
    }
}

TEST(SourceSpec, describesItselfForPeople) {
    EXPECT_EQ(parse_source_spec("1").describe(), "camera:1");
    EXPECT_EQ(parse_source_spec("a.avi").describe(), "file 'a.avi'");
    EXPECT_EQ(parse_source_spec("gst:videotestsrc").describe(),
              "GStreamer pipeline 'videotestsrc'");
}
