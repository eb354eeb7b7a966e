/* consumer_c PORT: consumer.cpp through the C ABI. */
#include <framebridge/client.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
    fb_connect_options options;
    fb_client* client = NULL;
    fb_status status;
    fb_connect_options_init(&options);
    options.port = (uint16_t)(argc > 1 ? atoi(argv[1]) : 7600);
    status = fb_client_connect(&options, &client);
    printf("%s: %s\n", fb_status_name(status), fb_last_error());
    fb_client_close(client);
    return 0;
}
