#include "framebridge/app/rtsp/rtsp_server.hpp"

#include "media_feed.hpp"
#include "rtsp_counters.hpp"

#include "framebridge/app/pipeline/pipeline.hpp"
#include "framebridge/app/rtsp/encoder_choice.hpp"
#include "framebridge/app/rtsp/stamp_band.hpp"

#include <fmt/format.h>
#include <gst/rtsp-server/rtsp-server.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace framebridge::app {

namespace {

constexpr const char* RTSP_USER = "framebridge";
constexpr guint CLEANUP_EVERY_S = 2;
constexpr auto LET_GO_WAIT = std::chrono::seconds(2);

const char* caps_format(shm::PixelFormat format) {
    switch (format) {
    case shm::PixelFormat::Gray8:
        return "GRAY8";
    case shm::PixelFormat::Bgra8:
        return "BGRA";
    default:
        return "BGR";
    }
}

bool element_exists(const std::string& name) {
    GstElementFactory* factory = gst_element_factory_find(name.c_str());
    if (factory == nullptr) {
        return false;
    }
    gst_object_unref(factory);
    return true;
}

}  // namespace

struct RtspServer::Impl {
    // What a mount serves; its factory's media-configure handler gets it.
    struct Mount {
        Impl* impl;
        std::string stream;
        shm::FrameGeometry geometry;
    };

    Pipeline& pipeline;
    RtspConfig config;
    std::string encoder_element;
    std::shared_ptr<RtspCounters> counters = std::make_shared<RtspCounters>();
    GMainContext* context = nullptr;
    GMainLoop* loop = nullptr;
    GstRTSPServer* server = nullptr;
    GstRTSPMountPoints* mounts = nullptr;
    std::thread loop_thread;
    guint listening = 0;  ///< the server's source in `context`, which accepts connections
    std::uint16_t bound_port = 0;
    std::map<std::string, shm::FrameGeometry> mounted;  ///< the loop's thread only, once it runs

    std::mutex feeds_mutex;
    std::map<GstRTSPMedia*, std::shared_ptr<MediaFeed>> feeds;

    Impl(Pipeline& p, const RtspConfig& c) : pipeline(p), config(c) {}

    std::string launch_for(const StreamInfo& stream) const {
        const shm::FrameGeometry& g = stream.geometry;
        const std::uint32_t kbps =
            config.bitrate_kbps != 0 ? config.bitrate_kbps : default_bitrate_kbps(g, stream.fps);
        const EncoderChoice encoder = choose_encoder(encoder_element, kbps, element_exists);
        const std::uint32_t band = g.width >= MIN_STAMP_WIDTH ? stamp_band_height(g.width) : 0;
        const int fps_milli =
            static_cast<int>(std::lround((stream.fps > 0 ? stream.fps : 30.0) * 1000));
        spdlog::info(
            "rtsp: stream '{}' ({}x{} {}) at {} with {} ({}{}), {}", stream.name, g.width, g.height,
            to_string(g.format), url_for(stream.name), encoder.element, encoder.codec,
            encoder.hardware ? ", hardware" : "",
            encoder.codec == "MJPEG" ? std::string("fixed quality") : fmt::format("{} kb/s", kbps));
        // The caps' framerate is what the encoder's rate control budgets per frame by; the
        // frames' own timestamps say when each was pushed.
        return fmt::format(
            "( appsrc name=src is-live=true format=time "
            "caps=video/x-raw,format={},width={},height={},framerate={}/1000 ! videoconvert "
            "name=conv ! "
            "video/x-raw,format=I420 ! videobox name=band bottom=-{} ! {} )",
            caps_format(g.format), g.width, g.height, fps_milli, band, encoder.launch);
    }

    std::string url_for(const std::string& stream) const {
        return fmt::format("rtsp://{}:{}/{}", config.listen_address, bound_port, stream);
    }

    // Mounts every stream the pipeline has now and drops the mounts of those it no longer
    // has; a stream whose size or format changed gets a new factory, so new clients get
    // media that fits it.
    void sync_mounts() {
        std::map<std::string, shm::FrameGeometry> now;
        for (const StreamInfo& stream : pipeline.streams()) {
            if (stream.geometry.width == 0) {
                continue;  // a capture stream before its first frame
            }
            now[stream.name] = stream.geometry;
            const auto found = mounted.find(stream.name);
            if (found != mounted.end() && same_geometry(found->second, stream.geometry)) {
                continue;
            }
            mount(stream);
        }
        for (const auto& [name, geometry] : mounted) {
            if (now.count(name) == 0) {
                gst_rtsp_mount_points_remove_factory(mounts, ("/" + name).c_str());
            }
        }
        mounted = std::move(now);
    }

