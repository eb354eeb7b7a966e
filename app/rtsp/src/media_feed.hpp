#pragma once

#include "rtsp_counters.hpp"

#include "framebridge/shm/segment_layout.hpp"

#include <gst/gst.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace framebridge::app {

class Pipeline;

// Same size and pixel format: a media made for one fits frames of the other.
bool same_geometry(const shm::FrameGeometry& a, const shm::FrameGeometry& b);

// One RTSP media's source: a thread that leases the stream's newest frame and pushes the
// slot itself into the media's appsrc ("src"), one frame at a time, and the probes that time
// conversion and encoding ("conv" to "enc") and write the stamp band ("band", after videobox).
class MediaFeed : public std::enable_shared_from_this<MediaFeed> {
public:
    MediaFeed(Pipeline& pipeline, std::string stream, const shm::FrameGeometry& geometry,
              GstElement* media_bin, std::shared_ptr<RtspCounters> counters);
    ~MediaFeed();
    MediaFeed(const MediaFeed&) = delete;
    MediaFeed& operator=(const MediaFeed&) = delete;

    void start();
    // A client that starts playing decodes from the next key frame: make it this one.
    void force_key_frame();
    // Joins the thread; frames already pushed go back as GStreamer lets go of them.
    void stop();

private:
    using Pair = std::pair<std::uint64_t, std::uint64_t>;
    static constexpr std::size_t REMEMBERED = 16;

    void run();
    // The appsrc's running time while it plays, else GST_CLOCK_TIME_NONE.
    GstClockTime playing_time();
    bool push_newest();
    void on_convert(GstPadProbeInfo* info);
    void on_band(GstPad* pad, GstPadProbeInfo* info);
    void on_encoded(GstPadProbeInfo* info);
    static std::uint64_t find(const std::array<Pair, REMEMBERED>& pairs, std::uint64_t key);

    Pipeline& pipeline_;
    const std::string stream_;
    const shm::FrameGeometry geometry_;
    GstElement* src_;
    GstElement* convert_;
    GstElement* band_;
    GstElement* encoder_;
    GstCaps* capture_caps_;
    std::shared_ptr<RtspCounters> counters_;
    std::shared_ptr<std::atomic<std::uint32_t>> in_flight_;
    std::uint64_t last_seq_ = 0;
    GstClockTime last_pts_ = 0;

    std::mutex times_mutex_;
    std::array<Pair, REMEMBERED> pushed_by_seq_{};  ///< seq -> when conversion began
    // When each frame now in the encoder was handed over. Encoders shift PTS (x264enc by
    // 1000 hours, to keep DTS positive), but with no B-frames they put out frames in order.
    std::deque<std::uint64_t> in_encoder_;

    std::atomic<bool> stopping_{false};
    std::thread thread_;
    // The probes keep this feed alive: stop() removes them, so the feed can go.
    std::vector<std::pair<GstPad*, gulong>> probes_;
    std::mutex probes_mutex_;
};

}  // namespace framebridge::app
