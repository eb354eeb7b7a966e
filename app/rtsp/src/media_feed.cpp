#include "media_feed.hpp"

#include "framebridge/app/pipeline/pipeline.hpp"
#include "framebridge/app/rtsp/stamp_band.hpp"

#include <gst/app/gstappsrc.h>
#include <gst/video/video.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace framebridge::app {

namespace {

// Pipeline has no wake-up for readers in its own process; a millisecond of polling adds
// half a millisecond of latency on average and costs next to nothing.
constexpr auto POLL = std::chrono::milliseconds(1);

std::uint64_t steady_ns() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
}

// Steady time to wall time, for the band's second clock.
std::int64_t wall_minus_steady_ns() {
    const auto wall = std::chrono::system_clock::now().time_since_epoch();
    const auto steady = std::chrono::steady_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::nanoseconds>(wall - steady).count();
}

GstVideoFormat video_format(shm::PixelFormat format) {
    switch (format) {
    case shm::PixelFormat::Gray8:
        return GST_VIDEO_FORMAT_GRAY8;
    case shm::PixelFormat::Bgra8:
        return GST_VIDEO_FORMAT_BGRA;
    default:
        return GST_VIDEO_FORMAT_BGR;
    }
}

// A frame GStreamer holds: the lease goes back when GStreamer frees the buffer around it.
struct HeldFrame {
    LocalFrame frame;
    std::shared_ptr<RtspCounters> counters;
    std::shared_ptr<std::atomic<std::uint32_t>> in_flight;

    ~HeldFrame() {
        counters->held.fetch_sub(1);
        in_flight->fetch_sub(1);
    }
};

void release_held(gpointer held) {
    delete static_cast<HeldFrame*>(held);
}

GstElement* child(GstElement* bin, const char* name) {
    GstElement* element = gst_bin_get_by_name(GST_BIN(bin), name);
    if (element == nullptr) {
        throw std::logic_error(std::string("RTSP media has no element named ") + name);
    }
    return element;
}

}  // namespace

bool same_geometry(const shm::FrameGeometry& a, const shm::FrameGeometry& b) {
    return a.width == b.width && a.height == b.height && a.format == b.format;
}

MediaFeed::MediaFeed(Pipeline& pipeline, std::string stream, const shm::FrameGeometry& geometry,
                     GstElement* media_bin, std::shared_ptr<RtspCounters> counters)
    : pipeline_(pipeline),
      stream_(std::move(stream)),
      geometry_(geometry),
      src_(child(media_bin, "src")),
      convert_(child(media_bin, "conv")),
      band_(child(media_bin, "band")),
      encoder_(child(media_bin, "enc")),
      capture_caps_(gst_caps_new_empty_simple("timestamp/x-framebridge-capture")),
      counters_(std::move(counters)),
      in_flight_(std::make_shared<std::atomic<std::uint32_t>>(0)) {
    GstVideoInfo info;
    gst_video_info_set_format(&info, video_format(geometry_.format), geometry_.width,
                              geometry_.height);
    GstCaps* caps = gst_video_info_to_caps(&info);
    gst_app_src_set_caps(GST_APP_SRC(src_), caps);
    gst_caps_unref(caps);
}

MediaFeed::~MediaFeed() {
    stop();
    gst_caps_unref(capture_caps_);
    for (GstElement* element : {encoder_, band_, convert_, src_}) {
        gst_object_unref(element);
    }
}

void MediaFeed::start() {
    // Each probe keeps the feed alive as long as it may run.
    const auto add_probe = [this](GstElement* element, const char* pad_name,
                                  GstPadProbeCallback callback) {
        GstPad* pad = gst_element_get_static_pad(element, pad_name);
        const gulong id = gst_pad_add_probe(
            pad, GST_PAD_PROBE_TYPE_BUFFER, callback,
            new std::shared_ptr<MediaFeed>(shared_from_this()),
            [](gpointer feed) { delete static_cast<std::shared_ptr<MediaFeed>*>(feed); });
        const std::lock_guard lock(probes_mutex_);
        probes_.emplace_back(pad, id);  // the pad's reference goes with the probe
    };
    add_probe(convert_, "sink", [](GstPad*, GstPadProbeInfo* info, gpointer feed) {
        (*static_cast<std::shared_ptr<MediaFeed>*>(feed))->on_convert(info);
        return GST_PAD_PROBE_OK;
    });
    add_probe(band_, "src", [](GstPad* pad, GstPadProbeInfo* info, gpointer feed) {
        (*static_cast<std::shared_ptr<MediaFeed>*>(feed))->on_band(pad, info);
        return GST_PAD_PROBE_OK;
    });
    add_probe(encoder_, "src", [](GstPad*, GstPadProbeInfo* info, gpointer feed) {
        (*static_cast<std::shared_ptr<MediaFeed>*>(feed))->on_encoded(info);
        return GST_PAD_PROBE_OK;
    });
    thread_ = std::thread([this] { run(); });
}

