// The C ABI (framebridge/client.h) over framebridge::Client: every exception stops here and
// becomes an fb_status plus a message kept per thread.

#include "framebridge/client.h"

#include "framebridge/client/client.hpp"
#include "framebridge/client/streams.hpp"
#include "framebridge/shm/monotonic_clock.hpp"

#include <algorithm>
#include <cstring>
#include <new>
#include <string>

struct fb_client {
    framebridge::Client client;
    std::string stream;  ///< what fb_client_stream points into
};

struct fb_frame {
    framebridge::Frame frame;
};

namespace {

thread_local std::string last_error;

fb_status failed(fb_status status, const char* what) noexcept {
    try {
        last_error = what;
    } catch (const std::bad_alloc&) {
        last_error.clear();
    }
    return status;
}

// The status of the exception being handled.
fb_status current_status() noexcept {
    try {
        throw;
    } catch (const framebridge::ServerUnavailable& e) {
        return failed(FB_SERVER_UNAVAILABLE, e.what());
    } catch (const framebridge::ServerGone& e) {
        return failed(FB_SERVER_GONE, e.what());
    } catch (const framebridge::Timeout& e) {
        return failed(FB_TIMEOUT, e.what());
    } catch (const framebridge::ProtocolMismatch& e) {
        return failed(FB_PROTOCOL_MISMATCH, e.what());
    } catch (const framebridge::FrameOverwritten& e) {
        return failed(FB_FRAME_OVERWRITTEN, e.what());
    } catch (const framebridge::StreamEnded& e) {
        return failed(FB_STREAM_ENDED, e.what());
    } catch (const framebridge::AccessDenied& e) {
        return failed(FB_ACCESS_DENIED, e.what());
    } catch (const framebridge::StreamNotFound& e) {
        return failed(FB_STREAM_NOT_FOUND, e.what());
    } catch (const std::exception& e) {
        return failed(FB_ERROR, e.what());
    } catch (...) {
        return failed(FB_ERROR, "unknown error");
    }
}

std::optional<std::chrono::milliseconds> duration(int64_t timeout_ms) {
    if (timeout_ms < 0) {
        return std::nullopt;
    }
    return std::chrono::milliseconds{timeout_ms};
}

framebridge::ConnectOptions connect_options(const fb_connect_options& options) {
    framebridge::ConnectOptions o;
    o.host = options.host != nullptr ? options.host : "127.0.0.1";
    o.port = options.port;
    o.stream = options.stream != nullptr ? options.stream : "";
    o.name = options.name != nullptr ? options.name : "c";
    if (options.token != nullptr) {
        o.token = options.token;
    }
    o.timeout = duration(options.timeout_ms);
    o.reconnect = options.reconnect != 0;
    return o;
}

fb_stream_info stream_info(const framebridge::StreamInfo& info) {
    fb_stream_info c{};
    // The protocol keeps a name to 64 bytes; the last byte stays NUL whatever comes.
    std::memcpy(c.name, info.name.data(), std::min(info.name.size(), sizeof c.name - 1));
    c.width = info.width;
    c.height = info.height;
    c.format = static_cast<uint32_t>(info.format);
    c.fps = info.fps;
    c.producer = static_cast<uint32_t>(info.producer);
    c.clients = info.clients;
    c.newest_seq = info.newest_seq;
    return c;
}

}  // namespace