    void mount(const StreamInfo& stream) {
        GstRTSPMediaFactory* factory = gst_rtsp_media_factory_new();
        gst_rtsp_media_factory_set_launch(factory, launch_for(stream).c_str());
        // One encoder per stream, whatever the number of its clients.
        gst_rtsp_media_factory_set_shared(factory, TRUE);
        if (!config.token.empty()) {
            gst_rtsp_media_factory_add_role(
                factory, RTSP_USER, GST_RTSP_PERM_MEDIA_FACTORY_ACCESS, G_TYPE_BOOLEAN, TRUE,
                GST_RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, G_TYPE_BOOLEAN, TRUE, nullptr);
        }
        g_signal_connect_data(
            factory, "media-configure", G_CALLBACK(&Impl::on_media_configure),
            new Mount{this, stream.name, stream.geometry},
            [](gpointer mount, GClosure*) { delete static_cast<Mount*>(mount); }, GConnectFlags{});
        gst_rtsp_mount_points_add_factory(mounts, ("/" + stream.name).c_str(), factory);
    }

    // On the loop's thread: no new connections, the clients closed as when they leave (which
    // stops their medias the way gst-rtsp-server expects, its own TCP elements included), then
    // any media left, so every frame GStreamer holds goes back to its ring before the pipeline
    // may stop; no signal reaches this Impl after it. Then the loop ends.
    void stop_serving() {
        if (GSource* source = g_main_context_find_source_by_id(context, listening)) {
            g_source_destroy(source);
        }
        gst_rtsp_server_client_filter(
            server,
            [](GstRTSPServer*, GstRTSPClient* client, gpointer impl) {
                g_signal_handlers_disconnect_by_data(client, impl);
                return GST_RTSP_FILTER_REMOVE;
            },
            this);
        std::map<GstRTSPMedia*, std::shared_ptr<MediaFeed>> left;
        {
            const std::lock_guard lock(feeds_mutex);
            left.swap(feeds);
        }
        for (auto& [media, feed] : left) {
            g_signal_handlers_disconnect_by_data(media, this);
            gst_rtsp_media_unprepare(media);
            feed->stop();
            g_object_unref(media);
        }
        g_main_loop_quit(loop);
    }

    static void on_media_configure(GstRTSPMediaFactory*, GstRTSPMedia* media, Mount* mount) {
        Impl& self = *mount->impl;
        GstElement* bin = gst_rtsp_media_get_element(media);
        auto feed = std::make_shared<MediaFeed>(self.pipeline, mount->stream, mount->geometry, bin,
                                                self.counters);
        gst_object_unref(bin);
        feed->start();
        {
            const std::lock_guard lock(self.feeds_mutex);
            self.feeds[GST_RTSP_MEDIA(g_object_ref(media))] = feed;
        }
        g_signal_connect(media, "unprepared", G_CALLBACK(&Impl::on_media_unprepared), &self);
    }

    static void on_media_unprepared(GstRTSPMedia* media, Impl* self) {
        std::shared_ptr<MediaFeed> feed;
        {
            const std::lock_guard lock(self->feeds_mutex);
            const auto found = self->feeds.find(media);
            if (found == self->feeds.end()) {
                return;
            }
            feed = std::move(found->second);
            self->feeds.erase(found);
        }
        feed->stop();
        g_object_unref(media);
    }

    static GstRTSPStatusCode on_request(GstRTSPClient*, GstRTSPContext*, Impl* self) {
        self->sync_mounts();
        return GST_RTSP_STS_OK;
    }

    static void on_play(GstRTSPClient*, GstRTSPContext* context, Impl* self) {
        std::shared_ptr<MediaFeed> feed;
        {
            const std::lock_guard lock(self->feeds_mutex);
            const auto found = self->feeds.find(context->media);
            if (found != self->feeds.end()) {
                feed = found->second;
            }
        }
        if (feed) {
            feed->force_key_frame();
        }
    }

    static void on_client_closed(GstRTSPClient*, Impl* self) {
        self->counters->clients.fetch_sub(1);
    }

    static void on_client_connected(GstRTSPServer*, GstRTSPClient* client, Impl* self) {
        self->counters->clients.fetch_add(1);
        g_signal_connect(client, "closed", G_CALLBACK(&Impl::on_client_closed), self);
        // Streams come and go: the mounts are brought up to date before a request looks one up.
        g_signal_connect(client, "pre-describe-request", G_CALLBACK(&Impl::on_request), self);
        g_signal_connect(client, "pre-setup-request", G_CALLBACK(&Impl::on_request), self);
        // A client joining a shared media mid-stream would wait for the next key frame.
        g_signal_connect(client, "play-request", G_CALLBACK(&Impl::on_play), self);
    }

    static gboolean on_cleanup(Impl* self) {
        // Sessions of clients that vanished without a TEARDOWN (UDP, killed) time out here.
        GstRTSPSessionPool* pool = gst_rtsp_server_get_session_pool(self->server);
        gst_rtsp_session_pool_cleanup(pool);
        g_object_unref(pool);
        return G_SOURCE_CONTINUE;
    }
};