void MediaFeed::force_key_frame() {
    GstPad* pad = gst_element_get_static_pad(encoder_, "src");
    gst_pad_send_event(pad,
                       gst_video_event_new_upstream_force_key_unit(GST_CLOCK_TIME_NONE, TRUE, 0));
    gst_object_unref(pad);
}

void MediaFeed::stop() {
    stopping_ = true;
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) {
        thread_.join();
    }
    std::vector<std::pair<GstPad*, gulong>> probes;
    {
        const std::lock_guard lock(probes_mutex_);
        probes.swap(probes_);
    }
    for (const auto& [pad, id] : probes) {
        gst_pad_remove_probe(pad, id);
        gst_object_unref(pad);
    }
    // The media has stopped, but gst-rtsp-server leaves a live appsrc in PLAYING, its state
    // locked; NULL it, so it is disposed cleanly and lets go of any frame it still queues.
    for (GstElement* element : {src_, convert_, band_, encoder_}) {
        gst_element_set_locked_state(element, FALSE);
        gst_element_set_state(element, GST_STATE_NULL);
    }
}

void MediaFeed::run() {
    while (!stopping_) {
        // One frame at a time: the next is leased once GStreamer has converted the last.
        if (in_flight_->load() > 0 || !push_newest()) {
            std::this_thread::sleep_for(POLL);
        }
    }
}

GstClockTime MediaFeed::playing_time() {
    GST_OBJECT_LOCK(src_);
    const bool playing = GST_STATE(src_) == GST_STATE_PLAYING;
    GST_OBJECT_UNLOCK(src_);
    return playing ? gst_element_get_current_running_time(src_) : GST_CLOCK_TIME_NONE;
}

bool MediaFeed::push_newest() {
    // Stamped here, not by appsrc's do-timestamp, which stamps a buffer pushed before the media
    // plays with a stale time; a sink then waits for it as for a frame far ahead, and the media
    // stalls for good. Nothing is leased until the media plays (live media play to preroll).
    GstClockTime pts = playing_time();
    if (pts == GST_CLOCK_TIME_NONE) {
        return false;
    }
    std::optional<LocalFrame> frame = pipeline_.lease_newest(stream_, last_seq_);
    if (!frame) {
        return false;
    }
    if (!same_geometry(frame->geometry(), geometry_)) {
        // A new source or size: this media ends, and the next request gets one that fits.
        spdlog::info("rtsp: stream '{}' changed to {}x{} {}; its RTSP clients must connect again",
                     stream_, frame->geometry().width, frame->geometry().height,
                     to_string(frame->geometry().format));
        frame.reset();
        gst_app_src_end_of_stream(GST_APP_SRC(src_));
        stopping_ = true;
        return false;
    }
    const std::uint64_t seq = frame->seq();
    if (last_seq_ != 0 && seq > last_seq_ + 1) {
        counters_->skipped.fetch_add(seq - last_seq_ - 1);
    }
    last_seq_ = seq;
    const std::uint64_t capture_ns = frame->capture_ns();
    const gsize size = static_cast<gsize>(frame->stride()) * geometry_.height;
    const gint stride = static_cast<gint>(frame->stride());
    gpointer pixels = const_cast<std::byte*>(frame->pixels());

    counters_->hold();
    in_flight_->fetch_add(1);
    auto* held = new HeldFrame{std::move(*frame), counters_, in_flight_};
    GstBuffer* buffer = gst_buffer_new_wrapped_full(GST_MEMORY_FLAG_READONLY, pixels, size, 0, size,
                                                    held, release_held);
    gsize offsets[GST_VIDEO_MAX_PLANES] = {0};
    gint strides[GST_VIDEO_MAX_PLANES] = {stride};
    gst_buffer_add_video_meta_full(buffer, GST_VIDEO_FRAME_FLAG_NONE,
                                   video_format(geometry_.format), geometry_.width,
                                   geometry_.height, 1, offsets, strides);
    GST_BUFFER_OFFSET(buffer) = seq;
    // Strictly rising, as encoders want, across a pause and play of the media too.
    pts = std::max(pts, last_pts_ + 1);
    last_pts_ = pts;
    GST_BUFFER_PTS(buffer) = pts;
    gst_buffer_add_reference_timestamp_meta(buffer, capture_caps_, capture_ns, GST_CLOCK_TIME_NONE);
    counters_->frames.fetch_add(1);
    // Takes the buffer; when the media is stopping it frees it at once, and the lease with it.
    gst_app_src_push_buffer(GST_APP_SRC(src_), buffer);
    return true;
}

