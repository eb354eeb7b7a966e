/* The FrameBridge client as a C ABI: any language that calls C can read a stream through it.
 * It wraps framebridge::Client (framebridge/client/client.hpp); no C++ exception crosses it.
 * Every call that can fail returns an fb_status; fb_last_error() then says what went wrong on
 * this thread, for a person. A client and its frames belong to one thread at a time.
 * docs/cpp-client.md shows it in use. */
#ifndef FRAMEBRIDGE_CLIENT_H
#define FRAMEBRIDGE_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One value per error class of the C++ client (and of the Python SDK). */
typedef enum fb_status {
    FB_OK = 0,
    FB_ERROR = 1,               /* FrameBridgeError not listed below, e.g. the lease limit */
    FB_SERVER_UNAVAILABLE = 2,  /* no server answers at the address */
    FB_SERVER_GONE = 3,         /* the server closed the connection */
    FB_TIMEOUT = 4,             /* no answer within the timeout */
    FB_PROTOCOL_MISMATCH = 5,   /* the server sent something this client cannot accept */
    FB_FRAME_OVERWRITTEN = 6,   /* the frame's slot was rewritten while it was read */
    FB_STREAM_ENDED = 7,        /* the stream has no more frames */
    FB_ACCESS_DENIED = 8,       /* the server wants another token */
    FB_INVALID_ARGUMENT = 9,    /* a null pointer or bad value was passed */
    FB_STREAM_NOT_FOUND = 10    /* the server has no stream of that name; the error lists its own */
} fb_status;

typedef struct fb_client fb_client;
typedef struct fb_frame fb_frame;

/* Negative timeouts wait forever. */
#define FB_FOREVER (-1)

typedef struct fb_connect_options {
    const char* host;   /* NULL: "127.0.0.1" */
    uint16_t port;      /* 7600 */
    const char* stream; /* NULL or "": the server's first stream */
    const char* name;   /* NULL: "c"; shown in the server's statistics */
    const char* token;  /* NULL: $FRAMEBRIDGE_TOKEN, unset: none */
    int64_t timeout_ms; /* connect and handshake; 5000 */
    int reconnect;      /* non-zero: wait for a new server when this one goes */
} fb_connect_options;

/* Fills `options` with the defaults above. */
void fb_connect_options_init(fb_connect_options* options);

/* Connects; on FB_OK *client is a client to close with fb_client_close. */
fb_status fb_client_connect(const fb_connect_options* options, fb_client** client);

/* The newest frame, newer than any this client received before; waits at most timeout_ms
 * (FB_FOREVER: forever). On FB_OK *frame is a lease to give back with fb_frame_release. */
fb_status fb_client_latest(fb_client* client, int64_t timeout_ms, fb_frame** frame);

/* The name of the stream the client reads, as the server named it; "" for a NULL client. Valid
 * until fb_client_close. */
const char* fb_client_stream(const fb_client* client);

/* Sequence number of the newest published frame; 0 for a NULL client. */
uint64_t fb_client_newest_seq(const fb_client* client);

/* Disconnects and frees the client; frames still held stay readable until released. */
void fb_client_close(fb_client* client);

/* One stream of a server, as fb_list_streams found it. */
typedef struct fb_stream_info {
    char name[65];       /* NUL-terminated, at most 64 bytes */
    uint32_t width;
    uint32_t height;
    uint32_t format;     /* as fb_frame_format */
    double fps;          /* 0 when unknown or as fast as it goes */
    uint32_t producer;   /* 1 a capture source of the server's, 2 a client that publishes */
    uint32_t clients;    /* connections reading it */
    uint64_t newest_seq; /* 0 before its first frame */
} fb_stream_info;

/* Asks the server `options` names (its stream and reconnect play no part) for its streams, the
 * server's first first: fills at most `capacity` of `streams` and sets *count to how many the
 * server has, which may be more than `capacity`. */
fb_status fb_list_streams(const fb_connect_options* options, fb_stream_info* streams,
                          size_t capacity, size_t* count);

/* The frame's pixels: row y starts at fb_frame_data(f) + y * fb_frame_stride(f). */
const uint8_t* fb_frame_data(const fb_frame* frame);
uint32_t fb_frame_width(const fb_frame* frame);
uint32_t fb_frame_height(const fb_frame* frame);
uint32_t fb_frame_stride(const fb_frame* frame);
/* 1 BGR8, 2 GRAY8, 3 BGRA8 (docs/segment-layout.md). */
uint32_t fb_frame_format(const fb_frame* frame);
uint64_t fb_frame_seq(const fb_frame* frame);
/* Nanoseconds of the host's monotonic clock, the one fb_now_ns() reads. */
uint64_t fb_frame_capture_ns(const fb_frame* frame);
uint64_t fb_frame_publish_ns(const fb_frame* frame);
uint64_t fb_frame_receive_ns(const fb_frame* frame);
/* The frame of another stream this one was made from (a stream a client publishes), 0 for none;
 * capture_ns is then that frame's capture time. */
uint64_t fb_frame_source_seq(const fb_frame* frame);
/* 1 while the slot still holds this frame, 0 once it was taken back and rewritten. */
int fb_frame_valid(const fb_frame* frame);

/* What the source reported with the frame (a camera's exposure, gain, ...: docs/segment-layout.md,
 * Frame metadata): bit k of *reported is set when key k was reported, and then values[k] is its
 * value (the other values are 0). FB_FRAME_OVERWRITTEN if the slot was rewritten meanwhile. */
#define FB_METADATA_KEYS 16
fb_status fb_frame_metadata(const fb_frame* frame, uint64_t* reported,
                            double values[FB_METADATA_KEYS]);
/* "exposure", "gain", ..., "fps" for key 0 to FB_METADATA_KEYS - 1; NULL for any other. */
const char* fb_metadata_key_name(uint32_t key);

/* Gives the frame back to the server and frees it; NULL is ignored. */
void fb_frame_release(fb_frame* frame);

/* What the last failed call on this thread said; "" if none failed. */
const char* fb_last_error(void);
/* "FB_TIMEOUT" and so on. */
const char* fb_status_name(fb_status status);
/* Now, on the clock frame times are in. */
uint64_t fb_now_ns(void);

#ifdef __cplusplus
}
#endif

#endif
