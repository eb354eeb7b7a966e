#include "media_feed.hpp"

#include "framebridge/app/pipeline/pipeline.hpp"
#include "framebridge/app/rtsp/stamp_band.hpp"
#include "support/unique_name.hpp"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

using namespace framebridge;

namespace {

const shm::FrameGeometry GEOMETRY{160, 96, shm::PixelFormat::Bgr8};

// A media's elements as the RTSP server names them, in a pipeline the test plays and pauses
// as gst-rtsp-server does, ending in a sink that keeps time as the server's sinks do.
class MediaBin {
public:
    MediaBin() {
        gst_init(nullptr, nullptr);
        GError* error = nullptr;
        const std::string launch =
            "appsrc name=src is-live=true format=time ! videoconvert name=conv ! "
            "video/x-raw,format=I420 ! videobox name=band bottom=-" +
            std::to_string(app::stamp_band_height(GEOMETRY.width)) +
            " ! x264enc name=enc tune=zerolatency speed-preset=ultrafast ! appsink name=out "
            "sync=true";
        bin_ = gst_parse_launch(launch.c_str(), &error);
        if (bin_ == nullptr) {
            throw std::runtime_error(error != nullptr ? error->message : "gst_parse_launch");
        }
        sink_ = gst_bin_get_by_name(GST_BIN(bin_), "out");
        GstAppSinkCallbacks callbacks{};
        callbacks.new_sample = &MediaBin::on_sample;
        gst_app_sink_set_callbacks(GST_APP_SINK(sink_), &callbacks, this, nullptr);
    }
    ~MediaBin() {
        gst_element_set_state(bin_, GST_STATE_NULL);
        gst_object_unref(sink_);
        gst_object_unref(bin_);
    }
    MediaBin(const MediaBin&) = delete;
    MediaBin& operator=(const MediaBin&) = delete;

    GstElement* element() const { return bin_; }

    void set(GstState state) {
        gst_element_set_state(bin_, state);
        gst_element_get_state(bin_, nullptr, nullptr, 5 * GST_SECOND);
    }

    // The next encoded frame's PTS, or GST_CLOCK_TIME_NONE when none came within 5 s.
    GstClockTime next_pts() {
        std::unique_lock lock(mutex_);
        if (!arrived_.wait_for(lock, std::chrono::seconds{5}, [this] { return !pts_.empty(); })) {
            return GST_CLOCK_TIME_NONE;
        }
        const GstClockTime pts = pts_.front();
        pts_.pop_front();
        return pts;
    }

private:
    // On the streaming thread that made the buffer: its PTS is read there, and only the number
    // crosses to the test's thread, under a lock ThreadSanitizer sees.
    static GstFlowReturn on_sample(GstAppSink* sink, gpointer self) {
        GstSample* sample = gst_app_sink_pull_sample(sink);
        if (sample == nullptr) {
            return GST_FLOW_EOS;
        }
        const GstClockTime pts = GST_BUFFER_PTS(gst_sample_get_buffer(sample));
        gst_sample_unref(sample);
        auto& bin = *static_cast<MediaBin*>(self);
        {
            const std::lock_guard lock(bin.mutex_);
            bin.pts_.push_back(pts);
        }
        bin.arrived_.notify_one();
        return GST_FLOW_OK;
    }

    GstElement* bin_ = nullptr;
    GstElement* sink_ = nullptr;
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::deque<GstClockTime> pts_;
};

app::PipelineConfig small_config() {
    app::PipelineConfig config;
    config.geometry = GEOMETRY;
    config.fps = 60;
    config.port = 0;
    config.name = test::unique_stream_name();
    return config;
}

}  // namespace

TEST(MediaFeed, leasesNothingUntilTheMediaPlaysAndStampsFramesRisingAcrossAPause) {
    const app::PipelineConfig config = small_config();
    app::Pipeline pipeline(config);
    auto counters = std::make_shared<app::RtspCounters>();
    {
        MediaBin media;
        auto sut = std::make_shared<app::MediaFeed>(pipeline, config.name, GEOMETRY,
                                                    media.element(), counters);
        media.set(GST_STATE_PAUSED);
        sut->start();
        // A frame pushed now would carry a time from no clock, and a playing sink would wait
        // for it as for a frame far ahead: the media would stall for good.
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        EXPECT_EQ(counters->frames.load(), 0U);
        EXPECT_EQ(counters->held.load(), 0U);

        media.set(GST_STATE_PLAYING);
        GstClockTime last = 0;
        for (int i = 0; i < 10; ++i) {
            if (i == 5) {
                media.set(GST_STATE_PAUSED);
                media.set(GST_STATE_PLAYING);
            }
            const GstClockTime pts = media.next_pts();
            ASSERT_NE(pts, GST_CLOCK_TIME_NONE) << "no frame " << i << " within 5 s";
            EXPECT_GT(pts, last) << "frame " << i;
            last = pts;
        }
        sut->stop();
    }
    EXPECT_EQ(counters->held.load(), 0U);
    EXPECT_NO_THROW(pipeline.stop());
}