std::uint64_t MediaFeed::find(const std::array<Pair, REMEMBERED>& pairs, std::uint64_t key) {
    for (const Pair& pair : pairs) {
        if (pair.first == key) {
            return pair.second;
        }
    }
    return 0;
}

void MediaFeed::on_convert(GstPadProbeInfo* info) {
    // From here, not from the push: a frame may wait in appsrc until the media plays.
    const std::uint64_t seq = GST_BUFFER_OFFSET(GST_PAD_PROBE_INFO_BUFFER(info));
    const std::lock_guard lock(times_mutex_);
    pushed_by_seq_[seq % REMEMBERED] = {seq, steady_ns()};
}

void MediaFeed::on_band(GstPad* pad, GstPadProbeInfo* info) {
    GstBuffer* buffer = gst_buffer_make_writable(GST_PAD_PROBE_INFO_BUFFER(info));
    GST_PAD_PROBE_INFO_DATA(info) = buffer;
    const std::uint64_t seq = GST_BUFFER_OFFSET(buffer);
    {
        const std::lock_guard lock(times_mutex_);
        if (in_encoder_.size() == REMEMBERED) {
            in_encoder_.pop_front();  // an encoder that drops frames: keep the newest
        }
        in_encoder_.push_back(find(pushed_by_seq_, seq));
    }
    GstReferenceTimestampMeta* capture =
        gst_buffer_get_reference_timestamp_meta(buffer, capture_caps_);
    if (geometry_.width < MIN_STAMP_WIDTH || capture == nullptr) {
        counters_->unstamped.fetch_add(1);
        return;
    }
    GstCaps* caps = gst_pad_get_current_caps(pad);
    GstVideoInfo video;
    const bool known = caps != nullptr && gst_video_info_from_caps(&video, caps);
    if (caps != nullptr) {
        gst_caps_unref(caps);
    }
    GstVideoFrame frame;
    if (!known || !gst_video_frame_map(&frame, &video, buffer, GST_MAP_WRITE)) {
        counters_->unstamped.fetch_add(1);
        return;
    }
    const auto stride = static_cast<std::size_t>(GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0));
    auto* band = static_cast<std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0)) +
                 stride * geometry_.height;
    const auto wall_ns = static_cast<std::int64_t>(capture->timestamp) + wall_minus_steady_ns();
    write_stamp(band, stride, geometry_.width,
                Stamp{seq, capture->timestamp / 1000, static_cast<std::uint64_t>(wall_ns) / 1000});
    gst_video_frame_unmap(&frame);
}

void MediaFeed::on_encoded(GstPadProbeInfo* info) {
    const GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info);
    if (GST_BUFFER_FLAG_IS_SET(buffer, GST_BUFFER_FLAG_HEADER)) {
        return;  // codec headers of their own, no frame
    }
    std::uint64_t pushed_ns = 0;
    {
        const std::lock_guard lock(times_mutex_);
        if (!in_encoder_.empty()) {
            pushed_ns = in_encoder_.front();
            in_encoder_.pop_front();
        }
    }
    if (pushed_ns != 0) {
        counters_->encoded.fetch_add(1);
        counters_->encode_ns.fetch_add(steady_ns() - pushed_ns);
    }
}

}  // namespace framebridge::app
