/* framebridge-print-frames-c [PORT [COUNT [STREAM]]]: print_frames.cpp through the C ABI. */

#include <framebridge/client.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
    fb_connect_options options;
    fb_client* client = NULL;
    long count = argc > 2 ? atol(argv[2]) : 100;
    long seen = 0;
    fb_status status;

    fb_connect_options_init(&options);
    options.port = (uint16_t)(argc > 1 ? atoi(argv[1]) : 7600);
    options.name = "print_frames.c";
    options.stream = argc > 3 ? argv[3] : NULL;
    status = fb_client_connect(&options, &client);
    if (status != FB_OK) {
        fprintf(stderr, "print_frames: %s: %s\n", fb_status_name(status), fb_last_error());
        return 1;
    }
    printf("stream %s\n", fb_client_stream(client));
    while (seen < count) {
        fb_frame* frame = NULL;
        status = fb_client_latest(client, 5000, &frame);
        if (status == FB_STREAM_ENDED) {
            break;
        }
        if (status != FB_OK) {
            fprintf(stderr, "print_frames: %s: %s\n", fb_status_name(status), fb_last_error());
            fb_client_close(client);
            return 1;
        }
        printf("%llu %ux%u %.2f ms\n", (unsigned long long)fb_frame_seq(frame),
               (unsigned)fb_frame_width(frame), (unsigned)fb_frame_height(frame),
               (double)(fb_frame_receive_ns(frame) - fb_frame_publish_ns(frame)) / 1e6);
        fb_frame_release(frame);
        ++seen;
    }
    fb_client_close(client);
    return 0;
}
