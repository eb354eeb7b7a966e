/* c_api_test PORT STREAM: the C ABI (framebridge/client.h) from C, against a server on
 * 127.0.0.1:PORT whose streams are synthetic sources, STREAM one of them but not its first.
 * Prints "c_api_test: passed" and exits 0, or names the first check that failed and exits 1. */

#include <framebridge/client.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define CHECK(condition)                                                                  \
    do {                                                                                  \
        if (!(condition)) {                                                               \
            fprintf(stderr, "c_api_test: line %d: %s failed (last error: %s)\n", __LINE__, \
                    #condition, fb_last_error());                                         \
            ++failures;                                                                   \
        }                                                                                 \
    } while (0)

/* The synthetic source's stamp: the frame's seq, little-endian, 8 bytes. */
static uint64_t stamp_at(const uint8_t* bytes) {
    uint64_t value = 0;
    int i;
    for (i = 7; i >= 0; --i) {
        value = (value << 8) | bytes[i];
    }
    return value;
}

int main(int argc, char** argv) {
    fb_connect_options options;
    fb_client* client = NULL;
    fb_frame* first = NULL;
    fb_frame* second = NULL;
    fb_frame* third = NULL;
    const uint8_t* data;
    uint32_t last_row;
    uint64_t reported = 1;
    double values[FB_METADATA_KEYS];

    if (argc != 3) {
        fprintf(stderr, "usage: c_api_test PORT STREAM\n");
        return 2;
    }

    /* No server, bad arguments: status codes and messages, no crash. */
    fb_connect_options_init(&options);
    options.port = 1;
    CHECK(fb_client_connect(&options, &client) == FB_SERVER_UNAVAILABLE);
    CHECK(client == NULL);
    CHECK(strstr(fb_last_error(), "127.0.0.1:1") != NULL);
    CHECK(fb_client_connect(NULL, &client) == FB_INVALID_ARGUMENT);
    CHECK(fb_client_latest(NULL, 0, &first) == FB_INVALID_ARGUMENT);
    CHECK(strcmp(fb_status_name(FB_STREAM_ENDED), "FB_STREAM_ENDED") == 0);
    CHECK(strcmp(fb_status_name(FB_STREAM_NOT_FOUND), "FB_STREAM_NOT_FOUND") == 0);
    CHECK(strcmp(fb_client_stream(NULL), "") == 0);

    /* A stream the server does not have: its error lists the ones it has. */
    options.port = (uint16_t)atoi(argv[1]);
    options.stream = "no-such-stream";
    CHECK(fb_client_connect(&options, &client) == FB_STREAM_NOT_FOUND);
    CHECK(strstr(fb_last_error(), "no-such-stream") != NULL);
    CHECK(strstr(fb_last_error(), argv[2]) != NULL);

    /* The server's streams: every one counted, as many told as there is room for. */
    {
        fb_stream_info streams[4];
        size_t count = 0;
        CHECK(fb_list_streams(&options, streams, 4, &count) == FB_OK);
        CHECK(count == 2);
        CHECK(strcmp(streams[1].name, argv[2]) == 0);
        CHECK(streams[1].width == 320 && streams[1].height == 240 && streams[1].format == 1);
        CHECK(streams[1].producer == 1);
        CHECK(fb_list_streams(&options, streams, 1, &count) == FB_OK && count == 2);
        CHECK(fb_list_streams(&options, NULL, 0, &count) == FB_OK && count == 2);
        CHECK(fb_list_streams(&options, NULL, 1, &count) == FB_INVALID_ARGUMENT);
    }

    /* No stream named: the server's first, which is not STREAM. */
    options.stream = NULL;
    CHECK(fb_client_connect(&options, &client) == FB_OK);
    CHECK(client != NULL && strcmp(fb_client_stream(client), argv[2]) != 0);
    fb_client_close(client);

    options.stream = argv[2];
    options.name = "c_api_test";
    CHECK(fb_client_connect(&options, &client) == FB_OK);
    if (client == NULL) {
        return 1;
    }
    CHECK(strcmp(fb_client_stream(client), argv[2]) == 0);

    /* A frame: its geometry, its stamps, its times. */
    CHECK(fb_client_latest(client, 5000, &first) == FB_OK);
    CHECK(fb_frame_width(first) == 320 && fb_frame_height(first) == 240);
    CHECK(fb_frame_stride(first) == 960 && fb_frame_format(first) == 1);
    data = fb_frame_data(first);
    last_row = fb_frame_height(first) - 1;
    CHECK(stamp_at(data) == fb_frame_seq(first));
    CHECK(stamp_at(data + last_row * fb_frame_stride(first) + 320 * 3 - 8) == fb_frame_seq(first));
    CHECK(fb_frame_valid(first) == 1);
    CHECK(fb_frame_source_seq(first) == 0); /* a capture stream's frames come from no other */
    /* The synthetic source reports no metadata; the key names are the layout's. */
    CHECK(fb_frame_metadata(first, &reported, values) == FB_OK && reported == 0);
    CHECK(fb_frame_metadata(first, NULL, values) == FB_INVALID_ARGUMENT);
    CHECK(strcmp(fb_metadata_key_name(0), "exposure") == 0);
    CHECK(strcmp(fb_metadata_key_name(FB_METADATA_KEYS - 1), "fps") == 0);
    CHECK(fb_metadata_key_name(FB_METADATA_KEYS) == NULL);
    CHECK(fb_frame_receive_ns(first) >= fb_frame_publish_ns(first));
    CHECK(fb_frame_publish_ns(first) >= fb_frame_capture_ns(first));
    CHECK(fb_now_ns() >= fb_frame_receive_ns(first));
    CHECK(fb_client_newest_seq(client) >= fb_frame_seq(first));

    /* The lease limit (3 slots: 2 frames), then room again after a release. */
    CHECK(fb_client_latest(client, 5000, &second) == FB_OK);
    CHECK(fb_frame_seq(second) > fb_frame_seq(first));
    CHECK(fb_client_latest(client, 5000, &third) == FB_ERROR);
    CHECK(third == NULL);
    CHECK(strstr(fb_last_error(), "holds 2 frame(s)") != NULL);
    fb_frame_release(first);
    CHECK(fb_client_latest(client, 5000, &third) == FB_OK);
    fb_frame_release(third);

    /* A frame outlives its client's close, readable, and is released after. */
    fb_client_close(client);
    CHECK(stamp_at(fb_frame_data(second)) == fb_frame_seq(second));
    fb_frame_release(second);
    fb_frame_release(NULL);

    if (failures != 0) {
        fprintf(stderr, "c_api_test: %d check(s) failed\n", failures);
        return 1;
    }
    printf("c_api_test: passed\n");
    return 0;
}