extern "C" {

void fb_connect_options_init(fb_connect_options* options) {
    if (options != nullptr) {
        *options = fb_connect_options{nullptr, 7600, nullptr, nullptr, nullptr, 5000, 0};
    }
}

fb_status fb_client_connect(const fb_connect_options* options, fb_client** client) {
    if (options == nullptr || client == nullptr) {
        return failed(FB_INVALID_ARGUMENT, "fb_client_connect needs options and a client pointer");
    }
    *client = nullptr;
    try {
        framebridge::Client connected(connect_options(*options));
        std::string stream = connected.stream();
        *client = new fb_client{std::move(connected), std::move(stream)};
        last_error.clear();
        return FB_OK;
    } catch (...) {
        return current_status();
    }
}

fb_status fb_client_latest(fb_client* client, int64_t timeout_ms, fb_frame** frame) {
    if (client == nullptr || frame == nullptr) {
        return failed(FB_INVALID_ARGUMENT, "fb_client_latest needs a client and a frame pointer");
    }
    *frame = nullptr;
    try {
        *frame = new fb_frame{client->client.latest(duration(timeout_ms))};
        return FB_OK;
    } catch (...) {
        return current_status();
    }
}

fb_status fb_list_streams(const fb_connect_options* options, fb_stream_info* streams,
                          size_t capacity, size_t* count) {
    if (options == nullptr || count == nullptr || (streams == nullptr && capacity > 0)) {
        return failed(FB_INVALID_ARGUMENT,
                      "fb_list_streams needs options, a count pointer, and room for `capacity` "
                      "streams");
    }
    *count = 0;
    try {
        const auto infos = framebridge::list_streams(connect_options(*options));
        for (std::size_t i = 0; i < infos.size() && i < capacity; ++i) {
            streams[i] = stream_info(infos[i]);
        }
        *count = infos.size();
        last_error.clear();
        return FB_OK;
    } catch (...) {
        return current_status();
    }
}

const char* fb_client_stream(const fb_client* client) {
    return client != nullptr ? client->stream.c_str() : "";
}

uint64_t fb_client_newest_seq(const fb_client* client) {
    return client != nullptr ? client->client.newest_seq() : 0;
}

void fb_client_close(fb_client* client) {
    delete client;
}

const uint8_t* fb_frame_data(const fb_frame* frame) {
    return frame != nullptr ? frame->frame.data() : nullptr;
}

uint32_t fb_frame_width(const fb_frame* frame) {
    return frame != nullptr ? frame->frame.width() : 0;
}

uint32_t fb_frame_height(const fb_frame* frame) {
    return frame != nullptr ? frame->frame.height() : 0;
}

uint32_t fb_frame_stride(const fb_frame* frame) {
    return frame != nullptr ? frame->frame.stride() : 0;
}

uint32_t fb_frame_format(const fb_frame* frame) {
    return frame != nullptr ? static_cast<uint32_t>(frame->frame.format()) : 0;
}

uint64_t fb_frame_seq(const fb_frame* frame) {
    return frame != nullptr ? frame->frame.seq() : 0;
}

uint64_t fb_frame_capture_ns(const fb_frame* frame) {
    return frame != nullptr ? frame->frame.capture_ns() : 0;
}

uint64_t fb_frame_publish_ns(const fb_frame* frame) {
    return frame != nullptr ? frame->frame.publish_ns() : 0;
}

uint64_t fb_frame_receive_ns(const fb_frame* frame) {
    return frame != nullptr ? frame->frame.receive_ns() : 0;
}

uint64_t fb_frame_source_seq(const fb_frame* frame) {
    return frame != nullptr ? frame->frame.source_seq() : 0;
}

int fb_frame_valid(const fb_frame* frame) {
    return frame != nullptr && frame->frame.valid() ? 1 : 0;
}

fb_status fb_frame_metadata(const fb_frame* frame, uint64_t* reported,
                            double values[FB_METADATA_KEYS]) {
    static_assert(FB_METADATA_KEYS == framebridge::METADATA_KEY_COUNT);
    if (frame == nullptr || reported == nullptr || values == nullptr) {
        return failed(FB_INVALID_ARGUMENT,
                      "fb_frame_metadata: frame, reported and values must "
                      "not be NULL");
    }
    try {
        const framebridge::FrameMetadata metadata = frame->frame.metadata();
        *reported = 0;
        for (std::uint32_t k = 0; k < FB_METADATA_KEYS; ++k) {
            const auto value = metadata.get(static_cast<framebridge::MetadataKey>(k));
            values[k] = value.value_or(0.0);
            *reported |= value ? std::uint64_t{1} << k : 0;
        }
        last_error.clear();
        return FB_OK;
    } catch (...) {
        return current_status();
    }
}

const char* fb_metadata_key_name(uint32_t key) {
    return key < FB_METADATA_KEYS
               ? framebridge::to_string(static_cast<framebridge::MetadataKey>(key))
               : nullptr;
}

void fb_frame_release(fb_frame* frame) {
    delete frame;
}

const char* fb_last_error(void) {
    return last_error.c_str();
}

const char* fb_status_name(fb_status status) {
    switch (status) {
    case FB_OK:
        return "FB_OK";
    case FB_ERROR:
        return "FB_ERROR";
    case FB_SERVER_UNAVAILABLE:
        return "FB_SERVER_UNAVAILABLE";
    case FB_SERVER_GONE:
        return "FB_SERVER_GONE";
    case FB_TIMEOUT:
        return "FB_TIMEOUT";
    case FB_PROTOCOL_MISMATCH:
        return "FB_PROTOCOL_MISMATCH";
    case FB_FRAME_OVERWRITTEN:
        return "FB_FRAME_OVERWRITTEN";
    case FB_STREAM_ENDED:
        return "FB_STREAM_ENDED";
    case FB_ACCESS_DENIED:
        return "FB_ACCESS_DENIED";
    case FB_INVALID_ARGUMENT:
        return "FB_INVALID_ARGUMENT";
    case FB_STREAM_NOT_FOUND:
        return "FB_STREAM_NOT_FOUND";
    }
    return "unknown fb_status";
}

uint64_t fb_now_ns(void) {
    return framebridge::shm::monotonic_now_ns();
}

}  // extern "C"
