#include "framebridge/app/rtsp/rtsp_server.hpp"

#include "framebridge/app/pipeline/pipeline.hpp"
#include "support/unique_name.hpp"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

using namespace framebridge;

namespace {

app::PipelineConfig small_config() {
    app::PipelineConfig config;
    config.geometry = {160, 96, shm::PixelFormat::Bgr8};
    config.fps = 60;
    config.port = 0;
    config.name = test::unique_stream_name();
    return config;
}

app::RtspConfig any_port() {
    app::RtspConfig config;
    config.port = 0;
    return config;
}

// A real RTSP client in this process: rtspsrc, the H.264 depayloader, and a sink to count.
class RtspReader {
public:
    explicit RtspReader(const std::string& url) {
        GError* error = nullptr;
        pipeline_ = gst_parse_launch(("rtspsrc location=" + url +
                                      " protocols=tcp latency=0 ! rtph264depay ! "
                                      "appsink name=out sync=false")
                                         .c_str(),
                                     &error);
        if (pipeline_ == nullptr) {
            throw std::runtime_error(error != nullptr ? error->message : "gst_parse_launch");
        }
        sink_ = gst_bin_get_by_name(GST_BIN(pipeline_), "out");
        gst_element_set_state(pipeline_, GST_STATE_PLAYING);
    }
    ~RtspReader() {
        gst_element_set_state(pipeline_, GST_STATE_NULL);
        gst_object_unref(sink_);
        gst_object_unref(pipeline_);
    }
    RtspReader(const RtspReader&) = delete;
    RtspReader& operator=(const RtspReader&) = delete;

    // True when an encoded frame came within 5 s.
    bool next() {
        GstSample* sample = gst_app_sink_try_pull_sample(GST_APP_SINK(sink_), 5 * GST_SECOND);
        if (sample == nullptr) {
            return false;
        }
        gst_sample_unref(sample);
        return true;
    }

    // True when the client gave up with an error (e.g. 404) within 5 s.
    bool failed() {
        GstBus* bus = gst_element_get_bus(pipeline_);
        GstMessage* error = gst_bus_timed_pop_filtered(bus, 5 * GST_SECOND, GST_MESSAGE_ERROR);
        gst_object_unref(bus);
        if (error == nullptr) {
            return false;
        }
        gst_message_unref(error);
        return true;
    }

private:
    GstElement* pipeline_ = nullptr;
    GstElement* sink_ = nullptr;
};

}  // namespace

TEST(RtspServer, aClientReceivesEncodedFramesOfACaptureStreamAndEachSlotComesBack) {
    const app::PipelineConfig config = small_config();
    app::Pipeline pipeline(config);
    {
        app::RtspServer sut(pipeline, any_port());
        RtspReader reader(sut.url(config.name));
        for (int i = 0; i < 5; ++i) {
            ASSERT_TRUE(reader.next()) << "frame " << i;
        }
        const app::RtspStats stats = sut.stats();
        EXPECT_GE(stats.frames, 5U);
        EXPECT_EQ(stats.clients, 1U);
        // One frame at a time per stream: never more of the ring than one slot.
        EXPECT_LE(stats.held_max, 1U);
        EXPECT_NE(app::format_rtsp_stats(stats).find("x264enc"), std::string::npos);
    }
    // Every lease went back, so the pipeline stops as if RTSP had never been there.
    EXPECT_NO_THROW(pipeline.stop());
}

TEST(RtspServer, aPortInUseIsRefusedNamingThePort) {
    const app::PipelineConfig config = small_config();
    app::Pipeline pipeline(config);
    app::RtspServer first(pipeline, any_port());
    app::RtspConfig same = any_port();
    same.port = first.port();
    try {
        app::RtspServer sut(pipeline, same);
        FAIL() << "a second server on port " << same.port;
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(std::to_string(same.port)), std::string::npos)
            << e.what();
    }
}

TEST(RtspServer, anUnknownStreamIsNotFoundAndTheServerGoesOn) {
    const app::PipelineConfig config = small_config();
    app::Pipeline pipeline(config);
    app::RtspServer sut(pipeline, any_port());
    {
        RtspReader missing(sut.url("no-such-stream"));
        EXPECT_TRUE(missing.failed());
    }
    RtspReader reader(sut.url(config.name));
    EXPECT_TRUE(reader.next());
}