RtspServer::RtspServer(Pipeline& pipeline, const RtspConfig& config)
    : impl_(std::make_unique<Impl>(pipeline, config)) {
    gst_init(nullptr, nullptr);
    Impl& i = *impl_;
    // Checked once here, so a missing or unknown encoder stops the start, not a client.
    i.encoder_element = choose_encoder(config.encoder, 1, element_exists).element;

    i.context = g_main_context_new();
    i.loop = g_main_loop_new(i.context, FALSE);
    i.server = gst_rtsp_server_new();
    gst_rtsp_server_set_address(i.server, config.listen_address.c_str());
    gst_rtsp_server_set_service(i.server, std::to_string(config.port).c_str());
    if (!config.token.empty()) {
        GstRTSPAuth* auth = gst_rtsp_auth_new();
        GstRTSPToken* token = gst_rtsp_token_new(GST_RTSP_TOKEN_MEDIA_FACTORY_ROLE, G_TYPE_STRING,
                                                 RTSP_USER, nullptr);
        gchar* basic = gst_rtsp_auth_make_basic(RTSP_USER, config.token.c_str());
        gst_rtsp_auth_add_basic(auth, basic, token);
        g_free(basic);
        gst_rtsp_token_unref(token);
        gst_rtsp_server_set_auth(i.server, auth);
        g_object_unref(auth);
    }
    i.mounts = gst_rtsp_server_get_mount_points(i.server);
    g_signal_connect(i.server, "client-connected", G_CALLBACK(&Impl::on_client_connected), &i);

    i.listening = gst_rtsp_server_attach(i.server, i.context);
    if (i.listening == 0) {
        const std::string what = fmt::format(
            "cannot serve RTSP on {}:{}: the port is in use or the address is not this "
            "machine's; give another --rtsp-port (0 picks a free one)",
            config.listen_address, config.port);
        g_object_unref(i.mounts);
        g_object_unref(i.server);
        g_main_loop_unref(i.loop);
        g_main_context_unref(i.context);
        throw std::runtime_error(what);
    }
    i.bound_port = static_cast<std::uint16_t>(gst_rtsp_server_get_bound_port(i.server));
    i.sync_mounts();
    GSource* cleanup = g_timeout_source_new_seconds(CLEANUP_EVERY_S);
    g_source_set_callback(cleanup, reinterpret_cast<GSourceFunc>(&Impl::on_cleanup), &i, nullptr);
    g_source_attach(cleanup, i.context);
    g_source_unref(cleanup);
    i.loop_thread = std::thread([&i] { g_main_loop_run(i.loop); });
    spdlog::info("rtsp: serving every stream at rtsp://{}:{}/NAME, encoder {}{}",
                 config.listen_address, i.bound_port, i.encoder_element,
                 config.token.empty() ? "" : "; clients log in as 'framebridge' with the token");
}

RtspServer::~RtspServer() {
    Impl& i = *impl_;
    // All of the stopping runs on the loop's thread in one go: no connection or request can
    // come in between its steps, so no feed starts once the feeds are stopped. An idle source,
    // not a call, because a quit before g_main_loop_run() has begun would be lost.
    GSource* stop = g_idle_source_new();
    g_source_set_callback(
        stop,
        [](gpointer impl) {
            static_cast<Impl*>(impl)->stop_serving();
            return G_SOURCE_REMOVE;
        },
        &i, nullptr);
    g_source_attach(stop, i.context);
    g_source_unref(stop);
    i.loop_thread.join();
    const auto deadline = std::chrono::steady_clock::now() + LET_GO_WAIT;
    while (i.counters->held.load() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (i.counters->held.load() > 0) {
        spdlog::error("rtsp: GStreamer still holds {} frame(s) after stopping",
                      i.counters->held.load());
    }
    g_object_unref(i.mounts);
    g_object_unref(i.server);
    g_main_loop_unref(i.loop);
    g_main_context_unref(i.context);
}

std::uint16_t RtspServer::port() const noexcept {
    return impl_->bound_port;
}

std::string RtspServer::url(const std::string& stream) const {
    return impl_->url_for(stream);
}

RtspStats RtspServer::stats() const {
    const RtspCounters& c = *impl_->counters;
    RtspStats stats;
    stats.encoder = impl_->encoder_element;
    stats.clients = c.clients.load();
    stats.frames = c.frames.load();
    stats.skipped = c.skipped.load();
    stats.unstamped = c.unstamped.load();
    stats.held = c.held.load();
    stats.held_max = c.held_max.load();
    stats.encoded = c.encoded.load();
    stats.encode_ns = c.encode_ns.load();
    return stats;
}

std::string format_rtsp_stats(const RtspStats& s) {
    const double encode_ms =
        s.encoded == 0 ? 0.0
                       : static_cast<double>(s.encode_ns) / static_cast<double>(s.encoded) / 1e6;
    return fmt::format(
        "rtsp: {} client(s); {} frames to {}, {} skipped while it was busy{}; convert+encode "
        "{:.2f} ms/frame; slots held {} (most {})",
        s.clients, s.frames, s.encoder, s.skipped,
        s.unstamped == 0 ? std::string() : fmt::format(", {} without stamp", s.unstamped),
        encode_ms, s.held, s.held_max);
}

}  // namespace framebridge::app
